package org.jswtpm.core.command;

import static org.jswtpm.core.command.ObjectCommands.object;

import java.math.BigInteger;
import org.jswtpm.core.TpmException;
import org.jswtpm.core.crypto.EccCurve;
import org.jswtpm.core.engine.CommandContext;
import org.jswtpm.core.engine.CommandHandler;
import org.jswtpm.core.marshal.TpmReader;
import org.jswtpm.core.marshal.TpmWriter;
import org.jswtpm.core.object.Commitments;
import org.jswtpm.core.object.PublicParms;
import org.jswtpm.core.object.TpmObject;
import org.jswtpm.core.types.TpmAlg;
import org.jswtpm.core.types.TpmRc;
import org.jswtpm.core.types.TpmaObject;

/**
 * Two-phase ECC operations: TCG TPM 2.0 Part 3, 19.2 TPM2_Commit and 19.3 TPM2_EC_Ephemeral (chapter 19
 * "Ephemeral EC keys") and 14.7 TPM2_ZGen_2Phase. An ephemeral scalar r is committed to by a counter
 * value ({@link Commitments}) and used once, by ECDAA signing or by the key exchange.
 */
final class EccExtraCommands {
    /** TPM2B_ECC_PARAMETER maximum: libtpms 0.9's MAX_ECC_KEY_BYTES (a BN P-638 coordinate). */
    static final int MAX_PARAMETER = 80;
    /** TPM2B_SENSITIVE_DATA maximum. */
    static final int MAX_SENSITIVE_DATA = 128;

    private EccExtraCommands() {
    }

    /** An ECC point; x and y empty for the Empty Point. */
    record Point(byte[] x, byte[] y) {
        static final Point EMPTY = new Point(new byte[0], new byte[0]);

        boolean isEmpty() {
            return x.length == 0 && y.length == 0;
        }

        /**
         * TPM2B_ECC_POINT: TPM_RC_SIZE if its size is zero (the Empty Point is two empty coordinates, size
         * 4, as libtpms requires) or disagrees with the TPMS_ECC_POINT inside.
         */
        static Point read2b(TpmReader r) throws TpmException {
            int size = r.u16();
            if (size == 0) {
                throw r.error(TpmRc.SIZE);
            }
            int start = r.remaining();
            Point p = new Point(r.tpm2b(MAX_PARAMETER), r.tpm2b(MAX_PARAMETER));
            if (start - r.remaining() != size) {
                throw r.error(TpmRc.SIZE);
            }
            return p;
        }

        static Point of(byte[][] xy) {
            return xy == null ? EMPTY : new Point(xy[0], xy[1]);
        }

        void write2b(TpmWriter w) {
            w.u16(4 + x.length + y.length).tpm2b(x).tpm2b(y);
        }

        boolean on(EccCurve curve) {
            return x.length <= curve.bytes() && y.length <= curve.bytes() && curve.isOnCurve(x, y);
        }
    }

    /** The curve of an ECC key, or TPM_RC_KEY on handle {@code i}. */
    static EccCurve curve(TpmObject key, int i) throws TpmException {
        if (!(key.publicArea().parms() instanceof PublicParms.Ecc e)) {
            throw new TpmException(TpmRc.KEY.handle(i + 1));
        }
        return e.curve();
    }

    static BigInteger d(TpmObject key) {
        return new BigInteger(1, key.sensitive().sensitive());
    }

    record CommitIn(Point p1, byte[] s2, byte[] y2) {
    }

    /**
     * Part 3, 19.2 TPM2_Commit: the first phase of an ECDAA signature with signHandle (an ECC key whose
     * scheme is ECDAA). With P2 = (H_nameAlg(s2) mod p, y2): K = [ds]P2 and L = [r]P2; E = [r]P1 when P1
     * is given, E = [r]G when neither is. Returns K, L, E (Empty Points where not computed) and the
     * counter of r. Response codes: TPM_RC_KEY (not an ECC key, or P2 with a public-only key, handle 1);
     * TPM_RC_SCHEME (the key's scheme is not anonymous, handle 1); TPM_RC_SIZE (s2 without y2 or y2
     * without s2, parameter 3); TPM_RC_ECC_POINT (P2 off the curve, parameter 2; P1 off the curve,
     * parameter 1); TPM_RC_NO_RESULT (a result at infinity).
     */
    static final class Commit implements CommandHandler<CommitIn> {
        @Override
        public CommitIn parse(TpmReader in) throws TpmException {
            Point p1 = Point.read2b(in.parameter(1));
            byte[] s2 = in.parameter(2).tpm2b(MAX_SENSITIVE_DATA);
            return new CommitIn(p1, s2, in.parameter(3).tpm2b(MAX_PARAMETER));
        }

