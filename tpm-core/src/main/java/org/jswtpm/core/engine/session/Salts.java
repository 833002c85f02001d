package org.jswtpm.core.engine.session;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.MGF1ParameterSpec;
import javax.crypto.Cipher;
import javax.crypto.KeyAgreement;
import javax.crypto.spec.OAEPParameterSpec;
import javax.crypto.spec.PSource;
import org.jswtpm.core.TpmException;
import org.jswtpm.core.crypto.HashAlg;
import org.jswtpm.core.crypto.Kdf;
import org.jswtpm.core.marshal.TpmReader;
import org.jswtpm.core.types.TpmRc;

/**
 * Recovering the salt of a salted session with the JDK (TCG TPM 2.0 Part 1, 24 "Secret sharing" and
 * Annex B.10 / C.6): with an RSA key, RSAES-OAEP with the key's nameAlg and the label "SECRET"; with an
 * ECC key, one-pass Diffie-Hellman: encryptedSalt is the caller's ephemeral point Qe, Z = d·Qe, and the
 * salt is KDFe(nameAlg, Z.x, "SECRET", Qe.x, Qs.x, digest bits). A key object implementing
 * {@link org.jswtpm.core.engine.SaltDecryptor} calls these with its JDK private key. Every failure is
 * TPM_RC_VALUE on encryptedSalt (parameter 2), as for a salt that does not decrypt.
 */
public final class Salts {
    /** The label of secret sharing (Part 1, 24), with its terminating zero. */
    static final byte[] SECRET = {'S', 'E', 'C', 'R', 'E', 'T', 0};

    private Salts() {
    }

    /** RSAES-OAEP decryption of encryptedSalt with {@code nameAlg} and the label "SECRET". */
    public static byte[] rsa(PrivateKey key, HashAlg nameAlg, byte[] encryptedSalt) throws TpmException {
        try {
            Cipher c = Cipher.getInstance("RSA/ECB/OAEPPadding");
            c.init(Cipher.DECRYPT_MODE, key, new OAEPParameterSpec(nameAlg.jdkName(), "MGF1",
                    new MGF1ParameterSpec(nameAlg.jdkName()), new PSource.PSpecified(SECRET)));
            return c.doFinal(encryptedSalt);
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new TpmException(TpmRc.VALUE.parameter(2));
        }
    }

    /**
     * ECDH with the caller's ephemeral point (a TPMS_ECC_POINT in encryptedSalt) and KDFe.
     *
     * @param curve the key's curve parameters
     * @param keyX the x coordinate of the key's public point, as in its public area
     */
    public static byte[] ecc(PrivateKey key, ECParameterSpec curve, HashAlg nameAlg, byte[] keyX,
            byte[] encryptedSalt) throws TpmException {
        try {
            TpmReader r = new TpmReader(encryptedSalt);
            byte[] x = r.tpm2b(128);
            byte[] y = r.tpm2b(128);
            r.expectEnd();
            ECPoint q = new ECPoint(new BigInteger(1, x), new BigInteger(1, y));
            KeyAgreement ka = KeyAgreement.getInstance("ECDH");
            ka.init(key);
            ka.doPhase(KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(q, curve)), true);
            byte[] z = ka.generateSecret();
            return Kdf.kdfe(nameAlg, z, "SECRET", x, keyX, nameAlg.digestSize() * 8);
        } catch (GeneralSecurityException | TpmException | RuntimeException e) {
            throw new TpmException(TpmRc.VALUE.parameter(2));
        }
    }
}
