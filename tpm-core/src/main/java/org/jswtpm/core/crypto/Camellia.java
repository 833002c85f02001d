package org.jswtpm.core.crypto;

/**
 * The Camellia block cipher (RFC 3713), 128-bit blocks with 128-, 192- or 256-bit keys, written from the
 * RFC's description: the JDK has no Camellia, and this keeps tpm-core free of a provider dependency. The
 * key schedule is expanded once per instance; not thread safe.
 */
public final class Camellia implements BlockCipher {
    public static final int BLOCK = 16;
    private static final long MASK32 = 0xFFFFFFFFL;
    private static final long[] SIGMA = {0xA09E667F3BCC908BL, 0xB67AE8584CAA73B2L, 0xC6EF372FE94F82BEL,
        0x54FF53A5F1D36F1CL, 0x10E527FADE682D1DL, 0xB05688C2B3E6C1FDL};
    /** SBOX1 of RFC 3713, 2.4.4; SBOX2, SBOX3 and SBOX4 are rotations of it. */
    private static final int[] SBOX1 = {
        0x70, 0x82, 0x2c, 0xec, 0xb3, 0x27, 0xc0, 0xe5, 0xe4, 0x85, 0x57, 0x35, 0xea, 0x0c, 0xae, 0x41,
        0x23, 0xef, 0x6b, 0x93, 0x45, 0x19, 0xa5, 0x21, 0xed, 0x0e, 0x4f, 0x4e, 0x1d, 0x65, 0x92, 0xbd,
        0x86, 0xb8, 0xaf, 0x8f, 0x7c, 0xeb, 0x1f, 0xce, 0x3e, 0x30, 0xdc, 0x5f, 0x5e, 0xc5, 0x0b, 0x1a,
        0xa6, 0xe1, 0x39, 0xca, 0xd5, 0x47, 0x5d, 0x3d, 0xd9, 0x01, 0x5a, 0xd6, 0x51, 0x56, 0x6c, 0x4d,
        0x8b, 0x0d, 0x9a, 0x66, 0xfb, 0xcc, 0xb0, 0x2d, 0x74, 0x12, 0x2b, 0x20, 0xf0, 0xb1, 0x84, 0x99,
        0xdf, 0x4c, 0xcb, 0xc2, 0x34, 0x7e, 0x76, 0x05, 0x6d, 0xb7, 0xa9, 0x31, 0xd1, 0x17, 0x04, 0xd7,
        0x14, 0x58, 0x3a, 0x61, 0xde, 0x1b, 0x11, 0x1c, 0x32, 0x0f, 0x9c, 0x16, 0x53, 0x18, 0xf2, 0x22,
        0xfe, 0x44, 0xcf, 0xb2, 0xc3, 0xb5, 0x7a, 0x91, 0x24, 0x08, 0xe8, 0xa8, 0x60, 0xfc, 0x69, 0x50,
        0xaa, 0xd0, 0xa0, 0x7d, 0xa1, 0x89, 0x62, 0x97, 0x54, 0x5b, 0x1e, 0x95, 0xe0, 0xff, 0x64, 0xd2,
        0x10, 0xc4, 0x00, 0x48, 0xa3, 0xf7, 0x75, 0xdb, 0x8a, 0x03, 0xe6, 0xda, 0x09, 0x3f, 0xdd, 0x94,
        0x87, 0x5c, 0x83, 0x02, 0xcd, 0x4a, 0x90, 0x33, 0x73, 0x67, 0xf6, 0xf3, 0x9d, 0x7f, 0xbf, 0xe2,
        0x52, 0x9b, 0xd8, 0x26, 0xc8, 0x37, 0xc6, 0x3b, 0x81, 0x96, 0x6f, 0x4b, 0x13, 0xbe, 0x63, 0x2e,
        0xe9, 0x79, 0xa7, 0x8c, 0x9f, 0x6e, 0xbc, 0x8e, 0x29, 0xf5, 0xf9, 0xb6, 0x2f, 0xfd, 0xb4, 0x59,
        0x78, 0x98, 0x06, 0x6a, 0xe7, 0x46, 0x71, 0xba, 0xd4, 0x25, 0xab, 0x42, 0x88, 0xa2, 0x8d, 0xfa,
        0x72, 0x07, 0xb9, 0x55, 0xf8, 0xee, 0xac, 0x0a, 0x36, 0x49, 0x2a, 0x68, 0x3c, 0x38, 0xf1, 0xa4,
        0x40, 0x28, 0xd3, 0x7b, 0xbb, 0xc9, 0x43, 0xc1, 0x15, 0xe3, 0xad, 0xf4, 0x77, 0xc7, 0x80, 0x9e};
    private static final int[] SBOX2 = new int[256];
    private static final int[] SBOX3 = new int[256];
    private static final int[] SBOX4 = new int[256];

