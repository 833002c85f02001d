package org.jswtpm.swtpm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jswtpm.core.testing.ExternalTools;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A VM's TPM moved by QEMU itself (fact sheet §3.4), as {@code virsh save} / {@code virsh restore} do:
 * QEMU on {@code bin/swtpm} A runs its firmware, is stopped and migrated to a file (GET_STATEBLOB of
 * every blob); a new QEMU started with {@code -incoming} on a new {@code bin/swtpm} B with an empty state
 * directory loads it (SET_STATEBLOB, then INIT with DELETE_VOLATILE). Both are started with libvirt's
 * argv. Afterwards A's and B's stored TPMs answer TPM2_PCR_Read alike, unlike a fresh TPM.
 */
@Timeout(180)
class QemuMigrationIT {
    private static final String PCR_READ_SHA256_0 = "80010000001400000" + "17e" + "00000001000b03010000";

    @TempDir
    Path dir;
    private final List<Process> processes = new ArrayList<>();

    @AfterEach
    void stop() throws InterruptedException {
        for (Process p : processes) {
            if (p.isAlive()) {
                p.destroyForcibly();
                p.waitFor();
            }
        }
    }

    @Test
    void saveToAFileAndRestoreOnAnEmptyState() throws Exception {
        String qemu = ExternalTools.require("qemu-system-x86_64");
        Path image = dir.resolve("vm.mig");

        Side a = new Side(dir.resolve("a"));
        Process qemuA = a.startQemu(qemu, null);
        try (Qmp monitor = Qmp.connect(a.dir.resolve("qmp"), qemuA)) {
            a.awaitLog("Control command 0x02");
            monitor.execute("cont");
            a.awaitLog("TPM command 0x144");
            Thread.sleep(2000); // let the firmware finish its TPM commands
            monitor.execute("stop");
            monitor.execute("migrate", "{\"uri\": \"exec:cat > " + image + "\"}");
            monitor.awaitMigration();
            monitor.execute("quit");
        }
        assertTrue(a.swtpm.waitFor(30, TimeUnit.SECONDS), a.log());
        assertOccurs(a.log(), "Control command 0x0c", 3);

        Side b = new Side(dir.resolve("b"));
        Process qemuB = b.startQemu(qemu, "exec:cat " + image);
        try (Qmp monitor = Qmp.connect(b.dir.resolve("qmp"), qemuB)) {
            monitor.awaitMigration();
            b.awaitLog("Control command 0x02");
            monitor.execute("cont");
            monitor.execute("quit");
        }
        assertTrue(b.swtpm.waitFor(30, TimeUnit.SECONDS), b.log());
        String logB = b.log();
        assertOccurs(logB, "Control command 0x0d", 2);
        assertTrue(logB.lastIndexOf("Control command 0x0d") < logB.lastIndexOf("Control command 0x02"), logB);

        String pcrA = pcrRead(a.state, "startup-state");
        assertEquals(pcrA, pcrRead(b.state, "startup-state"), "B holds A's TPM");
        Path fresh = Files.createDirectories(dir.resolve("fresh"));
        assertNotEquals(pcrA, pcrRead(fresh, "startup-clear"), "a fresh TPM answers otherwise");
    }

    private static void assertOccurs(String log, String line, int times) {
        Matcher m = Pattern.compile(Pattern.quote(line)).matcher(log);
        int n = 0;
        while (m.find()) {
            n++;
        }
        assertEquals(times, n, "'" + line + "' in:\n" + log);
    }

