package org.jswtpm.core.command;

import static org.jswtpm.core.testing.TestObjects.NULL;
import static org.jswtpm.core.testing.TestObjects.SHA256;
import static org.jswtpm.core.testing.TestObjects.SIGNING;
import static org.jswtpm.core.testing.TestTpm.run;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import org.jswtpm.core.Tpm;
import org.jswtpm.core.crypto.TpmtSignature;
import org.jswtpm.core.marshal.TpmReader;
import org.jswtpm.core.testing.Command;
import org.jswtpm.core.testing.Keys;
import org.jswtpm.core.testing.TestObjects;
import org.jswtpm.core.testing.TestTpm;
import org.jswtpm.core.types.TpmCap;
import org.jswtpm.core.types.TpmCc;
import org.jswtpm.core.types.TpmRc;
import org.jswtpm.core.types.TpmRh;
import org.junit.jupiter.api.Test;

/**
 * TPM_ECC_BN_P256 (0x0010), which the JDK does not implement: keys, ECDSA and ECSCHNORR, ECDH and the
 * curve's parameters, every result checked with this test's own affine arithmetic (not the engine's).
 */
class BnCurveTest {
    static final int BN_P256 = 0x0010;
    static final int ECDSA = 0x18;
    static final int ECSCHNORR = 0x1C;
    // TCG Algorithm Registry, TPM_ECC_BN_P256
    static final BigInteger P = new BigInteger("FFFFFFFFFFFCF0CD46E5F25EEE71A49F0CDC65FB12980A82D3292DDBAED33013", 16);
    static final BigInteger N = new BigInteger("FFFFFFFFFFFCF0CD46E5F25EEE71A49E0CDC65FB1299921AF62D536CD10B500D", 16);
    static final BigInteger B = BigInteger.valueOf(3);
    static final BigInteger[] G = {BigInteger.ONE, BigInteger.TWO};

    // ---- reference arithmetic on y^2 = x^3 + 3 over F_p, affine, null is the point at infinity

    static boolean onCurve(BigInteger[] q) {
        return q[0].signum() >= 0 && q[0].compareTo(P) < 0 && q[1].signum() >= 0 && q[1].compareTo(P) < 0
                && q[1].pow(2).mod(P).equals(q[0].pow(3).add(B).mod(P));
    }

    static BigInteger[] add(BigInteger[] a, BigInteger[] b) {
        if (a == null) {
            return b;
        }
        if (b == null) {
            return a;
        }
        BigInteger l;
        if (a[0].equals(b[0])) {
            if (!a[1].equals(b[1]) || a[1].signum() == 0) {
                return null;
            }
            l = a[0].pow(2).multiply(BigInteger.valueOf(3)).multiply(a[1].shiftLeft(1).modInverse(P)).mod(P);
        } else {
            l = b[1].subtract(a[1]).multiply(b[0].subtract(a[0]).modInverse(P)).mod(P);
        }
        BigInteger x = l.pow(2).subtract(a[0]).subtract(b[0]).mod(P);
        return new BigInteger[] {x, l.multiply(a[0].subtract(x)).subtract(a[1]).mod(P)};
    }

    static BigInteger[] times(BigInteger k, BigInteger[] q) {
        BigInteger[] r = null;
        for (int i = k.bitLength() - 1; i >= 0; i--) {
            r = add(r, r);
            if (k.testBit(i)) {
                r = add(r, q);
            }
        }
        return r;
    }

    static BigInteger[] point(byte[] x, byte[] y) {
        return new BigInteger[] {new BigInteger(1, x), new BigInteger(1, y)};
    }

    static byte[] fixed(BigInteger v) {
        byte[] b = v.toByteArray();
        byte[] out = new byte[32];
        int n = Math.min(b.length, 32);
        System.arraycopy(b, b.length - n, out, 32 - n, n);
        return out;
    }

    /** ECDSA verification (SEC 1, 4.1.4) with a 256-bit digest and n of 256 bits (no truncation). */
    static boolean ecdsaOk(BigInteger[] q, byte[] digest, TpmtSignature sig) {
        BigInteger r = new BigInteger(1, sig.r());
        BigInteger s = new BigInteger(1, sig.s());
        if (r.signum() <= 0 || r.compareTo(N) >= 0 || s.signum() <= 0 || s.compareTo(N) >= 0) {
            return false;
        }
        BigInteger w = s.modInverse(N);
        BigInteger[] x = add(times(new BigInteger(1, digest).multiply(w).mod(N), G), times(r.multiply(w).mod(N), q));
        return x != null && x[0].mod(N).equals(r);
    }

