package org.jswtpm.core.command;

import static org.jswtpm.core.testing.TestObjects.NULL;
import static org.jswtpm.core.testing.TestObjects.SHA256;
import static org.jswtpm.core.testing.TestObjects.SIGNING;
import static org.jswtpm.core.testing.TestTpm.run;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.security.MessageDigest;
import java.util.Arrays;
import org.bouncycastle.asn1.sec.SECNamedCurves;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.signers.HMacDSAKCalculator;
import org.bouncycastle.math.ec.ECCurve;
import org.bouncycastle.math.ec.ECPoint;
import org.jswtpm.core.Tpm;
import org.jswtpm.core.crypto.EccCurve;
import org.jswtpm.core.crypto.TpmtSignature;
import org.jswtpm.core.marshal.TpmReader;
import org.jswtpm.core.marshal.TpmWriter;
import org.jswtpm.core.testing.Command;
import org.jswtpm.core.testing.Keys;
import org.jswtpm.core.testing.TestObjects;
import org.jswtpm.core.testing.TestTpm;
import org.jswtpm.core.types.TpmCc;
import org.jswtpm.core.types.TpmRc;
import org.jswtpm.core.types.TpmRh;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * NIST P-192 (0x0001), NIST P-224 (0x0002) and BN P-638 (0x0011), the curves libtpms 0.9 builds beyond
 * P-256/384/521, BN P-256 and SM2 P-256: their parameters, keys, ECDSA, EC-Schnorr, SM2 signing, ECDH and
 * secret sharing, every result checked with Bouncy Castle (SEC 2's named curves for P-192 and P-224; BN
 * P-638 from its published constants, TCG Algorithm Registry / ISO/IEC 15946-5).
 */
class MoreCurvesTest {
    static final int ECDSA = 0x18;
    static final int SM2 = 0x1B;
    static final int ECSCHNORR = 0x1C;
    static final byte[] DIGEST = sha256("a message on another curve");

    /** Bouncy Castle's domain of the curve, built independently of EccCurve. */
    static ECDomainParameters domain(EccCurve c) {
        switch (c) {
            case NIST_P192:
                return named("secp192r1");
            case NIST_P224:
                return named("secp224r1");
            case BN_P638: {
                BigInteger p = new BigInteger("23FFFFFDC000000D7FFFFFB8000001D3FFFFF942D000165E3FFF94870000D52FFFFDD0"
                        + "E00008DE55C00086520021E55BFFFFF51FFFF4EB800000004C80015ACDFFFFFFFFFFFFECE00000000000000067", 16);
                BigInteger n = new BigInteger("23FFFFFDC000000D7FFFFFB8000001D3FFFFF942D000165E3FFF94870000D52FFFFDD0"
                        + "E00008DE55600086550021E555FFFFF54FFFF4EAC000000049800154D9FFFFFFFFFFFFEDA00000000000000061", 16);
                ECCurve curve = new ECCurve.Fp(p, BigInteger.ZERO, BigInteger.valueOf(0x101), n, BigInteger.ONE);
                return new ECDomainParameters(curve, curve.createPoint(p.subtract(BigInteger.ONE),
                        BigInteger.valueOf(0x10)), n, BigInteger.ONE);
            }
            default:
                throw new IllegalArgumentException(c.toString());
        }
    }

    static ECDomainParameters named(String name) {
        X9ECParameters x9 = SECNamedCurves.getByName(name);
        return new ECDomainParameters(x9.getCurve(), x9.getG(), x9.getN(), x9.getH());
    }

    static byte[] sha256(String m) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(m.getBytes());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static ECPoint point(ECDomainParameters d, byte[] x, byte[] y) {
        return d.getCurve().validatePoint(new BigInteger(1, x), new BigInteger(1, y));
    }

    static boolean bcVerify(ECDomainParameters d, ECPoint q, byte[] digest, TpmtSignature sig) {
        ECDSASigner v = new ECDSASigner();
        v.init(false, new ECPublicKeyParameters(q, d));
        return v.verifySignature(digest, new BigInteger(1, sig.r()), new BigInteger(1, sig.s()));
    }

    static int bytes(EccCurve c) {
        return c == EccCurve.NIST_P192 ? 24 : c == EccCurve.NIST_P224 ? 28 : 80;
    }