        @Override
        public void execute(CommandContext ctx, CommitIn p, TpmWriter out) throws TpmException {
            TpmObject key = object(ctx, 0);
            EccCurve curve = curve(key, 0);
            if (((PublicParms.Ecc) key.publicArea().parms()).scheme().alg() != TpmAlg.ECDAA.id()) {
                throw new TpmException(TpmRc.SCHEME.handle(1));
            }
            if ((p.s2().length == 0) != (p.y2().length == 0)) {
                throw new TpmException(TpmRc.SIZE.parameter(3));
            }
            Commitments commitments = ctx.tpm().objectEngine().commitments();
            BigInteger r = commitments.r(ctx.tpm().drbg(), curve, key.name(), null);
            Point p2 = null;
            if (p.s2().length != 0) {
                BigInteger x2 = new BigInteger(1, key.publicArea().nameHash().digest(p.s2())).mod(curve.prime());
                p2 = new Point(curve.fixed(x2), p.y2());
                if (!p2.on(curve)) {
                    throw new TpmException(TpmRc.ECC_POINT.parameter(2));
                }
                if (key.isPublicOnly()) {
                    throw new TpmException(TpmRc.KEY.handle(1));
                }
            }
            Point p1 = p.p1().isEmpty() ? null : p.p1();
            if (p1 != null && !p1.on(curve)) {
                throw new TpmException(TpmRc.ECC_POINT.parameter(1));
            }
            Point k = Point.EMPTY;
            Point l = Point.EMPTY;
            Point e = Point.EMPTY;
            if (p2 != null) {
                k = multiply(curve, d(key), p2);
                l = multiply(curve, r, p2);
            }
            if (p1 != null) {
                e = multiply(curve, r, p1);
            } else if (p2 == null) {
                e = Point.of(curve.multiplyGenerator(r));
            }
            k.write2b(out);
            l.write2b(out);
            e.write2b(out);
            out.u16(commitments.commit());
        }
    }

    static Point multiply(EccCurve curve, BigInteger k, Point p) throws TpmException {
        byte[][] q = curve.multiply(k, p.x(), p.y());
        if (q == null) {
            throw new TpmException(TpmRc.NO_RESULT);
        }
        return Point.of(q);
    }

    /**
     * Part 3, 19.3 TPM2_EC_Ephemeral: a committed ephemeral key on curveID for TPM2_ZGen_2Phase: Q = [r]G
     * and the counter that names r. Response codes: TPM_RC_CURVE (unknown curve, parameter 1).
     */
    static final class EcEphemeral implements CommandHandler<EccCurve> {
        @Override
        public EccCurve parse(TpmReader in) throws TpmException {
            EccCurve curve = EccCurve.of(in.parameter(1).u16());
            if (curve == null) {
                throw in.error(TpmRc.CURVE);
            }
            return curve;
        }

        @Override
        public void execute(CommandContext ctx, EccCurve curve, TpmWriter out) throws TpmException {
            Commitments commitments = ctx.tpm().objectEngine().commitments();
            BigInteger r = commitments.r(ctx.tpm().drbg(), curve, null, null);
            Point.of(curve.multiplyGenerator(r)).write2b(out);
            out.u16(commitments.commit());
        }
    }

    record ZGenIn(Point qsB, Point qeB, int scheme, int counter) {
    }

    /**
     * Part 3, 14.7 TPM2_ZGen_2Phase: the second phase of a two-phase key exchange with the static key keyA
     * (dsA) and the ephemeral key of counter (deA, from TPM2_EC_Ephemeral), against party B's static and
     * ephemeral points. TPM_ALG_ECDH (Full Unified Model, SP 800-56A C(2e, 2s)): outZ1 = [dsA]QsB, outZ2 =
     * [deA]QeB. TPM_ALG_ECMQV (C(2e, 2s) MQV): outZ1 = [h·tA](QeB + avf(QeB)·QsB) with tA = deA +
     * avf(QeA)·dsA mod n, outZ2 empty. TPM_ALG_SM2 (the SM2 key exchange, GB/T 32918.3, 6.1 A4 to A8): outZ1
     * = [h·tA](QsB + [x̄B]QeB) with tA = dsA + x̄A·deA mod n, x̄ = 2^w + (x mod 2^w), w = ceil(ceil(log2 n)/2)
     * − 1 (libtpms 0.9.2 computes a different x̄, see compatibility.md), outZ2 empty. Response codes: TPM_RC_KEY (keyA not ECC, or public-only, handle 1);
     * TPM_RC_ATTRIBUTES (keyA restricted or not a decryption key, handle 1); TPM_RC_SCHEME (inScheme not a
     * two-phase scheme, or unlike keyA's own scheme, parameter 3); TPM_RC_ECC_POINT
     * (inQsB or inQeB off the curve, parameter 1 or 2); TPM_RC_VALUE (counter is no outstanding commitment,
     * parameter 4); TPM_RC_NO_RESULT (a result at infinity).
     */
    static final class ZGen2Phase implements CommandHandler<ZGenIn> {
        @Override
        public ZGenIn parse(TpmReader in) throws TpmException {
            Point qs = Point.read2b(in.parameter(1));
            Point qe = Point.read2b(in.parameter(2));
            int scheme = in.parameter(3).u16();
            if (scheme != TpmAlg.ECDH.id() && scheme != TpmAlg.ECMQV.id() && scheme != TpmAlg.SM2.id()) {
                throw in.error(TpmRc.SCHEME);
            }
            return new ZGenIn(qs, qe, scheme, in.parameter(4).u16());
        }