    static byte[] sha256(String m) throws Exception {
        return java.security.MessageDigest.getInstance("SHA-256").digest(m.getBytes());
    }

    @Test
    void referenceArithmeticIsSane() {
        assertTrue(onCurve(G));
        assertNull(times(N, G), "n*G = O");
        assertTrue(onCurve(times(BigInteger.valueOf(12345), G)));
    }

    @Test
    void ecdsaKeySignsAndVerifies() throws Exception {
        Tpm tpm = TestTpm.started();
        Keys.Key key = Keys.primary(tpm, TpmRh.OWNER, TestObjects.ecc(SIGNING, BN_P256, ECDSA, SHA256));
        assertEquals(32, key.pub().unique().x().length);
        assertEquals(32, key.pub().unique().y().length);
        BigInteger[] q = point(key.pub().unique().x(), key.pub().unique().y());
        assertTrue(onCurve(q), "the public point is on the curve");
        assertNull(times(N, q), "n*Q = O");

        byte[] digest = sha256("a message on the BN curve");
        TpmtSignature sig = SigningCommandsTest.signOk(tpm, key.handle(), digest, ECDSA, null);
        assertEquals(ECDSA, sig.sigAlg());
        assertEquals(SHA256, sig.hashAlg());
        assertEquals(32, sig.r().length);
        assertEquals(32, sig.s().length);
        assertTrue(ecdsaOk(q, digest, sig), "the TPM's signature verifies independently");
        byte[] tampered = digest.clone();
        tampered[0] ^= 1;
        assertFalse(ecdsaOk(q, tampered, sig), "a tampered digest does not verify");

        run(tpm, SigningCommandsTest.verify(key.handle(), digest, sig)).ok();
        run(tpm, SigningCommandsTest.verify(key.handle(), tampered, sig)).assertRc(TpmRc.SIGNATURE.parameter(2));
        byte[] s2 = sig.s().clone();
        s2[31] ^= 1;
        run(tpm, SigningCommandsTest.verify(key.handle(), digest, TpmtSignature.ecc(ECDSA, SHA256, sig.r(), s2)))
                .assertRc(TpmRc.SIGNATURE.parameter(2));

        // a signature made here with a known scalar, checked by the TPM through a loaded public key
        BigInteger d = new BigInteger("1234567890ABCDEF1234567890ABCDEF", 16);
        BigInteger[] qd = times(d, G);
        BigInteger k = new BigInteger("FEDCBA0987654321FEDCBA0987654321", 16);
        BigInteger r = times(k, G)[0].mod(N);
        BigInteger s = k.modInverse(N).multiply(new BigInteger(1, digest).add(r.multiply(d))).mod(N);
        int ext = loadPublic(tpm, qd);
        run(tpm, SigningCommandsTest.verify(ext, digest, TpmtSignature.ecc(ECDSA, SHA256, fixed(r), fixed(s)))).ok();
        run(tpm, SigningCommandsTest.verify(ext, tampered, TpmtSignature.ecc(ECDSA, SHA256, fixed(r), fixed(s))))
                .assertRc(TpmRc.SIGNATURE.parameter(2));
    }

    /** LoadExternal of a public BN P-256 ECDSA key in the null hierarchy. */
    static int loadPublic(Tpm tpm, BigInteger[] q) throws Exception {
        org.jswtpm.core.marshal.TpmWriter w = new org.jswtpm.core.marshal.TpmWriter();
        int at = w.startSized16();
        w.u16(TestObjects.ECC).u16(SHA256).u32(TestObjects.USER_WITH_AUTH | TestObjects.SIGN).u16(0);
        w.u16(NULL).u16(ECDSA).u16(SHA256).u16(BN_P256).u16(NULL).tpm2b(fixed(q[0])).tpm2b(fixed(q[1]));
        w.endSized16(at);
        return run(tpm, Command.of(TpmCc.LoadExternal).u16(0).bytes(w.toByteArray()).u32(TpmRh.NULL)).ok().u32();
    }