    static byte[] fixed(EccCurve c, BigInteger v) {
        byte[] b = v.toByteArray();
        byte[] out = new byte[bytes(c)];
        int n = Math.min(b.length, out.length);
        System.arraycopy(b, b.length - n, out, out.length - n, n);
        return out;
    }

    /** LoadExternal of the public key q with {@code scheme}/SHA-256 in the null hierarchy. */
    static int loadPublic(Tpm tpm, EccCurve c, ECPoint q, int scheme) throws Exception {
        q = q.normalize();
        TpmWriter w = new TpmWriter();
        int at = w.startSized16();
        w.u16(TestObjects.ECC).u16(SHA256).u32(TestObjects.USER_WITH_AUTH | TestObjects.SIGN).u16(0);
        w.u16(NULL).u16(scheme).u16(SHA256).u16(c.id()).u16(NULL)
                .tpm2b(fixed(c, q.getAffineXCoord().toBigInteger())).tpm2b(fixed(c, q.getAffineYCoord().toBigInteger()));
        w.endSized16(at);
        return run(tpm, Command.of(TpmCc.LoadExternal).u16(0).bytes(w.toByteArray()).u32(TpmRh.NULL)).ok().u32();
    }

    @ParameterizedTest
    @EnumSource(names = {"NIST_P192", "NIST_P224", "BN_P638"})
    void eccParametersAreThePublishedConstants(EccCurve c) throws Exception {
        ECDomainParameters d = domain(c);
        assertEquals(bytes(c), c.bytes());
        Tpm tpm = TestTpm.started();
        TpmReader r = run(tpm, Command.of(TpmCc.ECC_Parameters).u16(c.id())).ok();
        assertEquals(c.id(), r.u16());
        assertEquals(c == EccCurve.BN_P638 ? 638 : c == EccCurve.NIST_P224 ? 224 : 192, r.u16());
        if (c == EccCurve.BN_P638) {
            assertEquals(NULL, r.u16(), "no KDF for the BN curves");
        } else {
            assertEquals(0x20, r.u16(), "KDF1_SP800_56A");
            assertEquals(SHA256, r.u16());
        }
        assertEquals(NULL, r.u16(), "no signing scheme");
        byte[][] values = new byte[7][];
        for (int i = 0; i < 7; i++) {
            values[i] = r.tpm2b(80);
        }
        assertEquals(0, r.remaining());
        assertArrayEquals(fixed(c, d.getCurve().getField().getCharacteristic()), values[0], "p");
        // the reference's table stores the BN curves' a as a one-byte zero, and swtpm gives it so
        assertArrayEquals(c == EccCurve.BN_P638 ? new byte[1] : fixed(c, d.getCurve().getA().toBigInteger()),
                values[1], "a");
        assertArrayEquals(fixed(c, d.getCurve().getB().toBigInteger()), values[2], "b");
        assertArrayEquals(fixed(c, d.getG().getAffineXCoord().toBigInteger()), values[3], "gX");
        assertArrayEquals(fixed(c, d.getG().getAffineYCoord().toBigInteger()), values[4], "gY");
        assertEquals(d.getCurve().getA().toBigInteger(), new BigInteger(1, values[1]));
        assertEquals(d.getCurve().getB().toBigInteger(), new BigInteger(1, values[2]));
        assertEquals(d.getG().getAffineYCoord().toBigInteger(), new BigInteger(1, values[4]));
        assertArrayEquals(fixed(c, d.getN()), values[5], "n");
        assertArrayEquals(new byte[] {1}, values[6], "h");
        assertTrue(d.getG().multiply(d.getN()).isInfinity(), "n*G = O");
        run(tpm, Command.of(TpmCc.TestParms).u16(0x0023).u16(NULL).u16(ECDSA).u16(SHA256).u16(c.id()).u16(NULL))
                .ok();
    }

