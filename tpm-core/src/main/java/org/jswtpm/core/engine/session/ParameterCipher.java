package org.jswtpm.core.engine.session;

import java.security.GeneralSecurityException;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.jswtpm.core.crypto.HashAlg;
import org.jswtpm.core.crypto.Kdf;
import org.jswtpm.core.crypto.SymCfb;
import org.jswtpm.core.crypto.SymCiphers;
import org.jswtpm.core.types.TpmAlg;

/**
 * Session-based encryption of the first TPM2B parameter (TCG TPM 2.0 Part 1, 21): XOR obfuscation
 * with a KDFa mask (21.2) or a block cipher (AES, Camellia, TDES) in CFB mode with a key and IV from KDFa
 * (21.3; the IV is a block: 16 bytes, 8 for TDES). The key material is
 * sessionKey || authValue; nonceNewer and nonceOlder are nonceCaller and nonceTPM for a command,
 * nonceTPM and nonceCaller for a response.
 */
public final class ParameterCipher {
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
            cfb(aesCfb, encrypt, session.authHash(), sym, key, nonceNewer, nonceOlder, buf, off, length);
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

    /**
     * Part 1, 21.3: CFB with key || IV = KDFa(hash, key, "CFB", nonceNewer, nonceOlder, bits + block bits);
     * AES through {@code aesCfb} (this TPM's warm cipher) when not null.
     */
    static void cfb(Cipher aesCfb, boolean encrypt, HashAlg hash, SymmetricDef sym, byte[] key, byte[] newer,
            byte[] older, byte[] buf, int off, int length) {
        int alg = sym.algorithm().id();
        int block = SymCiphers.blockSize(alg);
        int keyBytes = sym.keyBits() / 8;
        byte[] material = Kdf.kdfa(hash, key, "CFB", newer, older, sym.keyBits() + block * 8);
        try {
            if (sym.algorithm() != TpmAlg.AES) {
                byte[] k = Arrays.copyOf(material, keyBytes);
                byte[] iv = Arrays.copyOfRange(material, keyBytes, keyBytes + block);
                byte[] in = Arrays.copyOfRange(buf, off, off + length);
                byte[] out = encrypt ? new SymCfb().encrypt(alg, k, iv, in) : new SymCfb().decrypt(alg, k, iv, in);
                System.arraycopy(out, 0, buf, off, length);
                Arrays.fill(k, (byte) 0);
                return;
            }
            Cipher c = aesCfb != null ? aesCfb : newAesCfb();
            c.init(encrypt ? Cipher.ENCRYPT_MODE : Cipher.DECRYPT_MODE,
                    new SecretKeySpec(material, 0, keyBytes, "AES"),
                    new IvParameterSpec(material, keyBytes, block));
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
