package org.jswtpm.core.command;

import static org.jswtpm.core.testing.TestObjects.DECRYPT;
import static org.jswtpm.core.testing.TestObjects.FIXED_PARENT;
import static org.jswtpm.core.testing.TestObjects.FIXED_TPM;
import static org.jswtpm.core.testing.TestObjects.NULL;
import static org.jswtpm.core.testing.TestObjects.SENSITIVE_DATA_ORIGIN;
import static org.jswtpm.core.testing.TestObjects.SHA256;
import static org.jswtpm.core.testing.TestObjects.SIGNING;
import static org.jswtpm.core.testing.TestObjects.USER_WITH_AUTH;
import static org.jswtpm.core.testing.TestTpm.run;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.MGF1ParameterSpec;
import javax.crypto.Cipher;
import javax.crypto.KeyAgreement;
import javax.crypto.spec.OAEPParameterSpec;
import javax.crypto.spec.PSource;
import org.jswtpm.core.Tpm;
import org.jswtpm.core.crypto.EccCurve;
import org.jswtpm.core.marshal.TpmReader;
import org.jswtpm.core.marshal.TpmWriter;
import org.jswtpm.core.testing.Command;
import org.jswtpm.core.testing.Keys;
import org.jswtpm.core.testing.TestObjects;
import org.jswtpm.core.testing.TestTpm;
import org.jswtpm.core.types.TpmCc;
import org.jswtpm.core.types.TpmRc;
import org.jswtpm.core.types.TpmRh;
import org.junit.jupiter.api.Test;

/** Part 3, 14: RSA_Encrypt, RSA_Decrypt, ECDH_KeyGen, ECDH_ZGen, ECC_Parameters against the JDK. */
class AsymmetricCommandsTest {
    static final int DECRYPT_KEY = FIXED_TPM | FIXED_PARENT | SENSITIVE_DATA_ORIGIN | USER_WITH_AUTH | DECRYPT;
    static final int RSAES = 0x15;
    static final int OAEP = 0x17;
    static final byte[] LABEL = "label\0".getBytes();
    static final byte[] SECRET = "a secret".getBytes();

    static Command encrypt(int key, byte[] msg, int scheme, byte[] label) {
        Command c = Command.of(TpmCc.RSA_Encrypt).handle(key).tpm2b(msg).u16(scheme);
        if (scheme == OAEP) {
            c.u16(SHA256);
        }
        return c.tpm2b(label);
    }

    static Command decrypt(int key, byte[] ct, int scheme, byte[] label) {
        Command c = Command.of(TpmCc.RSA_Decrypt).handle(key).emptyAuth().tpm2b(ct).u16(scheme);
        if (scheme == OAEP) {
            c.u16(SHA256);
        }
        return c.tpm2b(label);
    }

