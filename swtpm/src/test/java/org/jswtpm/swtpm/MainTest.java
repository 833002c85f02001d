package org.jswtpm.swtpm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MainTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return Main.run(args, Map.of(), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), (p, s) -> new FakeTpm());
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void version() {
        assertEquals(0, run("--version"));
        assertTrue(out().startsWith("TPM emulator version 0.1.0, "), out());
        assertEquals(0, run("-v"));
    }

    @Test
    void help() {
        assertEquals(0, run("--help"));
        assertEquals(0, run("socket", "--help"));
        assertTrue(out().contains("--tpmstate"));
    }

    @Test
    void printCapabilitiesIsOneLineOfSwtpmShapedJson() {
        assertEquals(0, run("socket", "--tpm2", "--print-capabilities"));
        assertEquals("{ \"type\": \"swtpm\", \"features\": [ \"tpm-2.0\", \"tpm-send-command-header\", "
                + "\"flags-opt-startup\", \"flags-opt-disable-auto-shutdown\", \"ctrl-opt-terminate\", "
                + "\"cmdarg-key-fd\", \"cmdarg-pwd-fd\", \"cmdarg-print-states\", \"cmdarg-chroot\", "
                + "\"cmdarg-migration\", "
                + "\"nvram-backend-dir\", \"nvram-backend-file\", \"cmdarg-print-info\", \"cmdarg-pcap\", "
                + "\"tpmstate-opt-lock\", "
                + "\"tpmstate-dir-backend-opt-backup\", \"tpmstate-dir-backend-opt-fsync\" ], "
                + "\"version\": \"0.1.0\" }\n", out());
        out.reset();
        assertEquals(0, run("socket", "--print-capabilities"));
        assertTrue(out().contains("\"tpm-2.0\""));
        assertTrue(!out().contains("rsa-keysize"));
    }

    @Test
    void printInfoPrintsTheGetInfoJsonAndExits() {
        assertEquals(0, run("socket", "--tpm2", "--print-info", "1"));
        assertEquals(TpmInfo.json(1) + "\n", out());
        assertTrue(out().startsWith("{\"TPMSpecification\":{\"family\":\"2.0\","), out());
        out.reset();
        assertEquals(0, run("socket", "--tpm2", "--print-info=0x3"));
        assertEquals(TpmInfo.json(3) + "\n", out());
        assertTrue(out().contains("\"TPMAttributes\""), out());
        assertEquals(1, run("socket", "--tpm2", "--print-info", "x1"));
        assertTrue(err().contains("Cannot parse info value 'x1'."), err());
    }

    @Test
    void printStates(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        assertEquals(0, run("socket", "--tpm2", "--print-states", "--tpmstate", "dir=" + dir));
        assertEquals("{ \"type\": \"swtpm\", \"states\": [] }", out());
        java.nio.file.Files.write(dir.resolve("tpm2-00.permall"), new byte[465]);
        java.nio.file.Files.write(dir.resolve("tpm2-00.savestate"), new byte[7]);
        out.reset();
        assertEquals(0, run("socket", "--tpm2", "--print-states", "--tpmstate", "dir=" + dir));
        assertEquals("{ \"type\": \"swtpm\", \"states\": [ {\"name\": \"permall\", \"size\": 465},"
                + " {\"name\": \"savestate\", \"size\": 7} ] }", out());
        assertEquals(1, run("socket", "--tpm2", "--print-states"));
        assertTrue(err().contains("--tpmstate"));
    }

    @Test
    void chardevPrintsTheSameCapabilitiesAsSocket() {
        assertEquals(0, run("socket", "--tpm2", "--print-capabilities"));
        String socket = out();
        out.reset();
        // swtpm chardev prints its capabilities without a device, like socket mode (not cuse)
        assertEquals(0, run("chardev", "--tpm2", "--print-capabilities"));
        assertEquals(socket, out());
    }

    @Test
    void chardevHelpAndRefusals() {
        assertEquals(0, run("chardev", "--help"));
        assertTrue(out().startsWith("Usage: swtpm chardev [options]"), out());
        assertTrue(out().contains("--vtpm-proxy") && !out().contains("--server"), out());
        assertEquals(1, run("chardev", "--tpm2", "--tpmstate", "dir=/nonexistent"));
        assertTrue(err().contains("Error: Missing character device or file descriptor"), err());
        assertEquals(1, run("chardev", "--tpm2", "--server", "type=tcp,port=1", "--fd", "5"));
        assertTrue(err().contains("Unknown option '--server'"), err());
        assertEquals(1, run("chardev", "--tpm2", "-c", "/nonexistent/tpm0", "--tpmstate", "dir=/nonexistent"));
        assertTrue(err().contains("Cannot open /nonexistent/tpm0"), err());
    }

    @Test
    void errorsExitWithOne() {
        assertEquals(1, run());
        assertEquals(1, run("chardev", "--tpm2"));
        assertEquals(1, run("cuse"));
        assertEquals(1, run("bogus"));
        assertEquals(1, run("socket", "--tpm2", "--profile", "name=default-v1", "-p", "1"));
        assertTrue(err().contains("--profile"), err());
        assertEquals(1, run("socket", "--tpm2", "-p", "1"));
        assertTrue(err().contains("--tpmstate"), err());
    }
}
