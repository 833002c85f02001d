package org.jswtpm.swtpm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jswtpm.core.testing.ExternalTools;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real QEMU ({@code qemu-system-x86_64}, TCG, q35 with tpm-crb) against {@code bin/swtpm} started
 * with libvirt's argv. QEMU performs SET_DATAFD, the version probe, GET_CAPABILITY and
 * STOP/SET_BUFFERSIZE/INIT at machine reset; once resumed, its firmware (SeaBIOS) sends TPM2_Startup and
 * more over the data descriptor; QMP {@code quit} makes QEMU send CMD_SHUTDOWN. No guest kernel is booted.
 */
@Timeout(120)
class QemuIT {
    @TempDir
    Path dir;
    private Process swtpm;
    private Process qemu;

    @AfterEach
    void stop() throws InterruptedException {
        for (Process p : new Process[] {qemu, swtpm}) {
            if (p != null && p.isAlive()) {
                p.destroyForcibly();
                p.waitFor();
            }
        }
    }

    @Test
    void qemuConnectsInitializesAndShutsDownTheTpm() throws Exception {
        String qemuBinary = ExternalTools.require("qemu-system-x86_64");
        Path sock = dir.resolve("1-vm-swtpm.sock");
        Path log = dir.resolve("vm-swtpm.log");
        Path state = Files.createDirectories(dir.resolve("tpm2"));
        swtpm = new ProcessBuilder(LibvirtArgvIT.libvirtArgv(sock, state, log, null))
                .redirectErrorStream(true).redirectOutput(dir.resolve("swtpm.out").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!Files.exists(sock)) {
            assertTrue(swtpm.isAlive() && System.nanoTime() < deadline, "no control socket: " + text("swtpm.out"));
            Thread.sleep(5);
        }
        Path qmp = dir.resolve("qmp.sock");
        qemu = new ProcessBuilder(qemuBinary, "-machine", "q35", "-accel", "tcg", "-nographic", "-nodefaults",
                "-serial", "none", "-monitor", "none", "-S",
                "-qmp", "unix:" + qmp + ",server=on,wait=off",
                "-chardev", "socket,id=chrtpm,path=" + sock,
                "-tpmdev", "emulator,id=tpm0,chardev=chrtpm",
                "-device", "tpm-crb,tpmdev=tpm0")
                .redirectErrorStream(true).redirectOutput(dir.resolve("qemu.out").toFile()).start();
        try (Qmp monitor = Qmp.connect(qmp, qemu)) {
            awaitLog(log, "Control command 0x02");
            monitor.execute("cont");
            awaitLog(log, "TPM command 0x144");
            awaitQuiet(log);
            monitor.execute("quit");
        }
        assertTrue(qemu.waitFor(30, TimeUnit.SECONDS), "QEMU did not quit: " + text("qemu.out"));
        assertTrue(swtpm.waitFor(30, TimeUnit.SECONDS), "swtpm did not exit: " + Files.readString(log));
        assertEquals(0, swtpm.exitValue(), text("swtpm.out"));
        assertFalse(Files.exists(sock));
        assertInOrder(Files.readString(log), List.of("Control command 0x10", "CMD_SET_DATAFD",
                "TPM command 0x181", "Control command 0x01", "Control command 0x0e", "Control command 0x11",
                "Control command 0x0e", "Control command 0x11", "Control command 0x02",
                "TPM command 0x144", "Control command 0x03", "Terminating: CMD_SHUTDOWN"));
        assertTrue(Files.exists(state.resolve("tpm2-00.permall")));
    }

    private String text(String name) throws IOException {
        Path p = dir.resolve(name);
        return Files.exists(p) ? Files.readString(p) : "";
    }

    private void awaitLog(Path log, String line) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!Files.readString(log).contains(line)) {
            assertTrue(System.nanoTime() < deadline && qemu.isAlive() && swtpm.isAlive(),
                    "waiting for '" + line + "'; log: " + Files.readString(log) + "; qemu: " + text("qemu.out"));
            Thread.sleep(20);
        }
    }

    /** Waits until the firmware has sent its TPM commands: the log stays unchanged for a second. */
    private static void awaitQuiet(Path log) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        long size = -1;
        while (Files.size(log) != size && System.nanoTime() < deadline) {
            size = Files.size(log);
            Thread.sleep(1000);
        }
    }

    private static void assertInOrder(String log, List<String> lines) {
        int at = 0;
        for (String line : lines) {
            int found = log.indexOf(line, at);
            assertTrue(found >= 0, "'" + line + "' missing after offset " + at + " in:\n" + log);
            at = found + line.length();
        }
    }
}
