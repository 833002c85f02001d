package org.jswtpm.core.testing;

import static org.jswtpm.core.testing.SessionClient.cat;
import static org.jswtpm.core.testing.SessionClient.digest;
import static org.jswtpm.core.testing.SessionClient.hmac;
import static org.jswtpm.core.testing.SessionClient.kdfa;
import static org.jswtpm.core.testing.SessionClient.u32;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.AlgorithmParameters;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.RSAPublicKeySpec;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.KeyAgreement;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.OAEPParameterSpec;
import javax.crypto.spec.PSource;
import javax.crypto.spec.SecretKeySpec;
import org.jswtpm.core.marshal.TpmReader;
import org.jswtpm.core.marshal.TpmWriter;

/**
 * What a remote party does without a TPM, written with the JDK only (not the engine's code): secret
 * sharing toward an RSA (OAEP, label with its zero) or NIST P-256 key (ephemeral ECDH, KDFe), and the
 * outer wrapper of credentials and duplicates (Part 1, 24 and 23.3: KDFa "STORAGE" and "INTEGRITY",
 * AES-CFB with a zero IV, HMAC over the encrypted data and the Name). SHA-256 and AES-128 throughout.
 */
public final class Offline {
    private Offline() {
    }

    /** A seed and the TPM2B_ENCRYPTED_SECRET contents that carry it. */
    public record Secret(byte[] seed, byte[] encrypted) {
    }

    public static PublicKey rsaPublic(byte[] modulus) throws Exception {
        return KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(new BigInteger(1, modulus),
                BigInteger.valueOf(65537)));
    }

    public static ECParameterSpec p256() throws Exception {
        AlgorithmParameters p = AlgorithmParameters.getInstance("EC");
        p.init(new ECGenParameterSpec("secp256r1"));
        return p.getParameterSpec(ECParameterSpec.class);
    }

    private static OAEPParameterSpec oaep(String label) {
        return new OAEPParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256,
                new PSource.PSpecified((label + "\0").getBytes(StandardCharsets.US_ASCII)));
    }

    public static Secret rsaSecret(PublicKey key, String label, byte[] seed) throws Exception {
        Cipher c = Cipher.getInstance("RSA/ECB/OAEPPadding");
        c.init(Cipher.ENCRYPT_MODE, key, oaep(label));
        return new Secret(seed, c.doFinal(seed));
    }

    public static byte[] rsaOpen(PrivateKey key, String label, byte[] encrypted) throws Exception {
        Cipher c = Cipher.getInstance("RSA/ECB/OAEPPadding");
        c.init(Cipher.DECRYPT_MODE, key, oaep(label));
        return c.doFinal(encrypted);
    }

    /** {@code v} as exactly {@code size} big-endian bytes. */
    public static byte[] fixed(BigInteger v, int size) {
        byte[] b = v.toByteArray();
        byte[] out = new byte[size];
        int n = Math.min(size, b.length);
        System.arraycopy(b, b.length - n, out, size - n, n);
        return out;
    }

    static byte[] fixed32(BigInteger v) {
        return fixed(v, 32);
    }

    public static byte[] kdfe(byte[] z, String label, byte[] u, byte[] v) {
        return digest("SHA-256", u32(1), z, (label + "\0").getBytes(StandardCharsets.US_ASCII), u, v);
    }

    /** One-pass ECDH toward the P-256 point (x, y) with a fresh ephemeral key. */
    public static Secret eccSecret(byte[] x, byte[] y, String label) throws Exception {
        ECParameterSpec curve = p256();
        PublicKey qs = KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(
                new ECPoint(new BigInteger(1, x), new BigInteger(1, y)), curve));
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(curve);
        KeyPair e = g.generateKeyPair();
        KeyAgreement ka = KeyAgreement.getInstance("ECDH");
        ka.init(e.getPrivate());
        ka.doPhase(qs, true);
        ECPoint qe = ((ECPublicKey) e.getPublic()).getW();
        byte[] qeX = fixed32(qe.getAffineX());
        byte[] seed = kdfe(ka.generateSecret(), label, qeX, x);
        return new Secret(seed, new TpmWriter().tpm2b(qeX).tpm2b(fixed32(qe.getAffineY())).toByteArray());
    }

    /** The seed in {@code encrypted} (a TPMS_ECC_POINT) for the P-256 key (d, Qs.x). */
    public static byte[] eccOpen(PrivateKey d, byte[] qsX, String label, byte[] encrypted) throws Exception {
        TpmReader r = new TpmReader(encrypted);
        byte[] x = r.tpm2b(66);
        byte[] y = r.tpm2b(66);
        PublicKey qe = KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(
                new ECPoint(new BigInteger(1, x), new BigInteger(1, y)), p256()));
        KeyAgreement ka = KeyAgreement.getInstance("ECDH");
        ka.init(d);
        ka.doPhase(qe, true);
        return kdfe(ka.generateSecret(), label, x, qsX);
    }

    public static byte[] cfb(int mode, byte[] key, byte[] data) throws Exception {
        Cipher c = Cipher.getInstance("AES/CFB/NoPadding");
        c.init(mode, new SecretKeySpec(key, "AES"), new IvParameterSpec(new byte[16]));
        return c.doFinal(data);
    }

    /** {@code TPM2B outerHMAC || CFB(data)}, keys from {@code seed} and {@code name}. */
    public static byte[] outerWrap(byte[] seed, byte[] name, byte[] data) throws Exception {
        byte[] enc = cfb(Cipher.ENCRYPT_MODE, kdfa("SHA-256", seed, "STORAGE", name, new byte[0], 128), data);
        byte[] mac = hmac("SHA-256", kdfa("SHA-256", seed, "INTEGRITY", new byte[0], new byte[0], 256), enc, name);
        return cat(new TpmWriter().tpm2b(mac).toByteArray(), enc);
    }

    /** The data of an outer wrapper made with {@code seed} for {@code name}, after checking its HMAC. */
    public static byte[] outerUnwrap(byte[] seed, byte[] name, byte[] blob) throws Exception {
        TpmReader r = new TpmReader(blob);
        byte[] mac = r.tpm2b(64);
        byte[] enc = r.bytes(r.remaining());
        byte[] expected = hmac("SHA-256", kdfa("SHA-256", seed, "INTEGRITY", new byte[0], new byte[0], 256), enc, name);
        if (!Arrays.equals(mac, expected)) {
            throw new AssertionError("outer HMAC does not verify");
        }
        return cfb(Cipher.DECRYPT_MODE, kdfa("SHA-256", seed, "STORAGE", name, new byte[0], 128), enc);
    }
}
