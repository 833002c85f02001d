package org.jswtpm.core.crypto;

import java.math.BigInteger;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.spec.ECFieldFp;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.EllipticCurve;

/**
 * The ECC curves the engine implements (TCG Algorithm Registry, TPM_ECC_CURVE), the eight libtpms 0.9
 * builds, in TPM_ECC_CURVE order. NIST P-256/384/521 parameters come from the JDK; NIST P-192 and P-224
 * (FIPS 186-4 D.1.2, SEC 2), which Java 17's SunEC no longer implements, and BN P-256, BN P-638 and
 * SM2 P-256, which the JDK does not know, carry their constants (TCG Algorithm Registry / ISO/IEC
 * 15946-5 for the BN curves; SM2 P-256 is GB/T 32918.5's curve). All
 * point arithmetic (key generation, signing, ECDH, point validation) is done here in Jacobian coordinates
 * with a Montgomery ladder, which performs the same sequence of operations for every scalar of a given length, so every curve works the same way and no
 * ECC operation needs the JDK's Signature or KeyAgreement.
 */
public enum EccCurve {
    NIST_P192(0x0001, 192,
            "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEFFFFFFFFFFFFFFFF",
            "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEFFFFFFFFFFFFFFFC",
            "64210519E59C80E70FA7E9AB72243049FEB8DEECC146B9B1",
            "188DA80EB03090F67CBF20EB43A18800F4FF0AFD82FF1012",
            "07192B95FFC8DA78631011ED6B24CDD573F977A11E794811",
            "FFFFFFFFFFFFFFFFFFFFFFFF99DEF836146BC9B1B4D22831"),
    NIST_P224(0x0002, 224,
            "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF000000000000000000000001",
            "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFE",
            "B4050A850C04B3ABF54132565044B0B7D7BFD8BA270B39432355FFB4",
            "B70E0CBD6BB4BF7F321390B94A03C1D356C21122343280D6115C1D21",
            "BD376388B5F723FB4C22DFE6CD4375A05A07476444D5819985007E34",
            "FFFFFFFFFFFFFFFFFFFFFFFFFFFF16A2E0B8F03E13DD29455C5C2A3D"),
    NIST_P256(0x0003, "secp256r1", 256),
    NIST_P384(0x0004, "secp384r1", 384),
    NIST_P521(0x0005, "secp521r1", 521),
    BN_P256(0x0010, 256,
            "FFFFFFFFFFFCF0CD46E5F25EEE71A49F0CDC65FB12980A82D3292DDBAED33013", "0", "3", "1", "2",
            "FFFFFFFFFFFCF0CD46E5F25EEE71A49E0CDC65FB1299921AF62D536CD10B500D"),
    BN_P638(0x0011, 638,
            "23FFFFFDC000000D7FFFFFB8000001D3FFFFF942D000165E3FFF94870000D52FFFFDD0E00008DE55C00086520021E55BFFFFF51FFFF4EB800000004C80015ACDFFFFFFFFFFFFECE00000000000000067",
            "0", "101",
            "23FFFFFDC000000D7FFFFFB8000001D3FFFFF942D000165E3FFF94870000D52FFFFDD0E00008DE55C00086520021E55BFFFFF51FFFF4EB800000004C80015ACDFFFFFFFFFFFFECE00000000000000066",
            "10",
            "23FFFFFDC000000D7FFFFFB8000001D3FFFFF942D000165E3FFF94870000D52FFFFDD0E00008DE55600086550021E555FFFFF54FFFF4EAC000000049800154D9FFFFFFFFFFFFEDA00000000000000061"),
    SM2_P256(0x0020, 256,
            "FFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF00000000FFFFFFFFFFFFFFFF",
            "FFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF00000000FFFFFFFFFFFFFFFC",
            "28E9FA9E9D9F5E344D5A9E4BCF6509A7F39789F515AB8F92DDBCBD414D940E93",
            "32C4AE2C1F1981195F9904466A39C9948FE30BBFF2660BE1715A4589334C74C7",
            "BC3736A2F4F6779C59BDCEE36B692153D0A9877CC62A474002DF32E52139F0A0",
            "FFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFF7203DF6B21C6052B53BBF40939D54123");

