package org.jswtpm.core.engine;

import org.jswtpm.core.TpmException;

/**
 * A loaded key that can recover the salt of a salted session (TCG TPM 2.0 Part 1, 19.6.13 "salted
 * session" and 24 "Secret sharing"; Part 3, 11.1 TPM2_StartAuthSession tpmKey). An RSA key decrypts
 * encryptedSalt with OAEP and the label "SECRET"; an ECC key reads it as the caller's ephemeral point,
 * computes Z by ECDH and derives the salt with KDFe(nameAlg, Z.x, "SECRET", ephemeral.x, key.x,
 * digest bits); {@link org.jswtpm.core.engine.session.Salts} does both with JDK keys. Objects that can
 * do neither answer false to {@link #canDecryptSalt()} (or do not implement this interface), and
 * StartAuthSession answers TPM_RC_KEY for them.
 */
public interface SaltDecryptor {
    /** False for an object of a type that cannot share a secret (symmetric, keyed hash): TPM_RC_KEY. */
    default boolean canDecryptSalt() {
        return true;
    }

    /**
     * Checks that this key may decrypt a salt: TPM_RC_HANDLE (handle 1) for a public-only object,
     * TPM_RC_ATTRIBUTES (handle 1) for a key without the decrypt attribute.
     */
    void checkSaltKey() throws TpmException;

    /** The salt, or TPM_RC_VALUE (parameter 2) if {@code encryptedSalt} does not decrypt. */
    byte[] decryptSalt(byte[] encryptedSalt) throws TpmException;
}
