package org.jswtpm.bench;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The side-by-side comparison: the same workload sent over one loopback TCP connection to Debian's
 * {@code swtpm socket --tpm2} (libtpms, {@code server=swtpm}) and to jswtpm's own {@code bin/swtpm}
 * ({@code server=jswtpm}), each started as a separate process with the same arguments. swtpm comes from
 * {@code /usr/bin/swtpm} or {@code -Djswtpm.swtpm=PATH}; jswtpm from {@code bin/swtpm} under the working
 * directory or {@code -Djswtpm.bin=PATH} (build it first). Setup fails if either is missing.
 *
 * <p>{@code -p server=swtpm,jswtpm,baseline} adds a third server, {@code -Djswtpm.baseline=PATH}: the
 * {@code bin/swtpm} of another build of jswtpm (say, the commit before a change), measured in the same run.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class SocketBenchmark {
    @Param({"swtpm", "jswtpm"})
    public String server;

    private byte[] pcrExtend;
    private byte[] hash1KiB;
    private Process swtpm;
    private Path dir;
    private Socket socket;
    private OutputStream out;
    private DataInputStream in;
    private byte[] getRandom32;

    @Setup(Level.Trial)
    public void startSwtpm() throws IOException, InterruptedException {
        Path binary;
        switch (server) {
            case "jswtpm":
                binary = Paths.get(System.getProperty("jswtpm.bin", "bin/swtpm")).toAbsolutePath();
                break;
            case "swtpm":
                binary = Paths.get(System.getProperty("jswtpm.swtpm", "/usr/bin/swtpm"));
                break;
            case "baseline":
                binary = Paths.get(System.getProperty("jswtpm.baseline", "baseline/bin/swtpm")).toAbsolutePath();
                break;
            default:
                throw new IllegalArgumentException("server=" + server + ": swtpm, jswtpm or baseline");
        }
        if (!Files.isExecutable(binary)) {
            throw new IllegalStateException(server + " not found at " + binary
                    + " (set -Djswtpm.swtpm=..., -Djswtpm.bin=... or -Djswtpm.baseline=...)");
        }
        dir = Files.createTempDirectory("jswtpm-bench-swtpm-");
        int port = freePort();
        int ctrl = freePort();
        swtpm = new ProcessBuilder(List.of(binary.toString(), "socket", "--tpm2",
                "--server", "type=tcp,port=" + port + ",bindaddr=127.0.0.1",
                "--ctrl", "type=tcp,port=" + ctrl + ",bindaddr=127.0.0.1",
                "--tpmstate", "dir=" + dir, "--flags", "not-need-init"))
                .redirectErrorStream(true).redirectOutput(dir.resolve("swtpm.out").toFile()).start();
        socket = connect(port);
        socket.setSoTimeout(5000);
        socket.setTcpNoDelay(true);
        out = socket.getOutputStream();
        in = new DataInputStream(socket.getInputStream());
        RawCommand.requireSuccess("TPM2_Startup", roundTrip(RawCommand.startupClear()));
        getRandom32 = RawCommand.getRandom(32);
        RawCommand.requireSuccess("TPM2_GetRandom", roundTrip(getRandom32));
        pcrExtend = RawCommand.pcrExtendSha256(16, (byte) 0x5A);
        RawCommand.requireSuccess("TPM2_PCR_Extend", roundTrip(pcrExtend));
        hash1KiB = RawCommand.hashSha256(new byte[1024]);
        RawCommand.requireSuccess("TPM2_Hash", roundTrip(hash1KiB));
    }

    @TearDown(Level.Trial)
    public void stopSwtpm() throws IOException, InterruptedException {
        if (socket != null) {
            socket.close();
        }
        if (swtpm != null) {
            swtpm.destroy();
            if (!swtpm.waitFor(3, TimeUnit.SECONDS)) {
                swtpm.destroyForcibly();
            }
        }
        if (dir != null) {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** TPM2_GetRandom(32): write the command, read the 10-byte header and the rest of the response. */
    @Benchmark
    public byte[] getRandom32() throws IOException {
        return roundTrip(getRandom32);
    }

    /** TPM2_PCR_Extend of one SHA-256 digest into PCR 16 with an empty password session. */
    @Benchmark
    public byte[] pcrExtendSha256() throws IOException {
        return roundTrip(pcrExtend);
    }

    /** TPM2_Hash of 1 KiB with SHA-256, hierarchy TPM_RH_NULL. */
    @Benchmark
    public byte[] hash1KiBSha256() throws IOException {
        return roundTrip(hash1KiB);
    }

    private byte[] roundTrip(byte[] command) throws IOException {
        out.write(command);
        out.flush();
        byte[] header = new byte[10];
        in.readFully(header);
        int size = RawCommand.readU32(header, 2);
        if (size < 10 || size > 65536) {
            throw new IOException("bad response size " + size);
        }
        byte[] response = new byte[size];
        System.arraycopy(header, 0, response, 0, 10);
        in.readFully(response, 10, size - 10);
        return response;
    }

    private Socket connect(int port) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (true) {
            Socket s = new Socket();
            try {
                s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 500);
                return s;
            } catch (IOException e) {
                s.close();
                if (!swtpm.isAlive() || System.nanoTime() > deadline) {
                    throw new IOException(server + " is not listening on port " + port + ": "
                            + Files.readString(dir.resolve("swtpm.out")), e);
                }
                Thread.sleep(50);
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