    /** TPM2_PCR_Read(sha256, PCR 0) of the TPM stored in {@code state}, through a jswtpm on TCP. */
    private String pcrRead(Path state, String startup) throws Exception {
        int port = freePortPair();
        Process p = new ProcessBuilder(LibvirtArgvIT.launcher().toString(), "socket", "--tpm2",
                "--server", "type=tcp,port=" + port, "--ctrl", "type=tcp,port=" + (port + 1),
                "--tpmstate", "dir=" + state, "--flags", "not-need-init," + startup)
                .redirectErrorStream(true).redirectOutput(dir.resolve("pcr-read.out").toFile()).start();
        processes.add(p);
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (true) {
                try (Socket s = new Socket()) {
                    s.connect(new InetSocketAddress("127.0.0.1", port), 500);
                    s.setSoTimeout(10_000);
                    OutputStream out = s.getOutputStream();
                    out.write(HexFormat.of().parseHex(PCR_READ_SHA256_0));
                    out.flush();
                    InputStream in = s.getInputStream();
                    byte[] header = in.readNBytes(10);
                    int size = ((header[2] & 0xff) << 24) | ((header[3] & 0xff) << 16) | ((header[4] & 0xff) << 8)
                            | (header[5] & 0xff);
                    String response = HexFormat.of().formatHex(header) + HexFormat.of().formatHex(in.readNBytes(size - 10));
                    assertTrue(response.startsWith("8001" + String.format("%08x", size) + "00000000"), response);
                    return response;
                } catch (IOException notYet) {
                    assertTrue(p.isAlive() && System.nanoTime() < deadline,
                            "no TCP jswtpm: " + Files.readString(dir.resolve("pcr-read.out")));
                    Thread.sleep(50);
                }
            }
        } finally {
            p.destroy();
            p.waitFor(20, TimeUnit.SECONDS);
        }
    }

    private static int freePortPair() throws IOException {
        for (int i = 0; i < 50; i++) {
            int port;
            try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
                port = s.getLocalPort();
            }
            if (port < 65535) {
                try (java.net.ServerSocket next = new java.net.ServerSocket(port + 1)) {
                    return port;
                } catch (IOException taken) {
                    // try another
                }
            }
        }
        throw new IOException("no free port pair");
    }

    /** One host: bin/swtpm with libvirt's argv on an empty state directory, and its QEMU. */
    private final class Side {
        final Path dir;
        final Path state;
        final Path sock;
        final Process swtpm;

        Side(Path dir) throws Exception {
            this.dir = Files.createDirectories(dir);
            this.state = Files.createDirectories(dir.resolve("tpm2"));
            this.sock = dir.resolve("swtpm.sock");
            swtpm = new ProcessBuilder(LibvirtArgvIT.libvirtArgv(sock, state, dir.resolve("log"), null))
                    .redirectErrorStream(true).redirectOutput(dir.resolve("swtpm.out").toFile()).start();
            processes.add(swtpm);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (!Files.exists(sock)) {
                assertTrue(swtpm.isAlive() && System.nanoTime() < deadline, "no control socket");
                Thread.sleep(5);
            }
        }

        Process startQemu(String qemu, String incoming) throws IOException {
            List<String> cmd = new ArrayList<>(List.of(qemu, "-machine", "q35", "-accel", "tcg", "-nographic",
                    "-nodefaults", "-serial", "none", "-monitor", "none", "-S",
                    "-qmp", "unix:" + dir.resolve("qmp") + ",server=on,wait=off",
                    "-chardev", "socket,id=chrtpm,path=" + sock,
                    "-tpmdev", "emulator,id=tpm0,chardev=chrtpm", "-device", "tpm-crb,tpmdev=tpm0"));
            if (incoming != null) {
                cmd.addAll(List.of("-incoming", incoming));
            }
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("qemu.out").toFile()).start();
            processes.add(p);
            return p;
        }

        String log() throws IOException {
            Path log = dir.resolve("log");
            return Files.exists(log) ? Files.readString(log) : "";
        }

        void awaitLog(String line) throws Exception {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!log().contains(line)) {
                assertTrue(System.nanoTime() < deadline && swtpm.isAlive(), "waiting for '" + line + "': " + log()
                        + Files.readString(dir.resolve("qemu.out")));
                Thread.sleep(20);
            }
        }
    }
}
