package org.jswtpm.swtpm.interop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
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
 * Sessions through the real tpm2-tools over the swtpm TCTI against {@code bin/swtpm} as a separate
 * process: HMAC sessions with parameter encryption both ways, RSA- and ECC-salted sessions, bound
 * sessions, PCR policies (digest recomputed with the JDK), PolicyPassword, PolicyCommandCode +
 * PolicyAuthValue, and dictionary-attack lockout on a key.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SessionsIT {
    static final HexFormat HEX = HexFormat.of();
    static final byte[] SECRET = "the secret behind the sessions".getBytes(StandardCharsets.US_ASCII);
    @TempDir
    static Path dir;
    static JswtpmProcess tpm;
    static Tpm2Tools tools;

    @BeforeAll
    static void start() throws Exception {
        ExternalTools.require("tpm2_startauthsession");
        tpm = JswtpmProcess.startIn(dir);
        tools = Tpm2Tools.forProcess(tpm, dir);
        tools.ok("tpm2_startup", "-c");
        tools.ok("tpm2_createprimary", "-C", "o", "-G", "ecc", "-c", "ecc.ctx");
        tools.ok("tpm2_createprimary", "-C", "o", "-G", "rsa", "-c", "rsa.ctx");
        Files.write(dir.resolve("secret"), SECRET);
    }

    @AfterAll
    static void stop() throws Exception {
        if (tpm != null) {
            tpm.close();
        }
    }

    static byte[] unseal(String... args) throws Exception {
        Files.deleteIfExists(dir.resolve("unsealed"));
        String[] cmd = new String[args.length + 3];
        cmd[0] = "tpm2_unseal";
        System.arraycopy(args, 0, cmd, 1, args.length);
        cmd[args.length + 1] = "-o";
        cmd[args.length + 2] = "unsealed";
        tools.ok(cmd);
        return Files.readAllBytes(dir.resolve("unsealed"));
    }

    @Test
    @Order(1)
    void hmacSessionWithParameterEncryptionBothWays() throws Exception {
        tools.ok("tpm2_startauthsession", "-S", "s.ctx", "--hmac-session");
        // a session on a command without authorization handles must encrypt, decrypt or audit
        assertTrue(tools.fails("tpm2_getrandom", "-S", "s.ctx", "--hex", "16").rc("0x982"));
        String plain = tools.ok("tpm2_getrandom", "--hex", "16").trim();
        assertTrue(plain.matches("[0-9a-f]{32}"), plain);
        tools.ok("tpm2_sessionconfig", "s.ctx", "--enable-encrypt", "--enable-decrypt", "--enable-continuesession");
        String cfg = tools.ok("tpm2_sessionconfig", "s.ctx");
        assertTrue(cfg.contains("continuesession|decrypt|encrypt") || (cfg.contains("decrypt") && cfg.contains("encrypt")), cfg);
        String enc = tools.ok("tpm2_getrandom", "-S", "s.ctx", "--hex", "16").trim();
        assertTrue(enc.matches("[0-9a-f]{32}"), enc);
        assertNotEquals(plain, enc);
        // decrypt: the sealed data travels encrypted in Create's inSensitive (first command parameter);
        // encrypt: Create's outPrivate and Unseal's outData come back encrypted
        tools.ok("tpm2_create", "-C", "ecc.ctx", "-P", "session:s.ctx", "-i", "secret", "-u", "h.pub", "-r", "h.priv");
        tools.ok("tpm2_load", "-C", "ecc.ctx", "-u", "h.pub", "-r", "h.priv", "-c", "h.ctx");
        assertArrayEquals(SECRET, unseal("-c", "h.ctx", "-p", "session:s.ctx"));
        assertArrayEquals(SECRET, unseal("-c", "h.ctx"), "the same object through a password session");
        tools.ok("tpm2_flushcontext", "s.ctx");
    }

    @Test
    @Order(2)
    void saltedSessionsWithRsaAndEccKeys() throws Exception {
        tools.ok("tpm2_create", "-C", "ecc.ctx", "-i", "secret", "-p", "objpw", "-u", "pw.pub", "-r", "pw.priv",
                "-a", "fixedtpm|fixedparent|userwithauth|noda");
        for (String key : new String[] {"rsa.ctx", "ecc.ctx"}) {
            tools.ok("tpm2_startauthsession", "-S", "salted.ctx", "--hmac-session", "-c", key);
            tools.ok("tpm2_sessionconfig", "salted.ctx", "--enable-encrypt", "--enable-decrypt", "--enable-continuesession");
            assertTrue(tools.ok("tpm2_getrandom", "-S", "salted.ctx", "--hex", "8").trim().matches("[0-9a-f]{16}"));
            tools.ok("tpm2_load", "-C", "ecc.ctx", "-u", "pw.pub", "-r", "pw.priv", "-c", "pw.ctx");
            assertArrayEquals(SECRET, unseal("-c", "pw.ctx", "-p", "session:salted.ctx+objpw"), key);
            // a salted session is DA-bound: a wrong password counts even on a noDA object (as libtpms)
            Tpm2Tools.Result wrong = tools.fails("tpm2_unseal", "-c", "pw.ctx", "-p", "session:salted.ctx+wrong");
            assertTrue(wrong.rc("0x98e"), wrong.err());
            tools.ok("tpm2_dictionarylockout", "-c");
            tools.run("tpm2_flushcontext", "salted.ctx");
        }
        // bound to the owner hierarchy (tpm2-tools binds or salts, not both), encrypting CreatePrimary both ways
        tools.ok("tpm2_startauthsession", "-S", "b.ctx", "--hmac-session", "--bind-context", "o");
        tools.ok("tpm2_sessionconfig", "b.ctx", "--enable-encrypt", "--enable-decrypt");
        tools.ok("tpm2_createprimary", "-C", "o", "-P", "session:b.ctx", "-G", "ecc", "-c", "bp.ctx");
        tools.ok("tpm2_readpublic", "-c", "bp.ctx", "-f", "pem", "-o", "bp.pem");
        tools.ok("tpm2_readpublic", "-c", "ecc.ctx", "-f", "pem", "-o", "ecc.pem");
        assertArrayEquals(Files.readAllBytes(dir.resolve("ecc.pem")), Files.readAllBytes(dir.resolve("bp.pem")),
                "the same primary whichever session carried the command");
        tools.run("tpm2_flushcontext", "b.ctx");
    }

    /** PolicyPCR over sha256:16 as the spec defines it, with the JDK. */
    static byte[] policyPcr16(byte[] pcr16) throws Exception {
        byte[] selection = HEX.parseHex("00000001" + "000b" + "03" + "000001");
        return Tpm2Tools.sha256(new byte[32], HEX.parseHex("0000017f"), selection, Tpm2Tools.sha256(pcr16));
    }

    static byte[] pcr16() throws Exception {
        String out = tools.ok("tpm2_pcrread", "sha256:16");
        Matcher m = Pattern.compile("16\\s*: 0x([0-9A-F]+)").matcher(out);
        assertTrue(m.find(), out);
        return HEX.parseHex(m.group(1).toLowerCase());
    }

    @Test
    @Order(3)
    void sealToAPcrPolicy() throws Exception {
        tools.ok("tpm2_pcrreset", "16");
        tools.ok("tpm2_pcrextend", "16:sha256=" + HEX.formatHex(Tpm2Tools.sha256("boot".getBytes(StandardCharsets.US_ASCII))));
        byte[] pcr = pcr16();
        tools.ok("tpm2_startauthsession", "-S", "trial.ctx");
        tools.ok("tpm2_policypcr", "-S", "trial.ctx", "-l", "sha256:16", "-L", "pcr.policy");
        tools.ok("tpm2_flushcontext", "trial.ctx");
        assertArrayEquals(policyPcr16(pcr), Files.readAllBytes(dir.resolve("pcr.policy")));

        tools.ok("tpm2_create", "-C", "ecc.ctx", "-g", "sha256", "-u", "seal.pub", "-r", "seal.priv", "-L", "pcr.policy", "-i", "secret");
        tools.ok("tpm2_load", "-C", "ecc.ctx", "-u", "seal.pub", "-r", "seal.priv", "-c", "seal.ctx");
        String rp = tools.ok("tpm2_readpublic", "-c", "seal.ctx");
        assertTrue(rp.contains(HEX.formatHex(policyPcr16(pcr))), rp);
        // no userWithAuth: a password does not unseal it (TPM_RC_AUTH_UNAVAILABLE)
        assertTrue(tools.fails("tpm2_unseal", "-c", "seal.ctx").rc("0x12f"));

        tools.ok("tpm2_startauthsession", "--policy-session", "-S", "p.ctx");
        tools.ok("tpm2_policypcr", "-S", "p.ctx", "-l", "sha256:16");
        assertArrayEquals(SECRET, unseal("-c", "seal.ctx", "-p", "session:p.ctx"));
        tools.run("tpm2_flushcontext", "p.ctx");

        tools.ok("tpm2_pcrextend", "16:sha256=" + "00".repeat(31) + "01");
        tools.ok("tpm2_startauthsession", "--policy-session", "-S", "p2.ctx");
        tools.ok("tpm2_policypcr", "-S", "p2.ctx", "-l", "sha256:16");
        Tpm2Tools.Result refused = tools.fails("tpm2_unseal", "-c", "seal.ctx", "-p", "session:p2.ctx");
        assertTrue(refused.rc("0x99d"), refused.err());
        tools.run("tpm2_flushcontext", "p2.ctx");

        // back to the sealed state: the secret opens again
        tools.ok("tpm2_pcrreset", "16");
        tools.ok("tpm2_pcrextend", "16:sha256=" + HEX.formatHex(Tpm2Tools.sha256("boot".getBytes(StandardCharsets.US_ASCII))));
        assertArrayEquals(pcr, pcr16());
        tools.ok("tpm2_startauthsession", "--policy-session", "-S", "p3.ctx");
        tools.ok("tpm2_policypcr", "-S", "p3.ctx", "-l", "sha256:16");
        assertArrayEquals(SECRET, unseal("-c", "seal.ctx", "-p", "session:p3.ctx"));
        tools.run("tpm2_flushcontext", "p3.ctx");
    }

    @Test
    @Order(4)
    void policyPasswordAndPolicyCommandCodeWithAuthValue() throws Exception {
        tools.ok("tpm2_startauthsession", "-S", "t.ctx");
        tools.ok("tpm2_policypassword", "-S", "t.ctx", "-L", "pw.policy");
        tools.ok("tpm2_flushcontext", "t.ctx");
        // PolicyPassword extends the digest exactly as PolicyAuthValue: H(0^32 || TPM_CC_PolicyAuthValue)
        assertArrayEquals(Tpm2Tools.sha256(new byte[32], HEX.parseHex("0000016b")), Files.readAllBytes(dir.resolve("pw.policy")));
        tools.ok("tpm2_create", "-C", "ecc.ctx", "-u", "ppw.pub", "-r", "ppw.priv", "-L", "pw.policy", "-p", "secretpw", "-i", "secret",
                "-a", "fixedtpm|fixedparent|noda");
        tools.ok("tpm2_load", "-C", "ecc.ctx", "-u", "ppw.pub", "-r", "ppw.priv", "-c", "ppw.ctx");
        tools.ok("tpm2_startauthsession", "--policy-session", "-S", "p.ctx");
        tools.ok("tpm2_policypassword", "-S", "p.ctx");
        assertArrayEquals(SECRET, unseal("-c", "ppw.ctx", "-p", "session:p.ctx+secretpw"));
        tools.run("tpm2_flushcontext", "p.ctx");
        tools.ok("tpm2_startauthsession", "--policy-session", "-S", "p.ctx");
        tools.ok("tpm2_policypassword", "-S", "p.ctx");
        assertTrue(tools.fails("tpm2_unseal", "-c", "ppw.ctx", "-p", "session:p.ctx+wrong").rc("0x9a2"));
        tools.run("tpm2_flushcontext", "p.ctx");

        tools.ok("tpm2_startauthsession", "-S", "t.ctx");
        tools.ok("tpm2_policycommandcode", "-S", "t.ctx", "TPM2_CC_Unseal");
        tools.ok("tpm2_policyauthvalue", "-S", "t.ctx", "-L", "cc.policy");
        tools.ok("tpm2_flushcontext", "t.ctx");
        byte[] cc = Tpm2Tools.sha256(new byte[32], HEX.parseHex("0000016c"), HEX.parseHex("0000015e"));
        assertArrayEquals(Tpm2Tools.sha256(cc, HEX.parseHex("0000016b")), Files.readAllBytes(dir.resolve("cc.policy")));
        tools.ok("tpm2_create", "-C", "ecc.ctx", "-u", "cc.pub", "-r", "cc.priv", "-L", "cc.policy", "-p", "ccpw", "-i", "secret",
                "-a", "fixedtpm|fixedparent|noda");
        tools.ok("tpm2_load", "-C", "ecc.ctx", "-u", "cc.pub", "-r", "cc.priv", "-c", "cc.ctx");
        tools.ok("tpm2_startauthsession", "--policy-session", "-S", "p.ctx");
        tools.ok("tpm2_policycommandcode", "-S", "p.ctx", "TPM2_CC_Unseal");
        tools.ok("tpm2_policyauthvalue", "-S", "p.ctx");
        assertArrayEquals(SECRET, unseal("-c", "cc.ctx", "-p", "session:p.ctx+ccpw"));
        tools.run("tpm2_flushcontext", "p.ctx");
        // the wrong command code in the session: the policy digest does not match
        tools.ok("tpm2_startauthsession", "--policy-session", "-S", "p.ctx");
        tools.ok("tpm2_policycommandcode", "-S", "p.ctx", "TPM2_CC_ObjectChangeAuth");
        tools.ok("tpm2_policyauthvalue", "-S", "p.ctx");
        Tpm2Tools.Result wrongCc = tools.fails("tpm2_unseal", "-c", "cc.ctx", "-p", "session:p.ctx+ccpw");
        assertTrue(wrongCc.rc("0x924") || wrongCc.rc("0x99d"), wrongCc.err());
        tools.run("tpm2_flushcontext", "p.ctx");
    }

    @Test
    @Order(7)
    void systemdStyleSealAcrossShutdownStateAndStartupState() throws Exception {
        tools.ok("tpm2_pcrreset", "16");
        tools.ok("tpm2_pcrextend", "16:sha256=" + HEX.formatHex(Tpm2Tools.sha256("kernel".getBytes(StandardCharsets.US_ASCII))));
        tools.ok("tpm2_pcrextend", "7:sha256=" + HEX.formatHex(Tpm2Tools.sha256("secure boot".getBytes(StandardCharsets.US_ASCII))));
        tools.ok("tpm2_startauthsession", "-S", "t.ctx");
        tools.ok("tpm2_policypcr", "-S", "t.ctx", "-l", "sha256:7");
        tools.ok("tpm2_policyauthvalue", "-S", "t.ctx", "-L", "sd.policy");
        tools.ok("tpm2_flushcontext", "t.ctx");
        tools.ok("tpm2_create", "-C", "ecc.ctx", "-u", "sd.pub", "-r", "sd.priv", "-L", "sd.policy", "-p", "pin", "-i", "secret",
                "-a", "fixedtpm|fixedparent|noda");
        tools.ok("tpm2_evictcontrol", "-C", "o", "-c", "ecc.ctx", "0x81000010");
        // Shutdown(STATE), a new process on the same state, Startup(STATE): a TPM Resume keeps the PCRs
        tools.ok("tpm2_shutdown");
        tpm = tpm.restart();
        tools = Tpm2Tools.forProcess(tpm, dir);
        tools.ok("tpm2_startup");
        tools.ok("tpm2_load", "-C", "0x81000010", "-u", "sd.pub", "-r", "sd.priv", "-c", "sd.ctx");
        tools.ok("tpm2_startauthsession", "--policy-session", "-S", "p.ctx");
        tools.ok("tpm2_policypcr", "-S", "p.ctx", "-l", "sha256:7");
        tools.ok("tpm2_policyauthvalue", "-S", "p.ctx");
        assertArrayEquals(SECRET, unseal("-c", "sd.ctx", "-p", "session:p.ctx+pin"));
        tools.run("tpm2_flushcontext", "p.ctx");
        // a wrong PIN is refused
        tools.ok("tpm2_startauthsession", "--policy-session", "-S", "p.ctx");
        tools.ok("tpm2_policypcr", "-S", "p.ctx", "-l", "sha256:7");
        tools.ok("tpm2_policyauthvalue", "-S", "p.ctx");
        assertTrue(tools.fails("tpm2_unseal", "-c", "sd.ctx", "-p", "session:p.ctx+nip").rc("0x9a2"));
        tools.run("tpm2_flushcontext", "p.ctx");
        // Startup(CLEAR) after an orderly shutdown resets PCR 7: the secret stays sealed
        tools.ok("tpm2_shutdown", "-c");
        tpm = tpm.restart();
        tools = Tpm2Tools.forProcess(tpm, dir);
        tools.ok("tpm2_startup", "-c");
        tools.ok("tpm2_load", "-C", "0x81000010", "-u", "sd.pub", "-r", "sd.priv", "-c", "sd.ctx");
        tools.ok("tpm2_startauthsession", "--policy-session", "-S", "p.ctx");
        tools.ok("tpm2_policypcr", "-S", "p.ctx", "-l", "sha256:7");
        tools.ok("tpm2_policyauthvalue", "-S", "p.ctx");
        assertTrue(tools.fails("tpm2_unseal", "-c", "sd.ctx", "-p", "session:p.ctx+pin").rc("0x99d"));
        tools.run("tpm2_flushcontext", "p.ctx");
    }

    @Test
    @Order(5)
    void auditSession() throws Exception {
        tools.ok("tpm2_startauthsession", "-S", "a.ctx", "--hmac-session");
        tools.ok("tpm2_sessionconfig", "a.ctx", "--enable-audit");
        assertTrue(tools.ok("tpm2_sessionconfig", "a.ctx").contains("audit"));
        assertTrue(tools.ok("tpm2_getrandom", "-S", "a.ctx", "--hex", "4").trim().matches("[0-9a-f]{8}"));
        assertTrue(tools.ok("tpm2_getrandom", "-S", "a.ctx", "--hex", "4").trim().matches("[0-9a-f]{8}"));
        tools.ok("tpm2_flushcontext", "a.ctx");
    }

    static String props() throws Exception {
        return tools.ok("tpm2_getcap", "properties-variable");
    }

    static int prop(String props, String name) {
        Matcher m = Pattern.compile(name + ": 0x([0-9A-Fa-f]+)").matcher(props);
        assertTrue(m.find(), name + " in " + props);
        return Integer.parseInt(m.group(1), 16);
    }

    @Test
    @Order(6)
    void dictionaryAttackLockoutOnAKeyAndItsReset() throws Exception {
        tools.ok("tpm2_dictionarylockout", "-c");
        tools.ok("tpm2_dictionarylockout", "-s", "-n", "3", "-t", "2", "-l", "0");
        String p = props();
        assertEquals(3, prop(p, "TPM2_PT_MAX_AUTH_FAIL"));
        assertEquals(2, prop(p, "TPM2_PT_LOCKOUT_INTERVAL"));
        assertEquals(0, prop(p, "TPM2_PT_LOCKOUT_RECOVERY"));
        tools.ok("tpm2_createprimary", "-C", "o", "-G", "ecc", "-p", "keypw", "-c", "key.ctx");
        tools.ok("tpm2_createprimary", "-C", "o", "-G", "ecc", "-p", "keypw", "-c", "noda.ctx",
                "-a", "fixedtpm|fixedparent|sensitivedataorigin|userwithauth|restricted|decrypt|noda");
        for (int i = 1; i <= 3; i++) {
            Tpm2Tools.Result bad = tools.fails("tpm2_create", "-C", "key.ctx", "-P", "bad", "-G", "aes", "-u", "k.pub", "-r", "k.priv");
            assertTrue(bad.rc("0x98e"), bad.err());
            assertEquals(i, prop(props(), "TPM2_PT_LOCKOUT_COUNTER"));
        }
        assertTrue(props().contains("inLockout:                 1"));
        Tpm2Tools.Result locked = tools.fails("tpm2_create", "-C", "key.ctx", "-P", "keypw", "-G", "aes", "-u", "k.pub", "-r", "k.priv");
        assertTrue(locked.rc("0x921"), locked.err());
        // a noDA key works through the lockout; the owner hierarchy is not DA-protected
        tools.ok("tpm2_create", "-C", "noda.ctx", "-P", "keypw", "-G", "aes", "-u", "k.pub", "-r", "k.priv");
        assertTrue(tools.fails("tpm2_create", "-C", "noda.ctx", "-P", "bad", "-G", "aes", "-u", "k.pub", "-r", "k.priv").rc("0x9a2"));
        tools.ok("tpm2_createprimary", "-C", "o", "-G", "ecc", "-c", "o2.ctx");

        tools.ok("tpm2_dictionarylockout", "-c");
        p = props();
        assertTrue(p.contains("inLockout:                 0"), p);
        assertEquals(0, prop(p, "TPM2_PT_LOCKOUT_COUNTER"));
        tools.ok("tpm2_create", "-C", "key.ctx", "-P", "keypw", "-G", "aes", "-u", "k.pub", "-r", "k.priv");

        // one failure, then the recovery interval (2 s) takes it back
        assertTrue(tools.fails("tpm2_create", "-C", "key.ctx", "-P", "bad", "-G", "aes", "-u", "k.pub", "-r", "k.priv").rc("0x98e"));
        assertEquals(1, prop(props(), "TPM2_PT_LOCKOUT_COUNTER"));
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (prop(props(), "TPM2_PT_LOCKOUT_COUNTER") != 0 && System.nanoTime() < deadline) {
            Thread.sleep(250);
        }
        assertEquals(0, prop(props(), "TPM2_PT_LOCKOUT_COUNTER"));
        assertFalse(props().contains("inLockout:                 1"));
    }
}