    @ParameterizedTest
    @EnumSource(names = {"NIST_P192", "NIST_P224", "BN_P638"})
    void ecdsaPrimaryKeySignsAndVerifies(EccCurve c) throws Exception {
        ECDomainParameters d = domain(c);
        Tpm tpm = TestTpm.started();
        Keys.Key key = Keys.primary(tpm, TpmRh.OWNER, TestObjects.ecc(SIGNING, c.id(), ECDSA, SHA256));
        assertEquals(bytes(c), key.pub().unique().x().length);
        assertEquals(bytes(c), key.pub().unique().y().length);
        ECPoint q = point(d, key.pub().unique().x(), key.pub().unique().y());
        assertTrue(q.multiply(d.getN()).isInfinity(), "the public point is in the group");
        // the same template in the same hierarchy derives the same key
        Keys.Key again = Keys.primary(tpm, TpmRh.OWNER, TestObjects.ecc(SIGNING, c.id(), ECDSA, SHA256));
        assertArrayEquals(key.pub().unique().x(), again.pub().unique().x());

        TpmtSignature sig = SigningCommandsTest.signOk(tpm, key.handle(), DIGEST, ECDSA, null);
        assertEquals(ECDSA, sig.sigAlg());
        assertEquals(bytes(c), sig.r().length);
        assertEquals(bytes(c), sig.s().length);
        assertTrue(bcVerify(d, q, DIGEST, sig), "Bouncy Castle verifies the TPM's signature");
        byte[] tampered = DIGEST.clone();
        tampered[0] ^= 1;
        assertFalse(bcVerify(d, q, tampered, sig));
        run(tpm, SigningCommandsTest.verify(key.handle(), DIGEST, sig)).ok();
        run(tpm, SigningCommandsTest.verify(key.handle(), tampered, sig)).assertRc(TpmRc.SIGNATURE.parameter(2));

        // Bouncy Castle's signature with a known key, verified by the TPM through a loaded public key
        BigInteger priv = new BigInteger("1234567890ABCDEF1234567890ABCDEF1234567890ABCDEF", 16).mod(d.getN());
        ECDSASigner signer = new ECDSASigner(new HMacDSAKCalculator(new SHA256Digest()));
        signer.init(true, new ECPrivateKeyParameters(priv, d));
        BigInteger[] rs = signer.generateSignature(DIGEST);
        int ext = loadPublic(tpm, c, d.getG().multiply(priv), ECDSA);
        TpmtSignature bc = TpmtSignature.ecc(ECDSA, SHA256, fixed(c, rs[0]), fixed(c, rs[1]));
        run(tpm, SigningCommandsTest.verify(ext, DIGEST, bc)).ok();
        run(tpm, SigningCommandsTest.verify(ext, tampered, bc)).assertRc(TpmRc.SIGNATURE.parameter(2));
    }

    @ParameterizedTest
    @EnumSource(names = {"NIST_P192", "NIST_P224", "BN_P638"})
    void schnorrAndSm2SignAndVerify(EccCurve c) throws Exception {
        ECDomainParameters d = domain(c);
        BigInteger n = d.getN();
        Tpm tpm = TestTpm.started();
        Keys.Key key = Keys.primary(tpm, TpmRh.OWNER, TestObjects.ecc(SIGNING, c.id(), NULL, 0));
        ECPoint q = point(d, key.pub().unique().x(), key.pub().unique().y());
        byte[] other = sha256("another message");

        TpmtSignature schnorr = SigningCommandsTest.signOk(tpm, key.handle(), DIGEST, ECSCHNORR, null);
        run(tpm, SigningCommandsTest.verify(key.handle(), DIGEST, schnorr)).ok();
        run(tpm, SigningCommandsTest.verify(key.handle(), other, schnorr)).assertRc(TpmRc.SIGNATURE.parameter(2));
        // independently: R = s*G - r*Q, and r = H(R.x || digest) cut to the order's bytes
        BigInteger r = new BigInteger(1, schnorr.r());
        ECPoint rp = d.getG().multiply(new BigInteger(1, schnorr.s())).add(q.multiply(n.subtract(r.mod(n))))
                .normalize();
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        md.update(fixed(c, rp.getAffineXCoord().toBigInteger()));
        md.update(DIGEST);
        byte[] h = md.digest();
        assertEquals(new BigInteger(1, Arrays.copyOf(h, Math.min(h.length, bytes(c)))), r);

        TpmtSignature sm2 = SigningCommandsTest.signOk(tpm, key.handle(), DIGEST, SM2, null);
        assertEquals(SM2, sm2.sigAlg());
        run(tpm, SigningCommandsTest.verify(key.handle(), DIGEST, sm2)).ok();
        run(tpm, SigningCommandsTest.verify(key.handle(), other, sm2)).assertRc(TpmRc.SIGNATURE.parameter(2));
        // independently: (e + x([s]G + [(r + s) mod n]Q)) mod n = r
        BigInteger r2 = new BigInteger(1, sm2.r());
        BigInteger s2 = new BigInteger(1, sm2.s());
        ECPoint x = d.getG().multiply(s2).add(q.multiply(r2.add(s2).mod(n))).normalize();
        assertEquals(r2, new BigInteger(1, DIGEST).add(x.getAffineXCoord().toBigInteger()).mod(n));
    }

