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

/** {@code swtpm chardev}'s command line: its device options, and what it shares with socket mode. */
class ChardevCommandLineTest {
    private static SwtpmCommandLine.Parsed parse(String line) throws UsageException {
        return SwtpmCommandLine.parse(SwtpmCommandLine.Mode.CHARDEV, line.split(" "), Map.of());
    }

    private static String error(String line) {
        return assertThrows(UsageException.class, () -> parse(line)).getMessage();
    }

    @Test
    void fdIsTheDataChannelAndItsHangUpEndsTheProcess() throws Exception {
        SwtpmCommandLine.Parsed p = parse("--tpm2 --fd 5 --tpmstate dir=/s --ctrl type=unixio,path=/c");
        assertEquals(new Endpoints.CharDevice(5, "character device fd 5"), p.endpoints().data());
        assertEquals(new Endpoints.UnixPath(Path.of("/c"), 0770, null, null), p.endpoints().ctrl());
        assertTrue(p.options().terminate());
        assertEquals(-1, p.options().dataPort());
        assertNull(p.setup().chardev());
        assertEquals(new Endpoints.CharDevice(7, "character device fd 7"), parse("--tpm2 -f7").endpoints().data());
    }

    @Test
    void dashCNamesTheDeviceToOpenAtStart() throws Exception {
        SwtpmCommandLine.Parsed p = parse("--tpm2 -c /dev/vtpm0 --tpmstate dir=/s");
        assertEquals(Path.of("/dev/vtpm0"), p.setup().chardev());
        assertNull(p.endpoints().data());
        assertEquals(Path.of("/dev/tpm1"), parse("--tpm2 --chardev=/dev/tpm1").setup().chardev());
    }

    @Test
    void theFirstOfDashCAndFdCounts() throws Exception {
        assertEquals(Path.of("/dev/a"), parse("--tpm2 -c /dev/a --fd 5").setup().chardev());
        assertNull(parse("--tpm2 -c /dev/a --fd 5").endpoints().data());
        SwtpmCommandLine.Parsed p = parse("--tpm2 --fd 5 -c /dev/a --fd 6");
        assertEquals(new Endpoints.CharDevice(5, "character device fd 5"), p.endpoints().data());
        assertNull(p.setup().chardev());
    }

    @Test
    void vtpmProxyStartsTheTpmAndAllowsSetLocality() throws Exception {
        SwtpmOptions o = parse("--tpm2 --vtpm-proxy --tpmstate dir=/s").options();
        assertTrue(parse("--tpm2 --vtpm-proxy").setup().vtpmProxy());
        assertTrue(o.notNeedInit());
        assertEquals(StartupType.CLEAR, o.startup());
        assertTrue(o.allowSetLocality());
        assertEquals(StartupType.STATE, parse("--tpm2 --vtpm-proxy --flags startup-state").options().startup());
        SwtpmOptions none = parse("--tpm2 --vtpm-proxy --flags startup-none").options();
        assertEquals(StartupType.NONE, none.startup());
        assertTrue(none.notNeedInit());
        assertEquals("Cannot use vTPM proxy with a provided device.", error("--tpm2 --vtpm-proxy --fd 5"));
        assertEquals("Cannot use vTPM proxy with a provided device.", error("--tpm2 -c /dev/x --vtpm-proxy"));
    }

    @Test
    void aDeviceIsRequiredExceptToPrint() throws Exception {
        assertEquals("Error: Missing character device or file descriptor", error("--tpm2 --tpmstate dir=/s"));
        assertEquals(SwtpmCommandLine.Action.PRINT_CAPABILITIES, parse("--print-capabilities").action());
        assertEquals(SwtpmCommandLine.Action.PRINT_STATES, parse("--tpm2 --print-states --tpmstate dir=/s").action());
        assertEquals(SwtpmCommandLine.Action.PRINT_INFO, parse("--tpm2 --print-info 1").action());
        assertEquals(SwtpmCommandLine.Action.HELP, parse("-h").action());
    }

    @Test
    void badDescriptorsAreRefusedAsSwtpmRefusesThem() {
        assertEquals("Cannot parse character device file descriptor.", error("--tpm2 --fd x"));
        assertEquals("Cannot parse character device file descriptor.", error("--tpm2 --fd -3"));
        assertEquals("Cannot parse character device file descriptor.", error("--tpm2 --fd 99999999999"));
        assertEquals("Error: Cannot accept file descriptors with values 0, 1, or 2", error("--tpm2 --fd 2"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"--server type=tcp,port=1", "--port 1", "-p 1", "-t", "--terminate", "-x"})
    void socketOnlyOptionsAreUnknown(String option) {
        String message = error("--tpm2 --fd 5 " + option);
        assertTrue(message.startsWith("Unknown option"), message);
    }

    @Test
    void sharedOptionsWorkAsInSocketMode() throws Exception {
        SwtpmCommandLine.Parsed p = parse("--tpm2 --fd 5 --tpmstate dir=/s,mode=0600 --flags not-need-init "
                + "--locality reject-locality-4 --pid fd=9 --log file=/l,level=3 --migration incoming "
                + "--seccomp action=none -R /r -r nobody -d");
        assertEquals(Path.of("/s"), p.options().stateDir());
        assertEquals(0600, p.options().stateFileMode());
        assertTrue(p.options().notNeedInit());
        assertTrue(p.options().rejectLocality4());
        assertFalse(p.options().allowSetLocality());
        assertEquals(9, p.options().pidFd());
        assertEquals(3, p.options().log().level());
        assertTrue(p.state().incomingMigration());
        assertEquals(Path.of("/r"), p.setup().chroot());
        assertEquals("nobody", p.setup().runAs());
        assertTrue(p.daemon());
        assertEquals(Path.of("/p"), parse("--tpm2 --fd 5 --pcap file=/p").setup().pcap().file(), "as swtpm chardev");
        assertTrue(error("--tpm2 --fd 5 --profile name=default-v1").contains("not supported"));
    }
}
