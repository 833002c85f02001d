package org.jswtpm.swtpm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jswtpm.store.TpmStateOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The state commands against Debian's C tools: {@code swtpm_ioctl --save/--load} moves a TPM between two
 * jswtpm processes, and Debian's {@code swtpm} gives the same control-channel answers as jswtpm to the
 * same GET_STATEBLOB / SET_STATEBLOB requests (good and malformed). Skips without the tools.
 *
 * <p>Two known differences are left out, where jswtpm follows current swtpm and 0.7.1 had no check:
 * GET_STATEBLOB of an unknown type (TPM_FAIL; 0.7.1 answers TPM_RETRY) and SET_STATEBLOB of more than
 * 512 KiB (TPM_FAIL at once; 0.7.1 tries to read it all); LOCK_STORAGE is newer than 0.7.1.
 */
class StateBlobInteropTest {
    @TempDir
    Path dir;

    private static String run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), String.join(" ", cmd) + " hangs");
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), String.join(" ", cmd) + ": " + out);
        return out;
    }

    @Test
    void swtpmIoctlSaveAndLoadMoveATpm() throws Exception {
        String ioctl = ExternalTools.require("swtpm_ioctl").toString();
        Path a = Files.createDirectories(dir.resolve("a"));
        Path b = Files.createDirectories(dir.resolve("b"));
        String pcr;
        try (SwtpmProcess source = StateBlobControlTest.start(a, true, state(a, false), engine())) {
            StateBlobControlTest.data(source, StateBlobControlTest.PCR_EXTEND_16);
            pcr = StateBlobControlTest.data(source, StateBlobControlTest.PCR_READ_16);
            String at = "127.0.0.1:" + source.server().ctrlPort();
            for (String type : new String[] {"permanent", "volatile", "savestate"}) {
                run(ioctl, "--tcp", at, "--save", type, dir.resolve(type).toString());
            }
        }
        assertEquals(0, Files.size(dir.resolve("savestate")), "a TPM 2 has no save-state");
        try (SwtpmProcess destination = StateBlobControlTest.start(b, false, state(b, true), engine())) {
            String at = "127.0.0.1:" + destination.server().ctrlPort();
            run(ioctl, "--tcp", at, "--stop");
            run(ioctl, "--tcp", at, "--load", "permanent", dir.resolve("permanent").toString());
            run(ioctl, "--tcp", at, "--load", "volatile", dir.resolve("volatile").toString());
            run(ioctl, "--tcp", at, "-i");
            assertEquals(pcr, StateBlobControlTest.data(destination, StateBlobControlTest.PCR_READ_16));
        }
    }

    private static StateConfig state(Path d, boolean incoming) {
        return new StateConfig(TpmStateOptions.parse("dir=" + d), null, null, incoming, false);
    }

    private static TpmEngineFactory engine() {
        return (stored, sink) -> {
            org.jswtpm.core.Tpm2.Builder b = org.jswtpm.core.Tpm2.builder().stateSink(sink);
            stored.forEach(b::state);
            return b.build();
        };
    }

    /** The same raw control request to both; returns the answers (16 bytes for GET, 4 for the rest). */
    private static String ask(int port, String hex, int length) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 2000);
            s.setSoTimeout(5000);
            return TestServer.exchange(s, hex, length);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Test
    void sameAnswersAsDebianSwtpm() throws Exception {
        String swtpm = ExternalTools.require("swtpm").toString();
        Path theirs = Files.createDirectories(dir.resolve("theirs"));
        Path ours = Files.createDirectories(dir.resolve("ours"));
        int data = freePort();
        int ctrl = freePort();
        List<String> cmd = new ArrayList<>(List.of(swtpm, "socket", "--tpm2", "--server",
                "type=tcp,port=" + data + ",bindaddr=127.0.0.1", "--ctrl", "type=tcp,port=" + ctrl + ",bindaddr=127.0.0.1",
                "--flags", "not-need-init,startup-clear", "--tpmstate", "dir=" + theirs));
        Process debian = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        try (SwtpmProcess jswtpm = StateBlobControlTest.start(ours, true, state(ours, false), engine())) {
            awaitPort(ctrl, debian);
            int mine = jswtpm.server().ctrlPort();
            List<String[]> requests = List.of(
                    new String[] {"GET savestate (none)", "0000000c 00000001 00000003 00000000", "16"},
                    new String[] {"SET while running", "0000000d 00000000 00000001 00000000", "4"},
                    new String[] {"STOP", "0000000e", "4"},
                    new String[] {"GET while stopped", "0000000c 00000001 00000001 00000000", "4"},
                    new String[] {"SET length mismatch", "0000000d 00000000 00000001 0000000c 0201000a0004 0000000d 0000", "4"},
                    new String[] {"SET min_version 3", "0000000d 00000000 00000001 00000010 0303000a0004 00000010 000100000000", "4"},
                    new String[] {"SET header size 12", "0000000d 00000000 00000001 00000010 0201000c0004 00000010 000100000000", "4"},
                    new String[] {"SET migration-encrypted without key",
                        "0000000d 00000000 00000001 00000010 0201000a0006 00000010 000500000000", "4"},
                    new String[] {"SET unknown type", "0000000d 00000000 00000009 00000000", "4"},
                    new String[] {"INIT", "00000002 00000000", "4"},
                    new String[] {"GET permanent: result and flags", "0000000c 00000001 00000001 00000000", "8"});
            for (String[] r : requests) {
                int n = Integer.parseInt(r[2]);
                assertEquals(ask(ctrl, r[1], n), ask(mine, r[1], n), r[0]);
            }
        } finally {
            debian.destroyForcibly();
            debian.waitFor();
        }
    }

    private static void awaitPort(int port, Process process) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException notYet) {
                assertTrue(process.isAlive(), "Debian's swtpm exited: "
                        + new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
                Thread.sleep(50);
            }
        }
        throw new IllegalStateException("Debian's swtpm did not open port " + port);
    }
}