    @ParameterizedTest
    @EnumSource(names = {"NIST_P192", "NIST_P224", "BN_P638"})
    void ecdhAndEphemeralPoints(EccCurve c) throws Exception {
        ECDomainParameters d = domain(c);
        Tpm tpm = TestTpm.started();
        Keys.Key key = Keys.primary(tpm, TpmRh.OWNER, TestObjects.ecc(AsymmetricCommandsTest.DECRYPT_KEY, c.id(), NULL, 0));
        ECPoint q = point(d, key.pub().unique().x(), key.pub().unique().y());
        TpmReader r = run(tpm, Command.of(TpmCc.ECDH_KeyGen).handle(key.handle())).ok();
        byte[][] zk = AsymmetricCommandsTest.point(r);
        byte[][] pub = AsymmetricCommandsTest.point(r);
        point(d, zk[0], zk[1]);
        point(d, pub[0], pub[1]);
        byte[][] zg = AsymmetricCommandsTest.point(run(tpm, Command.of(TpmCc.ECDH_ZGen).handle(key.handle())
                .emptyAuth().bytes(AsymmetricCommandsTest.pointBytes(pub[0], pub[1]))).okWithSessions(0));
        assertArrayEquals(zk[0], zg[0]);
        assertArrayEquals(zk[1], zg[1]);
        // ZGen of c*G is c*Q, computed by Bouncy Castle
        BigInteger k = new BigInteger("C0FFEE15600D", 16);
        ECPoint kg = d.getG().multiply(k).normalize();
        byte[][] z = AsymmetricCommandsTest.point(run(tpm, Command.of(TpmCc.ECDH_ZGen).handle(key.handle()).emptyAuth()
                .bytes(AsymmetricCommandsTest.pointBytes(fixed(c, kg.getAffineXCoord().toBigInteger()),
                        fixed(c, kg.getAffineYCoord().toBigInteger())))).okWithSessions(0));
        ECPoint kq = q.multiply(k).normalize();
        assertArrayEquals(fixed(c, kq.getAffineXCoord().toBigInteger()), z[0]);
        assertArrayEquals(fixed(c, kq.getAffineYCoord().toBigInteger()), z[1]);
        // a point off the curve
        run(tpm, Command.of(TpmCc.ECDH_ZGen).handle(key.handle()).emptyAuth()
                .bytes(AsymmetricCommandsTest.pointBytes(fixed(c, kg.getAffineXCoord().toBigInteger()),
                        fixed(c, BigInteger.valueOf(3)))))
                .assertRc(TpmRc.ECC_POINT.parameter(1));
        byte[][] e = AsymmetricCommandsTest.point(run(tpm, Command.of(TpmCc.EC_Ephemeral).u16(c.id())).ok());
        assertEquals(bytes(c), e[0].length);
        assertTrue(point(d, e[0], e[1]).multiply(d.getN()).isInfinity());
    }

    @ParameterizedTest
    @EnumSource(names = {"NIST_P192", "NIST_P224", "BN_P638"})
    void storageKeySharesSecrets(EccCurve c) throws Exception {
        CredentialCommandsTest.Setup s = CredentialCommandsTest.setup(TestObjects.eccStorage(c.id()));
        byte[][] qs = CredentialCommandsTest.eccPoint(s.key().outPublic());
        point(domain(c), qs[0], qs[1]);
        TpmReader r = run(s.tpm(), CredentialCommandsTest.make(s.key().handle(), CredentialCommandsTest.CREDENTIAL,
                s.objectName())).ok();
        byte[] blob = r.tpm2b(200);
        byte[] secret = r.tpm2b(600);
        assertArrayEquals(CredentialCommandsTest.CREDENTIAL, run(s.tpm(),
                CredentialCommandsTest.activate(s.object(), s.key().handle(), blob, secret)).okWithSessions(0).tpm2b(64));
    }
}
