package org.jswtpm.swtpm.mssim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.jswtpm.swtpm.SwtpmCommandLine;
import org.jswtpm.swtpm.UsageException;
import org.junit.jupiter.api.Test;

/** {@code --server type=mssim}: what is accepted and what is refused. */
class MssimCommandLineTest {
    static SwtpmCommandLine.Parsed parse(String... args) throws UsageException {
        return SwtpmCommandLine.parse(args, Map.of("TPM_PATH", "/tmp/x"));
    }

    static String refusal(String... args) {
        return assertThrows(UsageException.class, () -> parse(args)).getMessage();
    }

    @Test
    void portAndBindAddress() throws UsageException {
        SwtpmCommandLine.Parsed p = parse("--tpm2", "--server", "type=mssim,port=5000,bindaddr=0.0.0.0");
        assertEquals(new MssimOptions("0.0.0.0", 5000, 5001, false), p.mssim());
        assertEquals(-1, p.options().dataPort());
        assertEquals(-1, p.options().ctrlPort());
    }

    @Test
    void defaultsAreTheSimulatorsAndTerminateApplies() throws UsageException {
        assertEquals(new MssimOptions("127.0.0.1", 2321, 2322, true), parse("--tpm2", "-t", "--server", "type=mssim").mssim());
    }

    @Test
    void aControlChannelMayBeAdded() throws UsageException {
        SwtpmCommandLine.Parsed p = parse("--tpm2", "--server", "type=mssim,port=5000", "--ctrl", "type=tcp,port=6000");
        assertEquals(6000, p.options().ctrlPort());
        assertTrue(refusal("--tpm2", "--server", "type=mssim,port=5000", "--ctrl", "type=tcp,port=5001")
                .contains("collides with the mssim ports"));
    }

    @Test
    void otherServerTypesHaveNoMssim() throws UsageException {
        assertNull(parse("--tpm2", "--server", "type=tcp,port=5000").mssim());
    }

    @Test
    void senselessCombinationsAreRefused() {
        for (String key : new String[] {"fd=5", "path=/tmp/s", "disconnect", "ifname=lo", "mode=0600"}) {
            String message = refusal("--tpm2", "--server", "type=mssim,port=5000," + key);
            assertTrue(message.startsWith("--server type=mssim does not take '" + key.split("=")[0] + "'"), message);
        }
        assertTrue(refusal("--tpm2", "--server", "type=mssim,port=65535").contains("between 1 and 65534"));
        assertTrue(refusal("--tpm2", "--server", "type=mssim,port=0").contains("between 1 and 65534"));
        assertEquals("--fd and --server cannot be used together", refusal("--tpm2", "--fd", "5", "--server", "type=mssim"));
    }
}
