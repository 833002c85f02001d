package org.jswtpm.swtpm.interop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.jswtpm.swtpm.interop.RawTpm.indexOf;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Arrays;
import java.util.HexFormat;
import javax.crypto.Cipher;
import javax.crypto.KeyAgreement;
import javax.crypto.Mac;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.jswtpm.core.testing.ExternalTools;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The crypto commands through the real tpm2-tools over the swtpm TCTI against {@code bin/swtpm} as a
 * separate process, every result checked by openssl and by the JDK: Sign / VerifySignature (RSASSA,
 * RSAPSS, ECDSA, and a restricted key with a hash ticket), RSA_Encrypt / RSA_Decrypt (OAEP and PKCS#1
 * made by openssl), EncryptDecrypt, HMAC, ECDH_KeyGen / ECDH_ZGen.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CryptoIT {
    static final HexFormat HEX = HexFormat.of();
    static final byte[] MSG = "the message to sign".getBytes(StandardCharsets.US_ASCII);
    @TempDir
    static Path dir;
    static JswtpmProcess tpm;
    static Tpm2Tools tools;

    @BeforeAll
    static void start() throws Exception {
        ExternalTools.require("tpm2_sign");
        ExternalTools.require("openssl");
        tpm = JswtpmProcess.startIn(dir);
        tools = Tpm2Tools.forProcess(tpm, dir);
        tools.ok("tpm2_startup", "-c");
        tools.assumeCommands("Sign", "VerifySignature", "RSA_Encrypt", "RSA_Decrypt", "EncryptDecrypt", "HMAC", "ECDH_ZGen");
        tools.ok("tpm2_createprimary", "-C", "o", "-G", "ecc", "-c", "prim.ctx");
        Files.write(dir.resolve("msg"), MSG);
        Files.write(dir.resolve("tampered"), "the massage to sign".getBytes(StandardCharsets.US_ASCII));
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

    static PublicKey load(String name, String alg, String attrs) throws Exception {
        tools.ok("tpm2_create", "-C", "prim.ctx", "-G", alg, "-a", attrs, "-u", name + ".pub", "-r", name + ".priv");
        tools.ok("tpm2_load", "-C", "prim.ctx", "-u", name + ".pub", "-r", name + ".priv", "-c", name + ".ctx");
        tools.ok("tpm2_readpublic", "-c", name + ".ctx", "-f", "pem", "-o", name + ".pem");
        return Tpm2Tools.pem(dir.resolve(name + ".pem"));
    }

    @Test
    @Order(1)
    void signAndVerifyWithEveryScheme() throws Exception {
        String[][] cases = {
            {"rsa2048:rsassa-sha256:null", "rsassa", "SHA256withRSA"},
            {"rsa2048:rsapss-sha256:null", "rsapss", null},
            {"ecc256:ecdsa-sha256:null", "ecdsa", "SHA256withECDSA"},
            {"ecc384:ecdsa-sha384:null", "ecdsa", "SHA384withECDSA"},
            {"ecc521:ecdsa-sha512:null", "ecdsa", "SHA512withECDSA"},
            {"rsa3072:rsassa-sha384:null", "rsassa", "SHA384withRSA"},
        };
        for (String[] c : cases) {
            String name = "sig-" + c[1] + c[0].substring(0, c[0].indexOf(':'));
            String hash = c[0].contains("sha384") ? "sha384" : c[0].contains("sha512") ? "sha512" : "sha256";
            PublicKey key = load(name, c[0], "fixedtpm|fixedparent|sensitivedataorigin|userwithauth|sign");
            tools.ok("tpm2_sign", "-c", name + ".ctx", "-g", hash, "-s", c[1], "-f", "plain", "-o", name + ".sig", "msg");
            String[] pss = c[1].equals("rsapss")
                    ? new String[] {"-sigopt", "rsa_padding_mode:pss", "-sigopt", "rsa_pss_saltlen:-1"} : new String[0];
            String[] verify = concat(new String[] {"openssl", "dgst", "-" + hash, "-verify", name + ".pem"}, pss,
                    new String[] {"-signature", name + ".sig"});
            assertTrue(tools.ok(concat(verify, new String[] {"msg"})).contains("Verified OK"), name);
            tools.fails(concat(verify, new String[] {"tampered"}));
            if (c[2] != null) {
                Signature s = Signature.getInstance(c[2]);
                s.initVerify(key);
                s.update(MSG);
                assertTrue(s.verify(bytes(name + ".sig")), name + " by the JDK");
            }
            // the TPM's own verification, with its ticket, and a tampered message refused
            tools.ok("tpm2_sign", "-c", name + ".ctx", "-g", hash, "-s", c[1], "-o", name + ".tss", "msg");
            tools.ok("tpm2_verifysignature", "-c", name + ".ctx", "-g", hash, "-m", "msg", "-s", name + ".tss", "-t", name + ".tk");
            assertTrue(Files.size(dir.resolve(name + ".tk")) > 8);
            tools.fails("tpm2_verifysignature", "-c", name + ".ctx", "-g", hash, "-m", "tampered", "-s", name + ".tss");
        }
    }

    @Test
    @Order(2)
    void aRestrictedKeySignsADigestOnlyWithAHashTicket() throws Exception {
        tools.ok("tpm2_createprimary", "-C", "e", "-g", "sha256", "-G", "rsa2048:rsassa-sha256:null",
                "-a", "fixedtpm|fixedparent|sensitivedataorigin|userwithauth|restricted|sign", "-c", "ak.ctx");
        tools.ok("tpm2_readpublic", "-c", "ak.ctx", "-f", "pem", "-o", "ak.pem");
        Files.write(dir.resolve("msg.digest"), Tpm2Tools.sha256(MSG));
        Tpm2Tools.Result noTicket = tools.fails("tpm2_sign", "-c", "ak.ctx", "-g", "sha256", "-d", "-f", "plain", "-o", "ak.sig", "msg.digest");
        assertTrue(noTicket.rc("0x3e0"), "TPM_RC_TICKET on the validation parameter: " + noTicket.err());
        tools.ok("tpm2_hash", "-C", "e", "-g", "sha256", "-o", "hash.digest", "-t", "hash.ticket", "msg");
        assertArrayEquals(Tpm2Tools.sha256(MSG), bytes("hash.digest"));
        tools.ok("tpm2_sign", "-c", "ak.ctx", "-g", "sha256", "-d", "-f", "plain", "-t", "hash.ticket", "-o", "ak.sig", "hash.digest");
        assertTrue(tools.ok("openssl", "dgst", "-sha256", "-verify", "ak.pem", "-signature", "ak.sig", "msg").contains("Verified OK"));
        Signature s = Signature.getInstance("SHA256withRSA");
        s.initVerify(Tpm2Tools.pem(dir.resolve("ak.pem")));
        s.update(MSG);
        assertTrue(s.verify(bytes("ak.sig")));
    }

    @Test
    @Order(3)
    void rsaEncryptAndDecrypt() throws Exception {
        load("rsa", "rsa2048:null", "fixedtpm|fixedparent|sensitivedataorigin|userwithauth|decrypt");
        byte[] secret = "a secret".getBytes(StandardCharsets.US_ASCII);
        Files.write(dir.resolve("secret"), secret);
        tools.ok("tpm2_rsaencrypt", "-c", "rsa.ctx", "-s", "oaep", "-o", "tpm.oaep", "secret");
        assertEquals(256, Files.size(dir.resolve("tpm.oaep")));
        tools.ok("tpm2_rsadecrypt", "-c", "rsa.ctx", "-s", "oaep", "-o", "tpm.plain", "tpm.oaep");
        assertArrayEquals(secret, bytes("tpm.plain"));

        tools.ok("openssl", "pkeyutl", "-encrypt", "-pubin", "-inkey", "rsa.pem", "-pkeyopt", "rsa_padding_mode:oaep",
                "-pkeyopt", "rsa_oaep_md:sha256", "-pkeyopt", "rsa_mgf1_md:sha256", "-in", "secret", "-out", "ossl.oaep");
        tools.ok("tpm2_rsadecrypt", "-c", "rsa.ctx", "-s", "oaep", "-o", "ossl.plain", "ossl.oaep");
        assertArrayEquals(secret, bytes("ossl.plain"), "OAEP ciphertext from openssl");

        Cipher oaep = Cipher.getInstance("RSA/ECB/OAEPWithSHA-256AndMGF1Padding");
        oaep.init(Cipher.ENCRYPT_MODE, Tpm2Tools.pem(dir.resolve("rsa.pem")),
                new javax.crypto.spec.OAEPParameterSpec("SHA-256", "MGF1", java.security.spec.MGF1ParameterSpec.SHA256,
                        javax.crypto.spec.PSource.PSpecified.DEFAULT));
        Files.write(dir.resolve("jdk.oaep"), oaep.doFinal(secret));
        tools.ok("tpm2_rsadecrypt", "-c", "rsa.ctx", "-s", "oaep", "-o", "jdk.plain", "jdk.oaep");
        assertArrayEquals(secret, bytes("jdk.plain"), "OAEP ciphertext from the JDK");

        tools.ok("openssl", "pkeyutl", "-encrypt", "-pubin", "-inkey", "rsa.pem", "-pkeyopt", "rsa_padding_mode:pkcs1",
                "-in", "secret", "-out", "ossl.pkcs1");
        tools.ok("tpm2_rsadecrypt", "-c", "rsa.ctx", "-s", "rsaes", "-o", "pkcs1.plain", "ossl.pkcs1");
        assertArrayEquals(secret, bytes("pkcs1.plain"), "PKCS#1 v1.5 ciphertext from openssl");

        byte[] broken = bytes("ossl.oaep");
        broken[100] ^= 1;
        Files.write(dir.resolve("broken.oaep"), broken);
        tools.fails("tpm2_rsadecrypt", "-c", "rsa.ctx", "-s", "oaep", "-o", "broken.plain", "broken.oaep");
    }

    @Test
    @Order(4)
    void encryptDecryptMatchesOpensslAndTheJdk() throws Exception {
        byte[] key = "kkkkkkkkkkkkkkkk".getBytes(StandardCharsets.US_ASCII);
        byte[] iv = "iiiiiiiiiiiiiiii".getBytes(StandardCharsets.US_ASCII);
        byte[] plain = "plaintext for the cipher, not block aligned".getBytes(StandardCharsets.US_ASCII);
        Files.write(dir.resolve("aes.key"), key);
        Files.write(dir.resolve("iv"), iv);
        Files.write(dir.resolve("plain"), plain);
        tools.ok("tpm2_loadexternal", "-C", "n", "-G", "aes128", "-r", "aes.key", "-c", "aes.ctx");
        for (String mode : new String[] {"cfb", "ofb", "ctr"}) {
            tools.ok("tpm2_encryptdecrypt", "-c", "aes.ctx", "-G", mode, "-t", "iv", "-o", "tpm." + mode, "plain");
            tools.ok("openssl", "enc", "-aes-128-" + mode, "-K", HEX.formatHex(key), "-iv", HEX.formatHex(iv), "-in", "plain",
                    "-out", "ossl." + mode);
            assertArrayEquals(bytes("ossl." + mode), bytes("tpm." + mode), mode + " as openssl enc");
            Cipher c = Cipher.getInstance("AES/" + mode.toUpperCase() + "/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new IvParameterSpec(iv));
            assertArrayEquals(c.doFinal(plain), bytes("tpm." + mode), mode + " as the JDK");
            tools.ok("tpm2_encryptdecrypt", "-d", "-c", "aes.ctx", "-G", mode, "-t", "iv", "-o", "dec." + mode, "tpm." + mode);
            assertArrayEquals(plain, bytes("dec." + mode));
        }
        // CBC and ECB on whole blocks
        byte[] blocks = Arrays.copyOf(plain, 32);
        Files.write(dir.resolve("blocks"), blocks);
        for (String mode : new String[] {"cbc", "ecb"}) {
            tools.ok("tpm2_encryptdecrypt", "-c", "aes.ctx", "-G", mode, "-t", "iv", "-o", "tpm." + mode, "blocks");
            Cipher c = Cipher.getInstance("AES/" + mode.toUpperCase() + "/NoPadding");
            if (mode.equals("ecb")) {
                c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"));
            } else {
                c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new IvParameterSpec(iv));
            }
            assertArrayEquals(c.doFinal(blocks), bytes("tpm." + mode), mode + " as the JDK");
        }
    }

    @Test
    @Order(5)
    void hmacMatchesOpensslAndTheJdk() throws Exception {
        byte[] key = "an hmac key".getBytes(StandardCharsets.US_ASCII);
        Files.write(dir.resolve("hmac.key"), key);
        tools.ok("tpm2_loadexternal", "-C", "n", "-G", "hmac", "-a", "userwithauth|sign", "-r", "hmac.key", "-c", "hmac.ctx");
        tools.ok("tpm2_hmac", "-c", "hmac.ctx", "-o", "tpm.hmac", "msg");
        String ossl = tools.ok("openssl", "mac", "-digest", "SHA256", "-macopt", "hexkey:" + HEX.formatHex(key), "-in", "msg", "HMAC");
        assertEquals(ossl.trim().toLowerCase(), HEX.formatHex(bytes("tpm.hmac")));
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        assertArrayEquals(mac.doFinal(MSG), bytes("tpm.hmac"));
        // a long message goes through HMAC_Start / SequenceUpdate / SequenceComplete
        byte[] big = new byte[5000];
        Arrays.fill(big, (byte) 'x');
        Files.write(dir.resolve("big"), big);
        tools.ok("tpm2_hmac", "-c", "hmac.ctx", "-o", "big.hmac", "big");
        assertArrayEquals(mac.doFinal(big), bytes("big.hmac"));
    }

    static byte[] point(ECPublicKey k) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] x = ObjectsIT.unsigned(k.getW().getAffineX(), 32);
        byte[] y = ObjectsIT.unsigned(k.getW().getAffineY(), 32);
        out.write(0);
        out.write(68);
        out.write(0);
        out.write(32);
        out.writeBytes(x);
        out.write(0);
        out.write(32);
        out.writeBytes(y);
        return out.toByteArray();
    }

    @Test
    @Order(6)
    void ecdhKeyGenAndZGen() throws Exception {
        PublicKey tpmKey = load("ecdh", "ecc256:ecdh", "fixedtpm|fixedparent|sensitivedataorigin|userwithauth|decrypt");
        tools.ok("tpm2_ecdhkeygen", "-c", "ecdh.ctx", "-u", "eph.pub", "-o", "z1");
        tools.ok("tpm2_ecdhzgen", "-c", "ecdh.ctx", "-u", "eph.pub", "-o", "z2");
        assertArrayEquals(bytes("z1"), bytes("z2"), "ECDH_KeyGen and ECDH_ZGen agree");
        // the other side with the JDK: ZGen of our ephemeral point is the JDK's shared secret
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair mine = g.generateKeyPair();
        Files.write(dir.resolve("jdk.point"), point((ECPublicKey) mine.getPublic()));
        tools.ok("tpm2_ecdhzgen", "-c", "ecdh.ctx", "-u", "jdk.point", "-o", "z3");
        KeyAgreement ka = KeyAgreement.getInstance("ECDH");
        ka.init(mine.getPrivate());
        ka.doPhase(tpmKey, true);
        byte[] z = bytes("z3");
        assertArrayEquals(ka.generateSecret(), Arrays.copyOfRange(z, 4, 36), "x of the shared point");
        assertFalse(new BigInteger(1, Arrays.copyOfRange(z, 38, 70)).signum() == 0);
        // a point not on the curve is refused
        byte[] bad = bytes("jdk.point");
        bad[10] ^= 1;
        Files.write(dir.resolve("bad.point"), bad);
        tools.fails("tpm2_ecdhzgen", "-c", "ecdh.ctx", "-u", "bad.point", "-o", "z4");
    }

    @Test
    @Order(7)
    void eccParametersAreTheJdksCurves() throws Exception {
        for (String[] c : new String[][] {{"ecc256", "secp256r1", "32"}, {"ecc384", "secp384r1", "48"}}) {
            tools.ok("tpm2_geteccparameters", c[0], "-o", c[0] + ".params");
            byte[] params = bytes(c[0] + ".params");
            java.security.AlgorithmParameters ap = java.security.AlgorithmParameters.getInstance("EC");
            ap.init(new ECGenParameterSpec(c[1]));
            java.security.spec.ECParameterSpec spec = ap.getParameterSpec(java.security.spec.ECParameterSpec.class);
            int size = Integer.parseInt(c[2]);
            BigInteger p = ((java.security.spec.ECFieldFp) spec.getCurve().getField()).getP();
            for (BigInteger v : new BigInteger[] {p, spec.getCurve().getA(), spec.getCurve().getB(),
                spec.getGenerator().getAffineX(), spec.getGenerator().getAffineY(), spec.getOrder()}) {
                assertTrue(indexOf(params, ObjectsIT.unsigned(v, size)) >= 0, c[0] + ": " + v.toString(16));
            }
        }
    }

    @SafeVarargs
    static <T> T[] concat(T[]... parts) {
        int n = 0;
        for (T[] p : parts) {
            n += p.length;
        }
        T[] out = Arrays.copyOf(parts[0], n);
        int o = parts[0].length;
        for (int i = 1; i < parts.length; i++) {
            System.arraycopy(parts[i], 0, out, o, parts[i].length);
            o += parts[i].length;
        }
        return out;
    }
}
