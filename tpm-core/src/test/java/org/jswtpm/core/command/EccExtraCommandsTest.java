package org.jswtpm.core.command;

import static org.jswtpm.core.testing.TestTpm.run;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.spec.ECParameterSpec;
import org.jswtpm.core.Tpm;
import org.jswtpm.core.crypto.EccCurve;
import org.jswtpm.core.marshal.TpmReader;
import org.jswtpm.core.marshal.TpmWriter;
import org.jswtpm.core.testing.Command;
import org.jswtpm.core.testing.Offline;
import org.jswtpm.core.testing.TestObjects;
import org.jswtpm.core.testing.TestTpm;
import org.jswtpm.core.types.TpmCc;
import org.jswtpm.core.types.TpmRc;
import org.jswtpm.core.types.TpmRh;
import org.junit.jupiter.api.Test;

/**
 * TPM2_EC_Ephemeral with TPM2_ZGen_2Phase (ECDH, ECMQV and SM2), and TPM2_Commit, on NIST P-256 keys whose
 * private scalars the test knows (loaded with TPM2_LoadExternal): every result is checked against party
 * B's side computed here with {@link EccCurve}'s point operations and the MQV formulas written out anew.
 */
class EccExtraCommandsTest {
    static final EccCurve P256 = EccCurve.of(3);
    static final int ECDH = 0x0019;
    static final int ECMQV = 0x001D;
    static final int ECDAA = 0x001A;
    static final BigInteger DS_A = new BigInteger("1234567890abcdef1234567890abcdef1234567890abcdef", 16);
    static final BigInteger DS_B = new BigInteger("fedcba0987654321fedcba0987654321fedcba09876543", 16);
    static final BigInteger DE_B = new BigInteger("13579bdf2468ace013579bdf2468ace013579bdf2468", 16);

    /** LoadExternal of a P-256 key pair with scalar d, the given attributes and scheme (+ its details). */
    static int loadKey(Tpm tpm, BigInteger d, int attributes, int scheme, byte[] schemeDetails) throws Exception {
        byte[][] q = P256.multiplyGenerator(d);
        TpmWriter pub = new TpmWriter();
        int at = pub.startSized16();
        pub.u16(TestObjects.ECC).u16(TestObjects.SHA256).u32(attributes).u16(0).u16(TestObjects.NULL).u16(scheme)
                .bytes(schemeDetails).u16(3).u16(TestObjects.NULL).tpm2b(q[0]).tpm2b(q[1]);
        pub.endSized16(at);
        TpmWriter sens = new TpmWriter();
        at = sens.startSized16();
        sens.u16(TestObjects.ECC).u16(0).u16(0).tpm2b(P256.fixed(d));
        sens.endSized16(at);
        return run(tpm, Command.of(TpmCc.LoadExternal).bytes(sens.toByteArray()).bytes(pub.toByteArray())
                .u32(TpmRh.NULL)).ok().u32();
    }

    static byte[] point(byte[][] q) {
        return new TpmWriter().tpm2b(q[0]).tpm2b(q[1]).toByteArray();
    }

    static byte[][] readPoint(TpmReader r) throws Exception {
        int size = r.u16();
        byte[] x = r.tpm2b(66);
        byte[] y = r.tpm2b(66);
        assertEquals(size, 4 + x.length + y.length);
        return new byte[][] {x, y};
    }

    record Ephemeral(byte[][] q, int counter) {
    }

    static Ephemeral ephemeral(Tpm tpm) throws Exception {
        TpmReader r = run(tpm, Command.of(TpmCc.EC_Ephemeral).u16(3)).ok();
        return new Ephemeral(readPoint(r), r.u16());
    }

    static Command zgen(int key, byte[][] qs, byte[][] qe, int scheme, int counter) {
        return Command.of(TpmCc.ZGen_2Phase).handle(key).emptyAuth().tpm2b(point(qs)).tpm2b(point(qe)).u16(scheme)
                .u16(counter);
    }

    /** avf(Q) of SP 800-56A: the low ceil(f/2) bits of Q.x plus 2^ceil(f/2). */
    static BigInteger avf(byte[] x) {
        int half = (P256.order().bitLength() + 1) / 2;
        return new BigInteger(1, x).mod(BigInteger.ONE.shiftLeft(half)).setBit(half);
    }

