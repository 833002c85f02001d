package org.jswtpm.swtpm.interop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
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
 * tpm2-tools through tpm2-tss's {@code mssim} TCTI against {@code bin/swtpm socket --server type=mssim}:
 * the simulator protocol (command port and platform port) carries the same TPM.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MssimIT {
    static final HexFormat HEX = HexFormat.of();
    @TempDir
    static Path dir;
    static JswtpmProcess tpm;
    static Tpm2Tools tools;

    @BeforeAll
    static void start() throws Exception {
        ExternalTools.require("tpm2_startup");
        tpm = JswtpmProcess.startMssim(Files.createDirectories(dir.resolve("state")));
        tools = Tpm2Tools.forProcess(tpm, dir);
        tools.ok("tpm2_startup", "-c");
    }

    @AfterAll
    static void stop() throws Exception {
        if (tpm != null) {
            tpm.close();
        }
    }

    static byte[] pcr16() throws Exception {
        String out = tools.ok("tpm2_pcrread", "sha256:16");
        Matcher m = Pattern.compile("16\\s*: 0x([0-9A-F]+)").matcher(out);
        assertTrue(m.find(), out);
        return HEX.parseHex(m.group(1).toLowerCase());
    }

    @Test
    @Order(1)
    void randomPcrsAndSealing() throws Exception {
        assertTrue(tools.ok("tpm2_getrandom", "--hex", "16").trim().matches("[0-9a-f]{32}"));
        byte[] before = pcr16();
        byte[] digest = Tpm2Tools.sha256("over mssim".getBytes(StandardCharsets.US_ASCII));
        tools.ok("tpm2_pcrextend", "16:sha256=" + HEX.formatHex(digest));
        assertArrayEquals(Tpm2Tools.sha256(before, digest), pcr16());

        byte[] secret = "sealed over mssim".getBytes(StandardCharsets.US_ASCII);
        Files.write(dir.resolve("secret"), secret);
        tools.ok("tpm2_createprimary", "-C", "o", "-G", "ecc", "-c", "p.ctx");
        tools.ok("tpm2_create", "-C", "p.ctx", "-i", "secret", "-u", "s.pub", "-r", "s.priv");
        tools.ok("tpm2_load", "-C", "p.ctx", "-u", "s.pub", "-r", "s.priv", "-c", "s.ctx");
        tools.ok("tpm2_unseal", "-c", "s.ctx", "-o", "out");
        assertArrayEquals(secret, Files.readAllBytes(dir.resolve("out")));
        tools.ok("tpm2_readpublic", "-c", "p.ctx", "-f", "pem", "-o", "p.pem");
        Tpm2Tools.pem(dir.resolve("p.pem"));
    }

    @Test
    @Order(2)
    void persistentStateAcrossARestart() throws Exception {
        tools.ok("tpm2_evictcontrol", "-C", "o", "-c", "p.ctx", "0x81000005");
        tools.ok("tpm2_shutdown", "-c");
        tpm = tpm.restart();
        tools = Tpm2Tools.forProcess(tpm, dir);
        tools.ok("tpm2_startup", "-c");
        assertTrue(tools.ok("tpm2_getcap", "handles-persistent").contains("0x81000005"));
        tools.ok("tpm2_readpublic", "-c", "0x81000005", "-f", "pem", "-o", "p2.pem");
        assertArrayEquals(Files.readAllBytes(dir.resolve("p.pem")), Files.readAllBytes(dir.resolve("p2.pem")));
        tools.ok("tpm2_load", "-C", "0x81000005", "-u", "s.pub", "-r", "s.priv", "-c", "s2.ctx");
        tools.ok("tpm2_unseal", "-c", "s2.ctx", "-o", "out2");
        assertArrayEquals(Files.readAllBytes(dir.resolve("secret")), Files.readAllBytes(dir.resolve("out2")));
    }
}
