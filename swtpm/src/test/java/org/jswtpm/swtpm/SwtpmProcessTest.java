package org.jswtpm.swtpm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.jswtpm.core.StateKind;
import org.jswtpm.core.Tpm2;
import org.jswtpm.core.testing.TestTpm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The whole process in-JVM with the real tpm-core engine: state directory, pid file, real commands. */
class SwtpmProcessTest {
    private static final TpmEngineFactory ENGINE = (stored, sink) -> {
        Tpm2.Builder b = Tpm2.builder().deterministicSeed(TestTpm.SEED).stateSink(sink);
        stored.forEach(b::state);
        return b.build();
    };
    private static final String GET_RANDOM_8 = "80010000000c0000017b0008";

    @TempDir
    Path dir;

    private SwtpmOptions options(boolean notNeedInit) {
        return new SwtpmOptions(true, 0, "127.0.0.1", false, 0, "127.0.0.1", false, false, dir, 0600, true,
                notNeedInit, notNeedInit ? StartupType.CLEAR : StartupType.NONE, false, false,
                dir.resolve("swtpm.pid"), SwtpmOptions.LogOptions.NONE);
    }

    private static String data(SwtpmProcess p, String hex) throws IOException {
        try (Socket s = new Socket("127.0.0.1", p.server().dataPort())) {
            s.setSoTimeout(5000);
            String header = TestServer.exchange(s, hex, 10);
            int size = Integer.parseInt(header.substring(4, 12), 16);
            return header + TestServer.HEX.formatHex(s.getInputStream().readNBytes(size - 10));
        }
    }

    private static String ctrl(SwtpmProcess p, String hex, int length) throws IOException {
        try (Socket s = new Socket("127.0.0.1", p.server().ctrlPort())) {
            s.setSoTimeout(5000);
            return TestServer.exchange(s, hex, length);
        }
    }

    @Test
    void realEngineAnswersGetRandomAndStoresPermanentState() throws Exception {
        try (SwtpmProcess p = SwtpmProcess.start(options(true), SwtpmLog.silent(), ENGINE)) {
            String response = data(p, GET_RANDOM_8);
            assertTrue(response.startsWith("80010000001400000000" + "0008"), response);
            assertTrue(Files.size(dir.resolve("tpm2-00.permall")) > 0);
            assertEquals(Long.toString(ProcessHandle.current().pid()),
                    Files.readString(dir.resolve("swtpm.pid"), StandardCharsets.US_ASCII));
        }
        assertFalse(Files.exists(dir.resolve("swtpm.pid")));
    }

    @Test
    void withoutNotNeedInitTheTpmWaitsForInit() throws Exception {
        try (SwtpmProcess p = SwtpmProcess.start(options(false), SwtpmLog.silent(), ENGINE)) {
            assertEquals("80010000000a00000101", data(p, GET_RANDOM_8));
            assertEquals("00000000", ctrl(p, "00000002 00000000", 4));
            assertEquals("80010000000a00000100", data(p, GET_RANDOM_8));
            assertEquals("80010000000a00000000", data(p, "80010000000c000001440000"));
            assertTrue(data(p, GET_RANDOM_8).startsWith("800100000014000000000008"));
        }
    }

    @Test
    void prefixedFormWithRealEngine() throws Exception {
        try (SwtpmProcess p = SwtpmProcess.start(options(true), SwtpmLog.silent(), ENGINE);
                Socket s = new Socket("127.0.0.1", p.server().dataPort())) {
            s.setSoTimeout(5000);
            String r = TestServer.exchange(s, "00000008 00 0000000c" + GET_RANDOM_8, 4 + 20 + 4);
            assertTrue(r.startsWith("00000014" + "800100000014000000000008"), r);
            assertTrue(r.endsWith("00000000"));
        }
    }