    private static final BigInteger TWO = BigInteger.TWO;
    private static final BigInteger THREE = BigInteger.valueOf(3);

    private final int id;
    private final int keyBits;
    private final ECParameterSpec spec;
    private final BigInteger p;
    private final BigInteger a;
    private final BigInteger b;
    private final String jdkName;
    private final byte[][] constants;

    EccCurve(int id, String name, int keyBits) {
        this.id = id;
        this.keyBits = keyBits;
        try {
            AlgorithmParameters params = AlgorithmParameters.getInstance("EC");
            params.init(new ECGenParameterSpec(name));
            this.spec = params.getParameterSpec(ECParameterSpec.class);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(name + " is unavailable in this JDK", e);
        }
        this.p = ((ECFieldFp) spec.getCurve().getField()).getP();
        this.a = spec.getCurve().getA();
        this.b = spec.getCurve().getB();
        this.jdkName = name;
        this.constants = new byte[][] {fixed(p), fixed(a.mod(p)), fixed(b), fixed(spec.getGenerator().getAffineX()),
            fixed(spec.getGenerator().getAffineY()), fixed(spec.getOrder())};
    }

    /** A curve the JDK does not name: its constants in hex (cofactor 1). */
    EccCurve(int id, int keyBits, String p, String a, String b, String gx, String gy, String n) {
        this.id = id;
        this.keyBits = keyBits;
        this.p = new BigInteger(p, 16);
        this.a = new BigInteger(a, 16);
        this.b = new BigInteger(b, 16);
        this.spec = new ECParameterSpec(new EllipticCurve(new ECFieldFp(this.p), this.a, this.b),
                new ECPoint(new BigInteger(gx, 16), new BigInteger(gy, 16)), new BigInteger(n, 16), 1);
        this.jdkName = null;
        this.constants = new byte[][] {fixed(this.p), this.a.signum() == 0 ? new byte[1] : fixed(this.a),
            fixed(this.b), fixed(spec.getGenerator().getAffineX()), fixed(spec.getGenerator().getAffineY()),
            fixed(spec.getOrder())};
    }

    /**
     * p, a, b, G.x, G.y and n as TPM2_ECC_Parameters gives them: big-endian, a coordinate's size each,
     * except that the BN curves' a, which the reference's curve table stores as its one-byte zero, is one
     * zero byte (as swtpm answers).
     */
    public byte[][] parameterBytes() {
        byte[][] out = new byte[constants.length][];
        for (int i = 0; i < out.length; i++) {
            out[i] = constants[i].clone();
        }
        return out;
    }

    /**
     * The JDK's standard name of the curve (for KeyPairGenerator and friends), or null for a curve the
     * JDK does not implement (NIST P-192/P-224, BN P-256/P-638, SM2 P-256); the engine itself never needs it.
     */
    public String jdkName() {
        return jdkName;
    }

    /** The TPM_ECC_CURVE value. */
    public int id() {
        return id;
    }

    public int keyBits() {
        return keyBits;
    }

    /** The size of a coordinate or scalar in bytes. */
    public int bytes() {
        return (keyBits + 7) / 8;
    }

    /** The field prime p. */
    public BigInteger prime() {
        return p;
    }

    /** The order n of the generator. */
    public BigInteger order() {
        return spec.getOrder();
    }

    /**
     * The curve parameters as a JDK parameter spec (p, a, b, G, n, h). For the curves without a
     * {@link #jdkName()} the JDK's
     * providers cannot use it; the engine uses it only as a container of the constants.
     */
    public ECParameterSpec spec() {
        return spec;
    }

    /** The curve with this TPM_ECC_CURVE value, or null. */
    public static EccCurve of(int id) {
        for (EccCurve c : values()) {
            if (c.id == id) {
                return c;
            }
        }
        return null;
    }

