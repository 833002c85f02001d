package org.jswtpm.swtpm.interop;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * jswtpm started as a separate process through {@code bin/swtpm}, exactly as libvirt or a user starts
 * swtpm: a black box reached over loopback TCP.
 */
final class JswtpmProcess implements AutoCloseable {
    final int dataPort;
    final int ctrlPort;
    final Path stateDir;
    private final Process process;
    private final Path log;
    private String[] extra = new String[0];
    private boolean mssim;

    private JswtpmProcess(Process process, int dataPort, int ctrlPort, Path stateDir, Path log) {
        this.process = process;
        this.dataPort = dataPort;
        this.ctrlPort = ctrlPort;
        this.stateDir = stateDir;
        this.log = log;
    }

    /** The launcher of this source tree. */
    static Path launcher() {
        Path p = Path.of("..", "bin", "swtpm").toAbsolutePath().normalize();
        if (!Files.isExecutable(p)) {
            throw new IllegalStateException("launcher not found: " + p);
        }
        return p;
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress("127.0.0.1", 0));
            return s.getLocalPort();
        }
    }

    static boolean isFree(int port) {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress("127.0.0.1", port));
            return true;
        } catch (IOException taken) {
            return false;
        }
    }

    /** Starts jswtpm with its state in {@code dir/state}, running without CMD_INIT (not-need-init). */
    static JswtpmProcess startIn(Path dir) throws Exception {
        return start(Files.createDirectories(dir.resolve("state")), "--flags", "not-need-init");
    }

    /**
     * Starts {@code bin/swtpm socket --tpm2 ...} on fresh ports with {@code extra} arguments. A port
     * found free can be taken by another process before jswtpm binds it; such a start is retried on
     * new ports.
     */
    static JswtpmProcess start(Path stateDir, String... extra) throws Exception {
        for (int attempt = 1; ; attempt++) {
            try {
                return startOnce(stateDir, extra);
            } catch (PortTakenException e) {
                if (attempt == 5) {
                    throw new IllegalStateException("no free port pair after 5 attempts", e);
                }
            }
        }
    }

    /** The process exited because a port it was given was already in use. */
    private static final class PortTakenException extends Exception {
        PortTakenException(String log) {
            super(log);
        }
    }

    private static JswtpmProcess startOnce(Path stateDir, String... extra) throws Exception {
        // tpm2-tss's swtpm TCTI always uses data port + 1 for control.
        int data = freePort();
        while (data >= 65535 || !isFree(data + 1)) {
            data = freePort();
        }
        int ctrl = data + 1;
        List<String> cmd = new ArrayList<>(List.of(launcher().toString(), "socket", "--tpm2",
                "--server", "type=tcp,port=" + data + ",bindaddr=127.0.0.1",
                "--ctrl", "type=tcp,port=" + ctrl + ",bindaddr=127.0.0.1",
                "--tpmstate", "dir=" + stateDir));
        cmd.addAll(List.of(extra));
        Path log = Files.createTempFile("jswtpm", ".log");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        JswtpmProcess jp = new JswtpmProcess(p, data, ctrl, stateDir, log);
        jp.extra = extra.clone();
        try {
            jp.awaitPort(data);
            jp.awaitPort(ctrl);
        } catch (IllegalStateException e) {
            String output = Files.readString(log);
            if (!p.isAlive() && output.contains("Address already in use")) {
                Files.deleteIfExists(log);
                throw new PortTakenException(output);
            }
            throw e;
        }
        return jp;
    }

    private void awaitPort(int port) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("jswtpm exited: " + Files.readString(log));
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException notYet) {
                Thread.sleep(50);
            }
        }
        throw new IllegalStateException("jswtpm did not open port " + port + ": " + Files.readString(log));
    }

    /** The TCTI configuration string for tpm2-tools. */
    String tcti() {
        return (mssim ? "mssim" : "swtpm") + ":host=127.0.0.1,port=" + dataPort;
    }

    /**
     * Starts {@code bin/swtpm socket --tpm2 --server type=mssim,...}: the MS/IBM simulator protocol on
     * command port P and platform port P+1, as tpm2-tss's mssim TCTI expects; no control channel.
     */
    static JswtpmProcess startMssim(Path stateDir, String... extra) throws Exception {
        int data = freePort();
        while (data >= 65535 || !isFree(data + 1)) {
            data = freePort();
        }
        List<String> cmd = new ArrayList<>(List.of(launcher().toString(), "socket", "--tpm2",
                "--server", "type=mssim,port=" + data + ",bindaddr=127.0.0.1", "--tpmstate", "dir=" + stateDir));
        cmd.addAll(List.of(extra));
        Path log = Files.createTempFile("jswtpm", ".log");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        JswtpmProcess jp = new JswtpmProcess(p, data, data + 1, stateDir, log);
        jp.extra = extra.clone();
        jp.mssim = true;
        jp.awaitPort(data);
        jp.awaitPort(data + 1);
        return jp;
    }

    /** Sends SIGTERM and waits for the process to end. */
    int terminate() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor();
        }
        return process.exitValue();
    }

    /**
     * Ends this process with SIGTERM and starts a new one on the same state directory with the same
     * arguments (new ports); the caller sends Shutdown before and Startup after as the scenario needs.
     */
    JswtpmProcess restart() throws Exception {
        terminate();
        Files.deleteIfExists(log);
        return mssim ? startMssim(stateDir, extra) : start(stateDir, extra);
    }

    /** Kills the process without warning (SIGKILL). */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    String log() throws IOException {
        return Files.readString(log);
    }

    @Override
    public void close() throws Exception {
        if (process.isAlive()) {
            kill();
        }
        Files.deleteIfExists(log);
    }
}