        @Override
        public void execute(CommandContext ctx, ZGenIn p, TpmWriter out) throws TpmException {
            TpmObject key = object(ctx, 0);
            EccCurve curve = curve(key, 0);
            if (key.has(TpmaObject.RESTRICTED) || !key.has(TpmaObject.DECRYPT)) {
                throw new TpmException(TpmRc.ATTRIBUTES.handle(1));
            }
            if (key.isPublicOnly()) {
                throw new TpmException(TpmRc.KEY.handle(1));
            }
            int keyScheme = ((PublicParms.Ecc) key.publicArea().parms()).scheme().alg();
            if (keyScheme != TpmAlg.NULL.id() && keyScheme != p.scheme()) {
                throw new TpmException(TpmRc.SCHEME.parameter(3));
            }
            if (!p.qsB().on(curve)) {
                throw new TpmException(TpmRc.ECC_POINT.parameter(1));
            }
            if (!p.qeB().on(curve)) {
                throw new TpmException(TpmRc.ECC_POINT.parameter(2));
            }
            Commitments commitments = ctx.tpm().objectEngine().commitments();
            BigInteger deA = commitments.r(ctx.tpm().drbg(), curve, null, p.counter());
            if (deA == null) {
                throw new TpmException(TpmRc.VALUE.parameter(4));
            }
            if (p.scheme() == TpmAlg.ECDH.id()) {
                multiply(curve, d(key), p.qsB()).write2b(out);
                multiply(curve, deA, p.qeB()).write2b(out);
            } else if (p.scheme() == TpmAlg.ECMQV.id()) {
                mqv(curve, d(key), deA, p.qsB(), p.qeB()).write2b(out);
                Point.EMPTY.write2b(out);
            } else {
                sm2(curve, d(key), deA, p.qsB(), p.qeB()).write2b(out);
                Point.EMPTY.write2b(out);
            }
            commitments.end(p.counter());
        }

        /** SP 800-56A 5.7.2.3, the MQV primitive, with cofactor 1 (the TPM's prime curves). */
        static Point mqv(EccCurve curve, BigInteger dsA, BigInteger deA, Point qsB, Point qeB) throws TpmException {
            BigInteger n = curve.order();
            Point qeA = Point.of(curve.multiplyGenerator(deA));
            BigInteger tA = deA.add(avf(curve, qeA).multiply(dsA)).mod(n);
            Point implicit = multiply(curve, avf(curve, qeB), qsB);
            Point sum = Point.of(curve.add(qeB.x(), qeB.y(), implicit.x(), implicit.y()));
            if (sum.isEmpty()) {
                throw new TpmException(TpmRc.NO_RESULT);
            }
            return multiply(curve, tA, sum);
        }

        /** GB/T 32918.3, 6.1 A4 to A8 with cofactor 1: the shared point U before its KDF. */
        static Point sm2(EccCurve curve, BigInteger dsA, BigInteger deA, Point qsB, Point qeB) throws TpmException {
            Point qeA = Point.of(curve.multiplyGenerator(deA));
            BigInteger tA = dsA.add(sm2Avf(curve, qeA).multiply(deA)).mod(curve.order());
            Point implicit = multiply(curve, sm2Avf(curve, qeB), qeB);
            Point sum = Point.of(curve.add(qsB.x(), qsB.y(), implicit.x(), implicit.y()));
            if (sum.isEmpty()) {
                throw new TpmException(TpmRc.NO_RESULT);
            }
            return multiply(curve, tA, sum);
        }

        /** x̄ = 2^w + (Q.x mod 2^w), w = ceil(ceil(log2 n) / 2) − 1 (GB/T 32918.3, 6.1 A4). */
        static BigInteger sm2Avf(EccCurve curve, Point q) {
            BigInteger bound = BigInteger.ONE.shiftLeft((curve.order().bitLength() + 1) / 2 - 1);
            return new BigInteger(1, q.x()).mod(bound).add(bound);
        }

        /** avf(Q) = (Q.x mod 2^ceil(f/2)) + 2^ceil(f/2), f the bit length of n. */
        static BigInteger avf(EccCurve curve, Point q) {
            int half = (curve.order().bitLength() + 1) / 2;
            BigInteger bound = BigInteger.ONE.shiftLeft(half);
            return new BigInteger(1, q.x()).mod(bound).add(bound);
        }
    }
}