    static {
        for (int x = 0; x < 256; x++) {
            SBOX2[x] = rotl8(SBOX1[x], 1);
            SBOX3[x] = rotl8(SBOX1[x], 7);
            SBOX4[x] = SBOX1[rotl8(x, 1)];
        }
    }

    /** Whitening keys kw1..kw4, round keys k1..k18 (k1..k24), FL keys ke1..ke4 (ke1..ke6); then reversed. */
    private final long[] kw;
    private final long[] k;
    private final long[] ke;
    private final long[] kwDec;
    private final long[] kDec;
    private final long[] keDec;

    /** A cipher with a 16-, 24- or 32-byte key. */
    public Camellia(byte[] key) {
        if (key.length != 16 && key.length != 24 && key.length != 32) {
            throw new IllegalArgumentException("Camellia keys are 128, 192 or 256 bits, not " + key.length * 8);
        }
        long[] kl = {load(key, 0), load(key, 8)};
        long[] kr = {0, 0};
        if (key.length == 24) {
            kr[0] = load(key, 16);
            kr[1] = ~kr[0];
        } else if (key.length == 32) {
            kr[0] = load(key, 16);
            kr[1] = load(key, 24);
        }
        long d1 = kl[0] ^ kr[0];
        long d2 = kl[1] ^ kr[1];
        d2 ^= f(d1, SIGMA[0]);
        d1 ^= f(d2, SIGMA[1]);
        d1 ^= kl[0];
        d2 ^= kl[1];
        d2 ^= f(d1, SIGMA[2]);
        d1 ^= f(d2, SIGMA[3]);
        long[] ka = {d1, d2};
        if (key.length == 16) {
            kw = new long[] {kl[0], kl[1], rot(ka, 111)[0], rot(ka, 111)[1]};
            k = new long[] {ka[0], ka[1], rot(kl, 15)[0], rot(kl, 15)[1], rot(ka, 15)[0], rot(ka, 15)[1],
                rot(kl, 45)[0], rot(kl, 45)[1], rot(ka, 45)[0], rot(kl, 60)[1], rot(ka, 60)[0], rot(ka, 60)[1],
                rot(kl, 94)[0], rot(kl, 94)[1], rot(ka, 94)[0], rot(ka, 94)[1], rot(kl, 111)[0], rot(kl, 111)[1]};
            ke = new long[] {rot(ka, 30)[0], rot(ka, 30)[1], rot(kl, 77)[0], rot(kl, 77)[1]};
        } else {
            d1 = ka[0] ^ kr[0];
            d2 = ka[1] ^ kr[1];
            d2 ^= f(d1, SIGMA[4]);
            d1 ^= f(d2, SIGMA[5]);
            long[] kb = {d1, d2};
            kw = new long[] {kl[0], kl[1], rot(kb, 111)[0], rot(kb, 111)[1]};
            k = new long[] {kb[0], kb[1], rot(kr, 15)[0], rot(kr, 15)[1], rot(ka, 15)[0], rot(ka, 15)[1],
                rot(kb, 30)[0], rot(kb, 30)[1], rot(kl, 45)[0], rot(kl, 45)[1], rot(ka, 45)[0], rot(ka, 45)[1],
                rot(kr, 60)[0], rot(kr, 60)[1], rot(kb, 60)[0], rot(kb, 60)[1], rot(kl, 77)[0], rot(kl, 77)[1],
                rot(kr, 94)[0], rot(kr, 94)[1], rot(ka, 94)[0], rot(ka, 94)[1], rot(kl, 111)[0], rot(kl, 111)[1]};
            ke = new long[] {rot(kr, 30)[0], rot(kr, 30)[1], rot(kl, 60)[0], rot(kl, 60)[1], rot(ka, 77)[0],
                rot(ka, 77)[1]};
        }
        kwDec = new long[] {kw[2], kw[3], kw[0], kw[1]};
        kDec = reversed(k);
        keDec = reversed(ke);
    }

    @Override
    public int blockSize() {
        return BLOCK;
    }

    @Override
    public void encryptBlock(byte[] in, int inOff, byte[] out, int outOff) {
        crypt(kw, k, ke, in, inOff, out, outOff);
    }