    /**
     * d*G as {x, y}, each {@link #bytes()} long; {@code d} must be in [1, n-1]. Uses a table of the
     * multiples j * 16^i * G (built on first use), so a key costs one addition per 4-bit window instead
     * of a double and an add per bit.
     */
    public byte[][] multiplyGenerator(BigInteger d) {
        BigInteger[][][] table = generatorTable();
        BigInteger[] r = {BigInteger.ONE, BigInteger.ONE, BigInteger.ZERO};
        for (int i = 0; i < table.length; i++) {
            int digit = 0;
            for (int b = 3; b >= 0; b--) {
                digit = (digit << 1) | (d.testBit(4 * i + b) ? 1 : 0);
            }
            if (digit != 0) {
                r = add(r, table[i][digit]);
            }
        }
        BigInteger[] a = toAffine(r);
        return new byte[][] {fixed(a[0]), fixed(a[1])};
    }

    /** d*G by the Montgomery ladder (the reference the table is checked against). */
    byte[][] multiplyGeneratorByLadder(BigInteger d) {
        ECPoint g = spec.getGenerator();
        BigInteger[] r = toAffine(ladder(d, new BigInteger[] {g.getAffineX(), g.getAffineY(), BigInteger.ONE}));
        return new byte[][] {fixed(r[0]), fixed(r[1])};
    }

    private volatile BigInteger[][][] generatorTable;

    /** table[i][j] = j * 16^i * G in affine coordinates (as Jacobian points with Z = 1), j in 1..15. */
    private BigInteger[][][] generatorTable() {
        BigInteger[][][] t = generatorTable;
        if (t != null) {
            return t;
        }
        int windows = (order().bitLength() + 3) / 4;
        t = new BigInteger[windows][16][];
        ECPoint g = spec.getGenerator();
        BigInteger[] base = {g.getAffineX(), g.getAffineY(), BigInteger.ONE};
        for (int i = 0; i < windows; i++) {
            BigInteger[] multiple = base;
            for (int j = 1; j < 16; j++) {
                BigInteger[] a = toAffine(multiple);
                t[i][j] = new BigInteger[] {a[0], a[1], BigInteger.ONE};
                multiple = add(multiple, base);
            }
            base = multiple; // 16 * base
        }
        generatorTable = t;
        return t;
    }

    /**
     * k*(x, y) as {x, y}, each {@link #bytes()} long, or null if the result is the point at infinity
     * (ECDH_ZGen and friends need the whole point, which the JDK's KeyAgreement does not give). The
     * caller checks first that (x, y) is on the curve.
     */
    public byte[][] multiply(BigInteger k, byte[] x, byte[] y) {
        BigInteger[] r = ladder(k.mod(order()),
                new BigInteger[] {new BigInteger(1, x), new BigInteger(1, y), BigInteger.ONE});
        if (r[2].signum() == 0) {
            return null;
        }
        BigInteger[] a = toAffine(r);
        return new byte[][] {fixed(a[0]), fixed(a[1])};
    }

    /**
     * (x1, y1) + (x2, y2) as {x, y}, each {@link #bytes()} long, or null for the point at infinity (ECMQV
     * of TPM2_ZGen_2Phase adds two multiples). Both points must be on the curve.
     */
    public byte[][] add(byte[] x1, byte[] y1, byte[] x2, byte[] y2) {
        BigInteger[] r = add(new BigInteger[] {new BigInteger(1, x1), new BigInteger(1, y1), BigInteger.ONE},
                new BigInteger[] {new BigInteger(1, x2), new BigInteger(1, y2), BigInteger.ONE});
        if (r[2].signum() == 0) {
            return null;
        }
        BigInteger[] a = toAffine(r);
        return new byte[][] {fixed(a[0]), fixed(a[1])};
    }

    /** True if (x, y) is a point on the curve (y^2 = x^3 + ax + b with both coordinates below p). */
    public boolean isOnCurve(byte[] xb, byte[] yb) {
        BigInteger x = new BigInteger(1, xb);
        BigInteger y = new BigInteger(1, yb);
        if (x.compareTo(p) >= 0 || y.compareTo(p) >= 0) {
            return false;
        }
        BigInteger lhs = y.multiply(y).mod(p);
        BigInteger rhs = x.multiply(x).add(a).multiply(x).add(b).mod(p);
        return lhs.equals(rhs);
    }

