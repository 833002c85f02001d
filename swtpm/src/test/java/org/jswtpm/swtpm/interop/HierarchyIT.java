package org.jswtpm.swtpm.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
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
 * Hierarchies and dictionary-attack protection through the real tpm2-tools over the swtpm TCTI against
 * {@code bin/swtpm} as a separate process: lockoutAuth failure and lockoutRecovery, DA lockout on an NV
 * index, ClearControl and Clear, HierarchyControl, ChangePPS, ChangeEPS, SetPrimaryPolicy. The response
 * codes are those Debian's swtpm (libtpms) gives for the same steps.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HierarchyIT {
    @TempDir
    static Path dir;
    static JswtpmProcess tpm;
    static Tpm2Tools tools;

    @BeforeAll
    static void start() throws Exception {
        ExternalTools.require("tpm2_dictionarylockout");
        tpm = JswtpmProcess.startIn(dir);
        tools = Tpm2Tools.forProcess(tpm, dir);
        tools.ok("tpm2_startup", "-c");
        Files.write(dir.resolve("data"), "data".getBytes(StandardCharsets.US_ASCII));
    }

    @AfterAll
    static void stop() throws Exception {
        if (tpm != null) {
            tpm.close();
        }
    }

    static String props() throws Exception {
        return tools.ok("tpm2_getcap", "properties-variable");
    }

    static int prop(String name) throws Exception {
        String p = props();
        Matcher m = Pattern.compile(name + ": 0x([0-9A-Fa-f]+)").matcher(p);
        assertTrue(m.find(), name + " in " + p);
        return Integer.parseInt(m.group(1), 16);
    }

    static boolean flag(String name) throws Exception {
        String p = props();
        Matcher m = Pattern.compile(name + ":\\s+([01])").matcher(p);
        assertTrue(m.find(), name + " in " + p);
        return m.group(1).equals("1");
    }

    static void failsWith(String rc, String... cmd) throws Exception {
        Tpm2Tools.Result r = tools.fails(cmd);
        assertTrue(r.rc(rc), String.join(" ", cmd) + ": expected " + rc + " in " + r.err());
    }

    @Test
    @Order(1)
    void lockoutAuthFailureAndLockoutRecovery() throws Exception {
        tools.ok("tpm2_changeauth", "-c", "l", "lockpw");
        assertTrue(flag("lockoutAuthSet"));
        tools.ok("tpm2_dictionarylockout", "-s", "-n", "3", "-t", "1000", "-l", "3", "-p", "lockpw");
        assertEquals(3, prop("TPM2_PT_MAX_AUTH_FAIL"));
        assertEquals(1000, prop("TPM2_PT_LOCKOUT_INTERVAL"));
        assertEquals(3, prop("TPM2_PT_LOCKOUT_RECOVERY"));
        // one wrong lockoutAuth locks the lockout hierarchy for lockoutRecovery seconds
        failsWith("0x98e", "tpm2_dictionarylockout", "-c", "-p", "wrong");
        long failedAt = System.nanoTime();
        failsWith("0x921", "tpm2_dictionarylockout", "-c", "-p", "lockpw");
        long wait = 3_500 - (System.nanoTime() - failedAt) / 1_000_000;
        if (wait > 0) {
            Thread.sleep(wait);
        }
        tools.ok("tpm2_dictionarylockout", "-c", "-p", "lockpw");
    }

    @Test
    @Order(2)
    void anNvIndexWithAnAuthValueIsDaProtected() throws Exception {
        tools.ok("tpm2_nvdefine", "0x1500016", "-C", "o", "-s", "8", "-a", "authread|authwrite", "-p", "nvpw");
        tools.ok("tpm2_nvwrite", "0x1500016", "-C", "0x1500016", "-P", "nvpw", "-i", "data");
        for (int i = 1; i <= 3; i++) {
            failsWith("0x98e", "tpm2_nvread", "0x1500016", "-C", "0x1500016", "-P", "bad", "-s", "4");
            assertEquals(i, prop("TPM2_PT_LOCKOUT_COUNTER"));
        }
        assertTrue(flag("inLockout"));
        failsWith("0x921", "tpm2_nvread", "0x1500016", "-C", "0x1500016", "-P", "nvpw", "-s", "4");
        tools.ok("tpm2_dictionarylockout", "-c", "-p", "lockpw");
        assertFalse(flag("inLockout"));
        assertEquals("data", tools.ok("tpm2_nvread", "0x1500016", "-C", "0x1500016", "-P", "nvpw", "-s", "4"));
    }

    @Test
    @Order(3)
    void clearControlAndClear() throws Exception {
        tools.ok("tpm2_changeauth", "-c", "o", "ownerpw");
        tools.ok("tpm2_changeauth", "-c", "e", "endorsepw");
        tools.ok("tpm2_hash", "-C", "o", "-g", "sha256", "-t", "t1", "-o", "h1", "data");
        tools.ok("tpm2_createprimary", "-C", "o", "-P", "ownerpw", "-G", "ecc", "-c", "before.ctx");
        tools.ok("tpm2_readpublic", "-c", "before.ctx", "-f", "pem", "-o", "before.pem");
        tools.ok("tpm2_clearcontrol", "-C", "l", "-P", "lockpw", "s");
        assertTrue(flag("disableClear"));
        failsWith("0x120", "tpm2_clear", "-c", "l", "lockpw");
        tools.ok("tpm2_clearcontrol", "-C", "p", "c");
        tools.ok("tpm2_clear", "-c", "l", "lockpw");
        String p = props();
        assertTrue(p.matches("(?s).*ownerAuthSet:\\s+0.*endorsementAuthSet:\\s+0.*lockoutAuthSet:\\s+0.*disableClear:\\s+0.*"), p);
        assertEquals(0, prop("TPM2_PT_LOCKOUT_COUNTER"));
        assertEquals(1000, prop("TPM2_PT_LOCKOUT_RECOVERY"), "Clear restores the DA defaults");
        // a new storage seed: new tickets, new primaries, and the owner's NV index is gone
        tools.ok("tpm2_hash", "-C", "o", "-g", "sha256", "-t", "t2", "-o", "h2", "data");
        assertFalse(Arrays.equals(Files.readAllBytes(dir.resolve("t1")), Files.readAllBytes(dir.resolve("t2"))));
        tools.ok("tpm2_createprimary", "-C", "o", "-G", "ecc", "-c", "after.ctx");
        tools.ok("tpm2_readpublic", "-c", "after.ctx", "-f", "pem", "-o", "after.pem");
        assertFalse(Arrays.equals(Files.readAllBytes(dir.resolve("before.pem")), Files.readAllBytes(dir.resolve("after.pem"))));
        failsWith("0x18b", "tpm2_nvread", "0x1500016", "-C", "0x1500016", "-P", "nvpw", "-s", "4");
        tools.ok("tpm2_setclock", "-c", "o", "100000000");
    }

    @Test
    @Order(4)
    void hierarchyControl() throws Exception {
        tools.ok("tpm2_hierarchycontrol", "-C", "o", "shEnable", "clear");
        assertFalse(flag("shEnable"));
        failsWith("0x185", "tpm2_setclock", "-c", "o", "200000000");
        tools.fails("tpm2_createprimary", "-C", "o", "-G", "ecc", "-c", "x.ctx");
        tools.ok("tpm2_hierarchycontrol", "-C", "p", "shEnable", "set");
        assertTrue(flag("shEnable"));
        tools.ok("tpm2_setclock", "-c", "o", "200000000");
        tools.ok("tpm2_hierarchycontrol", "-C", "p", "phEnableNV", "clear");
        assertFalse(flag("phEnableNV"));
        assertTrue(flag("phEnable") && flag("ehEnable"));
        tools.ok("tpm2_hierarchycontrol", "-C", "p", "phEnableNV", "set");
        assertTrue(flag("phEnableNV"));
    }

    @Test
    @Order(5)
    void changePpsChangeEpsAndSetPrimaryPolicy() throws Exception {
        tools.ok("tpm2_hash", "-C", "p", "-g", "sha256", "-t", "p1", "-o", "h3", "data");
        tools.ok("tpm2_createprimary", "-C", "e", "-G", "ecc", "-c", "ek1.ctx");
        tools.ok("tpm2_readpublic", "-c", "ek1.ctx", "-f", "pem", "-o", "ek1.pem");
        tools.ok("tpm2_changepps");
        tools.ok("tpm2_hash", "-C", "p", "-g", "sha256", "-t", "p2", "-o", "h4", "data");
        assertFalse(Arrays.equals(Files.readAllBytes(dir.resolve("p1")), Files.readAllBytes(dir.resolve("p2"))), "new platform proof");
        tools.ok("tpm2_changeauth", "-c", "e", "endorsepw");
        assertTrue(flag("endorsementAuthSet"));
        tools.ok("tpm2_changeeps");
        assertFalse(flag("endorsementAuthSet"), "ChangeEPS resets endorsementAuth");
        tools.ok("tpm2_createprimary", "-C", "e", "-G", "ecc", "-c", "ek2.ctx");
        tools.ok("tpm2_readpublic", "-c", "ek2.ctx", "-f", "pem", "-o", "ek2.pem");
        assertFalse(Arrays.equals(Files.readAllBytes(dir.resolve("ek1.pem")), Files.readAllBytes(dir.resolve("ek2.pem"))), "new EPS");

        Files.write(dir.resolve("pol32"), new byte[32]);
        Files.write(dir.resolve("pol20"), new byte[20]);
        tools.ok("tpm2_setprimarypolicy", "-C", "o", "-L", "pol32", "-g", "sha256");
        tools.fails("tpm2_setprimarypolicy", "-C", "o", "-L", "pol20", "-g", "sha256");
        tools.ok("tpm2_setprimarypolicy", "-C", "l", "-L", "pol32", "-g", "sha256");
    }
}
