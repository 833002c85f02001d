package org.jswtpm.core.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.math.BigInteger;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The generator table gives the same points as the ladder, on every curve, for random and edge scalars. */
class EccCurveTest {
    @Test
    void tableAndLadderAgree() {
        Random rnd = new Random(7);
        for (EccCurve c : EccCurve.values()) {
            BigInteger n = c.order();
            BigInteger[] scalars = {BigInteger.ONE, BigInteger.TWO, BigInteger.valueOf(15), BigInteger.valueOf(16),
                n.subtract(BigInteger.ONE), n.subtract(BigInteger.TWO), new BigInteger(n.bitLength() - 1, rnd),
                new BigInteger(n.bitLength() - 1, rnd).setBit(n.bitLength() - 2)};
            for (BigInteger d : scalars) {
                byte[][] a = c.multiplyGenerator(d);
                byte[][] b = c.multiplyGeneratorByLadder(d);
                assertArrayEquals(b[0], a[0], c + " x of " + d);
                assertArrayEquals(b[1], a[1], c + " y of " + d);
            }
        }
    }
}
