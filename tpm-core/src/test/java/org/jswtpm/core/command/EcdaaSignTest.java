package org.jswtpm.core.command;

import static org.jswtpm.core.testing.TestTpm.run;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import org.jswtpm.core.Tpm;
import org.jswtpm.core.crypto.EccCurve;
import org.jswtpm.core.marshal.TpmReader;
import org.jswtpm.core.marshal.TpmWriter;
import org.jswtpm.core.testing.Command;
import org.jswtpm.core.testing.TestObjects;
import org.jswtpm.core.testing.TestTpm;
import org.jswtpm.core.types.TpmCc;
import org.jswtpm.core.types.TpmRc;
import org.jswtpm.core.types.TpmRh;
import org.junit.jupiter.api.Test;

/**
 * ECDAA split signing (TCG TPM 2.0 Part 1, 11.4.7; Part 3, 19.2 and 20.2): TPM2_Commit, then TPM2_Sign
 * with the ECDAA scheme naming the commit count, on a BN P-256 and a NIST P-256 key whose scalar d the
 * test knows. The signature (nonceK, s) is checked here as a DAA verifier does, with T = H(nonceK ||
 * digest) mod n: [s]G = E + [T]Q for a commitment with neither P1 nor P2, and [s]P2 = L + [T]K when
 * P2 was given. A count serves once (TPM_RC_VALUE afterwards), and a never-committed count is
 * TPM_RC_VALUE too, as the reference's CryptGenerateR failure.
 */
class EcdaaSignTest {
    static final int ECDAA = 0x001A;
    static final EccCurve BN256 = EccCurve.of(0x0010);
    static final EccCurve P256 = EccCurve.of(0x0003);
    static final BigInteger D = new BigInteger("2468ace013579bdf2468ace013579bdf2468ace013579bdf", 16);
    static final byte[] DIGEST = sha256("the message".getBytes(StandardCharsets.US_ASCII));

    static byte[] sha256(byte[] m) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(m);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** LoadExternal of an ECDAA/SHA-256 signing key with scalar d on {@code curve}. */
    static int loadKey(Tpm tpm, EccCurve curve, BigInteger d) throws Exception {
        byte[][] q = curve.multiplyGenerator(d);
        TpmWriter pub = new TpmWriter();
        int at = pub.startSized16();
        pub.u16(TestObjects.ECC).u16(TestObjects.SHA256).u32(TestObjects.SIGN | TestObjects.USER_WITH_AUTH).u16(0)
                .u16(TestObjects.NULL).u16(ECDAA).u16(TestObjects.SHA256).u16(0).u16(curve.id())
                .u16(TestObjects.NULL).tpm2b(q[0]).tpm2b(q[1]);
        pub.endSized16(at);
        TpmWriter sens = new TpmWriter();
        at = sens.startSized16();
        sens.u16(TestObjects.ECC).u16(0).u16(0).tpm2b(curve.fixed(d));
        sens.endSized16(at);
        return run(tpm, Command.of(TpmCc.LoadExternal).bytes(sens.toByteArray()).bytes(pub.toByteArray())
                .u32(TpmRh.NULL)).ok().u32();
    }

    record Committed(byte[][] k, byte[][] l, byte[][] e, int count) {
    }

    static byte[][] readPoint(TpmReader r) throws Exception {
        r.u16();
        return new byte[][] {r.tpm2b(80), r.tpm2b(80)};
    }

    static Committed commit(Tpm tpm, int key, byte[] s2, byte[] y2) throws Exception {
        TpmReader r = run(tpm, Command.of(TpmCc.Commit).handle(key).emptyAuth().u16(4).u16(0).u16(0).tpm2b(s2)
                .tpm2b(y2)).okWithSessions(0);
        return new Committed(readPoint(r), readPoint(r), readPoint(r), r.u16());
    }

    static Command sign(int key, int count) {
        return Command.of(TpmCc.Sign).handle(key).emptyAuth().tpm2b(DIGEST).u16(ECDAA).u16(TestObjects.SHA256)
                .u16(count).u16(0x8024).u32(0x40000007).u16(0);
    }

    /** {nonceK, s} of an ECDAA TPMT_SIGNATURE. */
    static BigInteger[] signOk(Tpm tpm, int key, int count) throws Exception {
        return signOk(tpm, key, count, 32);
    }

    static BigInteger[] signOk(Tpm tpm, int key, int count, int orderBytes) throws Exception {
        TpmReader r = run(tpm, sign(key, count)).okWithSessions(0);
        assertEquals(ECDAA, r.u16());
        assertEquals(TestObjects.SHA256, r.u16());
        byte[] nonceK = r.tpm2b(80);
        byte[] s = r.tpm2b(80);
        assertEquals(orderBytes, s.length, "signatureS has the order's size");
        assertEquals(0, r.remaining());
        return new BigInteger[] {new BigInteger(1, nonceK), new BigInteger(1, s), BigInteger.valueOf(nonceK.length)};
    }

