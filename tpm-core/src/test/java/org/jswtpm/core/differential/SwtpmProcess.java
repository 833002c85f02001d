package org.jswtpm.core.differential;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real {@code swtpm socket --tpm2} child process on loopback TCP ports, with a fresh state
 * directory, already past {@code _TPM_Init} ({@code --flags not-need-init}).
 */
final class SwtpmProcess implements AutoCloseable {
    static final Path BINARY = Paths.get("/usr/bin/swtpm");
    private static final int TIMEOUT_MS = 3000;
    private static final int ATTEMPTS = 5;

    private final Process process;
    private final Path stateDir;
    private final Path log;
    private final int port;

    private SwtpmProcess(Process process, Path stateDir, Path log, int port) {
        this.process = process;
        this.stateDir = stateDir;
        this.log = log;
        this.port = port;
    }

    /**
     * The swtpm binary as {@link #find()} locates it; skips the calling test (fails it under
     * {@code jswtpm.requireTools}) if there is none.
     */
    static Path require() {
        Path binary = find();
        if (binary == null) {
            org.jswtpm.core.testing.ExternalTools.unavailable("swtpm is not installed (looked at -Djswtpm.swtpm, "
                    + BINARY + " and the PATH)");
        }
        return binary;
    }

    /**
     * The swtpm binary: the system property {@code jswtpm.swtpm} if set, else {@code /usr/bin/swtpm},
     * else {@code swtpm} on the PATH; null if that is not an executable file.
     */
    static Path find() {
        String configured = System.getProperty("jswtpm.swtpm");
        if (configured != null && !configured.isBlank()) {
            Path p = Paths.get(configured);
            return Files.isExecutable(p) ? p : null;
        }
        if (Files.isExecutable(BINARY)) {
            return BINARY;
        }
        String path = System.getenv("PATH");
        if (path != null) {
            for (String dir : path.split(java.io.File.pathSeparator)) {
                Path p = Paths.get(dir, "swtpm");
                if (Files.isExecutable(p)) {
                    return p;
                }
            }
        }
        return null;
    }

    /** Starts swtpm; retries with new ports when a port was taken between probing and binding. */
    static SwtpmProcess start(Path binary) throws IOException, InterruptedException {
        IOException last = null;
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            Path dir = Files.createTempDirectory("jswtpm-differential-");
            Path log = dir.resolve("swtpm.log");
            Path state = Files.createDirectory(dir.resolve("state"));
            int port = freePort();
            int ctrl = freePort();
            Process p = new ProcessBuilder(List.of(binary.toString(), "socket", "--tpm2",
                    "--server", "type=tcp,port=" + port + ",bindaddr=127.0.0.1",
                    "--ctrl", "type=tcp,port=" + ctrl + ",bindaddr=127.0.0.1",
                    "--tpmstate", "dir=" + state, "--flags", "not-need-init",
                    "--log", "file=" + log + ",level=2"))
                    .redirectErrorStream(true)
                    .redirectOutput(dir.resolve("swtpm.out").toFile())
                    .start();
            SwtpmProcess swtpm = new SwtpmProcess(p, dir, log, port);
            try {
                swtpm.awaitListening();
                return swtpm;
            } catch (IOException e) {
                last = e;
                swtpm.close();
            }
        }
        throw last;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private void awaitListening() throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("swtpm exited with " + process.exitValue() + ": " + output());
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
                return;
            } catch (IOException notYet) {
                Thread.sleep(50);
            }
        }
        throw new IOException("swtpm did not listen on port " + port + " within 5 s: " + output());
    }

    /**
     * Sends one command on a new connection and returns swtpm's response (a 10-byte header, then
     * size - 10 bytes). A response cut short is returned as received; no response at all is empty.
     */
    byte[] execute(byte[] command) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), TIMEOUT_MS);
            s.setSoTimeout(TIMEOUT_MS);
            s.setTcpNoDelay(true);
            OutputStream out = s.getOutputStream();
            out.write(command);
            out.flush();
            return readResponse(s.getInputStream());
        }
    }

    private static byte[] readResponse(InputStream in) throws IOException {
        DataInputStream data = new DataInputStream(in);
        byte[] header = new byte[10];
        try {
            data.readFully(header);
        } catch (EOFException | SocketTimeoutException e) {
            return new byte[0];
        }
        int size = ((header[2] & 0xFF) << 24) | ((header[3] & 0xFF) << 16) | ((header[4] & 0xFF) << 8)
                | (header[5] & 0xFF);
        if (size < 10 || size > 0x10000) {
            throw new IOException("swtpm sent an implausible response size " + size);
        }
        ByteArrayOutputStream all = new ByteArrayOutputStream(size);
        all.write(header);
        byte[] body = new byte[size - 10];
        data.readFully(body);
        all.write(body);
        return all.toByteArray();
    }

    /** swtpm's console output and log, for failure messages. */
    String output() {
        StringBuilder s = new StringBuilder();
        for (Path p : List.of(stateDir.resolve("swtpm.out"), log)) {
            try {
                s.append(new String(Files.readAllBytes(p), StandardCharsets.UTF_8));
            } catch (IOException ignored) {
                // not written yet
            }
        }
        return s.toString().strip();
    }

    @Override
    public void close() throws IOException, InterruptedException {
        process.destroy();
        if (!process.waitFor(3, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(3, TimeUnit.SECONDS);
        }
        try (Stream<Path> files = Files.walk(stateDir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
