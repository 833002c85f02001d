package org.jswtpm.core.crypto;

/**
 * CMAC (NIST SP 800-38B, RFC 4493) over the symmetric cipher of a symmetric-cipher key, for TPM2_MAC, as
 * the reference's CryptCmacStart / Data / End compute it: AES and Camellia with 16-byte blocks, TDES with
 * 8-byte blocks. Like libtpms, the subkeys are doubled with the constant 0x87 whatever the block size
 * (SP 800-38B would use 0x1B for 64-bit blocks), so TDES-CMAC matches swtpm, not the standard.
 */
public final class Cmac {
    private Cmac() {
    }

    /** The CMAC (one block) of {@code data} under {@code key} of {@code alg} (a TPM_ALG_ID). */
    public static byte[] mac(int alg, byte[] key, byte[] data) {
        CmacDigest d = new CmacDigest(alg, key);
        d.update(data);
        return d.digest();
    }

    /** The subkey K1 ({@code which} 1) or K2 (2) of a keyed cipher (SP 800-38B, 6.1). */
    static byte[] subkey(BlockCipher cipher, int which) {
        byte[] k = new byte[cipher.blockSize()];
        cipher.encryptBlock(k, 0, k, 0);
        k = shift(k);
        return which == 1 ? k : shift(k);
    }

    /** Doubling: shift left one bit, XOR 0x87 into the last byte when the top bit was set. */
    private static byte[] shift(byte[] in) {
        int n = in.length;
        byte[] out = new byte[n];
        for (int i = 0; i < n; i++) {
            out[i] = (byte) ((in[i] << 1) | (i + 1 < n ? (in[i + 1] & 0xFF) >>> 7 : 0));
        }
        if ((in[0] & 0x80) != 0) {
            out[n - 1] ^= (byte) 0x87;
        }
        return out;
    }
}
