package org.jswtpm.core.crypto;

import org.jswtpm.core.types.TpmAlg;

/**
 * The block modes of TPM2_EncryptDecrypt and of object and parameter protection (TCG TPM 2.0 Part 1,
 * C.x and the reference's CryptSymmetricEncrypt / Decrypt) over any {@link BlockCipher}: CFB with
 * full-block feedback, OFB, CTR (the whole block as a big-endian counter), CBC and ECB without padding.
 * Each call updates the IV as libtpms (through OpenSSL) returns it in ivOut: the last ciphertext block
 * (CBC, and CFB where a partial last block replaces only its leading bytes of the encrypted register),
 * the last key-stream block (OFB), the next counter (CTR); ECB has none.
 */
public final class SymModes {
    private SymModes() {
    }

    /**
     * En- or decrypts {@code data} with {@code key} of {@code alg} in {@code mode} (TPM_ALG_IDs), updating
     * {@code iv} (a block) in place, ignored for ECB. CBC and ECB need whole blocks.
     */
    public static byte[] crypt(int alg, int mode, boolean decrypt, byte[] key, byte[] iv, byte[] data) {
        return crypt(SymCiphers.of(alg, key), mode, decrypt, iv, data);
    }

    /** As {@link #crypt(int, int, boolean, byte[], byte[], byte[])} with a keyed cipher. */
    public static byte[] crypt(BlockCipher cipher, int mode, boolean decrypt, byte[] iv, byte[] data) {
        int bs = cipher.blockSize();
        byte[] out = new byte[data.length];
        if (mode == TpmAlg.ECB.id()) {
            for (int off = 0; off < data.length; off += bs) {
                if (decrypt) {
                    cipher.decryptBlock(data, off, out, off);
                } else {
                    cipher.encryptBlock(data, off, out, off);
                }
            }
            return out;
        }
        if (mode == TpmAlg.CBC.id()) {
            return cbc(cipher, decrypt, iv, data, out);
        }
        byte[] block = new byte[bs];
        for (int off = 0; off < data.length; off += bs) {
            int n = Math.min(bs, data.length - off);
            cipher.encryptBlock(iv, 0, block, 0);
            for (int i = 0; i < n; i++) {
                out[off + i] = (byte) (data[off + i] ^ block[i]);
            }
            if (mode == TpmAlg.CFB.id()) {
                System.arraycopy(block, 0, iv, 0, bs);
                System.arraycopy(decrypt ? data : out, off, iv, 0, n);
            } else if (mode == TpmAlg.OFB.id()) {
                System.arraycopy(block, 0, iv, 0, bs);
            } else {
                increment(iv);
            }
        }
        return out;
    }

    private static byte[] cbc(BlockCipher c, boolean decrypt, byte[] iv, byte[] data, byte[] out) {
        int bs = c.blockSize();
        byte[] block = new byte[bs];
        for (int off = 0; off < data.length; off += bs) {
            if (decrypt) {
                c.decryptBlock(data, off, block, 0);
                for (int i = 0; i < bs; i++) {
                    out[off + i] = (byte) (block[i] ^ iv[i]);
                }
                System.arraycopy(data, off, iv, 0, bs);
            } else {
                for (int i = 0; i < bs; i++) {
                    block[i] = (byte) (data[off + i] ^ iv[i]);
                }
                c.encryptBlock(block, 0, out, off);
                System.arraycopy(out, off, iv, 0, bs);
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
