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
        assertEquals(2401, parse("--tpm2", Map.of("TPM_PORT", "2401")).dataPort());
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
    @ValueSource(strings = {"--fd 5", "--runas tss", "-r tss", "--chroot /x", "-R /x", "--daemon", "-d", "--seccomp action=none",
        "--profile name=default", "--print-profiles", "--print-info 1", "--pcap file=/p",
        "-f 5"})
    void unimplementedOptionsFailByName(String option) {
        String message = error("--tpm2 -p 1 " + option);
        assertTrue(message.contains("not supported"), message);
    }

    @ParameterizedTest
    @ValueSource(strings = {"--server type=unixio,path=/s", "--server type=tcp,port=1,fd=4",
        "--ctrl type=unixio,path=/c", "--ctrl type=tcp,fd=4", "--ctrl type=unixio,clientfd=4",
        "--locality allow-set-locality",
        "--pid fd=4", "--server type=tcp,port=1,ifname=eth0"})
    void unimplementedSubOptionsFailByName(String option) {
        String message = error("--tpm2 -p 1 " + option);
        assertTrue(message.contains("not supported"), message);
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
