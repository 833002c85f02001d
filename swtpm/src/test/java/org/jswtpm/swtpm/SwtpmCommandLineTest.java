package org.jswtpm.swtpm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SwtpmCommandLineTest {
    private static SwtpmOptions parse(String line) throws UsageException {
        return parse(line, Map.of());
    }

    private static SwtpmOptions parse(String line, Map<String, String> env) throws UsageException {
        SwtpmCommandLine.Parsed p = SwtpmCommandLine.parse(line.split(" "), env);
        assertEquals(SwtpmCommandLine.Action.RUN, p.action());
        return p.options();
    }

    private static String error(String line) {
        return assertThrows(UsageException.class, () -> SwtpmCommandLine.parse(line.split(" "), Map.of()))
                .getMessage();
    }

    @Test
    void typicalTcpCommandLine() throws Exception {
        SwtpmOptions o = parse("--tpm2 --server type=tcp,port=2321 --ctrl type=tcp,port=2322 "
                + "--flags not-need-init,startup-clear --tpmstate dir=/tmp/x");
        assertEquals(2321, o.dataPort());
        assertEquals("127.0.0.1", o.dataBindAddress());
        assertFalse(o.disconnect());
        assertEquals(2322, o.ctrlPort());
        assertEquals(Path.of("/tmp/x"), o.stateDir());
        assertEquals(0640, o.stateFileMode());
        assertTrue(o.stateLock());
        assertTrue(o.notNeedInit());
        assertEquals(StartupType.CLEAR, o.startup());
        assertFalse(o.disableAutoShutdown());
        assertFalse(o.terminate());
        assertNull(o.pidFile());
    }

    @Test
    void equalsFormAndPrefixesOfLongOptions() throws Exception {
        SwtpmOptions o = parse("--tpm2 --server=type=tcp,port=1,bindaddr=::1,disconnect --tpmst=dir=/d,mode=0600");
        assertEquals(1, o.dataPort());
        assertEquals("::1", o.dataBindAddress());
        assertTrue(o.disconnect());
        assertEquals(0600, o.stateFileMode());
        assertEquals(-1, o.ctrlPort());
    }

    @Test
    void dashPMeansTcpWithDisconnect() throws Exception {
        SwtpmOptions o = parse("--tpm2 -p 4000 --tpmstate dir=/d");
        assertEquals(4000, o.dataPort());
        assertTrue(o.disconnect());
        assertEquals(4001, parse("--tpm2 -p4001 --tpmstate dir=/d").dataPort());
        assertEquals(4002, parse("--tpm2 --port=4002 --tpmstate dir=/d").dataPort());
    }

    @Test
    void environmentFallbacks() throws Exception {
        SwtpmOptions o = parse("--tpm2 --server type=tcp", Map.of("TPM_PORT", "2400", "TPM_PATH", "/s"));
        assertEquals(2400, o.dataPort());
        assertEquals(Path.of("/s"), o.stateDir());
        // as swtpm: TPM_PORT only serves --server type=tcp without port=; no --server, no data channel
        assertEquals(-1, parse("--tpm2", Map.of("TPM_PORT", "2401")).dataPort());
    }

    @Test
    void missingPortIsAnError() {
        assertTrue(error("--tpm2 --server type=tcp").contains("TPM_PORT"));
    }

    @Test
    void terminateCtrlTerminatePidLogAndLocality() throws Exception {
        SwtpmOptions o = parse("--tpm2 -p 1 -t --ctrl type=tcp,port=2,bindaddr=127.0.0.2,terminate "
                + "--pid file=/run/p --log file=/l,level=20,prefix=X,truncate --locality reject-locality-4 "
                + "--flags startup-state,disable-auto-shutdown --tpmstate backend-uri=dir:///var/s,lock=0");
        assertTrue(o.terminate());
        assertTrue(o.ctrlTerminate());
        assertEquals("127.0.0.2", o.ctrlBindAddress());
        assertEquals(Path.of("/run/p"), o.pidFile());
        assertEquals(new SwtpmOptions.LogOptions("/l", -1, 20, "X", true), o.log());
        assertTrue(o.rejectLocality4());
        assertEquals(StartupType.STATE, o.startup());
        assertTrue(o.notNeedInit());
        assertTrue(o.disableAutoShutdown());
        assertEquals(Path.of("/var/s"), o.stateDir());
        assertFalse(o.stateLock());
    }

    @Test
    void logWithoutLevelIsLevelOne() throws Exception {
        assertEquals(1, parse("--tpm2 -p 1 --log file=/l").log().level());
        assertEquals(1, parse("--tpm2 -p 1 --log fd=3").log().level());
        assertEquals("-", parse("--tpm2 -p 1 --log file=-").log().file());
    }

    @Test
    void startupNoneDoesNotImplyNotNeedInit() throws Exception {
        SwtpmOptions o = parse("--tpm2 -p 1 --flags startup-none");
        assertFalse(o.notNeedInit());
        assertEquals(StartupType.NONE, o.startup());
        assertTrue(parse("--tpm2 -p 1 --flags not-need-init").notNeedInit());
    }

    @Test
    void helpAndPrintCapabilities() throws Exception {
        assertEquals(SwtpmCommandLine.Action.HELP, SwtpmCommandLine.parse(new String[] {"-h"}, Map.of()).action());
        SwtpmCommandLine.Parsed p = SwtpmCommandLine.parse(new String[] {"--print-capabilities"}, Map.of());
        assertEquals(SwtpmCommandLine.Action.PRINT_CAPABILITIES, p.action());
        assertFalse(p.tpm2());
        assertTrue(SwtpmCommandLine.parse(new String[] {"--print-capabilities", "--tpm2"}, Map.of()).tpm2());
    }

    @Test
    void tpm12IsRefused() {
        assertTrue(error("-p 1 --tpmstate dir=/d").contains("--tpm2"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"--profile name=default", "--print-profiles"})
    void unimplementedOptionsFailByName(String option) {
        String message = error("--tpm2 -p 1 " + option);
        assertTrue(message.contains("not supported"), message);
    }

    @ParameterizedTest
    @ValueSource(strings = {"action=none", "action=log", "action=kill"})
    void seccompIsAcceptedAsNoOp(String value) throws Exception {
        assertEquals(2321, parse("--tpm2 -p 2321 --seccomp " + value).dataPort());
        assertFalse(Capabilities.json(true).contains("seccomp"));
    }

    @Test
    void printInfoFlagsAreReadLikeStrtoulBaseZero() throws Exception {
        assertEquals(16, SwtpmCommandLine.parseInfoFlags("16"));
        assertEquals(16, SwtpmCommandLine.parseInfoFlags("0x10"));
        assertEquals(16, SwtpmCommandLine.parseInfoFlags("020"));
        assertEquals(0xffffffffL, SwtpmCommandLine.parseInfoFlags("0xffffffff"));
        assertEquals(1, SwtpmCommandLine.parseInfoFlags(" +1"));
        SwtpmCommandLine.Parsed p = SwtpmCommandLine.parse("--tpm2 --print-info 0x3".split(" "), Map.of());
        assertEquals(SwtpmCommandLine.Action.PRINT_INFO, p.action());
        assertEquals(3, p.infoFlags());
        assertEquals(SwtpmCommandLine.Action.RUN,
                SwtpmCommandLine.parse("--tpm2 -p 1 --print-info 0".split(" "), Map.of()).action());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "x", "1x", "0x", "09", "-1", "0x100000000", "+-1", "1 "})
    void badPrintInfoFlagsFail(String value) {
        UsageException e = assertThrows(UsageException.class,
                () -> SwtpmCommandLine.parse(new String[] {"--tpm2", "--print-info", value}, Map.of()));
        assertEquals("Cannot parse info value '" + value + "'.", e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"action=trap", "action=", "bogus=1"})
    void badSeccompFails(String value) {
        String message = error("--tpm2 -p 1 --seccomp " + value);
        assertTrue(message.contains(value.startsWith("action") ? "seccomp" : "bogus"), message);
    }

    @Test
    void unknownSeccompActionIsNamed() {
        assertTrue(error("--tpm2 -p 1 --seccomp action=trap").contains("trap"));
    }

    @Test
    void runasIsCheckedWhenParsedAndCarriedToTheStart() throws Exception {
        long uid = RunAs.currentUid();
        SwtpmCommandLine.Parsed p = SwtpmCommandLine.parse(("--tpm2 -p 2321 --runas " + uid).split(" "), Map.of());
        assertEquals(Long.toString(uid), p.setup().runAs());
        assertEquals("root", SwtpmCommandLine.parse("--tpm2 -p 2321 -rroot".split(" "), Map.of()).setup().runAs());
        assertEquals("nobody", SwtpmCommandLine.parse("--tpm2 -p 1 -r nobody".split(" "), Map.of()).setup().runAs());
        assertEquals(new RunAs.Target("root", 0, 0), RunAs.resolve("root"));
        assertEquals(new RunAs.Target(null, 4242, 4242), RunAs.resolve("4242"));
    }

    @Test
    void runasUnknownUsersAndHugeUidsFailAsInSwtpm() {
        assertTrue(error("--tpm2 -p 1 -r no-such-user-jswtpm").contains("User 'no-such-user-jswtpm' does not exist"));
        assertTrue(error("--tpm2 -p 1 -r 4294967296").contains("Error: uid 4294967296 outside valid range."));
        assertTrue(error("--tpm2 --print-capabilities -r no-such-user-jswtpm").contains("does not exist"));
    }

    @Test
    void runasInsideAChrootIsLookedUpThereAtTheStart() throws Exception {
        SwtpmCommandLine.Parsed p = SwtpmCommandLine.parse(
                "--tpm2 -p 1 -R /srv/tpm -r only-in-the-chroot".split(" "), Map.of());
        assertEquals(Path.of("/srv/tpm"), p.setup().chroot());
        assertEquals("only-in-the-chroot", p.setup().runAs());
        assertEquals(Path.of("/x"), SwtpmCommandLine.parse("--tpm2 -p 1 --chroot=/x".split(" "), Map.of())
                .setup().chroot());
    }

    @Test
    void daemonOption() throws Exception {
        assertTrue(SwtpmCommandLine.parse("--tpm2 -p 1 --daemon".split(" "), Map.of()).daemon());
        assertTrue(SwtpmCommandLine.parse("--tpm2 -p 1 -td".split(" "), Map.of()).daemon());
        assertFalse(SwtpmCommandLine.parse("--tpm2 -p 1".split(" "), Map.of()).daemon());
        assertTrue(error("--tpm2 -p 1 --daemon=yes").contains("doesn't allow an argument"));
    }

    @Test
    void localityOptions() throws Exception {
        SwtpmOptions o = parse("--tpm2 -p 1 --locality reject-locality-4,allow-set-locality");
        assertTrue(o.rejectLocality4());
        assertTrue(o.allowSetLocality());
        o = parse("--tpm2 -p 1 --locality allow-set-locality");
        assertFalse(o.rejectLocality4());
        assertTrue(o.allowSetLocality());
        o = parse("--tpm2 -p 1");
        assertFalse(o.allowSetLocality());
        assertTrue(error("--tpm2 -p 1 --locality allow-set-locality,bogus").contains("bogus"));
    }

    @Test
    void pidFileOrDescriptor() throws Exception {
        assertEquals(4, parse("--tpm2 -p 1 --pid fd=4").pidFd());
        assertNull(parse("--tpm2 -p 1 --pid fd=4").pidFile());
        SwtpmOptions both = parse("--tpm2 -p 1 --pid file=/run/p,fd=4");
        assertEquals(Path.of("/run/p"), both.pidFile(), "file= wins, as in swtpm");
        assertEquals(-1, both.pidFd());
        assertEquals(-1, parse("--tpm2 -p 1").pidFd());
        assertTrue(error("--tpm2 -p 1 --pid mode=1").contains("mode"));
        assertTrue(error("--tpm2 -p 1 --pid fd=x").contains("fd"));
    }

    @Test
    void pcapTakesAFileOrADescriptor() throws Exception {
        SwtpmCommandLine.ProcessSetup setup = SwtpmCommandLine.parse(
                "--tpm2 -p 1 --pcap file=/p,truncate,checksums".split(" "), Map.of()).setup();
        assertEquals(new PcapRecorder.Options(Path.of("/p"), -1, true, 0640, true), setup.pcap());
        setup = SwtpmCommandLine.parse("--tpm2 -p 1 --pcap fd=5,mode=0600".split(" "), Map.of()).setup();
        assertEquals(new PcapRecorder.Options(null, 5, false, 0600, false), setup.pcap());
        assertNull(SwtpmCommandLine.parse("--tpm2 -p 1".split(" "), Map.of()).setup().pcap());
        assertTrue(error("--tpm2 -p 1 --pcap truncate").contains("file= or fd="));
        assertTrue(error("--tpm2 -p 1 --pcap file=/p,bogus").contains("bogus"));
        assertTrue(error("--tpm2 -p 1 --pcap fd=x").contains("fd"));
    }

    @Test
    void bindAddressesAreNumericAndLinkLocalOnesNeedAnInterface() throws Exception {
        assertEquals("::1", parse("--tpm2 --server type=tcp,port=1,bindaddr=::1,ifname=lo").dataBindAddress(),
                "ifname is ignored for an address that is not link-local, as in swtpm");
        assertEquals("127.0.0.2", parse("--tpm2 -p 1 --ctrl type=tcp,port=2,bindaddr=127.0.0.2,ifname=nosuch0")
                .ctrlBindAddress());
        assertEquals("fe80::1%lo", parse("--tpm2 --server type=tcp,port=1,bindaddr=fe80::1,ifname=lo")
                .dataBindAddress(), "the interface becomes the scope");
        assertEquals("fe80::2%lo", parse("--tpm2 -p 1 --ctrl type=tcp,port=2,bindaddr=fe80::2,ifname=lo")
                .ctrlBindAddress());
        assertEquals("Missing interface name for link local address",
                error("--tpm2 --server type=tcp,port=1,bindaddr=fe80::1"));
        assertTrue(error("--tpm2 --server type=tcp,port=1,bindaddr=fe80::1,ifname=nosuch0")
                .startsWith("Could not convert interface name 'nosuch0' to index"));
        for (String name : new String[] {"localhost", "999.1.1.1", "cafe", "1.2.3", "::g"}) {
            assertEquals("Could not parse the bind address '" + name + "'",
                    error("--tpm2 -p 1 --ctrl type=tcp,port=2,bindaddr=" + name), name);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"--bogus", "--server type=tcp,port=1,bogus", "--tpmstate dir=/d,mode=01000",
        "--tpmstate dir=/d,mode=9", "--flags startup-clear,startup-state", "--flags wrong",
        "--flags startup-deactivated", "--ctrl type=tcp", "--ctrl port=4", "--server type=udp,port=1",
        "--server type=tcp,port=70000", "-x", "stray", "--tpmstate", "--tpm2=yes", "--log level=x",
        "--tpmstate mode=0600", "--tpmstate backend-uri=tcp://x", "--key file=/k,fd=3",
        "--key fd=3,mode=aes-512-cbc", "--migration-key file=/k,format=base64", "--migration bogus", "--pr", "--pid file=", "-tx", "-tp"})
    void badCommandLinesAreRefused(String option) {
        error("--tpm2 -p 1 " + option);
    }

    private static SwtpmCommandLine.Parsed parsed(String line) throws UsageException {
        return SwtpmCommandLine.parse(line.split(" "), Map.of());
    }

    @Test
    void libvirtCommandLine() throws Exception {
        SwtpmCommandLine.Parsed p = parsed("--ctrl type=unixio,path=/run/s/1-vm-swtpm.sock,mode=0600 "
                + "--tpmstate dir=/var/lib/libvirt/swtpm/u/tpm2,mode=0600 --log file=/var/log/vm.log,level=20 "
                + "--terminate --tpm2");
        assertEquals(new Endpoints.UnixPath(Path.of("/run/s/1-vm-swtpm.sock"), 0600, null, null),
                p.endpoints().ctrl());
        assertNull(p.endpoints().data());
        assertEquals(-1, p.options().dataPort());
        assertEquals(-1, p.options().ctrlPort());
        assertTrue(p.options().terminate());
        assertFalse(p.options().ctrlTerminate());
    }

    @Test
    void unixioDefaultsAndOwnership() throws Exception {
        SwtpmCommandLine.Parsed p = parsed("--tpm2 --server type=unixio,path=/d.sock,uid=0,gid=tss "
                + "--ctrl type=unixio,path=/c.sock,terminate");
        assertEquals(new Endpoints.UnixPath(Path.of("/d.sock"), 0770, "0", "tss"), p.endpoints().data());
        assertEquals(new Endpoints.UnixPath(Path.of("/c.sock"), 0770, null, null), p.endpoints().ctrl());
        assertTrue(p.options().ctrlTerminate());
        assertFalse(p.options().terminate());
        assertTrue(parsed("--tpm2 --server type=unixio,path=/d,disconnect").options().disconnect());
    }

    @Test
    void inheritedDescriptors() throws Exception {
        SwtpmCommandLine.Parsed setup = parsed("--tpm2 --server type=tcp,fd=7 --ctrl type=unixio,clientfd=5");
        assertEquals(new Endpoints.ConnectedFd(7), setup.endpoints().data());
        assertEquals(new Endpoints.ConnectedFd(5), setup.endpoints().ctrl());
        assertTrue(setup.options().terminate(), "a given data descriptor implies terminate");
        SwtpmCommandLine.Parsed fd = parsed("--tpm2 --fd 9 --ctrl type=unixio,fd=4");
        assertEquals(new Endpoints.ConnectedFd(9), fd.endpoints().data());
        assertEquals(new Endpoints.ListeningFd(4), fd.endpoints().ctrl());
        assertTrue(fd.options().terminate());
        assertEquals(new Endpoints.ConnectedFd(9), parsed("--tpm2 -f9").endpoints().data());
        assertEquals(new Endpoints.ListeningFd(6), parsed("--tpm2 --server type=unixio,fd=6").endpoints().data());
        assertEquals(new Endpoints.ListeningFd(8), parsed("--tpm2 --ctrl type=tcp,fd=8").endpoints().ctrl());
        assertEquals(new Endpoints.ListeningFd(4),
                parsed("--tpm2 --ctrl type=unixio,fd=4,clientfd=5,path=/p").endpoints().ctrl(), "swtpm's precedence");
    }

    @ParameterizedTest
    @ValueSource(strings = {"--fd 2", "--fd 0", "--fd x", "--fd -1", "--server type=tcp,fd=1",
        "--ctrl type=unixio,clientfd=2", "--ctrl type=unixio", "--ctrl type=unixio,mode=0600",
        "--server type=unixio", "--server type=unixio,path=/s,mode=0888", "--server type=unixio,clientfd=5",
        "--ctrl type=tcp,clientfd=5", "--ctrl type=unixio,path=/s,bogus", "--fd 5 --server type=tcp,port=1"})
    void badDescriptorsAndSocketsAreRefused(String option) {
        String message = assertThrows(UsageException.class,
                () -> SwtpmCommandLine.parse(("--tpm2 " + option).split(" "), Map.of())).getMessage();
        assertFalse(message.isEmpty());
    }

    @Test
    void standardStreamsAreNotDescriptorsToServe() {
        assertTrue(error("--tpm2 --fd 1").contains("0, 1, or 2"));
    }

    @Test
    void shortFlagsCanBeCombined() throws Exception {
        assertTrue(parse("--tpm2 -tp1 --tpmstate dir=/d").terminate());
        assertEquals(SwtpmCommandLine.Action.HELP,
                SwtpmCommandLine.parse(new String[] {"-th"}, Map.of()).action());
    }

    @Test
    void badDashPPort() {
        assertTrue(error("--tpm2 -p abc").contains("abc"));
        assertTrue(error("--tpm2 -p 65536").contains("range"));
    }
}