    @Test
    void secondProcessOnTheSameDirectoryFailsAtOnce() throws Exception {
        try (SwtpmProcess p = SwtpmProcess.start(options(true), SwtpmLog.silent(), ENGINE)) {
            long start = System.nanoTime();
            IOException e = assertThrows(IOException.class,
                    () -> SwtpmProcess.start(options(true), SwtpmLog.silent(), ENGINE));
            assertTrue(e.getMessage().contains(".lock"), e.getMessage());
            assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(2));
            assertTrue(data(p, GET_RANDOM_8).startsWith("8001"));
        }
    }

    /**
     * TPM2_ReadClock's resetCount + restartCount grows with every Startup(CLEAR) (a TPM Reset, or a TPM
     * Restart after the automatic Shutdown(STATE)) only if the permanent state was kept.
     */
    @Test
    void restartLoadsTheStoredPermanentState() throws Exception {
        long first;
        try (SwtpmProcess p = SwtpmProcess.start(options(true), SwtpmLog.silent(), ENGINE)) {
            first = resetCount(data(p, READ_CLOCK));
        }
        try (SwtpmProcess p = SwtpmProcess.start(options(true), SwtpmLog.silent(), ENGINE)) {
            assertEquals(first + 1, resetCount(data(p, READ_CLOCK)));
        }
    }

    private static final String READ_CLOCK = "80010000000a00000181";

    private static long resetCount(String readClockResponse) {
        assertTrue(readClockResponse.startsWith("8001000000230000000"), readClockResponse);
        return Long.parseLong(readClockResponse.substring(52, 60), 16)
                + Long.parseLong(readClockResponse.substring(60, 68), 16);
    }

    @Test
    void shutdownCommandEndsTheProcessAfterAutoShutdown() throws Exception {
        try (SwtpmProcess p = SwtpmProcess.start(options(true), SwtpmLog.silent(), ENGINE)) {
            assertEquals("00000000", ctrl(p, "00000003", 4));
            p.awaitExitRequest();
        }
        assertTrue(Files.size(dir.resolve("tpm2-00.savestate")) > 0);
    }

    @Test
    void missingStateDirectoryIsAnError() {
        SwtpmOptions o = options(true).withStateDir(null);
        IOException e = assertThrows(IOException.class, () -> SwtpmProcess.start(o, SwtpmLog.silent(), ENGINE));
        assertTrue(e.getMessage().contains("--tpmstate"));
    }

    @Test
    void stateBlobsAreNotSecretsInTheLog() throws Exception {
        Path log = dir.resolve("log");
        SwtpmLog swtpmLog = SwtpmLog.open(new SwtpmOptions.LogOptions(log.toString(), -1, 20, null, false));
        try (SwtpmProcess p = SwtpmProcess.start(options(true), swtpmLog, ENGINE)) {
            data(p, GET_RANDOM_8);
            ctrl(p, "00000001", 8);
        }
        String text = Files.readString(log);
        byte[] permall = Files.readAllBytes(dir.resolve("tpm2-00.permall"));
        assertFalse(text.contains(TestServer.HEX.formatHex(permall, 0, Math.min(16, permall.length))));
        assertTrue(text.contains("serving data"));
    }

    @Test
    void tpm2GetrandomThroughTheSwtpmTcti() throws Exception {
        Path tool = ExternalTools.require("tpm2_getrandom");
        try (SwtpmProcess p = startOnAdjacentPorts()) {
            Process proc = new ProcessBuilder(tool.toString(), "--tcti",
                    "swtpm:host=127.0.0.1,port=" + p.server().dataPort(), "--hex", "16")
                    .redirectErrorStream(true).start();
            assertTrue(proc.waitFor(30, TimeUnit.SECONDS), "tpm2_getrandom did not finish");
            String output = new String(proc.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            assertEquals(0, proc.exitValue(), output);
            assertTrue(output.matches("[0-9a-f]{32}"), output);
        }
    }

    /** The swtpm TCTI expects the control channel on the data port + 1. */
    private SwtpmProcess startOnAdjacentPorts() throws Exception {
        IOException last = null;
        for (int attempt = 0; attempt < 20; attempt++) {
            int port;
            try (java.net.ServerSocket probe = new java.net.ServerSocket(0)) {
                port = probe.getLocalPort();
            }
            if (port >= 65535) {
                continue;
            }
            SwtpmOptions o = options(true);
            o = new SwtpmOptions(true, port, o.dataBindAddress(), false, port + 1, o.ctrlBindAddress(), false,
                    false, o.stateDir(), o.stateFileMode(), true, true, StartupType.CLEAR, false, false, null,
                    o.log());
            try {
                return SwtpmProcess.start(o, SwtpmLog.silent(), ENGINE);
            } catch (IOException e) {
                last = e;
            }
        }
        throw last;
    }

    @Test
    void storeVolatileAndInitResumeWithoutStartup() throws Exception {
        try (SwtpmProcess p = SwtpmProcess.start(options(true), SwtpmLog.silent(), ENGINE)) {
            assertEquals("00000000", ctrl(p, "0000000a", 4));
            assertTrue(Files.exists(dir.resolve("tpm2-00.volatilestate")));
            assertEquals("00000000", ctrl(p, "00000002 00000001", 4));
            assertFalse(Files.exists(dir.resolve("tpm2-00.volatilestate")));
            assertTrue(data(p, GET_RANDOM_8).startsWith("800100000014000000000008"));
        }
    }

    @Test
    void saveStateSurvivesARestartForStartupState() throws Exception {
        try (SwtpmProcess p = SwtpmProcess.start(options(true), SwtpmLog.silent(), ENGINE)) {
            assertEquals("80010000000a00000000", data(p, "80010000000c000001450001"));
        }
        assertTrue(Files.size(dir.resolve("tpm2-00.savestate")) > 0);
        SwtpmOptions resume = options(true).withFlags(true, StartupType.STATE, false);
        try (SwtpmProcess p = SwtpmProcess.start(resume, SwtpmLog.silent(), ENGINE)) {
            assertTrue(data(p, GET_RANDOM_8).startsWith("800100000014000000000008"));
        }
    }

    @Test
    void autoShutdownAtExitLeavesASaveState() throws Exception {
        try (SwtpmProcess p = SwtpmProcess.start(options(true), SwtpmLog.silent(), ENGINE)) {
            data(p, GET_RANDOM_8);
        }
        assertTrue(Files.size(dir.resolve("tpm2-00.savestate")) > 0);
    }

    @Test
    void stateFilesGetTheConfiguredMode() throws Exception {
        try (SwtpmProcess p = SwtpmProcess.start(options(true), SwtpmLog.silent(), ENGINE)) {
            assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(
                    Files.getPosixFilePermissions(dir.resolve("tpm2-00.permall"))));
            byte[] file = Files.readAllBytes(dir.resolve("tpm2-00.permall"));
            assertEquals("0201000a0000", TestServer.HEX.formatHex(file, 0, 6), "swtpm's blob header, plain");
            assertEquals(file.length, java.nio.ByteBuffer.wrap(file, 6, 4).getInt());
            assertArrayEquals(new org.jswtpm.store.DirectoryStateStore(dir).load("permall"), file);
        }
    }
}