    @Test
    void schnorrSignsAndVerifies() throws Exception {
        Tpm tpm = TestTpm.started();
        Keys.Key key = Keys.primary(tpm, TpmRh.OWNER, TestObjects.ecc(SIGNING, BN_P256, NULL, 0));
        byte[] digest = sha256("schnorr");
        TpmtSignature sig = SigningCommandsTest.signOk(tpm, key.handle(), digest, ECSCHNORR, null);
        assertEquals(ECSCHNORR, sig.sigAlg());
        run(tpm, SigningCommandsTest.verify(key.handle(), digest, sig)).ok();
        byte[] other = sha256("schnorr!");
        run(tpm, SigningCommandsTest.verify(key.handle(), other, sig)).assertRc(TpmRc.SIGNATURE.parameter(2));
        // independently: R = s*G - r*Q, and r = H(R.x || digest)
        BigInteger[] q = point(key.pub().unique().x(), key.pub().unique().y());
        BigInteger r = new BigInteger(1, sig.r());
        BigInteger[] rp = add(times(new BigInteger(1, sig.s()), G), times(N.subtract(r.mod(N)), q));
        java.security.MessageDigest md = java.security.MessageDigest.getInstance("SHA-256");
        md.update(fixed(rp[0]));
        md.update(digest);
        assertEquals(r, new BigInteger(1, md.digest()));
    }

    @Test
    void ecdhKeyGenAndZGenAgree() throws Exception {
        Tpm tpm = TestTpm.started();
        Keys.Key key = Keys.primary(tpm, TpmRh.OWNER,
                TestObjects.ecc(AsymmetricCommandsTest.DECRYPT_KEY, BN_P256, NULL, 0));
        BigInteger[] q = point(key.pub().unique().x(), key.pub().unique().y());
        assertTrue(onCurve(q));
        TpmReader r = run(tpm, Command.of(TpmCc.ECDH_KeyGen).handle(key.handle())).ok();
        byte[][] zk = AsymmetricCommandsTest.point(r);
        byte[][] pub = AsymmetricCommandsTest.point(r);
        assertTrue(onCurve(point(zk[0], zk[1])));
        assertTrue(onCurve(point(pub[0], pub[1])));
        byte[][] zg = AsymmetricCommandsTest.point(run(tpm, Command.of(TpmCc.ECDH_ZGen).handle(key.handle())
                .emptyAuth().bytes(AsymmetricCommandsTest.pointBytes(pub[0], pub[1]))).okWithSessions(0));
        assertArrayEquals(zk[0], zg[0]);
        assertArrayEquals(zk[1], zg[1]);
        // ZGen of G is the key's own public point; ZGen of a point this test made is d*(c*G) = c*Q
        byte[][] dg = AsymmetricCommandsTest.point(run(tpm, Command.of(TpmCc.ECDH_ZGen).handle(key.handle())
                .emptyAuth().bytes(AsymmetricCommandsTest.pointBytes(fixed(G[0]), fixed(G[1])))).okWithSessions(0));
        assertArrayEquals(key.pub().unique().x(), dg[0]);
        assertArrayEquals(key.pub().unique().y(), dg[1]);
        BigInteger c = new BigInteger("C0FFEE", 16);
        BigInteger[] cg = times(c, G);
        byte[][] dcg = AsymmetricCommandsTest.point(run(tpm, Command.of(TpmCc.ECDH_ZGen).handle(key.handle())
                .emptyAuth().bytes(AsymmetricCommandsTest.pointBytes(fixed(cg[0]), fixed(cg[1])))).okWithSessions(0));
        BigInteger[] cq = times(c, q);
        assertArrayEquals(fixed(cq[0]), dcg[0]);
        assertArrayEquals(fixed(cq[1]), dcg[1]);
        // a point off the curve
        run(tpm, Command.of(TpmCc.ECDH_ZGen).handle(key.handle()).emptyAuth()
                .bytes(AsymmetricCommandsTest.pointBytes(fixed(G[0]), fixed(BigInteger.valueOf(3)))))
                .assertRc(TpmRc.ECC_POINT.parameter(1));
    }

