package org.jswtpm.core.crypto;

import java.security.GeneralSecurityException;
import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;

/** AES-CMAC (NIST SP 800-38B, RFC 4493), for TPM2_MAC with a symmetric-cipher key. */
public final class Cmac {
    private static final int BLOCK = 16;

    private Cmac() {
    }

    /** The 16-byte CMAC of {@code data} under the AES key {@code key}. */
    public static byte[] mac(byte[] key, byte[] data) {
        try {
            Cipher aes = Cipher.getInstance("AES/ECB/NoPadding");
            aes.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"));
            byte[] k1 = shift(aes.doFinal(new byte[BLOCK]));
            byte[] k2 = shift(k1);
            int blocks = Math.max(1, (data.length + BLOCK - 1) / BLOCK);
            boolean complete = data.length > 0 && data.length % BLOCK == 0;
            byte[] x = new byte[BLOCK];
            for (int b = 0; b < blocks; b++) {
                byte[] m = new byte[BLOCK];
                int off = b * BLOCK;
                int n = Math.min(BLOCK, data.length - off);
                System.arraycopy(data, off, m, 0, Math.max(0, n));
                if (b == blocks - 1) {
                    byte[] sub = complete ? k1 : k2;
                    if (!complete) {
                        m[Math.max(0, n)] = (byte) 0x80;
                    }
                    for (int i = 0; i < BLOCK; i++) {
                        m[i] ^= sub[i];
                    }
                }
                for (int i = 0; i < BLOCK; i++) {
                    x[i] ^= m[i];
                }
                x = aes.doFinal(x);
            }
            return x;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES is required", e);
        }
    }

    /** The subkey K1 ({@code which} 1) or K2 (2) of an AES key (SP 800-38B, 6.1). */
    static byte[] subkey(Cipher aes, int which) {
        try {
            byte[] k = shift(aes.doFinal(new byte[BLOCK]));
            return which == 1 ? k : shift(k);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Doubling in GF(2^128): shift left one bit, XOR 0x87 when the top bit was set. */
    private static byte[] shift(byte[] in) {
        byte[] out = new byte[BLOCK];
        for (int i = 0; i < BLOCK; i++) {
            out[i] = (byte) ((in[i] << 1) | (i + 1 < BLOCK ? (in[i + 1] & 0xFF) >>> 7 : 0));
        }
        if ((in[0] & 0x80) != 0) {
            out[BLOCK - 1] ^= (byte) 0x87;
        }
        return out;
    }
}