    @Test
    void ecdhTwoPhaseMatchesPartyB() throws Exception {
        Tpm tpm = TestTpm.started();
        int key = loadKey(tpm, DS_A, TestObjects.DECRYPT | TestObjects.USER_WITH_AUTH, TestObjects.NULL, new byte[0]);
        byte[][] qsA = P256.multiplyGenerator(DS_A);
        Ephemeral e = ephemeral(tpm);
        TpmReader r = run(tpm, zgen(key, P256.multiplyGenerator(DS_B), P256.multiplyGenerator(DE_B), ECDH, e.counter()))
                .okWithSessions(0);
        byte[][] z1 = readPoint(r);
        byte[][] z2 = readPoint(r);
        assertArrayEquals(P256.multiply(DS_B, qsA[0], qsA[1])[0], z1[0], "Zs = [dsB]QsA");
        assertArrayEquals(P256.multiply(DE_B, e.q()[0], e.q()[1])[0], z2[0], "Ze = [deB]QeA");
        // each commitment serves once
        run(tpm, zgen(key, P256.multiplyGenerator(DS_B), P256.multiplyGenerator(DE_B), ECDH, e.counter()))
                .assertRc(TpmRc.VALUE.parameter(4));
    }

    @Test
    void tpmResetForgetsCommitments() throws Exception {
        Tpm tpm = TestTpm.started();
        Ephemeral before = ephemeral(tpm);
        run(tpm, Command.of(TpmCc.Shutdown).u16(0)).ok();
        tpm.init();
        run(tpm, Command.of(TpmCc.Startup).u16(0)).ok();
        int key = loadKey(tpm, DS_A, TestObjects.DECRYPT | TestObjects.USER_WITH_AUTH, TestObjects.NULL, new byte[0]);
        byte[][] qs = P256.multiplyGenerator(DS_B);
        run(tpm, zgen(key, qs, qs, ECDH, before.counter())).assertRc(TpmRc.VALUE.parameter(4));
        Ephemeral after = ephemeral(tpm);
        assertEquals(0, after.counter(), "the counter starts over");
        org.junit.jupiter.api.Assertions.assertFalse(java.util.Arrays.equals(before.q()[0], after.q()[0]),
                "with a new nonce");
    }

    @Test
    void ecmqvMatchesPartyB() throws Exception {
        Tpm tpm = TestTpm.started();
        int key = loadKey(tpm, DS_A, TestObjects.DECRYPT | TestObjects.USER_WITH_AUTH, TestObjects.NULL, new byte[0]);
        byte[][] qsA = P256.multiplyGenerator(DS_A);
        ephemeral(tpm);
        Ephemeral e = ephemeral(tpm); // the second outstanding commitment
        byte[][] qeB = P256.multiplyGenerator(DE_B);
        TpmReader r = run(tpm, zgen(key, P256.multiplyGenerator(DS_B), qeB, ECMQV, e.counter())).okWithSessions(0);
        byte[][] z = readPoint(r);
        assertEquals(4, r.u16(), "outZ2 is the Empty Point");
        // party B: tB = deB + avf(QeB) dsB; Z = [tB](QeA + [avf(QeA)]QsA)
        BigInteger tB = DE_B.add(avf(qeB[0]).multiply(DS_B)).mod(P256.order());
        byte[][] m = P256.multiply(avf(e.q()[0]), qsA[0], qsA[1]);
        byte[][] sum = P256.add(e.q()[0], e.q()[1], m[0], m[1]);
        assertArrayEquals(P256.multiply(tB, sum[0], sum[1])[0], z[0]);
    }

    /** x̄ of the SM2 key exchange (GB/T 32918.3, 6.1 A4): 2^w + (x mod 2^w), w = 127 for a 256-bit n. */
    static BigInteger sm2Avf(byte[] x) {
        return new BigInteger(1, x).mod(BigInteger.ONE.shiftLeft(127)).setBit(127);
    }

