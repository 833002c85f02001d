package org.jswtpm.core.engine.session;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.spec.MGF1ParameterSpec;
import javax.crypto.Cipher;
import javax.crypto.spec.OAEPParameterSpec;
import javax.crypto.spec.PSource;
import org.jswtpm.core.TpmException;
import org.jswtpm.core.crypto.CtrDrbg;
import org.jswtpm.core.crypto.EccCurve;
import org.jswtpm.core.crypto.HashAlg;
import org.jswtpm.core.crypto.Kdf;
import org.jswtpm.core.marshal.TpmReader;
import org.jswtpm.core.marshal.TpmWriter;
import org.jswtpm.core.types.TpmRc;

/**
 * Secret sharing with an asymmetric key (TCG TPM 2.0 Part 1, 24 "Secret sharing" and Annex B.10 / C.6),
 * both ways: with an RSA key, RSAES-OAEP with the key's nameAlg and a label; with an ECC key, one-pass
 * Diffie-Hellman: the encrypted secret is the sender's ephemeral point Qe, Z = d·Qe, and the secret is
 * KDFe(nameAlg, Z.x, label, Qe.x, Qs.x, digest bits). Salted sessions use the label "SECRET"; credentials
 * "IDENTITY" (MakeCredential / ActivateCredential); duplication "DUPLICATE" (Duplicate, Rewrap, Import).
 * A key object implementing {@link org.jswtpm.core.engine.SaltDecryptor} calls the decrypting side with
 * its JDK private key. Every decryption failure is TPM_RC_VALUE on the encrypted secret's parameter, as
 * for a salt that does not decrypt.
 */
public final class Salts {
    /** The label of secret sharing (Part 1, 24), with its terminating zero. */
    static final byte[] SECRET = {'S', 'E', 'C', 'R', 'E', 'T', 0};

    private Salts() {
    }

    /** RSAES-OAEP decryption of encryptedSalt with {@code nameAlg} and the label "SECRET". */
    public static byte[] rsa(PrivateKey key, HashAlg nameAlg, byte[] encryptedSalt) throws TpmException {
        return rsa(key, nameAlg, "SECRET", encryptedSalt, 2);
    }

    /**
     * RSAES-OAEP decryption of {@code encrypted} with {@code nameAlg} and {@code label}: TPM_RC_VALUE on
     * {@code param} if it does not decrypt or is longer than a digest (as the reference answers).
     */
    public static byte[] rsa(PrivateKey key, HashAlg nameAlg, String label, byte[] encrypted, int param)
            throws TpmException {
        try {
            Cipher c = Cipher.getInstance("RSA/ECB/OAEPPadding");
            c.init(Cipher.DECRYPT_MODE, key, oaep(nameAlg, label));
            byte[] secret = c.doFinal(encrypted);
            if (secret.length > nameAlg.digestSize()) {
                throw new TpmException(TpmRc.VALUE);
            }
            return secret;
        } catch (GeneralSecurityException | TpmException | RuntimeException e) {
            throw new TpmException(TpmRc.VALUE.parameter(param));
        }
    }

    /** RSAES-OAEP encryption of {@code secret} to {@code key}, its padding seed drawn from {@code drbg}. */
    public static byte[] rsaEncrypt(PublicKey key, HashAlg nameAlg, String label, byte[] secret, CtrDrbg drbg)
            throws GeneralSecurityException {
        Cipher c = Cipher.getInstance("RSA/ECB/OAEPPadding");
        c.init(Cipher.ENCRYPT_MODE, key, oaep(nameAlg, label), new DrbgRandom(drbg));
        return c.doFinal(secret);
    }

    /** The TPM's DRBG seen as a SecureRandom, so that the JDK's OAEP padding stays deterministic in tests. */
    private static final class DrbgRandom extends SecureRandom {
        private static final long serialVersionUID = 1L;
        private final transient CtrDrbg drbg;

        DrbgRandom(CtrDrbg drbg) {
            this.drbg = drbg;
        }