    /** A non-negative integer as exactly {@link #bytes()} big-endian bytes. */
    public byte[] fixed(BigInteger v) {
        return Bytes.fixed(v, bytes());
    }

    // ---- Jacobian arithmetic: (X, Y, Z) is (X/Z^2, Y/Z^3); Z = 0 is the point at infinity.

    private BigInteger[] ladder(BigInteger k, BigInteger[] point) {
        BigInteger[] r0 = {BigInteger.ONE, BigInteger.ONE, BigInteger.ZERO};
        BigInteger[] r1 = point;
        for (int i = Math.max(k.bitLength(), order().bitLength()) - 1; i >= 0; i--) {
            if (k.testBit(i)) {
                r0 = add(r0, r1);
                r1 = twice(r1);
            } else {
                r1 = add(r0, r1);
                r0 = twice(r0);
            }
        }
        return r0;
    }

    private BigInteger[] twice(BigInteger[] q) {
        if (q[2].signum() == 0 || q[1].signum() == 0) {
            return new BigInteger[] {BigInteger.ONE, BigInteger.ONE, BigInteger.ZERO};
        }
        BigInteger x = q[0];
        BigInteger y = q[1];
        BigInteger z = q[2];
        BigInteger yy = y.multiply(y).mod(p);
        BigInteger s = x.multiply(yy).shiftLeft(2).mod(p);
        BigInteger zz = z.multiply(z).mod(p);
        BigInteger m = THREE.multiply(x).multiply(x).add(a.multiply(zz).multiply(zz)).mod(p);
        BigInteger x3 = m.multiply(m).subtract(s.multiply(TWO)).mod(p);
        BigInteger y3 = m.multiply(s.subtract(x3)).subtract(yy.multiply(yy).shiftLeft(3)).mod(p);
        BigInteger z3 = y.multiply(z).shiftLeft(1).mod(p);
        return new BigInteger[] {x3, y3, z3};
    }

    private BigInteger[] add(BigInteger[] q1, BigInteger[] q2) {
        if (q1[2].signum() == 0) {
            return q2;
        }
        if (q2[2].signum() == 0) {
            return q1;
        }
        BigInteger z1z1 = q1[2].multiply(q1[2]).mod(p);
        BigInteger z2z2 = q2[2].multiply(q2[2]).mod(p);
        BigInteger u1 = q1[0].multiply(z2z2).mod(p);
        BigInteger u2 = q2[0].multiply(z1z1).mod(p);
        BigInteger s1 = q1[1].multiply(q2[2]).multiply(z2z2).mod(p);
        BigInteger s2 = q2[1].multiply(q1[2]).multiply(z1z1).mod(p);
        BigInteger h = u2.subtract(u1).mod(p);
        BigInteger r = s2.subtract(s1).mod(p);
        if (h.signum() == 0) {
            return r.signum() == 0 ? twice(q1) : new BigInteger[] {BigInteger.ONE, BigInteger.ONE, BigInteger.ZERO};
        }
        BigInteger hh = h.multiply(h).mod(p);
        BigInteger hhh = hh.multiply(h).mod(p);
        BigInteger v = u1.multiply(hh).mod(p);
        BigInteger x3 = r.multiply(r).subtract(hhh).subtract(v.multiply(TWO)).mod(p);
        BigInteger y3 = r.multiply(v.subtract(x3)).subtract(s1.multiply(hhh)).mod(p);
        BigInteger z3 = q1[2].multiply(q2[2]).multiply(h).mod(p);
        return new BigInteger[] {x3, y3, z3};
    }

    private BigInteger[] toAffine(BigInteger[] q) {
        BigInteger zi = q[2].modInverse(p);
        BigInteger zi2 = zi.multiply(zi).mod(p);
        return new BigInteger[] {q[0].multiply(zi2).mod(p), q[1].multiply(zi2).multiply(zi).mod(p)};
    }
}