    @Test
    void sm2KeyExchangeMatchesPartyB() throws Exception {
        Tpm tpm = TestTpm.started();
        int key = loadKey(tpm, DS_A, TestObjects.DECRYPT | TestObjects.USER_WITH_AUTH, 0x001B,
                new TpmWriter().u16(TestObjects.SHA256).toByteArray());
        byte[][] qsA = P256.multiplyGenerator(DS_A);
        Ephemeral e = ephemeral(tpm);
        byte[][] qeB = P256.multiplyGenerator(DE_B);
        TpmReader r = run(tpm, zgen(key, P256.multiplyGenerator(DS_B), qeB, 0x001B, e.counter())).okWithSessions(0);
        byte[][] z = readPoint(r);
        assertEquals(4, r.u16(), "outZ2 is the Empty Point");
        // party B (GB/T 32918.3, 6.1 B5 to B7): tB = dsB + x̄B deB; V = [tB](QsA + [x̄A]QeA), the same point
        BigInteger tB = DS_B.add(sm2Avf(qeB[0]).multiply(DE_B)).mod(P256.order());
        byte[][] m = P256.multiply(sm2Avf(e.q()[0]), e.q()[0], e.q()[1]);
        byte[][] sum = P256.add(qsA[0], qsA[1], m[0], m[1]);
        byte[][] v = P256.multiply(tB, sum[0], sum[1]);
        assertArrayEquals(v[0], z[0]);
        assertArrayEquals(v[1], z[1]);
        // an ECDH key does not do SM2
        int ecdhKey = loadKey(tpm, DS_B, TestObjects.DECRYPT | TestObjects.USER_WITH_AUTH, ECDH,
                new TpmWriter().u16(TestObjects.SHA256).toByteArray());
        Ephemeral e2 = ephemeral(tpm);
        run(tpm, zgen(ecdhKey, qeB, qeB, 0x001B, e2.counter())).assertRc(TpmRc.SCHEME.parameter(3));
    }

    @Test
    void zgenRules() throws Exception {
        Tpm tpm = TestTpm.started();
        int key = loadKey(tpm, DS_A, TestObjects.DECRYPT | TestObjects.USER_WITH_AUTH, TestObjects.NULL, new byte[0]);
        int ecdhKey = loadKey(tpm, DS_B, TestObjects.DECRYPT | TestObjects.USER_WITH_AUTH, ECDH,
                new TpmWriter().u16(TestObjects.SHA256).toByteArray());
        Ephemeral e = ephemeral(tpm);
        byte[][] qs = P256.multiplyGenerator(DS_B);
        byte[][] off = {qs[0], P256.fixed(new BigInteger(1, qs[1]).add(BigInteger.ONE))};
        run(tpm, zgen(key, off, qs, ECDH, e.counter())).assertRc(TpmRc.ECC_POINT.parameter(1));
        run(tpm, zgen(key, qs, off, ECDH, e.counter())).assertRc(TpmRc.ECC_POINT.parameter(2));
        run(tpm, zgen(key, qs, qs, 0x0018, e.counter())).assertRc(TpmRc.SCHEME.parameter(3));
        run(tpm, zgen(ecdhKey, qs, qs, ECMQV, e.counter())).assertRc(TpmRc.SCHEME.parameter(3));
        run(tpm, zgen(key, qs, qs, ECDH, e.counter() + 1)).assertRc(TpmRc.VALUE.parameter(4));
        int signer = loadKey(tpm, DS_A, TestObjects.SIGN | TestObjects.USER_WITH_AUTH, TestObjects.NULL, new byte[0]);
        run(tpm, zgen(signer, qs, qs, ECDH, e.counter())).assertRc(TpmRc.ATTRIBUTES.handle(1));
        run(tpm, Command.of(TpmCc.EC_Ephemeral).u16(0x0999)).assertRc(TpmRc.CURVE.parameter(1));
        // a public-only key has no dsA
        TpmWriter pub = new TpmWriter();
        int at = pub.startSized16();
        pub.u16(TestObjects.ECC).u16(TestObjects.SHA256).u32(TestObjects.DECRYPT | TestObjects.USER_WITH_AUTH).u16(0)
                .u16(TestObjects.NULL).u16(TestObjects.NULL).u16(3).u16(TestObjects.NULL).tpm2b(qs[0]).tpm2b(qs[1]);
        pub.endSized16(at);
        TestObjects.flush(tpm, signer);
        int publicOnly = run(tpm, Command.of(TpmCc.LoadExternal).u16(0).bytes(pub.toByteArray()).u32(TpmRh.NULL))
                .ok().u32();
        // nor an authValue: password authorization is refused first (as swtpm; see DifferentialCryptoTest)
        run(tpm, zgen(publicOnly, qs, qs, ECDH, e.counter())).assertRc(TpmRc.AUTH_UNAVAILABLE);
        TestObjects.flush(tpm, publicOnly);
        // the commitment is still there after the failures
        run(tpm, zgen(key, qs, qs, ECDH, e.counter())).okWithSessions(0);
    }