        @Override
        public void nextBytes(byte[] bytes) {
            drbg.generate(bytes);
        }
    }

    private static OAEPParameterSpec oaep(HashAlg nameAlg, String label) {
        byte[] l = (label + "\0").getBytes(StandardCharsets.US_ASCII);
        return new OAEPParameterSpec(nameAlg.jdkName(), "MGF1", new MGF1ParameterSpec(nameAlg.jdkName()),
                new PSource.PSpecified(l));
    }

    /** A shared secret and the encrypted form that carries it to the key's holder. */
    public record Shared(byte[] secret, byte[] encrypted) {
    }

    /**
     * One-pass ECDH toward the public point (qsX, qsY) with the ephemeral scalar {@code de} (in [1, n-1]):
     * the secret KDFe(nameAlg, Z.x, label, Qe.x, Qs.x, digest bits) and the TPMS_ECC_POINT Qe that
     * carries it.
     */
    public static Shared eccEncrypt(EccCurve curve, HashAlg nameAlg, String label, byte[] qsX, byte[] qsY,
            BigInteger de) {
        byte[][] qe = curve.multiplyGenerator(de);
        byte[][] z = curve.multiply(de, qsX, qsY);
        byte[] secret = Kdf.kdfe(nameAlg, z[0], label, qe[0], qsX, nameAlg.digestSize() * 8);
        return new Shared(secret, new TpmWriter(8 + 2 * curve.bytes()).tpm2b(qe[0]).tpm2b(qe[1]).toByteArray());
    }

    /**
     * ECDH with the caller's ephemeral point (a TPMS_ECC_POINT in encryptedSalt) and KDFe.
     *
     * @param curve the key's curve
     * @param d the key's private scalar
     * @param keyX the x coordinate of the key's public point, as in its public area
     */
    public static byte[] ecc(EccCurve curve, BigInteger d, HashAlg nameAlg, byte[] keyX, byte[] encryptedSalt)
            throws TpmException {
        try {
            TpmReader r = new TpmReader(encryptedSalt);
            r.tpm2b(MAX_ECC_PARAMETER);
            r.tpm2b(MAX_ECC_PARAMETER);
            r.expectEnd();
            return ecc(curve, d, nameAlg, keyX, "SECRET", encryptedSalt, 2);
        } catch (TpmException e) {
            throw new TpmException(TpmRc.VALUE.parameter(2));
        }
    }

    /**
     * As {@link #ecc(EccCurve, BigInteger, HashAlg, byte[], byte[])} with any label, and the reference's
     * response codes for the point: TPM_RC_SIZE or TPM_RC_INSUFFICIENT if the TPMS_ECC_POINT does not
     * unmarshal, TPM_RC_ECC_POINT if it is not on the curve, TPM_RC_VALUE if no secret results, each on
     * {@code param}. Z = d*Qe comes from {@link EccCurve}'s arithmetic, for every curve alike.
     */
    public static byte[] ecc(EccCurve curve, BigInteger d, HashAlg nameAlg, byte[] keyX, String label,
            byte[] encrypted, int param) throws TpmException {
        TpmReader r = new TpmReader(encrypted).parameter(param);
        byte[] x = r.tpm2b(MAX_ECC_PARAMETER);
        byte[] y = r.tpm2b(MAX_ECC_PARAMETER);
        if (!curve.isOnCurve(x, y)) {
            throw new TpmException(TpmRc.ECC_POINT.parameter(param));
        }
        byte[][] z = curve.multiply(d, x, y);
        if (z == null) {
            throw new TpmException(TpmRc.VALUE.parameter(param));
        }
        return Kdf.kdfe(nameAlg, z[0], label, x, keyX, nameAlg.digestSize() * 8);
    }

    /** TPM2B_ECC_PARAMETER maximum: libtpms 0.9's MAX_ECC_KEY_BYTES (a BN P-638 coordinate). */
    private static final int MAX_ECC_PARAMETER = 80;
}
