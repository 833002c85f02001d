package org.jswtpm.swtpm.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.jswtpm.swtpm.interop.RawTpm.READ_CLOCK;
import static org.jswtpm.swtpm.interop.RawTpm.clock;
import static org.jswtpm.swtpm.interop.RawTpm.clockSet;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jswtpm.core.testing.ExternalTools;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/swtpm chardev} as a separate process on a real character device: a pseudo-terminal in raw
 * mode, opened by the process ({@code -c /dev/pts/N}) or inherited as descriptor 3 ({@code --fd 3},
 * through bash). TPM commands go in through the pty master, one write each, and the answers are
 * checked; closing the master hangs the device up, which ends the process (status 0).
 */
@Timeout(120)
class ChardevIT {
    private static final HexFormat HEX = HexFormat.of();
    private static final String STARTUP_CLEAR = "80010000000c000001440000";
    private static final String GET_RANDOM_16 = "80010000000c0000017b0010";
    private static final String PCR_EXTEND_16 = "80020000004100000182000000100000000940000009000000000000000001000b"
            + "0101010101010101010101010101010101010101010101010101010101010101";
    private static final String PCR_READ_16 = "8001000000140000017e00000001000b03000001";

    @TempDir
    Path dir;

    private static String exchange(Pty pty, String hex) throws Exception {
        pty.write(HEX.parseHex(hex));
        return HEX.formatHex(pty.readResponse());
    }

    private Process start(List<String> argv, Path log) throws Exception {
        return new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    private static void assertEndsWithZero(Process p, Path log) throws Exception {
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "the process ends when the device hangs up: "
                + Files.readString(log));
        assertEquals(0, p.exitValue(), Files.readString(log));
    }

    /** Startup, GetRandom, PCR_Extend and PCR_Read through the device, with the expected PCR value. */
    private static void startupRandomAndPcr(Pty pty) throws Exception {
        assertEquals("80010000000a00000000", exchange(pty, STARTUP_CLEAR));
        String random = exchange(pty, GET_RANDOM_16);
        assertTrue(random.startsWith("80010000001c000000000010"), random);
        assertEquals("80020000001300000000000000000000010000", exchange(pty, PCR_EXTEND_16));
        String expected = HEX.formatHex(MessageDigest.getInstance("SHA-256").digest(
                HEX.parseHex("00".repeat(32) + "01".repeat(32))));
        String pcr = exchange(pty, PCR_READ_16);
        assertTrue(pcr.endsWith("000000010020" + expected), pcr);
    }

    @Test
    void aDeviceOpenedWithDashCServesAndKeepsItsState() throws Exception {
        Path state = Files.createDirectories(dir.resolve("state"));
        Path log = dir.resolve("out.log");
        long set = 1L << 42;
        for (int round = 0; round < 2; round++) {
            try (Pty pty = Pty.open()) {
                Process p = start(List.of(JswtpmProcess.launcher().toString(), "chardev", "--tpm2", "-c",
                        pty.slave.toString(), "--tpmstate", "dir=" + state, "--flags", "not-need-init"), log);
                try {
                    if (round == 0) {
                        startupRandomAndPcr(pty);
                        assertEquals("80020000001300000000000000000000010000", exchange(pty, clockSet(set)));
                    } else {
                        assertEquals("80010000000a00000000", exchange(pty, STARTUP_CLEAR));
                        assertTrue(clock(exchange(pty, READ_CLOCK)) >= set, "the clock survived the restart");
                    }
                    pty.hangUp();
                    assertEndsWithZero(p, log);
                } finally {
                    p.destroyForcibly();
                }
            }
        }
        assertTrue(Files.exists(state.resolve("tpm2-00.permall")));
    }

    /**
     * libvirt-style inheritance: bash opens the pty slave as descriptor 3 and a pid file as descriptor 4,
     * then execs {@code bin/swtpm chardev --fd 3 --pid fd=4}; the TPM waits for CMD_INIT on a TCP control
     * channel first.
     */
    @Test
    void anInheritedDescriptorWithAControlChannelAndAPidDescriptor() throws Exception {
        String bash = ExternalTools.require("bash");
        Path state = Files.createDirectories(dir.resolve("state"));
        Path pidFile = dir.resolve("swtpm.pid");
        Path log = dir.resolve("out.log");
        int ctrl = JswtpmProcess.freePort();
        try (Pty pty = Pty.open()) {
            String script = "exec \"$0\" chardev --tpm2 --fd 3 --pid fd=4 --tpmstate dir=" + state
                    + " --ctrl type=tcp,port=" + ctrl + " 3<>" + pty.slave + " 4>" + pidFile;
            List<String> argv = new ArrayList<>(List.of(bash, "-c", script, JswtpmProcess.launcher().toString()));
            Process p = start(argv, log);
            try {
                try (Socket control = connect(ctrl, p, log)) {
                    assertEquals("80010000000a00000101", exchange(pty, STARTUP_CLEAR), "no CMD_INIT yet");
                    OutputStream out = control.getOutputStream();
                    out.write(HEX.parseHex("0000000200000000")); // CMD_INIT
                    InputStream in = control.getInputStream();
                    assertEquals("00000000", HEX.formatHex(in.readNBytes(4)));
                    startupRandomAndPcr(pty);
                    assertEquals(Long.toString(p.pid()), ConfinementIT.awaitContent(pidFile),
                            "the pid, no newline, through the inherited descriptor");
                }
                pty.hangUp();
                assertEndsWithZero(p, log);
                assertFalse(Files.exists(pidFile), "removed at exit, as swtpm removes the file behind fd=");
            } finally {
                p.destroyForcibly();
            }
        }
    }