    static Cipher oaep(int mode, java.security.Key key, byte[] label) throws Exception {
        Cipher c = Cipher.getInstance("RSA/ECB/OAEPPadding");
        c.init(mode, key, new OAEPParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256,
                new PSource.PSpecified(label)));
        return c;
    }

    @Test
    void oaepAndPkcs1BothWays() throws Exception {
        Tpm tpm = TestTpm.started();
        Keys.Key key = Keys.primary(tpm, TpmRh.OWNER, TestObjects.rsa(DECRYPT_KEY, 2048, NULL, 0));
        // JDK encrypts, TPM decrypts
        byte[] ct = oaep(Cipher.ENCRYPT_MODE, key.jdk(), LABEL).doFinal(SECRET);
        assertArrayEquals(SECRET, run(tpm, decrypt(key.handle(), ct, OAEP, LABEL)).okWithSessions(0).tpm2b(512));
        // the label without its zero is malformed; another label does not decrypt
        run(tpm, decrypt(key.handle(), ct, OAEP, "label".getBytes())).assertRc(TpmRc.VALUE.parameter(3));
        run(tpm, decrypt(key.handle(), ct, OAEP, "lab\0".getBytes())).assertRc(TpmRc.VALUE);
        // TPM encrypts; with the private key only the TPM has, decrypt on the TPM, and check the JDK's
        // public-key ciphertext format by decrypting a JDK PKCS#1 ciphertext too
        byte[] tct = run(tpm, encrypt(key.handle(), SECRET, OAEP, LABEL)).ok().tpm2b(512);
        assertEquals(256, tct.length);
        assertArrayEquals(SECRET, run(tpm, decrypt(key.handle(), tct, OAEP, LABEL)).okWithSessions(0).tpm2b(512));
        Cipher pkcs = Cipher.getInstance("RSA/ECB/PKCS1Padding");
        pkcs.init(Cipher.ENCRYPT_MODE, key.jdk());
        assertArrayEquals(SECRET, run(tpm, decrypt(key.handle(), pkcs.doFinal(SECRET), RSAES, new byte[0]))
                .okWithSessions(0).tpm2b(512));
        // raw: m^e mod n
        byte[] raw = run(tpm, encrypt(key.handle(), SECRET, NULL, new byte[0])).ok().tpm2b(512);
        RSAPublicKey pk = (RSAPublicKey) key.jdk();
        assertEquals(new BigInteger(1, SECRET).modPow(pk.getPublicExponent(), pk.getModulus()), new BigInteger(1, raw));
        byte[] back = run(tpm, decrypt(key.handle(), raw, NULL, new byte[0])).okWithSessions(0).tpm2b(512);
        assertEquals(new BigInteger(1, SECRET), new BigInteger(1, back));
        assertEquals(256, back.length);
    }

    @Test
    void tpmCiphertextDecryptsWithAJdkKeyLoadedExternally() throws Exception {
        // a JDK key pair loaded as a public key: the TPM's OAEP ciphertext opens with the JDK private key
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        KeyPair kp = g.generateKeyPair();
        Tpm tpm = TestTpm.started();
        byte[] n = ((RSAPublicKey) kp.getPublic()).getModulus().toByteArray();
        n = java.util.Arrays.copyOfRange(n, n.length - 256, n.length);
        TpmWriter w = new TpmWriter();
        int at = w.startSized16();
        w.u16(TestObjects.RSA).u16(SHA256).u32(USER_WITH_AUTH | DECRYPT).u16(0).u16(NULL).u16(NULL).u16(2048).u32(0).tpm2b(n);
        w.endSized16(at);
        int h = run(tpm, Command.of(TpmCc.LoadExternal).u16(0).bytes(w.toByteArray()).u32(TpmRh.OWNER)).ok().u32();
        byte[] ct = run(tpm, encrypt(h, SECRET, OAEP, LABEL)).ok().tpm2b(512);
        assertArrayEquals(SECRET, oaep(Cipher.DECRYPT_MODE, kp.getPrivate(), LABEL).doFinal(ct));
        Cipher pkcs = Cipher.getInstance("RSA/ECB/PKCS1Padding");
        pkcs.init(Cipher.DECRYPT_MODE, kp.getPrivate());
        assertArrayEquals(SECRET, pkcs.doFinal(run(tpm, encrypt(h, SECRET, RSAES, new byte[0])).ok().tpm2b(512)));
    }

    @Test
    void rsaRules() throws Exception {
        Tpm tpm = TestTpm.started();
        Keys.Key signer = Keys.primary(tpm, TpmRh.OWNER, TestObjects.rsa(SIGNING, 2048, NULL, 0));
        run(tpm, encrypt(signer.handle(), SECRET, OAEP, LABEL)).assertRc(TpmRc.ATTRIBUTES.handle(1));
        TestObjects.flush(tpm, signer.handle());
        Keys.Key storage = Keys.primary(tpm, TpmRh.OWNER, TestObjects.rsaStorage(2048));
        // a restricted decryption key encrypts but does not decrypt
        byte[] ct = run(tpm, encrypt(storage.handle(), SECRET, OAEP, LABEL)).ok().tpm2b(512);
        run(tpm, decrypt(storage.handle(), ct, OAEP, LABEL)).assertRc(TpmRc.ATTRIBUTES.handle(1));
        Keys.Key ecc = Keys.primary(tpm, TpmRh.OWNER, TestObjects.eccStorage(3));
        run(tpm, encrypt(ecc.handle(), SECRET, OAEP, LABEL)).assertRc(TpmRc.KEY.handle(1));
        TestObjects.flush(tpm, ecc.handle());
        Keys.Key oaepKey = Keys.primary(tpm, TpmRh.ENDORSEMENT, TestObjects.rsa(DECRYPT_KEY, 2048, OAEP, SHA256));
        run(tpm, encrypt(oaepKey.handle(), SECRET, RSAES, new byte[0])).assertRc(TpmRc.SCHEME.parameter(2));
        run(tpm, encrypt(oaepKey.handle(), SECRET, 0x14, new byte[0])).assertRc(TpmRc.VALUE.parameter(2));
        run(tpm, decrypt(oaepKey.handle(), new byte[255], OAEP, LABEL)).assertRc(TpmRc.SIZE);
        run(tpm, encrypt(oaepKey.handle(), new byte[300], OAEP, LABEL)).assertRc(TpmRc.VALUE);
    }

    static byte[][] point(TpmReader r) throws Exception {
        int size = r.u16();
        TpmReader p = r.slice(size);
        return new byte[][] {p.tpm2b(80), p.tpm2b(80)};
    }

    static byte[] pointBytes(byte[] x, byte[] y) {
        TpmWriter w = new TpmWriter();
        int at = w.startSized16();
        w.tpm2b(x).tpm2b(y);
        w.endSized16(at);
        return w.toByteArray();
    }

    @Test
    void ecdhMatchesTheJdkKeyAgreement() throws Exception {
        Tpm tpm = TestTpm.started();
        Keys.Key key = Keys.primary(tpm, TpmRh.OWNER, TestObjects.ecc(DECRYPT_KEY, 3, NULL, 0));
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair peer = g.generateKeyPair();
        ECPoint w = ((ECPublicKey) peer.getPublic()).getW();
        EccCurve c = EccCurve.NIST_P256;
        TpmReader r = run(tpm, Command.of(TpmCc.ECDH_ZGen).handle(key.handle()).emptyAuth()
                .bytes(pointBytes(c.fixed(w.getAffineX()), c.fixed(w.getAffineY())))).okWithSessions(0);
        byte[][] z = point(r);
        KeyAgreement ka = KeyAgreement.getInstance("ECDH");
        ka.init(peer.getPrivate());
        ka.doPhase(key.jdk(), true);
        assertArrayEquals(ka.generateSecret(), z[0]);

        // KeyGen: z = d_e * Q; ZGen of the ephemeral public point gives the same z
        r = run(tpm, Command.of(TpmCc.ECDH_KeyGen).handle(key.handle())).ok();
        byte[][] zk = point(r);
        byte[][] pub = point(r);
        byte[][] z2 = point(run(tpm, Command.of(TpmCc.ECDH_ZGen).handle(key.handle()).emptyAuth()
                .bytes(pointBytes(pub[0], pub[1]))).okWithSessions(0));
        assertArrayEquals(zk[0], z2[0]);
        assertArrayEquals(zk[1], z2[1]);
        // the JDK agrees too
        java.security.PublicKey ephemeral = java.security.KeyFactory.getInstance("EC").generatePublic(
                new ECPublicKeySpec(new ECPoint(new BigInteger(1, pub[0]), new BigInteger(1, pub[1])), c.spec()));
        assertEquals(EccCurve.NIST_P256.bytes(), zk[0].length);
        assertEquals(ephemeral.getAlgorithm(), "EC");

        // a point off the curve
        byte[] y = c.fixed(w.getAffineY().add(BigInteger.ONE));
        run(tpm, Command.of(TpmCc.ECDH_ZGen).handle(key.handle()).emptyAuth()
                .bytes(pointBytes(c.fixed(w.getAffineX()), y))).assertRc(TpmRc.ECC_POINT.parameter(1));
        // a restricted key, a signing key, an RSA key
        Keys.Key storage = Keys.primary(tpm, TpmRh.OWNER, TestObjects.eccStorage(3));
        run(tpm, Command.of(TpmCc.ECDH_ZGen).handle(storage.handle()).emptyAuth().bytes(pointBytes(pub[0], pub[1])))
                .assertRc(TpmRc.ATTRIBUTES.handle(1));
        Keys.Key rsa = Keys.primary(tpm, TpmRh.ENDORSEMENT, TestObjects.rsaStorage(2048));
        run(tpm, Command.of(TpmCc.ECDH_KeyGen).handle(rsa.handle())).assertRc(TpmRc.KEY.handle(1));
    }

    @Test
    void eccParameters() throws Exception {
        Tpm tpm = TestTpm.started();
        TpmReader r = run(tpm, Command.of(TpmCc.ECC_Parameters).u16(3)).ok();
        assertEquals(3, r.u16());
        assertEquals(256, r.u16());
        assertEquals(0x20, r.u16(), "KDF1_SP800_56A");
        assertEquals(SHA256, r.u16());
        assertEquals(NULL, r.u16());
        java.security.spec.ECParameterSpec spec = EccCurve.NIST_P256.spec();
        assertEquals(((java.security.spec.ECFieldFp) spec.getCurve().getField()).getP(), new BigInteger(1, r.tpm2b(66)));
        r.tpm2b(66);
        assertEquals(spec.getCurve().getB(), new BigInteger(1, r.tpm2b(66)));
        assertEquals(spec.getGenerator().getAffineX(), new BigInteger(1, r.tpm2b(66)));
        assertEquals(spec.getGenerator().getAffineY(), new BigInteger(1, r.tpm2b(66)));
        assertEquals(spec.getOrder(), new BigInteger(1, r.tpm2b(66)));
        assertArrayEquals(new byte[] {1}, r.tpm2b(66));
        run(tpm, Command.of(TpmCc.ECC_Parameters).u16(0x12)).assertRc(TpmRc.CURVE.parameter(1)); // unassigned
    }
}