    @Test
    void eccParametersGiveTheCurveConstants() throws Exception {
        Tpm tpm = TestTpm.started();
        TpmReader r = run(tpm, Command.of(TpmCc.ECC_Parameters).u16(BN_P256)).ok();
        assertEquals(BN_P256, r.u16());
        assertEquals(256, r.u16());
        assertEquals(NULL, r.u16(), "the reference's curve table gives the BN curves no KDF");
        assertEquals(NULL, r.u16(), "nor a signing scheme");
        assertEquals(P, new BigInteger(1, r.tpm2b(66)));
        assertArrayEquals(new byte[] {0}, r.tpm2b(66), "a: the reference stores it as one zero byte");
        assertEquals(B, new BigInteger(1, r.tpm2b(66)));
        assertEquals(G[0], new BigInteger(1, r.tpm2b(66)));
        assertEquals(G[1], new BigInteger(1, r.tpm2b(66)));
        assertEquals(N, new BigInteger(1, r.tpm2b(66)));
        assertArrayEquals(new byte[] {1}, r.tpm2b(66));
    }

    @Test
    void capabilitiesAndTestParmsListTheCurve() throws Exception {
        Tpm tpm = TestTpm.started();
        TpmReader r = run(tpm, Command.of(TpmCc.GetCapability).u32(TpmCap.ECC_CURVES).u32(0).u32(100)).ok();
        r.u8();
        assertEquals(TpmCap.ECC_CURVES, r.u32());
        List<Integer> curves = new ArrayList<>();
        for (int i = r.u32(); i > 0; i--) {
            curves.add(r.u16());
        }
        assertTrue(curves.contains(BN_P256), curves.toString());
        run(tpm, Command.of(TpmCc.TestParms).u16(0x0023).u16(NULL).u16(ECDSA).u16(SHA256).u16(BN_P256).u16(NULL))
                .ok();
    }

    @Test
    void storageKeySharesSecrets() throws Exception {
        // a BN P-256 storage key: children under it, and credentials (ECDH one-pass secret sharing)
        CredentialCommandsTest.Setup s = CredentialCommandsTest.setup(TestObjects.eccStorage(BN_P256));
        byte[][] qs = CredentialCommandsTest.eccPoint(s.key().outPublic());
        assertTrue(onCurve(point(qs[0], qs[1])));
        // made by the TPM, activated by the TPM
        TpmReader r = run(s.tpm(), CredentialCommandsTest.make(s.key().handle(), CredentialCommandsTest.CREDENTIAL,
                s.objectName())).ok();
        byte[] blob = r.tpm2b(200);
        byte[] secret = r.tpm2b(600);
        assertArrayEquals(CredentialCommandsTest.CREDENTIAL, run(s.tpm(),
                CredentialCommandsTest.activate(s.object(), s.key().handle(), blob, secret)).okWithSessions(0).tpm2b(64));
        // made here with this test's arithmetic: Qe = e*G, Z = e*Qs, seed = KDFe(Z.x, "IDENTITY", Qe.x, Qs.x)
        BigInteger e = new BigInteger("5EED5EED5EED5EED5EED5EED5EED5EED5EED", 16);
        BigInteger[] qe = times(e, G);
        BigInteger[] z = times(e, point(qs[0], qs[1]));
        byte[] seed = org.jswtpm.core.testing.Offline.kdfe(fixed(z[0]), "IDENTITY", fixed(qe[0]), qs[0]);
        byte[] offline = CredentialCommandsTest.offlineBlob(seed, s.objectName(), CredentialCommandsTest.CREDENTIAL);
        byte[] encrypted = new org.jswtpm.core.marshal.TpmWriter().tpm2b(fixed(qe[0])).tpm2b(fixed(qe[1]))
                .toByteArray();
        assertArrayEquals(CredentialCommandsTest.CREDENTIAL, run(s.tpm(),
                CredentialCommandsTest.activate(s.object(), s.key().handle(), offline, encrypted))
                .okWithSessions(0).tpm2b(64));
        // an ephemeral point off the curve
        byte[] bad = new org.jswtpm.core.marshal.TpmWriter().tpm2b(fixed(qe[0])).tpm2b(fixed(qe[0])).toByteArray();
        run(s.tpm(), CredentialCommandsTest.activate(s.object(), s.key().handle(), offline, bad))
                .assertRc(TpmRc.ECC_POINT.parameter(2));
    }

    @Test
    void ephemeralPointIsOnTheCurve() throws Exception {
        Tpm tpm = TestTpm.started();
        TpmReader r = run(tpm, Command.of(TpmCc.EC_Ephemeral).u16(BN_P256)).ok();
        byte[][] q = AsymmetricCommandsTest.point(r);
        assertEquals(32, q[0].length);
        assertTrue(onCurve(point(q[0], q[1])));
        assertNull(times(N, point(q[0], q[1])));
    }
}
