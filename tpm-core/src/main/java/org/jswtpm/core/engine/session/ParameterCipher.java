package org.jswtpm.core.engine.session;

import java.security.GeneralSecurityException;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.jswtpm.core.crypto.HashAlg;
import org.jswtpm.core.crypto.Kdf;

/**
 * Session-based encryption of the first TPM2B parameter (TCG TPM 2.0 Part 1, 21): XOR obfuscation
 * with a KDFa mask (21.2) or AES in CFB mode with a key and IV from KDFa (21.3). The key material is
 * sessionKey || authValue; nonceNewer and nonceOlder are nonceCaller and nonceTPM for a command,
 * nonceTPM and nonceCaller for a response.
 */
public final class ParameterCipher {
    private static final int AES_BLOCK = 16;

    private ParameterCipher() {
    }

    /**
     * Encrypts ({@code encrypt} true) or decrypts {@code length} bytes of {@code buf} at {@code off},
     * in place, as {@code session}'s symmetric definition says.
     */
    public static void apply(AuthSession session, boolean encrypt, byte[] key, byte[] nonceNewer,
            byte[] nonceOlder, byte[] buf, int off, int length) {
        apply(null, session, encrypt, key, nonceNewer, nonceOlder, buf, off, length);
    }

    /**
     * As {@link #apply(AuthSession, boolean, byte[], byte[], byte[], byte[], int, int)}, reusing
     * {@code aesCfb} (an "AES/CFB/NoPadding" cipher of this TPM, re-initialized here) if not null.
     */
    public static void apply(Cipher aesCfb, AuthSession session, boolean encrypt, byte[] key,
            byte[] nonceNewer, byte[] nonceOlder, byte[] buf, int off, int length) {
        SymmetricDef sym = session.symmetric();
        if (length == 0) {
            return;
        }
        if (sym.isXor()) {
            xor(session.authHash(), key, nonceNewer, nonceOlder, buf, off, length);
        } else {
            cfb(aesCfb, encrypt, session.authHash(), sym.keyBits(), key, nonceNewer, nonceOlder, buf, off, length);
        }
    }

    /** A fresh "AES/CFB/NoPadding" cipher (CFB with full-block feedback, as Part 1, 21.3 requires). */
    public static Cipher newAesCfb() {
        try {
            return Cipher.getInstance("AES/CFB/NoPadding");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES/CFB is unavailable in this JDK", e);
        }
    }

    /** Part 1, 21.2: data XOR KDFa(hash, key, "XOR", nonceNewer, nonceOlder, length * 8). */
    static void xor(HashAlg hash, byte[] key, byte[] newer, byte[] older, byte[] buf, int off, int length) {
        byte[] mask = Kdf.kdfa(hash, key, "XOR", newer, older, length * 8);
        for (int i = 0; i < length; i++) {
            buf[off + i] ^= mask[i];
        }
    }

    /** Part 1, 21.3: AES-CFB with key || IV = KDFa(hash, key, "CFB", nonceNewer, nonceOlder, bits + 128). */
    static void cfb(Cipher aesCfb, boolean encrypt, HashAlg hash, int keyBits, byte[] key, byte[] newer, byte[] older,
            byte[] buf, int off, int length) {
        byte[] material = Kdf.kdfa(hash, key, "CFB", newer, older, keyBits + AES_BLOCK * 8);
        int keyBytes = keyBits / 8;
        try {
            Cipher c = aesCfb != null ? aesCfb : newAesCfb();
            c.init(encrypt ? Cipher.ENCRYPT_MODE : Cipher.DECRYPT_MODE,
                    new SecretKeySpec(material, 0, keyBytes, "AES"),
                    new IvParameterSpec(material, keyBytes, AES_BLOCK));
            int n = c.doFinal(buf, off, length, buf, off);
            if (n != length) {
                throw new IllegalStateException("AES-CFB changed the length");
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES/CFB is unavailable in this JDK", e);
        } finally {
            Arrays.fill(material, (byte) 0);
        }
    }
}
