package org.jswtpm.core.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import org.junit.jupiter.api.Test;

/** The reference implementation's prime candidate scaling and the exponent rules. */
class RsaKeyGenTest {
    @Test
    void primeCandidatesAreScaledAsTheReferenceDoes() {
        byte[] low = new byte[8];
        RsaKeyGen.adjust(low);
        assertEquals(0xB5050000L, new BigInteger(1, java.util.Arrays.copyOf(low, 4)).longValue());
        assertEquals(1, low[7] & 1);
        byte[] high = {-1, -1, -1, -1, 0, 0, 0, 0};
        RsaKeyGen.adjust(high);
        assertTrue(new BigInteger(1, java.util.Arrays.copyOf(high, 4)).longValue() <= 0xFFFFFFFFL);
        assertTrue((high[0] & 0xFF) == 0xFF);
    }

    @Test
    void exponents() {
        assertTrue(RsaKeyGen.isValidExponent(0));
        assertTrue(RsaKeyGen.isValidExponent(3));
        assertTrue(RsaKeyGen.isValidExponent(65537));
        assertFalse(RsaKeyGen.isValidExponent(65535));
        assertFalse(RsaKeyGen.isValidExponent(1));
    }

    @Test
    void keysHaveFullSizeAndPrimesThatDiffer() {
        RsaKeyGen.KeyPair k = RsaKeyGen.generate(1024, 0, new CtrDrbg(new byte[] {1}));
        assertEquals(1024, k.n().bitLength());
        assertEquals(k.n(), k.p().multiply(k.q()));
        assertTrue(k.p().subtract(k.q()).abs().bitLength() >= 100);
        assertEquals(BigInteger.valueOf(65537), k.e());
    }
}
