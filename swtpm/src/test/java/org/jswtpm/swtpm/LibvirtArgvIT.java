package org.jswtpm.swtpm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/swtpm} as a separate process, started with exactly the argv shape libvirt 9.0 uses
 * (libvirt-swtpm-invocations.md §3 step 5) plus {@code --pid}, then driven over its control socket as
 * QEMU drives it.
 */
@Timeout(120)
class LibvirtArgvIT {
    @TempDir
    Path dir;
    private Process process;

    @AfterEach
    void kill() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
            process.waitFor();
        }
    }

    static Path launcher() {
        Path p = Path.of("..", "bin", "swtpm").toAbsolutePath().normalize();
        if (!Files.isExecutable(p)) {
            throw new IllegalStateException("launcher not found: " + p);
        }
        return p;
    }

    /** libvirt's argv for a domain without {@code <encryption>}, plus {@code --pid file=}. */
    static List<String> libvirtArgv(Path sock, Path state, Path log, Path pid) {
        List<String> argv = new ArrayList<>(List.of(launcher().toString(), "socket",
                "--ctrl", "type=unixio,path=" + sock + ",mode=0600",
                "--tpmstate", "dir=" + state + ",mode=0600",
                "--log", "file=" + log + ",level=20",
                "--terminate", "--tpm2"));
        if (pid != null) {
            argv.addAll(List.of("--pid", "file=" + pid));
        }
        return argv;
    }

    private Path start(Path pid) throws Exception {
        Path sock = dir.resolve("1-vm-swtpm.sock");
        Path state = Files.createDirectories(dir.resolve("tpm2"));
        process = new ProcessBuilder(libvirtArgv(sock, state, dir.resolve("vm-swtpm.log"), pid))
                .redirectErrorStream(true).redirectOutput(dir.resolve("stdout").toFile()).start();
        awaitSocket(sock);
        return sock;
    }

    /** As libvirt: wait for the control socket path to appear. */
    private void awaitSocket(Path sock) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!Files.exists(sock)) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                throw new IllegalStateException("no control socket; output: " + output());
            }
            Thread.sleep(5);
        }
    }

    private String output() throws IOException {
        Path out = dir.resolve("stdout");
        return (Files.exists(out) ? Files.readString(out) : "")
                + (Files.exists(dir.resolve("vm-swtpm.log")) ? Files.readString(dir.resolve("vm-swtpm.log")) : "");
    }

    private int awaitExit() throws Exception {
        assertTrue(process.waitFor(20, TimeUnit.SECONDS), "the process did not exit: " + output());
        return process.exitValue();
    }

    @Test
    void qemuFromSetDataFdToShutdown() throws Exception {
        Path pid = dir.resolve("swtpm.pid");
        Path sock = start(pid);
        assertEquals(UnixListener.permissions(0600), Files.getPosixFilePermissions(sock));
        QemuSequence.run(sock);
        assertEquals(0, awaitExit(), output());
        assertFalse(Files.exists(sock), "control socket removed");
        assertFalse(Files.exists(pid), "pid file removed");
        assertTrue(Files.exists(dir.resolve("tpm2").resolve("tpm2-00.permall")));
        assertTrue(Files.readString(dir.resolve("vm-swtpm.log")).contains("CMD_SET_DATAFD"), output());
    }

    @Test
    void pidFileNamesTheProcess() throws Exception {
        Path pid = dir.resolve("swtpm.pid");
        start(pid);
        // as swtpm, the pid file is written after the sockets exist
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!Files.exists(pid) && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertEquals(Long.toString(process.pid()), Files.readString(pid, StandardCharsets.US_ASCII));
    }

    /**
     * libvirt identifies "the swtpm" by a lock it holds on its pid file through a descriptor the process
     * inherits; the launcher must exec the JVM and the JVM must leave that descriptor open.
     */
    @Test
    void inheritedDescriptorsStayOpen() throws Exception {
        Path sock = dir.resolve("1-vm-swtpm.sock");
        Path state = Files.createDirectories(dir.resolve("tpm2"));
        Path pidFile = dir.resolve("libvirt.pid");
        StringBuilder argv = new StringBuilder("exec 6>>'" + pidFile + "'; exec");
        for (String a : libvirtArgv(sock, state, dir.resolve("vm-swtpm.log"), null)) {
            argv.append(" '").append(a).append('\'');
        }
        process = new ProcessBuilder("sh", "-c", argv.toString()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("stdout").toFile()).start();
        awaitSocket(sock);
        Path fd6 = Path.of("/proc", Long.toString(process.pid()), "fd", "6");
        assertEquals(pidFile, Files.readSymbolicLink(fd6), "descriptor 6 of the very process libvirt started");
        try (TestClient c = TestClient.unix(sock)) {
            assertEquals("000000000001ffff", c.exchange("00000001", 8));
        }
        assertEquals(pidFile, Files.readSymbolicLink(fd6));
    }

    /** QEMU killed: its end of the data socket and the control connection close; --terminate ends swtpm. */
    @Test
    void qemuGoneEndsTheProcessWithTerminate() throws Exception {
        Path sock = start(null);
        try (TestClient ctrl = TestClient.unix(sock)) {
            int[] pair = UnixFds.socketPair();
            ctrl.sendWithFd("00000010", pair[1]);
            UnixFds.closeQuietly(pair[1]);
            assertEquals("00000000", ctrl.read(4));
            try (TestClient data = TestClient.fd(pair[0])) {
                assertEquals("80010000000a00000101", data.tpm("80010000000a00000181"));
            }
        }
        assertEquals(0, awaitExit(), output());
        assertFalse(Files.exists(sock));
    }

    /** libvirt's destroy without QEMU (or a plain kill): SIGTERM ends the process and removes the socket. */
    @Test
    void sigtermRemovesTheSocket() throws Exception {
        Path sock = start(null);
        try (TestClient c = TestClient.unix(sock)) {
            assertEquals("000000000001ffff", c.exchange("00000001", 8));
        }
        process.destroy();
        int status = awaitExit();
        assertFalse(Files.exists(sock), "exit status " + status + "; " + output());
    }

    /** Bad control input gets error results or a dropped connection; the process serves on. */
    @Test
    void badControlInputNeverKillsTheProcess() throws Exception {
        Path sock = start(null);
        try (TestClient c = TestClient.unix(sock)) {
            assertEquals("00000003", c.exchange("00000010", 4), "SET_DATAFD without a descriptor");
            assertEquals("0000000a", c.exchange("000000ff", 4), "unknown code");
            assertEquals("0000000a", c.exchange("0000000c 00000001 00000001 00000000", 4), "GET_STATEBLOB stopped");
        }
        try (TestClient c = TestClient.unix(sock)) {
            c.send("00000002 00");
            assertTrue(c.peerClosed(), "truncated INIT: connection dropped after the deadline");
        }
        try (TestClient c = TestClient.unix(sock)) {
            c.send("00000007 7fffffff" + "00".repeat(2 * ControlRequestReader.BUFFER_SIZE));
            assertEquals("0000000a", c.read(4), "oversized HASH_DATA while stopped");
        }
        try (TestClient c = TestClient.unix(sock)) {
            assertEquals("000000000001ffff", c.exchange("00000001", 8));
        }
        assertTrue(process.isAlive(), output());
        QemuSequence.run(sock);
        assertEquals(0, awaitExit(), output());
    }
}
