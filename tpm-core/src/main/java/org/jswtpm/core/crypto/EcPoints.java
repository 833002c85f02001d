package org.jswtpm.core.crypto;

import java.math.BigInteger;
import java.security.spec.ECFieldFp;

/**
 * Affine point helpers over {@link EccCurve} for signature verification and key exchange: a point is
 * {x, y} as integers, null is the point at infinity.
 */
public final class EcPoints {
    private EcPoints() {
    }

    /** k*P, with P the generator when {@code x} is null; null for the point at infinity. */
    public static BigInteger[] times(EccCurve curve, BigInteger k, byte[] x, byte[] y) {
        BigInteger km = k.mod(curve.order());
        if (km.signum() == 0) {
            return null;
        }
        byte[][] r = x == null ? curve.multiplyGenerator(km) : curve.multiply(km, x, y);
        return r == null ? null : new BigInteger[] {new BigInteger(1, r[0]), new BigInteger(1, r[1])};
    }

    /** P + Q in affine coordinates. */
    public static BigInteger[] add(EccCurve curve, BigInteger[] p, BigInteger[] q) {
        if (p == null) {
            return q;
        }
        if (q == null) {
            return p;
        }
        BigInteger prime = ((ECFieldFp) curve.spec().getCurve().getField()).getP();
        BigInteger lambda;
        if (p[0].equals(q[0])) {
            if (!p[1].equals(q[1]) || p[1].signum() == 0) {
                return null;
            }
            BigInteger a = curve.spec().getCurve().getA();
            lambda = p[0].pow(2).multiply(BigInteger.valueOf(3)).add(a)
                    .multiply(p[1].shiftLeft(1).modInverse(prime)).mod(prime);
        } else {
            lambda = q[1].subtract(p[1]).multiply(q[0].subtract(p[0]).modInverse(prime)).mod(prime);
        }
        BigInteger x3 = lambda.pow(2).subtract(p[0]).subtract(q[0]).mod(prime);
        BigInteger y3 = lambda.multiply(p[0].subtract(x3)).subtract(p[1]).mod(prime);
        return new BigInteger[] {x3, y3};
    }
}
