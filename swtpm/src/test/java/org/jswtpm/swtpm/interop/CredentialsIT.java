package org.jswtpm.swtpm.interop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import org.jswtpm.core.testing.ExternalTools;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Credentials and duplication through the real tpm2-tools over the swtpm TCTI against {@code bin/swtpm}
 * as a separate process: MakeCredential offline ({@code --tcti none}, tpm2-tools' own crypto) and on the
 * TPM, ActivateCredential, and Duplicate + Import under a new parent with and without an inner wrapper.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CredentialsIT {
    static final HexFormat HEX = HexFormat.of();
    @TempDir
    static Path dir;
    static JswtpmProcess tpm;
    static Tpm2Tools tools;

    @BeforeAll
    static void start() throws Exception {
        ExternalTools.require("tpm2_makecredential");
        tpm = JswtpmProcess.startIn(dir);
        tools = Tpm2Tools.forProcess(tpm, dir);
        tools.ok("tpm2_startup", "-c");
        tools.ok("tpm2_createprimary", "-C", "o", "-G", "ecc", "-c", "prim.ctx");
    }

    @AfterAll
    static void stop() throws Exception {
        if (tpm != null) {
            tpm.close();
        }
    }

    static byte[] bytes(String name) throws Exception {
        return Files.readAllBytes(dir.resolve(name));
    }

    @Test
    @Order(1)
    void makeCredentialOfflineAndOnTheTpmThenActivate() throws Exception {
        byte[] secret = "credential secret".getBytes(StandardCharsets.US_ASCII);
        Files.write(dir.resolve("secret"), secret);
        // an EK-like restricted decryption key in the endorsement hierarchy, and a signing key (the "AK")
        tools.ok("tpm2_createprimary", "-C", "e", "-G", "rsa", "-c", "ek.ctx",
                "-a", "fixedtpm|fixedparent|sensitivedataorigin|userwithauth|restricted|decrypt");
        tools.ok("tpm2_readpublic", "-c", "ek.ctx", "-o", "ek.pub");
        tools.ok("tpm2_readpublic", "-c", "ek.ctx", "-f", "pem", "-o", "ek.pem");
        tools.ok("tpm2_create", "-C", "prim.ctx", "-G", "ecc", "-u", "ak.pub", "-r", "ak.priv",
                "-a", "fixedtpm|fixedparent|sensitivedataorigin|userwithauth|sign");
        tools.ok("tpm2_load", "-C", "prim.ctx", "-u", "ak.pub", "-r", "ak.priv", "-c", "ak.ctx", "-n", "ak.name");
        String akName = HEX.formatHex(bytes("ak.name"));

        tools.ok("tpm2_makecredential", "--tcti", "none", "-u", "ek.pem", "-G", "rsa", "-s", "secret", "-n", akName, "-o", "cred.offline");
        tools.ok("tpm2_makecredential", "-u", "ek.pub", "-s", "secret", "-n", akName, "-o", "cred.tpm");
        assertFalse(java.util.Arrays.equals(bytes("cred.offline"), bytes("cred.tpm")), "fresh seeds");
        for (String cred : new String[] {"cred.offline", "cred.tpm"}) {
            Files.deleteIfExists(dir.resolve("activated"));
            tools.ok("tpm2_activatecredential", "-c", "ak.ctx", "-C", "ek.ctx", "-i", cred, "-o", "activated");
            assertArrayEquals(secret, bytes("activated"), cred);
        }
        // bound to the AK's name: another key cannot activate it (TPM_RC_INTEGRITY on the blob)
        tools.ok("tpm2_create", "-C", "prim.ctx", "-G", "ecc", "-u", "other.pub", "-r", "other.priv",
                "-a", "fixedtpm|fixedparent|sensitivedataorigin|userwithauth|sign");
        tools.ok("tpm2_load", "-C", "prim.ctx", "-u", "other.pub", "-r", "other.priv", "-c", "other.ctx");
        Tpm2Tools.Result wrong = tools.fails("tpm2_activatecredential", "-c", "other.ctx", "-C", "ek.ctx", "-i", "cred.tpm", "-o", "x");
        assertTrue(wrong.rc("0x1df"), wrong.err());
        // and a credential for another TPM's EK does not open here
        tools.ok("tpm2_createprimary", "-C", "e", "-G", "rsa", "-c", "ek2.ctx", "-p", "x",
                "-a", "fixedtpm|fixedparent|sensitivedataorigin|userwithauth|restricted|decrypt");
        tools.ok("tpm2_readpublic", "-c", "ek2.ctx", "-f", "pem", "-o", "ek2.pem");
        assertArrayEquals(bytes("ek.pem"), bytes("ek2.pem"), "the endorsement primary is deterministic");
    }

    @Test
    @Order(2)
    void duplicateAndImportUnderANewParent() throws Exception {
        byte[] secret = "duplicated secret".getBytes(StandardCharsets.US_ASCII);
        Files.write(dir.resolve("dsecret"), secret);
        tools.ok("tpm2_startauthsession", "-S", "t.ctx");
        tools.ok("tpm2_policycommandcode", "-S", "t.ctx", "-L", "dup.policy", "TPM2_CC_Duplicate");
        tools.ok("tpm2_flushcontext", "t.ctx");
        assertArrayEquals(Tpm2Tools.sha256(new byte[32], HEX.parseHex("0000016c0000014b")), bytes("dup.policy"));
        tools.ok("tpm2_create", "-C", "prim.ctx", "-u", "d.pub", "-r", "d.priv", "-L", "dup.policy", "-i", "dsecret", "-a", "userwithauth");
        tools.ok("tpm2_load", "-C", "prim.ctx", "-u", "d.pub", "-r", "d.priv", "-c", "d.ctx");
        // the new parent: an RSA storage key, known to the duplicating side only by its public area
        tools.ok("tpm2_createprimary", "-C", "o", "-G", "rsa", "-c", "np.ctx");
        tools.ok("tpm2_readpublic", "-c", "np.ctx", "-o", "np.pub");
        tools.ok("tpm2_loadexternal", "-C", "o", "-u", "np.pub", "-c", "npx.ctx");

        for (String inner : new String[] {"null", "aes"}) {
            tools.ok("tpm2_startauthsession", "--policy-session", "-S", "p.ctx");
            tools.ok("tpm2_policycommandcode", "-S", "p.ctx", "TPM2_CC_Duplicate");
            if (inner.equals("aes")) {
                tools.ok("tpm2_duplicate", "-C", "npx.ctx", "-c", "d.ctx", "-G", "aes", "-o", "inner.key", "-p", "session:p.ctx",
                        "-r", "dup.priv", "-s", "dup.seed");
            } else {
                tools.ok("tpm2_duplicate", "-C", "npx.ctx", "-c", "d.ctx", "-G", "null", "-p", "session:p.ctx",
                        "-r", "dup.priv", "-s", "dup.seed");
            }
            tools.run("tpm2_flushcontext", "p.ctx");
            if (inner.equals("aes")) {
                tools.ok("tpm2_import", "-C", "np.ctx", "-u", "d.pub", "-i", "dup.priv", "-r", "imp.priv", "-s", "dup.seed", "-k", "inner.key");
            } else {
                tools.ok("tpm2_import", "-C", "np.ctx", "-u", "d.pub", "-i", "dup.priv", "-r", "imp.priv", "-s", "dup.seed");
            }
            tools.ok("tpm2_load", "-C", "np.ctx", "-u", "d.pub", "-r", "imp.priv", "-c", "imp.ctx");
            Files.deleteIfExists(dir.resolve("out"));
            tools.ok("tpm2_unseal", "-c", "imp.ctx", "-o", "out");
            assertArrayEquals(secret, bytes("out"), inner);
            // the duplicate is for the new parent only
            tools.fails("tpm2_import", "-C", "prim.ctx", "-u", "d.pub", "-i", "dup.priv", "-r", "imp2.priv", "-s", "dup.seed");
        }
        // without the policy session Duplicate is refused: DUP needs the ADMIN role through a policy
        assertTrue(tools.fails("tpm2_duplicate", "-C", "npx.ctx", "-c", "d.ctx", "-G", "null", "-r", "dup.priv", "-s", "dup.seed")
                .rc("0x124"), "TPM_RC_AUTH_TYPE as libtpms");
        // a fixedParent object cannot be duplicated at all
        tools.ok("tpm2_create", "-C", "prim.ctx", "-u", "fp.pub", "-r", "fp.priv", "-L", "dup.policy", "-i", "dsecret",
                "-a", "userwithauth|fixedparent|fixedtpm");
        tools.ok("tpm2_load", "-C", "prim.ctx", "-u", "fp.pub", "-r", "fp.priv", "-c", "fp.ctx");
        tools.ok("tpm2_startauthsession", "--policy-session", "-S", "p.ctx");
        tools.ok("tpm2_policycommandcode", "-S", "p.ctx", "TPM2_CC_Duplicate");
        Tpm2Tools.Result fixed = tools.fails("tpm2_duplicate", "-C", "npx.ctx", "-c", "fp.ctx", "-G", "null", "-p", "session:p.ctx",
                "-r", "dup.priv", "-s", "dup.seed");
        assertTrue(fixed.rc("0x182"), fixed.err());
        tools.run("tpm2_flushcontext", "p.ctx");
    }

    @Test
    @Order(3)
    void anImportedSigningKeySignsAsTheOriginal() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(tools.ok("tpm2_getcap", "commands").contains("TPM2_CC_Sign:"),
                "jswtpm does not implement TPM2_CC_Sign yet");
        Files.write(dir.resolve("msg"), "signed after the move".getBytes(StandardCharsets.US_ASCII));
        tools.ok("tpm2_create", "-C", "prim.ctx", "-G", "ecc256:ecdsa-sha256", "-u", "sk.pub", "-r", "sk.priv", "-L", "dup.policy",
                "-a", "sensitivedataorigin|userwithauth|sign");
        tools.ok("tpm2_load", "-C", "prim.ctx", "-u", "sk.pub", "-r", "sk.priv", "-c", "sk.ctx");
        tools.ok("tpm2_readpublic", "-c", "sk.ctx", "-f", "pem", "-o", "sk.pem");
        tools.ok("tpm2_startauthsession", "--policy-session", "-S", "p.ctx");
        tools.ok("tpm2_policycommandcode", "-S", "p.ctx", "TPM2_CC_Duplicate");
        tools.ok("tpm2_duplicate", "-C", "npx.ctx", "-c", "sk.ctx", "-G", "null", "-p", "session:p.ctx", "-r", "skdup.priv", "-s", "skdup.seed");
        tools.run("tpm2_flushcontext", "p.ctx");
        tools.ok("tpm2_import", "-C", "np.ctx", "-u", "sk.pub", "-i", "skdup.priv", "-r", "skimp.priv", "-s", "skdup.seed");
        tools.ok("tpm2_load", "-C", "np.ctx", "-u", "sk.pub", "-r", "skimp.priv", "-c", "skimp.ctx");
        tools.ok("tpm2_sign", "-c", "skimp.ctx", "-g", "sha256", "-s", "ecdsa", "-f", "plain", "-o", "msg.sig", "msg");
        assertTrue(tools.ok("openssl", "dgst", "-sha256", "-verify", "sk.pem", "-signature", "msg.sig", "msg").contains("Verified OK"));
        java.security.Signature v = java.security.Signature.getInstance("SHA256withECDSA");
        v.initVerify(Tpm2Tools.pem(dir.resolve("sk.pem")));
        v.update(bytes("msg"));
        assertTrue(v.verify(bytes("msg.sig")), "the JDK verifies the imported key's signature with the original public key");
    }

    @Test
    @Order(4)
    void keylimeStyleEkAkFlow() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(tools.ok("tpm2_getcap", "commands").contains("TPM2_CC_Quote:"),
                "jswtpm does not implement TPM2_CC_Quote yet");
        // tpm2_createek: the TCG EK Credential Profile's RSA template (low range), policy = PolicySecret(endorsement)
        tools.ok("tpm2_createek", "-c", "ek.ctx", "-G", "rsa", "-u", "ek.pub");
        String ek = tools.ok("tpm2_readpublic", "-c", "ek.ctx");
        assertTrue(ek.contains("authorization policy: 837197674484b3f81a90cc8d46a5d724fd52d76e06520b64f2a1da1b331469aa"), ek);
        assertTrue(ek.contains("fixedtpm|fixedparent|sensitivedataorigin|adminwithpolicy|restricted|decrypt"), ek);
        // tpm2_createak under the EK (a PolicySecret session for the parent), then its credential
        tools.ok("tpm2_createak", "-C", "ek.ctx", "-c", "ak.ctx", "-G", "rsa", "-g", "sha256", "-s", "rsassa", "-u", "ak.pub",
                "-n", "ak.name", "-f", "pem");
        tools.ok("tpm2_readpublic", "-c", "ak.ctx", "-f", "pem", "-o", "ak.pem");
        byte[] secret = "keylime bootstrap".getBytes(StandardCharsets.US_ASCII);
        Files.write(dir.resolve("kl"), secret);
        tools.ok("tpm2_makecredential", "--tcti", "none", "-e", "ek.pub", "-s", "kl", "-n", HEX.formatHex(bytes("ak.name")), "-o", "kl.cred");
        // the EK has no userWithAuth: ActivateCredential's EK authorization is a PolicySecret(endorsement) session
        Tpm2Tools.Result noPolicy = tools.fails("tpm2_activatecredential", "-c", "ak.ctx", "-C", "ek.ctx", "-i", "kl.cred", "-o", "kl.out");
        assertTrue(noPolicy.exit() != 0);
        tools.ok("tpm2_startauthsession", "--policy-session", "-S", "ps.ctx");
        tools.ok("tpm2_policysecret", "-S", "ps.ctx", "-c", "e");
        tools.ok("tpm2_activatecredential", "-c", "ak.ctx", "-C", "ek.ctx", "-i", "kl.cred", "-o", "kl.out", "-P", "session:ps.ctx");
        tools.run("tpm2_flushcontext", "ps.ctx");
        assertArrayEquals(secret, bytes("kl.out"));
        tools.ok("tpm2_quote", "-c", "ak.ctx", "-l", "sha256:0,1,2,3,4,5,6,7", "-q", "abcdef", "-m", "kq.msg", "-s", "kq.sig",
                "-o", "kq.pcrs", "-g", "sha256");
        tools.ok("tpm2_checkquote", "-u", "ak.pem", "-m", "kq.msg", "-s", "kq.sig", "-f", "kq.pcrs", "-g", "sha256", "-q", "abcdef");
    }

    @Test
    @Order(5)
    void encryptedDuplicationWithPolicyDuplicationSelect() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(tools.ok("tpm2_getcap", "commands").contains("TPM2_CC_PolicyDuplicationSelect:"),
                "jswtpm does not implement TPM2_CC_PolicyDuplicationSelect yet");
        tools.ok("tpm2_readpublic", "-c", "np.ctx", "-o", "np.pub", "-n", "np.name");
        tools.ok("tpm2_startauthsession", "-S", "t.ctx");
        tools.ok("tpm2_policyduplicationselect", "-S", "t.ctx", "-N", "np.name", "-L", "ds.policy");
        tools.ok("tpm2_flushcontext", "t.ctx");
        assertArrayEquals(Tpm2Tools.sha256(new byte[32], HEX.parseHex("00000188"), bytes("np.name"), new byte[] {0}),
                bytes("ds.policy"));
        tools.ok("tpm2_create", "-C", "prim.ctx", "-u", "ek.pub2", "-r", "ek.priv2", "-L", "ds.policy", "-G", "aes128cfb",
                "-a", "sensitivedataorigin|userwithauth|decrypt|sign|encryptedduplication");
        tools.ok("tpm2_load", "-C", "prim.ctx", "-u", "ek.pub2", "-r", "ek.priv2", "-c", "sk2.ctx", "-n", "sk2.name");
        // encryptedDuplication: an inner wrapper is mandatory (TPM_RC_SYMMETRIC without one)
        tools.ok("tpm2_startauthsession", "--policy-session", "-S", "p.ctx");
        tools.ok("tpm2_policyduplicationselect", "-S", "p.ctx", "-n", "sk2.name", "-N", "np.name");
        assertTrue(tools.fails("tpm2_duplicate", "-C", "npx.ctx", "-c", "sk2.ctx", "-G", "null", "-p", "session:p.ctx",
                "-r", "d2.priv", "-s", "d2.seed").rc("0x2d6"));
        tools.run("tpm2_flushcontext", "p.ctx");
        tools.ok("tpm2_startauthsession", "--policy-session", "-S", "p.ctx");
        tools.ok("tpm2_policyduplicationselect", "-S", "p.ctx", "-n", "sk2.name", "-N", "np.name");
        tools.ok("tpm2_duplicate", "-C", "npx.ctx", "-c", "sk2.ctx", "-G", "aes", "-o", "ik2.bin", "-p", "session:p.ctx",
                "-r", "d2.priv", "-s", "d2.seed");
        tools.run("tpm2_flushcontext", "p.ctx");
        tools.ok("tpm2_import", "-C", "np.ctx", "-u", "ek.pub2", "-i", "d2.priv", "-r", "i2.priv", "-s", "d2.seed", "-k", "ik2.bin");
        tools.ok("tpm2_load", "-C", "np.ctx", "-u", "ek.pub2", "-r", "i2.priv", "-c", "i2.ctx");
        // the same AES key on both sides: what one encrypts the other decrypts
        Files.write(dir.resolve("iv"), new byte[16]);
        Files.write(dir.resolve("plain"), "moved key material".getBytes(StandardCharsets.US_ASCII));
        tools.ok("tpm2_encryptdecrypt", "-c", "sk2.ctx", "-t", "iv", "-o", "c.bin", "plain");
        tools.ok("tpm2_encryptdecrypt", "-d", "-c", "i2.ctx", "-t", "iv", "-o", "p.bin", "c.bin");
        assertArrayEquals(bytes("plain"), bytes("p.bin"));
        // the inner key matters
        byte[] wrongKey = bytes("ik2.bin");
        wrongKey[0] ^= 1;
        Files.write(dir.resolve("ik2.bad"), wrongKey);
        tools.fails("tpm2_import", "-C", "np.ctx", "-u", "ek.pub2", "-i", "d2.priv", "-r", "i3.priv", "-s", "d2.seed", "-k", "ik2.bad");
    }
}