    @Override
    public void decryptBlock(byte[] in, int inOff, byte[] out, int outOff) {
        crypt(kwDec, kDec, keDec, in, inOff, out, outOff);
    }

    /** RFC 3713, 2.3: 18 or 24 Feistel rounds with an FL/FL^-1 layer after every six. */
    private static void crypt(long[] kw, long[] k, long[] ke, byte[] in, int inOff, byte[] out, int outOff) {
        long d1 = load(in, inOff) ^ kw[0];
        long d2 = load(in, inOff + 8) ^ kw[1];
        for (int i = 0; i < k.length; i += 2) {
            if (i > 0 && i % 6 == 0) {
                d1 = fl(d1, ke[i / 3 - 2]);
                d2 = flInv(d2, ke[i / 3 - 1]);
            }
            d2 ^= f(d1, k[i]);
            d1 ^= f(d2, k[i + 1]);
        }
        store(d2 ^ kw[2], out, outOff);
        store(d1 ^ kw[3], out, outOff + 8);
    }

    /** The F-function (RFC 3713, 2.4.1). */
    private static long f(long in, long key) {
        long x = in ^ key;
        int t1 = SBOX1[(int) (x >>> 56) & 0xFF];
        int t2 = SBOX2[(int) (x >>> 48) & 0xFF];
        int t3 = SBOX3[(int) (x >>> 40) & 0xFF];
        int t4 = SBOX4[(int) (x >>> 32) & 0xFF];
        int t5 = SBOX2[(int) (x >>> 24) & 0xFF];
        int t6 = SBOX3[(int) (x >>> 16) & 0xFF];
        int t7 = SBOX4[(int) (x >>> 8) & 0xFF];
        int t8 = SBOX1[(int) x & 0xFF];
        long y1 = t1 ^ t3 ^ t4 ^ t6 ^ t7 ^ t8;
        long y2 = t1 ^ t2 ^ t4 ^ t5 ^ t7 ^ t8;
        long y3 = t1 ^ t2 ^ t3 ^ t5 ^ t6 ^ t8;
        long y4 = t2 ^ t3 ^ t4 ^ t5 ^ t6 ^ t7;
        long y5 = t1 ^ t2 ^ t6 ^ t7 ^ t8;
        long y6 = t2 ^ t3 ^ t5 ^ t7 ^ t8;
        long y7 = t3 ^ t4 ^ t5 ^ t6 ^ t8;
        long y8 = t1 ^ t4 ^ t5 ^ t6 ^ t7;
        return y1 << 56 | y2 << 48 | y3 << 40 | y4 << 32 | y5 << 24 | y6 << 16 | y7 << 8 | y8;
    }

    /** The FL-function (RFC 3713, 2.4.2). */
    private static long fl(long in, long key) {
        int x1 = (int) (in >>> 32);
        int x2 = (int) in;
        x2 ^= Integer.rotateLeft(x1 & (int) (key >>> 32), 1);
        x1 ^= x2 | (int) key;
        return (long) x1 << 32 | x2 & MASK32;
    }

    /** The FLINV-function (RFC 3713, 2.4.3). */
    private static long flInv(long in, long key) {
        int y1 = (int) (in >>> 32);
        int y2 = (int) in;
        y1 ^= y2 | (int) key;
        y2 ^= Integer.rotateLeft(y1 & (int) (key >>> 32), 1);
        return (long) y1 << 32 | y2 & MASK32;
    }

    /** A 128-bit value {hi, lo} rotated left by {@code n} bits. */
    private static long[] rot(long[] v, int n) {
        long hi = v[0];
        long lo = v[1];
        if (n >= 64) {
            long t = hi;
            hi = lo;
            lo = t;
            n -= 64;
        }
        if (n == 0) {
            return new long[] {hi, lo};
        }
        return new long[] {hi << n | lo >>> (64 - n), lo << n | hi >>> (64 - n)};
    }

    private static int rotl8(int x, int n) {
        return (x << n | x >>> (8 - n)) & 0xFF;
    }

    private static long[] reversed(long[] a) {
        long[] r = new long[a.length];
        for (int i = 0; i < a.length; i++) {
            r[i] = a[a.length - 1 - i];
        }
        return r;
    }

    private static long load(byte[] b, int off) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = v << 8 | (b[off + i] & 0xFF);
        }
        return v;
    }

    private static void store(long v, byte[] b, int off) {
        for (int i = 7; i >= 0; i--) {
            b[off + i] = (byte) v;
            v >>>= 8;
        }
    }
}