    /** T = SHA-256(nonceK || digest) mod n, nonceK in its minimal bytes as signatureR carries it. */
    static BigInteger t(EccCurve curve, BigInteger nonceK, int nonceLength) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        byte[] nk = nonceK.toByteArray();
        byte[] exact = new byte[nonceLength];
        int copy = Math.min(nk.length, nonceLength);
        System.arraycopy(nk, nk.length - copy, exact, nonceLength - copy, copy);
        md.update(exact);
        md.update(DIGEST);
        return new BigInteger(1, md.digest()).mod(curve.order());
    }

    static void signAndVerifyWithE(EccCurve curve) throws Exception {
        Tpm tpm = TestTpm.started();
        int key = loadKey(tpm, curve, D);
        byte[][] q = curve.multiplyGenerator(D);
        Committed c = commit(tpm, key, new byte[0], new byte[0]);
        BigInteger[] sig = signOk(tpm, key, c.count(), (curve.order().bitLength() + 7) / 8);
        BigInteger t = t(curve, sig[0], sig[2].intValue());
        byte[][] left = curve.multiplyGenerator(sig[1]);
        byte[][] tq = curve.multiply(t, q[0], q[1]);
        byte[][] right = curve.add(c.e()[0], c.e()[1], tq[0], tq[1]);
        assertArrayEquals(right[0], left[0], "[s]G = E + [T]Q");
        assertArrayEquals(right[1], left[1]);
        // and so s = r + T d mod n with E = [r]G: s - T d gives E again
        BigInteger r = sig[1].subtract(t.multiply(D)).mod(curve.order());
        assertArrayEquals(c.e()[0], curve.multiplyGenerator(r)[0]);
        // the count is consumed
        run(tpm, sign(key, c.count())).assertRc(TpmRc.VALUE);
        // a count never committed
        run(tpm, sign(key, c.count() + 5)).assertRc(TpmRc.VALUE);
        // a new commitment signs again, with another nonce
        Committed c2 = commit(tpm, key, new byte[0], new byte[0]);
        assertNotEquals(c.count(), c2.count());
        BigInteger[] sig2 = signOk(tpm, key, c2.count(), (curve.order().bitLength() + 7) / 8);
        assertNotEquals(sig[0], sig2[0]);
    }

    @Test
    void bnP256SignatureVerifies() throws Exception {
        signAndVerifyWithE(BN256);
    }

    @Test
    void nistP192P224AndBnP638SignaturesVerify() throws Exception {
        signAndVerifyWithE(EccCurve.NIST_P192);
        signAndVerifyWithE(EccCurve.NIST_P224);
        signAndVerifyWithE(EccCurve.BN_P638);
    }

    @Test
    void nistP256SignatureVerifies() throws Exception {
        signAndVerifyWithE(P256);
    }

    @Test
    void signatureVerifiesAgainstKAndLWithP2() throws Exception {
        Tpm tpm = TestTpm.started();
        int key = loadKey(tpm, P256, D);
        byte[][] s2y2x2 = EccExtraCommandsTest.s2AndY2();
        Committed c = commit(tpm, key, s2y2x2[0], s2y2x2[1]);
        BigInteger[] sig = signOk(tpm, key, c.count());
        BigInteger t = t(P256, sig[0], sig[2].intValue());
        byte[][] left = P256.multiply(sig[1], s2y2x2[2], s2y2x2[1]);
        byte[][] tk = P256.multiply(t, c.k()[0], c.k()[1]);
        byte[][] right = P256.add(c.l()[0], c.l()[1], tk[0], tk[1]);
        assertArrayEquals(right[0], left[0], "[s]P2 = L + [T]K");
        assertArrayEquals(right[1], left[1]);
    }

    @Test
    void schemeRules() throws Exception {
        Tpm tpm = TestTpm.started();
        int key = loadKey(tpm, P256, D);
        Committed c = commit(tpm, key, new byte[0], new byte[0]);
        // ECDAA needs the count: the key's default cannot be used with a NULL inScheme
        run(tpm, Command.of(TpmCc.Sign).handle(key).emptyAuth().tpm2b(DIGEST).u16(TestObjects.NULL)
                .u16(0x8024).u32(0x40000007).u16(0)).assertRc(TpmRc.SCHEME.parameter(2));
        // a failed Sign leaves the commitment
        signOk(tpm, key, c.count());
    }
}
