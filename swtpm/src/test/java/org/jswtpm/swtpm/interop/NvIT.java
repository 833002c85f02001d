package org.jswtpm.swtpm.interop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
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
 * NV storage through the real tpm2-tools over the swtpm TCTI against {@code bin/swtpm} as a separate
 * process: ordinary, counter, extend and bits indices, their names recomputed with the JDK, read and
 * write locks, and what survives a restart of the process.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class NvIT {
    static final HexFormat HEX = HexFormat.of();
    static final String NV_LOCKED = "0x148";
    @TempDir
    static Path dir;
    static JswtpmProcess tpm;
    static Tpm2Tools tools;

    @BeforeAll
    static void start() throws Exception {
        ExternalTools.require("tpm2_nvdefine");
        tpm = JswtpmProcess.startIn(dir);
        tools = Tpm2Tools.forProcess(tpm, dir);
        tools.ok("tpm2_startup", "-c");
    }

    @AfterAll
    static void stop() throws Exception {
        if (tpm != null) {
            tpm.close();
        }
    }

    static void restart() throws Exception {
        tools.ok("tpm2_shutdown", "-c");
        tpm = tpm.restart();
        tools = Tpm2Tools.forProcess(tpm, dir);
        tools.ok("tpm2_startup", "-c");
    }

    static byte[] read(String index, String... auth) throws Exception {
        Path out = dir.resolve("nv.out");
        Files.deleteIfExists(out);
        String[] cmd = new String[4 + auth.length];
        cmd[0] = "tpm2_nvread";
        System.arraycopy(auth, 0, cmd, 1, auth.length);
        cmd[1 + auth.length] = "-o";
        cmd[2 + auth.length] = "nv.out";
        cmd[3 + auth.length] = index;
        tools.ok(cmd);
        return Files.readAllBytes(out);
    }

    static byte[] file(String name, byte[] content) throws Exception {
        Files.write(dir.resolve(name), content);
        return content;
    }

    /** The attributes value tpm2_nvreadpublic prints. */
    static int attributes(String readPublic) {
        Matcher m = Pattern.compile("attributes:\\s*\\n\\s*friendly: [^\\n]*\\n\\s*value: 0x([0-9A-Fa-f]+)").matcher(readPublic);
        assertTrue(m.find(), readPublic);
        return (int) Long.parseLong(m.group(1), 16);
    }

    @Test
    @Order(1)
    void defineWriteReadReadPublicUndefine() throws Exception {
        byte[] data = file("data", "sixteen bytes!!!".getBytes(StandardCharsets.US_ASCII));
        tools.ok("tpm2_nvdefine", "0x1500010", "-C", "o", "-s", "32", "-a", "ownerread|ownerwrite|authread|authwrite", "-p", "nvpw");
        assertTrue(tools.ok("tpm2_getcap", "handles-nv-index").contains("0x1500010"));
        String before = tools.ok("tpm2_nvreadpublic", "0x1500010");
        assertFalse(before.contains("written"), before);
        // not written yet: TPM_RC_NV_UNINITIALIZED
        assertTrue(tools.fails("tpm2_nvread", "-C", "o", "-s", "4", "0x1500010").rc("0x14a"));
        tools.ok("tpm2_nvwrite", "-C", "o", "-i", "data", "0x1500010");
        tools.ok("tpm2_nvwrite", "-C", "0x1500010", "-P", "nvpw", "-i", "data", "--offset", "16", "0x1500010");
        byte[] expected = new byte[32];
        System.arraycopy(data, 0, expected, 0, 16);
        System.arraycopy(data, 0, expected, 16, 16);
        assertArrayEquals(expected, read("0x1500010", "-C", "o"));
        assertArrayEquals(expected, read("0x1500010", "-C", "0x1500010", "-P", "nvpw"));
        assertArrayEquals("bytes".getBytes(StandardCharsets.US_ASCII), read("0x1500010", "-C", "o", "-s", "5", "--offset", "8"));
        tools.fails("tpm2_nvwrite", "-C", "o", "-i", "data", "--offset", "24", "0x1500010");

        String pub = tools.ok("tpm2_nvreadpublic", "0x1500010");
        int attrs = attributes(pub);
        assertTrue(pub.contains("written"), pub);
        assertTrue(pub.contains("size: 32"), pub);
        // the name is nameAlg || H(TPMS_NV_PUBLIC)
        ByteBuffer nvPublic = ByteBuffer.allocate(14).putInt(0x01500010).putShort((short) 0x000B).putInt(attrs)
                .putShort((short) 0).putShort((short) 32);
        String name = "000b" + HEX.formatHex(Tpm2Tools.sha256(nvPublic.array()));
        assertTrue(pub.contains("name: " + name), pub + " expected " + name);

        assertTrue(tools.fails("tpm2_nvread", "-C", "0x1500010", "-P", "wrong", "-s", "4", "0x1500010").rc("0x98e"));
        tools.ok("tpm2_dictionarylockout", "-c");
        tools.ok("tpm2_nvundefine", "-C", "o", "0x1500010");
        assertFalse(tools.ok("tpm2_getcap", "handles-nv-index").contains("0x1500010"));
        assertTrue(tools.fails("tpm2_nvreadpublic", "0x1500010").rc("0x18b"));
    }

    @Test
    @Order(2)
    void extendIndexIsASha256Chain() throws Exception {
        tools.ok("tpm2_nvdefine", "0x1500020", "-C", "o", "-s", "32", "-g", "sha256", "-a", "nt=extend|ownerread|ownerwrite");
        byte[] value = new byte[32];
        for (String event : new String[] {"first event", "second event", "third"}) {
            byte[] e = file("event", event.getBytes(StandardCharsets.US_ASCII));
            tools.ok("tpm2_nvextend", "-C", "o", "-i", "event", "0x1500020");
            value = Tpm2Tools.sha256(value, e);
            assertArrayEquals(value, read("0x1500020", "-C", "o"), event);
        }
        // TPM_NT_EXTEND in bits 7:4 (tpm2-tools 5.4 prints the type wrongly as nt=0x1, so the raw value)
        assertEquals(4, (attributes(tools.ok("tpm2_nvreadpublic", "0x1500020")) >> 4) & 0xF);
        tools.ok("tpm2_nvundefine", "-C", "o", "0x1500020");
    }

    @Test
    @Order(3)
    void bitsIndexOrsBits() throws Exception {
        tools.ok("tpm2_nvdefine", "0x1500025", "-C", "o", "-s", "8", "-a", "nt=bits|ownerread|ownerwrite");
        tools.ok("tpm2_nvsetbits", "-C", "o", "-i", "0x5", "0x1500025");
        tools.ok("tpm2_nvsetbits", "-C", "o", "-i", "0x100000000", "0x1500025");
        assertArrayEquals(HEX.parseHex("0000000100000005"), read("0x1500025", "-C", "o"));
        tools.ok("tpm2_nvundefine", "-C", "o", "0x1500025");
    }

    static long counter() throws Exception {
        return ByteBuffer.wrap(read("0x1500021", "-C", "o")).getLong();
    }

    @Test
    @Order(4)
    void countersAndLocksAcrossARestart() throws Exception {
        byte[] data = file("d8", "12345678".getBytes(StandardCharsets.US_ASCII));
        tools.ok("tpm2_nvdefine", "0x1500021", "-C", "o", "-s", "8", "-a", "nt=counter|ownerread|ownerwrite");
        assertTrue(tools.fails("tpm2_nvread", "-C", "o", "0x1500021").rc("0x14a"));
        tools.ok("tpm2_nvincrement", "-C", "o", "0x1500021");
        long first = counter();
        tools.ok("tpm2_nvincrement", "-C", "o", "0x1500021");
        tools.ok("tpm2_nvincrement", "-C", "o", "0x1500021");
        assertEquals(first + 2, counter());
        // a counter is not written with NV_Write: TPM_RC_ATTRIBUTES (0x82, as libtpms)
        assertTrue(tools.fails("tpm2_nvwrite", "-C", "o", "-i", "d8", "0x1500021").rc("0x82"));

        // WRITE_STCLEAR and READ_STCLEAR locks last until the next Startup(CLEAR)
        tools.ok("tpm2_nvdefine", "0x1500030", "-C", "o", "-s", "8", "-a", "ownerread|ownerwrite|write_stclear|read_stclear");
        tools.ok("tpm2_nvwrite", "-C", "o", "-i", "d8", "0x1500030");
        tools.ok("tpm2_nvwritelock", "-C", "o", "0x1500030");
        assertTrue(tools.fails("tpm2_nvwrite", "-C", "o", "-i", "d8", "0x1500030").rc(NV_LOCKED));
        assertArrayEquals(data, read("0x1500030", "-C", "o"));
        tools.ok("tpm2_nvreadlock", "-C", "o", "0x1500030");
        assertTrue(tools.fails("tpm2_nvread", "-C", "o", "0x1500030").rc(NV_LOCKED));
        String locked = tools.ok("tpm2_nvreadpublic", "0x1500030");
        assertTrue(locked.contains("writelocked") && locked.contains("readlocked"), locked);
        // WRITEDEFINE: the write lock is permanent
        tools.ok("tpm2_nvdefine", "0x1500031", "-C", "o", "-s", "8", "-a", "ownerread|ownerwrite|writedefine");
        tools.ok("tpm2_nvwrite", "-C", "o", "-i", "d8", "0x1500031");
        tools.ok("tpm2_nvwritelock", "-C", "o", "0x1500031");
        assertTrue(tools.fails("tpm2_nvwrite", "-C", "o", "-i", "d8", "0x1500031").rc(NV_LOCKED));
        // neither WRITEDEFINE nor WRITE_STCLEAR: no write lock (TPM_RC_ATTRIBUTES on nvIndex, as libtpms)
        tools.ok("tpm2_nvdefine", "0x1500032", "-C", "o", "-s", "8", "-a", "ownerread|ownerwrite");
        assertTrue(tools.fails("tpm2_nvwritelock", "-C", "o", "0x1500032").rc("0x282"));

        restart();

        assertEquals(first + 2, counter(), "the counter survives the restart");
        tools.ok("tpm2_nvincrement", "-C", "o", "0x1500021");
        assertEquals(first + 3, counter());
        String cleared = tools.ok("tpm2_nvreadpublic", "0x1500030");
        assertFalse(cleared.contains("writelocked") || cleared.contains("readlocked"), cleared);
        assertArrayEquals(data, read("0x1500030", "-C", "o"));
        byte[] other = file("d8b", "87654321".getBytes(StandardCharsets.US_ASCII));
        tools.ok("tpm2_nvwrite", "-C", "o", "-i", "d8b", "0x1500030");
        assertArrayEquals(other, read("0x1500030", "-C", "o"));
        assertTrue(tools.ok("tpm2_nvreadpublic", "0x1500031").contains("writelocked"));
        assertTrue(tools.fails("tpm2_nvwrite", "-C", "o", "-i", "d8b", "0x1500031").rc(NV_LOCKED));
        assertArrayEquals(data, read("0x1500031", "-C", "o"));

        // the counter never goes back: a new counter at the same handle starts at least where it stood
        long last = counter();
        tools.ok("tpm2_nvundefine", "-C", "o", "0x1500021");
        tools.ok("tpm2_nvdefine", "0x1500021", "-C", "o", "-s", "8", "-a", "nt=counter|ownerread|ownerwrite");
        tools.ok("tpm2_nvincrement", "-C", "o", "0x1500021");
        assertTrue(counter() >= last, "counter went back: " + counter() + " < " + last);
    }

    @Test
    @Order(5)
    void throughASaltedHmacSessionWithParameterEncryption() throws Exception {
        byte[] data = file("d8s", "s3cr3t!!".getBytes(StandardCharsets.US_ASCII));
        tools.ok("tpm2_createprimary", "-C", "o", "-G", "ecc", "-c", "salt.ctx");
        tools.ok("tpm2_nvdefine", "0x1500060", "-C", "o", "-s", "8", "-a", "authread|authwrite", "-p", "nvpw");
        tools.ok("tpm2_startauthsession", "-S", "s.ctx", "--hmac-session", "-c", "salt.ctx");
        tools.ok("tpm2_sessionconfig", "s.ctx", "--enable-encrypt", "--enable-decrypt", "--enable-continuesession");
        tools.ok("tpm2_nvwrite", "0x1500060", "-C", "0x1500060", "-P", "session:s.ctx+nvpw", "-i", "d8s");
        assertArrayEquals(data, read("0x1500060", "-C", "0x1500060", "-P", "session:s.ctx+nvpw"));
        assertArrayEquals(data, read("0x1500060", "-C", "0x1500060", "-P", "nvpw"), "as written, read by password");
        tools.run("tpm2_flushcontext", "s.ctx");
        tools.ok("tpm2_nvundefine", "-C", "o", "0x1500060");
    }

    @Test
    @Order(6)
    void pinPassIndex() throws Exception {
        // pinCount 0, pinLimit 3: each successful authorization counts one use
        file("pin", HEX.parseHex("0000000000000003"));
        tools.ok("tpm2_nvdefine", "0x1500061", "-C", "o", "-s", "8", "-a", "nt=pinpass|ownerwrite|authread|ownerread", "-p", "pinpw");
        tools.ok("tpm2_nvwrite", "0x1500061", "-C", "o", "-i", "pin");
        assertArrayEquals(HEX.parseHex("0000000000000003"), read("0x1500061", "-C", "o"));
        for (int used = 1; used <= 3; used++) {
            tools.ok("tpm2_nvread", "0x1500061", "-C", "0x1500061", "-P", "pinpw", "-s", "8", "-o", "pin.out");
            assertArrayEquals(HEX.parseHex("0000000" + used + "00000003"), read("0x1500061", "-C", "o"));
        }
        // the limit is reached: TPM_RC_NV_AUTHORIZATION... or TPM_RC_AUTH_FAIL-like refusal
        tools.fails("tpm2_nvread", "0x1500061", "-C", "0x1500061", "-P", "pinpw", "-s", "8");
        tools.ok("tpm2_dictionarylockout", "-c");
        tools.ok("tpm2_nvundefine", "-C", "o", "0x1500061");
    }
}