    private static Socket connect(int port, Process p, Path log) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            Socket s = new Socket();
            try {
                s.connect(new InetSocketAddress("127.0.0.1", port), 500);
                s.setSoTimeout(20_000);
                return s;
            } catch (java.io.IOException notYet) {
                s.close();
                if (!p.isAlive() || System.nanoTime() > deadline) {
                    throw new IllegalStateException("no control channel: " + Files.readString(log), notYet);
                }
                Thread.sleep(50);
            }
        }
    }

    /**
     * tpm2-tools with tpm2-tss's {@code device:} TCTI, as on a host's {@code /dev/tpm0}: the tools open one
     * pty, {@code bin/swtpm chardev -c} the other, and the test relays each read of one master as one
     * write to the other (a TPM command or response at a time).
     */
    @Test
    void tpm2ToolsThroughTheDeviceTcti() throws Exception {
        ExternalTools.require("tpm2_getrandom");
        Path state = Files.createDirectories(dir.resolve("state"));
        Path log = dir.resolve("out.log");
        try (Pty tpm = Pty.open(); Pty client = Pty.open()) {
            Process p = start(List.of(JswtpmProcess.launcher().toString(), "chardev", "--tpm2", "-c",
                    tpm.slave.toString(), "--tpmstate", "dir=" + state, "--flags", "not-need-init"), log);
            Thread relay = new Thread(() -> relay(client, tpm), "pty-relay");
            relay.setDaemon(true);
            relay.start();
            try {
                Tpm2Tools tools = new Tpm2Tools("device:" + client.slave).in(dir);
                assertEquals(0, tools.run("tpm2_startup", "-c").exit());
                Tpm2Tools.Result random = tools.run("tpm2_getrandom", "--hex", "16");
                assertEquals(0, random.exit(), random.err());
                assertTrue(random.out().trim().matches("[0-9a-f]{32}"), random.out());
                String digest = "02".repeat(32);
                Tpm2Tools.Result extend = tools.run("tpm2_pcrextend", "16:sha256=" + digest);
                assertEquals(0, extend.exit(), extend.err());
                Tpm2Tools.Result read = tools.run("tpm2_pcrread", "sha256:16");
                assertEquals(0, read.exit(), read.err());
                String expected = HEX.formatHex(MessageDigest.getInstance("SHA-256").digest(
                        HEX.parseHex("00".repeat(32) + digest))).toUpperCase();
                assertTrue(read.out().contains("0x" + expected), read.out());
                tpm.hangUp();
                assertEndsWithZero(p, log);
            } finally {
                relay.interrupt();
                relay.join(5000); // before the ptys close: their numbers must not be reused under it
                p.destroyForcibly();
            }
        }
    }

    /** Copies each read of one master to the other, both ways, until interrupted or a side closes. */
    private static void relay(Pty a, Pty b) {
        try {
            while (!Thread.currentThread().isInterrupted()) {
                byte[] toB = a.readSome(20);
                if (toB.length > 0) {
                    b.write(toB);
                }
                byte[] toA = b.readSome(20);
                if (toA.length > 0) {
                    a.write(toA);
                }
            }
        } catch (java.io.IOException closed) {
            // the test is over
        }
    }

    @Test
    void vtpmProxyWithoutTheKernelDriverFailsClearly() throws Exception {
        Assumptions.assumeFalse(Files.exists(Path.of("/dev/vtpmx")), "/dev/vtpmx exists: the driver is loaded");
        Path log = dir.resolve("out.log");
        Process p = start(List.of(JswtpmProcess.launcher().toString(), "chardev", "--tpm2", "--vtpm-proxy",
                "--tpmstate", "dir=" + Files.createDirectories(dir.resolve("state"))), log);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(1, p.exitValue());
        String output = Files.readString(log);
        assertTrue(output.contains("Could not open /dev/vtpmx") && output.contains("tpm_vtpm_proxy"), output);
    }
}
