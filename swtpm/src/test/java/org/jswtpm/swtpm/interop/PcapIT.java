package org.jswtpm.swtpm.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jswtpm.core.testing.ExternalTools;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --pcap}: the trace {@code bin/swtpm} writes is read back by Wireshark's {@code tshark}, which must
 * decode every command and response as TPM 2.0 (with valid IP and TCP checksums when asked), in order,
 * including the process's own TPM2_Startup and automatic TPM2_Shutdown, with the bytes the client saw.
 */
@Timeout(120)
class PcapIT {
    private static final String GET_RANDOM_8 = "80010000000c0000017b0008";
    private static final String PCR_READ_SHA256_0 = "8001000000140000017e00000001000b03010000";

    @TempDir
    Path dir;

    /** One row per packet: tpm.req.cc, tpm.resp.rc, ip and tcp checksum status, tcp.payload. */
    private static List<String[]> tshark(Path pcap) throws Exception {
        String tshark = ExternalTools.require("tshark");
        Process p = new ProcessBuilder(tshark, "-r", pcap.toString(), "-o", "tcp.check_checksum:TRUE",
                "-o", "ip.check_checksum:TRUE", "-T", "fields", "-E", "separator=|", "-e", "tpm.req.cc",
                "-e", "tpm.resp.rc", "-e", "ip.checksum.status", "-e", "tcp.checksum.status", "-e", "tcp.payload",
                "-e", "tcp.flags.str").redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        List<String[]> rows = new ArrayList<>();
        for (String line : out.split("\n")) {
            if (!line.isBlank()) {
                rows.add(line.split("\\|", -1));
            }
        }
        return rows;
    }

    @Test
    void wiresharkDecodesTheTraceAsTpm2WithValidChecksums() throws Exception {
        ExternalTools.require("tshark");
        Path pcap = dir.resolve("trace.pcapng");
        JswtpmProcess tpm = JswtpmProcess.start(Files.createDirectories(dir.resolve("state")), "--flags",
                "not-need-init,startup-clear", "--pcap", "file=" + pcap + ",checksums");
        String random = StateDurabilityIT.command(tpm.dataPort, GET_RANDOM_8);
        String pcr = StateDurabilityIT.command(tpm.dataPort, PCR_READ_SHA256_0);
        tpm.terminate(); // SIGTERM: the process sends its automatic TPM2_Shutdown and ends the trace

        List<String[]> rows = tshark(pcap);
        assertEquals(3 + 2 * 4 + 3, rows.size(), "handshake, 4 exchanges, closing handshake");
        String[][] expected = {
            {"0x00000144", ""}, {"", "0x00000000"}, // the start-up TPM2_Startup(CLEAR)
            {"0x0000017b", ""}, {"", "0x00000000"},
            {"0x0000017e", ""}, {"", "0x00000000"},
            {"0x00000145", ""}, {"", "0x00000000"}, // the automatic TPM2_Shutdown(STATE) at exit
        };
        for (int i = 0; i < expected.length; i++) {
            String[] row = rows.get(3 + i);
            assertEquals(expected[i][0], row[0], "command code of TPM packet " + i);
            assertEquals(expected[i][1], row[1], "response code of TPM packet " + i);
        }
        assertEquals(GET_RANDOM_8, rows.get(5)[4]);
        assertEquals(random, rows.get(6)[4], "the GetRandom response as the client received it");
        assertEquals(PCR_READ_SHA256_0, rows.get(7)[4]);
        assertEquals(pcr, rows.get(8)[4]);
        for (String[] row : rows) {
            assertEquals("1", row[2], "IP checksum good");
            assertEquals("1", row[3], "TCP checksum good");
        }
        assertTrue(rows.get(0)[5].contains("S"), "SYN first: " + rows.get(0)[5]);
        assertTrue(rows.get(rows.size() - 3)[5].contains("F"), "FIN at the end: " + rows.get(rows.size() - 3)[5]);
        assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(pcap)));
    }

    @Test
    void aDescriptorIsAppendedToWithoutChecksumsAndItsModeSet() throws Exception {
        ExternalTools.require("tshark");
        Path pcap = dir.resolve("fd.pcapng");
        Path state = Files.createDirectories(dir.resolve("state"));
        Path out = dir.resolve("out.log");
        int port = JswtpmProcess.freePort();
        // fd 3 is opened by the shell for appending, as a caller hands swtpm a descriptor
        List<String> argv = List.of("bash", "-c", "exec 3>>\"$1\"; shift; exec \"$@\"", "bash", pcap.toString(),
                JswtpmProcess.launcher().toString(), "socket", "--tpm2", "--server", "type=tcp,port=" + port,
                "--tpmstate", "dir=" + state, "--flags", "not-need-init", "--pcap", "fd=3,mode=0600");
        for (int run = 0; run < 2; run++) {
            Process p = new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(out.toFile()).start();
            try {
                String response = null;
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (response == null) {
                    try {
                        response = StateDurabilityIT.command(port, GET_RANDOM_8);
                    } catch (java.io.IOException notYet) {
                        assertTrue(p.isAlive() && System.nanoTime() < deadline, Files.readString(out));
                        Thread.sleep(50);
                    }
                }
                assertEquals("80010000000a00000100", response, "no Startup was sent: TPM_RC_INITIALIZE");
            } finally {
                p.destroy();
                assertTrue(p.waitFor(30, TimeUnit.SECONDS));
            }
        }
        List<String[]> rows = tshark(pcap);
        // each run: handshake, GetRandom, the automatic Shutdown (also TPM_RC_INITIALIZE), closing handshake
        assertEquals(2 * (3 + 2 + 2 + 3), rows.size(), "two runs appended, each a whole conversation");
        for (int run = 0; run < 2; run++) {
            int at = run * 10;
            assertTrue(rows.get(at)[5].contains("S"), "each run starts with its SYN");
            assertEquals("0x0000017b", rows.get(at + 3)[0]);
            assertEquals("0x00000100", rows.get(at + 4)[1]);
            assertEquals("0x00000145", rows.get(at + 5)[0]);
            assertEquals("0x00000100", rows.get(at + 6)[1]);
            assertEquals("0", rows.get(at + 3)[3], "checksums left zero without checksums: wrong for tshark");
        }
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(pcap)));
    }
}
