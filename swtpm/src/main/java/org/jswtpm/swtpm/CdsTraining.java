package org.jswtpm.swtpm;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The training run for the class-data-sharing archive that {@code bin/swtpm} uses (built at package
 * time by {@code scripts/create-cds-archive.sh}): {@code swtpm socket} started with libvirt's argv in a
 * temporary directory, then driven as QEMU drives it, so that the archive holds the classes a real start
 * loads. Not part of the command-line interface.
 */
public final class CdsTraining {
    private static final HexFormat HEX = HexFormat.of();

    private CdsTraining() {
    }

    /** Runs the training; exit status 0 on success. */
    public static void main(String[] args) throws Exception {
        PrintStream discard = new PrintStream(OutputStream.nullOutputStream());
        Main.run(new String[] {"socket", "--print-capabilities", "--tpm2"}, Map.of(), discard, discard,
                EngineFactories.DEFAULT);
        Path dir = Files.createTempDirectory("jswtpm-cds");
        try {
            train(dir, discard);
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        System.exit(0);
    }

    private static void train(Path dir, PrintStream discard) throws Exception {
        Path sock = dir.resolve("ctrl.sock");
        Path state = Files.createDirectory(dir.resolve("tpm2"));
        String[] argv = {"socket", "--ctrl", "type=unixio,path=" + sock + ",mode=0600",
            "--tpmstate", "dir=" + state + ",mode=0600", "--log", "file=" + dir.resolve("log") + ",level=20",
            "--terminate", "--tpm2"};
        int[] status = new int[1];
        Thread server = new Thread(() -> status[0] = Main.run(argv, Map.of(), discard, discard,
                EngineFactories.DEFAULT), "cds-training-server");
        server.start();
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!Files.exists(sock)) {
            if (System.nanoTime() > deadline || !server.isAlive()) {
                throw new IOException("the control socket did not appear");
            }
            Thread.sleep(5);
        }
        actAsQemu(sock);
        server.join(30_000);
        if (server.isAlive() || status[0] != 0) {
            throw new IOException("the training server did not end cleanly");
        }
    }

    private static void actAsQemu(Path sock) throws IOException {
        try (FdConnection ctrl = new FdConnection(UnixFds.connect(sock), "training control")) {
            ctrl.timeout(10_000);
            int[] pair = UnixFds.socketPair();
            UnixFds.sendWithFd(ctrl.fd(), HEX.parseHex("00000010"), pair[1]);
            UnixFds.closeQuietly(pair[1]);
            expect(ctrl.in(), 4);
            try (FdConnection data = new FdConnection(pair[0], "training data")) {
                data.timeout(10_000);
                tpm(data, "80010000000a00000181");
                for (String request : new String[] {"00000001", "0000000e", "00000011 00000000", "0000000e",
                    "00000011 00000f80", "00000002 00000000", "00000005 00000000"}) {
                    control(ctrl, request);
                }
                tpm(data, "80010000000c000001440000");
                tpm(data, "80010000000c0000017b0010");
                control(ctrl, "00000004");
                control(ctrl, "00000003");
            }
        }
    }

    private static void control(FdConnection ctrl, String hex) throws IOException {
        ctrl.out().write(HEX.parseHex(hex.replace(" ", "")));
        int code = Integer.parseInt(hex.substring(0, 8), 16);
        int length = switch (code) {
            case 0x01, 0x04 -> 8;
            case 0x11 -> 16;
            default -> 4;
        };
        expect(ctrl.in(), length);
    }

    private static void tpm(FdConnection data, String hex) throws IOException {
        data.out().write(HEX.parseHex(hex));
        byte[] header = expect(data.in(), 10);
        expect(data.in(), ByteBuffer.wrap(header).getInt(2) - 10);
    }

    private static byte[] expect(InputStream in, int n) throws IOException {
        byte[] b = in.readNBytes(n);
        if (b.length != n) {
            throw new IOException("short response");
        }
        return b;
    }
}