    /** An s2 whose P2 = (SHA-256(s2) mod p, y2) is on P-256, and that y2. */
    static byte[][] s2AndY2() throws Exception {
        ECParameterSpec spec = Offline.p256();
        BigInteger p = P256.prime();
        for (int i = 0; ; i++) {
            byte[] s2 = ("s2 " + i).getBytes(StandardCharsets.US_ASCII);
            BigInteger x = new BigInteger(1, MessageDigest.getInstance("SHA-256").digest(s2)).mod(p);
            BigInteger rhs = x.pow(3).add(spec.getCurve().getA().multiply(x)).add(spec.getCurve().getB()).mod(p);
            BigInteger y = rhs.modPow(p.add(BigInteger.ONE).shiftRight(2), p); // p = 3 mod 4
            if (y.multiply(y).mod(p).equals(rhs)) {
                return new byte[][] {s2, P256.fixed(y), P256.fixed(x)};
            }
        }
    }

    static Command commit(int key, byte[] p1, byte[] s2, byte[] y2) {
        return Command.of(TpmCc.Commit).handle(key).emptyAuth().tpm2b(p1).tpm2b(s2).tpm2b(y2);
    }

    @Test
    void commitComputesKLE() throws Exception {
        Tpm tpm = TestTpm.started();
        byte[] ecdaa = new TpmWriter().u16(TestObjects.SHA256).u16(0).toByteArray();
        int key = loadKey(tpm, DS_A, TestObjects.SIGN | TestObjects.USER_WITH_AUTH, ECDAA, ecdaa);
        // no P1, no P2: E = [r]G only
        TpmReader r = run(tpm, commit(key, new byte[4], new byte[0], new byte[0])).okWithSessions(0);
        assertEquals(4, r.u16());
        r.skip(4);
        assertEquals(4, r.u16());
        r.skip(4);
        byte[][] e = readPoint(r);
        assertEquals(true, P256.isOnCurve(e[0], e[1]));
        assertEquals(0, r.u16(), "the first commitment has counter 0");
        // P2 from s2 and y2, P1 = P2: K = [ds]P2, and L = [r]P2 = E
        byte[][] s = s2AndY2();
        byte[] p2 = point(new byte[][] {s[2], s[1]});
        r = run(tpm, commit(key, p2, s[0], s[1])).okWithSessions(0);
        byte[][] k = readPoint(r);
        byte[][] l = readPoint(r);
        byte[][] e2 = readPoint(r);
        assertArrayEquals(P256.multiply(DS_A, s[2], s[1])[0], k[0], "K = [ds]P2");
        assertArrayEquals(l[0], e2[0], "L = E when P1 = P2");
        assertArrayEquals(l[1], e2[1]);
        assertEquals(1, r.u16());
        // errors
        byte[][] g = P256.multiplyGenerator(BigInteger.ONE);
        byte[] offCurve = point(new byte[][] {g[0], P256.fixed(new BigInteger(1, g[1]).add(BigInteger.ONE))});
        run(tpm, commit(key, offCurve, new byte[0], new byte[0])).assertRc(TpmRc.ECC_POINT.parameter(1));
        run(tpm, commit(key, new byte[4], s[0], new byte[0])).assertRc(TpmRc.SIZE.parameter(3));
        byte[] badY = s[1].clone();
        badY[31] ^= 1;
        run(tpm, commit(key, new byte[4], s[0], badY)).assertRc(TpmRc.ECC_POINT.parameter(2));
        int plain = loadKey(tpm, DS_B, TestObjects.SIGN | TestObjects.USER_WITH_AUTH, TestObjects.NULL, new byte[0]);
        run(tpm, commit(plain, new byte[4], new byte[0], new byte[0])).assertRc(TpmRc.SCHEME.handle(1));
    }
}
