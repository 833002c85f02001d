package org.jswtpm.core.engine.session;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.MGF1ParameterSpec;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.KeyAgreement;
import javax.crypto.spec.OAEPParameterSpec;
import javax.crypto.spec.PSource;
import org.jswtpm.core.TpmException;
import org.jswtpm.core.crypto.EccCurve;
import org.jswtpm.core.crypto.HashAlg;
import org.jswtpm.core.marshal.TpmWriter;
import org.jswtpm.core.testing.SessionClient;
import org.jswtpm.core.types.TpmRc;
import org.junit.jupiter.api.Test;

/** Salt recovery for salted sessions, against the caller's side computed with the JDK. */
class SaltsTest {
    static final byte[] SALT = "0123456789abcdef0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    @Test
    void rsaOaepWithTheSecretLabel() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        KeyPair kp = g.generateKeyPair();
        Cipher c = Cipher.getInstance("RSA/ECB/OAEPPadding");
        c.init(Cipher.ENCRYPT_MODE, kp.getPublic(), new OAEPParameterSpec("SHA-256", "MGF1",
                MGF1ParameterSpec.SHA256, new PSource.PSpecified("SECRET\0".getBytes("US-ASCII"))));
        byte[] encrypted = c.doFinal(SALT);
        assertArrayEquals(SALT, Salts.rsa(kp.getPrivate(), HashAlg.SHA256, encrypted));
        encrypted[5] ^= 1;
        assertEquals(TpmRc.VALUE.parameter(2),
                assertThrows(TpmException.class, () -> Salts.rsa(kp.getPrivate(), HashAlg.SHA256, encrypted)).rc());
    }

    static byte[] fixed(BigInteger v, int n) {
        byte[] b = v.toByteArray();
        if (b.length > n) {
            return Arrays.copyOfRange(b, b.length - n, b.length);
        }
        byte[] out = new byte[n];
        System.arraycopy(b, 0, out, n - b.length, b.length);
        return out;
    }

    @Test
    void eccOnePassDiffieHellmanAndKdfe() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair tpmKey = g.generateKeyPair();
        KeyPair ephemeral = g.generateKeyPair();
        ECPublicKey qs = (ECPublicKey) tpmKey.getPublic();
        ECPublicKey qe = (ECPublicKey) ephemeral.getPublic();
        byte[] qsX = fixed(qs.getW().getAffineX(), 32);
        byte[] qeX = fixed(qe.getW().getAffineX(), 32);
        byte[] qeY = fixed(qe.getW().getAffineY(), 32);
        KeyAgreement ka = KeyAgreement.getInstance("ECDH");
        ka.init(ephemeral.getPrivate());
        ka.doPhase(qs, true);
        byte[] z = ka.generateSecret();
        // KDFe (Part 1, 11.4.10.3): H(counter || Z || "SECRET\0" || partyU || partyV), one block here.
        byte[] expected = SessionClient.digest("SHA-256", SessionClient.u32(1), z,
                "SECRET\0".getBytes("US-ASCII"), qeX, qsX);
        TpmWriter point = new TpmWriter();
        point.tpm2b(qeX).tpm2b(qeY);
        BigInteger d = ((ECPrivateKey) tpmKey.getPrivate()).getS();
        byte[] salt = Salts.ecc(EccCurve.NIST_P256, d, HashAlg.SHA256, qsX, point.toByteArray());
        assertArrayEquals(expected, salt);
        // A point that is not on the curve does not decrypt.
        TpmWriter bad = new TpmWriter();
        bad.tpm2b(qeX).tpm2b(qeX);
        assertEquals(TpmRc.VALUE.parameter(2), assertThrows(TpmException.class,
                () -> Salts.ecc(EccCurve.NIST_P256, d, HashAlg.SHA256, qsX, bad.toByteArray())).rc());
    }
}
