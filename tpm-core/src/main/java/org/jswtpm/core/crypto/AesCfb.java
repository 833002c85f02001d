package org.jswtpm.core.crypto;

import java.security.GeneralSecurityException;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES in CFB mode with a full-block (128-bit) feedback, as TPM 2.0 uses it to protect object
 * sensitive areas and saved contexts (TCG TPM 2.0 Part 1, 11.4.6.3). One instance keeps its JDK cipher
 * warm; not thread safe.
 */
public final class AesCfb {
    public static final int BLOCK = 16;
    private final Cipher cipher;

    public AesCfb() {
        try {
            cipher = Cipher.getInstance("AES/CFB/NoPadding");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES/CFB is unavailable in this JDK", e);
        }
    }

    /** Encrypts {@code data} with {@code key}; {@code iv} null means an all-zero IV. */
    public byte[] encrypt(byte[] key, byte[] iv, byte[] data) {
        return run(Cipher.ENCRYPT_MODE, key, iv, data);
    }

    public byte[] decrypt(byte[] key, byte[] iv, byte[] data) {
        return run(Cipher.DECRYPT_MODE, key, iv, data);
    }

    private byte[] run(int mode, byte[] key, byte[] iv, byte[] data) {
        try {
            cipher.init(mode, new SecretKeySpec(key, "AES"), new IvParameterSpec(iv == null ? new byte[BLOCK] : iv));
            return cipher.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
