package org.jswtpm.core.crypto;

import java.security.GeneralSecurityException;
import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;
import org.jswtpm.core.types.TpmAlg;

/**
 * AES in the block modes of TPM2_EncryptDecrypt (TCG TPM 2.0 Part 1, C.x and the reference's
 * CryptSymmetricEncrypt / Decrypt): CFB-128, OFB, CTR (the whole block as a big-endian counter), CBC and
 * ECB without padding. Each call updates the IV as the TPM returns it in ivOut: the last ciphertext
 * block (CBC, and CFB where a partial last block replaces only its leading bytes of the encrypted
 * register), the last key-stream block (OFB), the next counter (CTR); ECB has none.
 */
public final class AesModes {
    public static final int BLOCK = 16;

    private AesModes() {
    }

    /**
     * En- or decrypts {@code data} with {@code key} in {@code mode} (a TPM_ALG_ID), updating {@code iv}
     * in place (ignored for ECB). CBC and ECB need whole blocks.
     */
    public static byte[] crypt(int mode, boolean decrypt, byte[] key, byte[] iv, byte[] data) {
        try {
            Cipher enc = Cipher.getInstance("AES/ECB/NoPadding");
            enc.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"));
            if (mode == TpmAlg.ECB.id() || mode == TpmAlg.CBC.id()) {
                Cipher c = enc;
                if (decrypt) {
                    c = Cipher.getInstance("AES/ECB/NoPadding");
                    c.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"));
                }
                return mode == TpmAlg.ECB.id() ? c.doFinal(data) : cbc(c, decrypt, iv, data);
            }
            byte[] out = new byte[data.length];
            byte[] block = new byte[BLOCK];
            for (int off = 0; off < data.length; off += BLOCK) {
                int n = Math.min(BLOCK, data.length - off);
                enc.doFinal(iv, 0, BLOCK, block, 0);
                for (int i = 0; i < n; i++) {
                    out[off + i] = (byte) (data[off + i] ^ block[i]);
                }
                if (mode == TpmAlg.CFB.id()) {
                    System.arraycopy(block, 0, iv, 0, BLOCK);
                    System.arraycopy(decrypt ? data : out, off, iv, 0, n);
                } else if (mode == TpmAlg.OFB.id()) {
                    System.arraycopy(block, 0, iv, 0, BLOCK);
                } else {
                    increment(iv);
                }
            }
            return out;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES is required", e);
        }
    }

    private static byte[] cbc(Cipher c, boolean decrypt, byte[] iv, byte[] data) throws GeneralSecurityException {
        byte[] out = new byte[data.length];
        byte[] block = new byte[BLOCK];
        for (int off = 0; off < data.length; off += BLOCK) {
            if (decrypt) {
                c.doFinal(data, off, BLOCK, block, 0);
                for (int i = 0; i < BLOCK; i++) {
                    out[off + i] = (byte) (block[i] ^ iv[i]);
                }
                System.arraycopy(data, off, iv, 0, BLOCK);
            } else {
                for (int i = 0; i < BLOCK; i++) {
                    block[i] = (byte) (data[off + i] ^ iv[i]);
                }
                c.doFinal(block, 0, BLOCK, out, off);
                System.arraycopy(out, off, iv, 0, BLOCK);
            }
        }
        return out;
    }

    private static void increment(byte[] counter) {
        for (int i = counter.length - 1; i >= 0; i--) {
            if (++counter[i] != 0) {
                return;
            }
        }
    }
}
