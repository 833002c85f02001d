package org.jswtpm.swtpm.interop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
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
 * The real tpm2-tools, through tpm2-tss's swtpm TCTI (a new connection per command), against
 * {@code bin/swtpm} started as a separate process. Every value tpm2-tools prints is checked against an
 * independent computation with the JDK.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class Tpm2ToolsIT {
    static final HexFormat HEX = HexFormat.of();
    @TempDir
    static Path dir;
    static JswtpmProcess tpm;
    static Tpm2Tools tools;

    @BeforeAll
    static void start() throws Exception {
        ExternalTools.require("tpm2_getrandom");
        Path state = Files.createDirectories(dir.resolve("state"));
        tpm = JswtpmProcess.start(state, "--flags", "not-need-init");
        tools = new Tpm2Tools(tpm.tcti());
    }

    @AfterAll
    static void stop() throws Exception {
        if (tpm != null) {
            tpm.close();
        }
    }

    static byte[] sha(String alg, byte[]... parts) throws Exception {
        MessageDigest md = MessageDigest.getInstance(alg);
        for (byte[] p : parts) {
            md.update(p);
        }
        return md.digest();
    }

    /** The value of one PCR as tpm2_pcrread prints it. */
    static byte[] pcr(String bank, int index) throws Exception {
        String out = tools.ok("tpm2_pcrread", bank + ":" + index);
        Matcher m = Pattern.compile("\\b" + index + "\\s*: 0x([0-9A-F]+)").matcher(out);
        assertTrue(m.find(), out);
        return HEX.parseHex(m.group(1).toLowerCase());
    }

    @Test
    @Order(1)
    void startupAndRandom() throws Exception {
        tools.ok("tpm2_startup", "-c");
        String hex = tools.ok("tpm2_getrandom", "--hex", "16").trim();
        assertTrue(hex.matches("[0-9a-f]{32}"), hex);
        assertNotEquals(hex, tools.ok("tpm2_getrandom", "--hex", "16").trim());
    }

    @Test
    @Order(2)
    void capabilities() throws Exception {
        String fixed = tools.ok("tpm2_getcap", "properties-fixed");
        assertTrue(fixed.contains("TPM2_PT_FAMILY_INDICATOR:\n  raw: 0x322E3000\n  value: \"2.0\""), fixed);
        assertTrue(fixed.contains("TPM2_PT_MANUFACTURER:\n  raw: 0x4A535754\n  value: \"JSWT\""), fixed);
        assertTrue(fixed.contains("TPM2_PT_VENDOR_STRING_1:\n  raw: 0x6A737774\n  value: \"jswt\""), fixed);
        assertTrue(fixed.contains("TPM2_PT_PCR_COUNT:\n  raw: 0x18"), fixed);
        String variable = tools.ok("tpm2_getcap", "properties-variable");
        assertTrue(variable.contains("tpmGeneratedEPS:           1"), variable);
        assertTrue(variable.contains("shEnable:                  1"), variable);
        String algs = tools.ok("tpm2_getcap", "algorithms");
        assertTrue(algs.contains("sha256:\n  value:      0xB\n  asymmetric: 0\n  symmetric:  0\n  hash:       1"), algs);
        String commands = tools.ok("tpm2_getcap", "commands");
        assertTrue(commands.contains("TPM2_CC_PCR_Extend:"), commands);
        String pcrs = tools.ok("tpm2_getcap", "pcrs");
        assertTrue(pcrs.contains("- sha256: [ 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23 ]"), pcrs);
    }

    @Test
    @Order(3)
    void pcrExtendEventAndReset() throws Exception {
        byte[] before = pcr("sha256", 16);
        byte[] digest = sha("SHA-256", "jswtpm".getBytes(StandardCharsets.US_ASCII));
        tools.ok("tpm2_pcrextend", "16:sha256=" + HEX.formatHex(digest));
        assertArrayEquals(sha("SHA-256", before, digest), pcr("sha256", 16));

        Path data = dir.resolve("event.bin");
        Files.write(data, "an event".getBytes(StandardCharsets.US_ASCII));
        byte[] sha1Before = pcr("sha1", 16);
        String event = tools.ok("tpm2_pcrevent", "16", data.toString());
        byte[] eventSha1 = sha("SHA-1", Files.readAllBytes(data));
        assertTrue(event.contains("sha1: " + HEX.formatHex(eventSha1)), event);
        assertTrue(event.contains("sha384: " + HEX.formatHex(sha("SHA-384", Files.readAllBytes(data)))), event);
        assertArrayEquals(sha("SHA-1", sha1Before, eventSha1), pcr("sha1", 16));

        tools.ok("tpm2_pcrreset", "16");
        assertArrayEquals(new byte[32], pcr("sha256", 16));
        Tpm2Tools.Result refused = tools.run("tpm2_pcrreset", "0");
        assertNotEquals(0, refused.exit());
        assertTrue(refused.err().contains("0x907") || refused.err().contains("0x00000907"), refused.err());
        byte[] ones = new byte[32];
        java.util.Arrays.fill(ones, (byte) 0xFF);
        assertArrayEquals(ones, pcr("sha256", 17));
    }

    @Test
    @Order(4)
    void hashInEveryBankHash() throws Exception {
        Path data = dir.resolve("hash.bin");
        Files.write(data, "hash me, please".getBytes(StandardCharsets.US_ASCII));
        String[][] algs = {{"sha1", "SHA-1"}, {"sha256", "SHA-256"}, {"sha384", "SHA-384"}, {"sha512", "SHA-512"}};
        for (String[] a : algs) {
            Path out = dir.resolve("digest-" + a[0]);
            Path ticket = dir.resolve("ticket-" + a[0]);
            tools.ok("tpm2_hash", "-g", a[0], "-C", "o", "-o", out.toString(), "-t", ticket.toString(), data.toString());
            assertArrayEquals(sha(a[1], Files.readAllBytes(data)), Files.readAllBytes(out), a[0]);
            assertTrue(Files.size(ticket) > 8, "owner hierarchy gives a real ticket");
        }
    }

    @Test
    @Order(5)
    void readClock() throws Exception {
        String clock = tools.ok("tpm2_readclock");
        assertTrue(clock.matches("(?s).*time: \\d+.*clock: \\d+.*reset_count: \\d+.*restart_count: 0.*"), clock);
    }

    @Test
    @Order(6)
    void restartOnTheSameStateKeepsThePermanentState() throws Exception {
        tools.ok("tpm2_pcrallocate", "sha256:all+sha1:none");
        int resetCount = resetCount(tools.ok("tpm2_readclock"));
        tools.ok("tpm2_shutdown", "-c");
        assertEquals(143, tpm.terminate(), "SIGTERM ends the process as it ends swtpm (128 + 15)");
        tpm = JswtpmProcess.start(tpm.stateDir, "--flags", "not-need-init");
        tools = new Tpm2Tools(tpm.tcti());
        tools.ok("tpm2_startup", "-c");
        assertEquals(resetCount + 1, resetCount(tools.ok("tpm2_readclock")));
        String pcrs = tools.ok("tpm2_getcap", "pcrs");
        assertTrue(pcrs.contains("- sha1: [ ]"), pcrs);
        assertEquals(0, tools.ok("tpm2_pcrread", "sha1:0").trim().replace("sha1:", "").trim().length());
    }

    static int resetCount(String readClock) {
        Matcher m = Pattern.compile("reset_count: (\\d+)").matcher(readClock);
        assertTrue(m.find(), readClock);
        return Integer.parseInt(m.group(1));
    }
}
