package org.jswtpm.core.crypto;

import java.util.function.IntFunction;

/**
 * The TDES key rules of TPM 2.0 (the reference's CryptDes.c, which libtpms 0.9 keeps): a key is two
 * (128-bit) or three (192-bit) DES keys; each byte has odd parity when the TPM makes it; none of the DES
 * keys may be weak, semi-weak or possibly weak (the 64 keys of {@link #WEAK}, compared after setting odd
 * parity), K1 != K2, and for three keys K2 != K3.
 */
public final class Tdes {
    /** The weak, semi-weak and possibly weak DES keys, with odd parity (the reference's DesWeakKeys). */
    private static final long[] WEAK = {
        0x0101010101010101L, 0xFEFEFEFEFEFEFEFEL, 0xE0E0E0E0F1F1F1F1L, 0x1F1F1F1F0E0E0E0EL,
        0x011F011F010E010EL, 0x1F011F010E010E01L, 0x01E001E001F101F1L, 0xE001E001F101F101L,
        0x01FE01FE01FE01FEL, 0xFE01FE01FE01FE01L, 0x1FE01FE00EF10EF1L, 0xE01FE01FF10EF10EL,
        0x1FFE1FFE0EFE0EFEL, 0xFE1FFE1FFE0EFE0EL, 0xE0FEE0FEF1FEF1FEL, 0xFEE0FEE0FEF1FEF1L,
        0x01011F1F01010E0EL, 0x1F1F01010E0E0101L, 0xE0E01F1FF1F10E0EL, 0x0101E0E00101F1F1L,
        0x1F1FE0E00E0EF1F1L, 0xE0E0FEFEF1F1FEFEL, 0x0101FEFE0101FEFEL, 0x1F1FFEFE0E0EFEFEL,
        0xE0FE011FF1FE010EL, 0x011F1F01010E0E01L, 0x1FE001FE0EF101FEL, 0xE0FE1F01F1FE0E01L,
        0x011FE0FE010EF1FEL, 0x1FE0E01F0EF1F10EL, 0xE0FEFEE0F1FEFEF1L, 0x011FFEE0010EFEF1L,
        0x1FE0FE010EF1FE01L, 0xFE0101FEFE0101FEL, 0x01E01FFE01F10EFEL, 0x1FFE01E00EFE01F1L,
        0xFE011FE0FE010EF1L, 0xFE01E01FFE01F10EL, 0x1FFEE0010EFEF101L, 0xFE1F01E0FE0E01F1L,
        0x01E0E00101F1F101L, 0x1FFEFE1F0EFEFE0EL, 0xFE1FE001FE0EF101L, 0x01E0FE1F01F1FE0EL,
        0xE00101E0F10101F1L, 0xFE1F1FFEFE0E0EFEL, 0x01FE1FE001FE0EF1L, 0xE0011FFEF1010EFEL,
        0xFEE0011FFEF1010EL, 0x01FEE01F01FEF10EL, 0xE001FE1FF101FE0EL, 0xFEE01F01FEF10E01L,
        0x01FEFE0101FEFE01L, 0xE01F01FEF10E01FEL, 0xFEE0E0FEFEF1F1FEL, 0x1F01011F0E01010EL,
        0xE01F1FE0F10E0EF1L, 0xFEFE0101FEFE0101L, 0x1F01E0FE0E01F1FEL, 0xE01FFE01F10EFE01L,
        0xFEFE1F1FFEFE0E0EL, 0x1F01FEE00E01FEF1L, 0xE0E00101F1F10101L, 0xFEFEE0E0FEFEF1F1L};
    private static final long PMASK = 0x0101010101010101L;

    private Tdes() {
    }

    /** {@code k} with the low bit of each byte set so that the byte has odd parity (CryptSetOddByteParity). */
    static long oddParity(long k) {
        long set = k | PMASK;
        long p = set;
        p ^= p >>> 4;
        p ^= p >>> 2;
        p ^= p >>> 1;
        return set ^ (p & PMASK) ^ PMASK;
    }

    /** CryptDesValidateKey: two or three DES keys, none weak after parity, K1 != K2, K2 != K3. */
    public static boolean isValidKey(byte[] key) {
        if (key.length != 16 && key.length != 24) {
            return false;
        }
        long[] k = new long[key.length / 8];
        for (int i = 0; i < k.length; i++) {
            k[i] = oddParity(load(key, i * 8));
            for (long w : WEAK) {
                if (k[i] == w) {
                    return false;
                }
            }
        }
        return k[0] != k[1] && (k.length == 2 || k[1] != k[2]);
    }

    /**
     * CryptGenerateKeyDes: {@code bytes} (16 or 24) from {@code random}, each DES key set to odd parity,
     * drawn again until the key is valid.
     */
    public static byte[] generateKey(int bytes, IntFunction<byte[]> random) {
        while (true) {
            byte[] key = random.apply(bytes);
            for (int off = 0; off < bytes; off += 8) {
                long k = oddParity(load(key, off));
                for (int i = 7; i >= 0; i--) {
                    key[off + i] = (byte) k;
                    k >>>= 8;
                }
            }
            if (isValidKey(key)) {
                return key;
            }
        }
    }

    private static long load(byte[] b, int off) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = v << 8 | (b[off + i] & 0xFF);
        }
        return v;
    }
}
