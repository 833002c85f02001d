package org.jswtpm.core.crypto;

import java.math.BigInteger;
import java.util.Arrays;

/**
 * RSA key-pair generation from a DRBG, following the TPM reference implementation's method (CryptRsa.c,
 * CryptPrime.c): each prime candidate is {@code bits} random bits whose top 32 bits are scaled into
 * [0xB5050000, 0xFFFFFFFF] (so that p*q has exactly twice the bits) and whose lowest bit is set; a
 * candidate whose {@code p - 1} shares a factor with e, or that is composite, is dropped and a fresh one
 * drawn. The first prime found becomes q, the next p, and p must differ from q in at least 100 bits.
 * The same DRBG state gives the same key, which is what makes primary keys reproducible.
 */
public final class RsaKeyGen {
    /** The default public exponent (an exponent of 0 in a TPMT_PUBLIC means this). */
    public static final int DEFAULT_EXPONENT = 65537;
    private static final int[] SMALL_PRIMES = smallPrimes(2048);

    private RsaKeyGen() {
    }

    /** A generated key: the modulus, the first prime (what the sensitive area keeps) and the other one. */
    public record KeyPair(BigInteger n, BigInteger p, BigInteger q, BigInteger e) {
    }

    /** Generates a {@code keyBits} key with public exponent {@code exponent} from {@code rand}. */
    public static KeyPair generate(int keyBits, int exponent, CtrDrbg rand) {
        BigInteger e = BigInteger.valueOf(exponent == 0 ? DEFAULT_EXPONENT : Integer.toUnsignedLong(exponent));
        int primeBits = keyBits / 2;
        BigInteger q = null;
        while (true) {
            BigInteger p = prime(primeBits, e, rand);
            if (q == null) {
                q = p;
                continue;
            }
            if (p.subtract(q).abs().bitLength() < 100) {
                continue;
            }
            BigInteger n = p.multiply(q);
            if (n.bitLength() != keyBits) {
                continue;
            }
            return new KeyPair(n, p, q, e);
        }
    }

    /** True if {@code e} is an acceptable public exponent: odd, at least 3, prime (TPM_RC_VALUE otherwise). */
    public static boolean isValidExponent(int exponent) {
        if (exponent == 0) {
            return true;
        }
        long e = Integer.toUnsignedLong(exponent);
        return e >= 3 && (e & 1) == 1 && BigInteger.valueOf(e).isProbablePrime(64);
    }

    private static BigInteger prime(int bits, BigInteger e, CtrDrbg rand) {
        byte[] buf = new byte[bits / 8];
        while (true) {
            rand.generate(buf);
            adjust(buf);
            BigInteger c = new BigInteger(1, buf);
            if (!passesSieve(c)) {
                continue;
            }
            if (!c.subtract(BigInteger.ONE).gcd(e).equals(BigInteger.ONE)) {
                continue;
            }
            if (c.isProbablePrime(100)) {
                return c;
            }
        }
    }

    /** Odd, and top 32 bits scaled to at least 0xB505 0000 (about sqrt(2)/2 in fixed point). */
    static void adjust(byte[] b) {
        b[b.length - 1] |= 1;
        long msw = ((b[0] & 0xFFL) << 24) | ((b[1] & 0xFFL) << 16) | ((b[2] & 0xFFL) << 8) | (b[3] & 0xFFL);
        long adjusted = (msw >>> 16) * 0x4AFB + (((msw & 0xFFFF) * 0x4AFB) >>> 16) + 0xB5050000L;
        b[0] = (byte) (adjusted >>> 24);
        b[1] = (byte) (adjusted >>> 16);
        b[2] = (byte) (adjusted >>> 8);
        b[3] = (byte) adjusted;
    }

    private static boolean passesSieve(BigInteger c) {
        for (int p : SMALL_PRIMES) {
            if (c.mod(BigInteger.valueOf(p)).signum() == 0) {
                return false;
            }
        }
        return true;
    }

    private static int[] smallPrimes(int limit) {
        boolean[] composite = new boolean[limit];
        int count = 0;
        int[] tmp = new int[limit];
        for (int i = 3; i < limit; i += 2) {
            if (!composite[i]) {
                tmp[count++] = i;
                for (int j = i * i; j < limit; j += 2 * i) {
                    composite[j] = true;
                }
            }
        }
        return Arrays.copyOf(tmp, count);
    }

    /** The private exponent d = e^-1 mod lcm(p-1, q-1)... as the JDK's CRT key wants it: mod phi. */
    public static BigInteger privateExponent(BigInteger p, BigInteger q, BigInteger e) {
        BigInteger phi = p.subtract(BigInteger.ONE).multiply(q.subtract(BigInteger.ONE));
        return e.modInverse(phi);
    }
}
