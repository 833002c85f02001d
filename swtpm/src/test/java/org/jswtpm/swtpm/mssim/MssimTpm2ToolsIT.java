package org.jswtpm.swtpm.mssim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jswtpm.core.testing.ExternalTools;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real tpm2-tools through tpm2-tss's {@code mssim:} TCTI (which sends POWER_ON and NV_ON on the
 * platform port itself) against {@code bin/swtpm socket --tpm2 --server type=mssim,port=P} started as a
 * separate process; values are checked against the JDK.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MssimTpm2ToolsIT {
    static final HexFormat HEX = HexFormat.of();
    @TempDir
    static Path dir;
    static Process process;
    static Path log;
    static int port;

    @BeforeAll
    static void start() throws Exception {
        ExternalTools.require("tpm2_getrandom");
        Path launcher = Path.of("..", "bin", "swtpm").toAbsolutePath().normalize();
        assertTrue(Files.isExecutable(launcher), "launcher not found: " + launcher);
        port = freePortPair();
        Path state = Files.createDirectories(dir.resolve("state"));
        log = dir.resolve("swtpm.log");
        List<String> cmd = new ArrayList<>(List.of(launcher.toString(), "socket", "--tpm2",
                "--server", "type=mssim,port=" + port + ",bindaddr=127.0.0.1", "--tpmstate", "dir=" + state));
        process = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        awaitPort(port);
        awaitPort(port + 1);
    }

    @AfterAll
    static void stop() throws Exception {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
            process.waitFor();
        }
    }

    static int freePortPair() throws IOException {
        for (int i = 0; i < 100; i++) {
            int p;
            try (ServerSocket s = new ServerSocket()) {
                s.setReuseAddress(true);
                s.bind(new InetSocketAddress("127.0.0.1", 0));
                p = s.getLocalPort();
            }
            if (p < 65535 && isFree(p + 1)) {
                return p;
            }
        }
        throw new IllegalStateException("no free pair of ports");
    }

    static boolean isFree(int p) {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress("127.0.0.1", p));
            return true;
        } catch (IOException taken) {
            return false;
        }
    }

    static void awaitPort(int p) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("jswtpm exited: " + Files.readString(log));
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", p), 200);
                return;
            } catch (IOException notYet) {
                Thread.sleep(50);
            }
        }
        throw new IllegalStateException("jswtpm did not open port " + p + ": " + Files.readString(log));
    }

    record Result(int exit, String out, String err) {
    }

    static Result run(String... args) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(args);
        pb.environment().put("TPM2TOOLS_TCTI", "mssim:host=127.0.0.1,port=" + port);
        pb.environment().remove("TSS2_LOG");
        pb.redirectError(dir.resolve("tool.err").toFile());
        Process p = pb.start();
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("timed out: " + String.join(" ", args));
        }
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8),
                Files.readString(dir.resolve("tool.err")));
    }

    static String ok(String... args) throws Exception {
        Result r = run(args);
        assertEquals(0, r.exit(), () -> String.join(" ", args) + " failed: " + r.err() + r.out());
        return r.out();
    }

    static byte[] sha256(byte[]... parts) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        for (byte[] p : parts) {
            md.update(p);
        }
        return md.digest();
    }

    static byte[] pcr(int index) throws Exception {
        String out = ok("tpm2_pcrread", "sha256:" + index);
        Matcher m = Pattern.compile("\\b" + index + "\\s*: 0x([0-9A-F]+)").matcher(out);
        assertTrue(m.find(), out);
        return HEX.parseHex(m.group(1).toLowerCase());
    }

    @Test
    @Order(1)
    void startupAndRandom() throws Exception {
        ok("tpm2_startup", "-c");
        String hex = ok("tpm2_getrandom", "--hex", "16").trim();
        assertTrue(hex.matches("[0-9a-f]{32}"), hex);
        assertNotEquals(hex, ok("tpm2_getrandom", "--hex", "16").trim());
    }

    @Test
    @Order(2)
    void pcrExtendAndRead() throws Exception {
        byte[] before = pcr(16);
        assertArrayEquals(new byte[32], before);
        byte[] digest = sha256("jswtpm over mssim".getBytes(StandardCharsets.US_ASCII));
        ok("tpm2_pcrextend", "16:sha256=" + HEX.formatHex(digest));
        assertArrayEquals(sha256(before, digest), pcr(16));
    }

    @Test
    @Order(3)
    void createPrimary() throws Exception {
        Path ctx = dir.resolve("primary.ctx");
        String out = ok("tpm2_createprimary", "-C", "o", "-g", "sha256", "-G", "ecc", "-c", ctx.toString());
        assertTrue(out.contains("name-alg:") && out.contains("ecc"), out);
        assertTrue(Files.size(ctx) > 0);
        ok("tpm2_flushcontext", "-t");
    }

    @Test
    @Order(4)
    void theProcessSurvivesGarbageAndStopsOnStop() throws Exception {
        try (Socket s = new Socket("127.0.0.1", port + 1)) {
            s.getOutputStream().write(HEX.parseHex("000000630000"));
            s.setSoTimeout(5000);
            assertEquals("00000001", HEX.formatHex(s.getInputStream().readNBytes(4)));
        }
        assertTrue(process.isAlive());
        assertTrue(ok("tpm2_getrandom", "--hex", "4").trim().matches("[0-9a-f]{8}"));
        try (Socket s = new Socket("127.0.0.1", port + 1)) {
            s.getOutputStream().write(HEX.parseHex("00000015")); // STOP
        }
        assertTrue(process.waitFor(20, TimeUnit.SECONDS), "STOP did not end the process");
        assertEquals(0, process.exitValue(), Files.readString(log));
    }
}
