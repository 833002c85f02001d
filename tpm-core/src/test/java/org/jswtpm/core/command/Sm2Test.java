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
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import org.bouncycastle.asn1.gm.GMNamedCurves;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.digests.SM3Digest;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.params.ParametersWithID;
import org.bouncycastle.crypto.params.ParametersWithRandom;
import org.bouncycastle.crypto.signers.PlainDSAEncoding;
import org.bouncycastle.crypto.signers.SM2Signer;
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
import org.junit.jupiter.api.Test;

/**
 * TPM_ECC_SM2_P256 (0x0020) and the TPM_ALG_SM2 signing scheme (0x001B), checked with Bouncy Castle's
 * sm2p256v1 curve and its SM2Signer (GB/T 32918.2), not with the engine's arithmetic: the TPM signs the
 * digest it is given as e, so a caller computes e = SM3(ZA || M) and both directions interoperate.
 */
class Sm2Test {
    static final int SM2_P256 = 0x0020;
    static final int SM2 = 0x001B;
    static final int ECDSA = 0x18;
    static final X9ECParameters BC = GMNamedCurves.getByName("sm2p256v1");
    static final ECDomainParameters DOMAIN = new ECDomainParameters(BC);
    static final BigInteger N = BC.getN();
    static final byte[] USER_ID = "1234567812345678".getBytes(StandardCharsets.US_ASCII);

    static byte[] fixed(BigInteger v) {
        return EccCurve.SM2_P256.fixed(v);
    }

    static ECPoint point(byte[] x, byte[] y) {
        return BC.getCurve().validatePoint(new BigInteger(1, x), new BigInteger(1, y));
    }

    /** The SM2 verification equation on Bouncy Castle's curve: (e + x([s]G + [(r + s) mod n]Q)) mod n = r. */
    static boolean sm2Ok(ECPoint q, byte[] digest, TpmtSignature sig) {
        BigInteger r = new BigInteger(1, sig.r());
        BigInteger s = new BigInteger(1, sig.s());
        if (r.signum() <= 0 || r.compareTo(N) >= 0 || s.signum() <= 0 || s.compareTo(N) >= 0) {
            return false;
        }
        BigInteger t = r.add(s).mod(N);
        ECPoint x = BC.getG().multiply(s).add(q.multiply(t)).normalize();
        return !x.isInfinity() && new BigInteger(1, digest).add(x.getAffineXCoord().toBigInteger()).mod(N).equals(r);
    }

    /** e = SM3(ZA || M) with ZA = SM3(ENTL || ID || a || b || xG || yG || xA || yA) (GB/T 32918.2, 5.5). */
    static byte[] sm3e(ECPoint q, byte[] message) {
        SM3Digest z = new SM3Digest();
        z.update((byte) (USER_ID.length * 8 >> 8));
        z.update((byte) (USER_ID.length * 8));
        z.update(USER_ID, 0, USER_ID.length);
        for (BigInteger v : new BigInteger[] {BC.getCurve().getA().toBigInteger(), BC.getCurve().getB().toBigInteger(),
            BC.getG().getAffineXCoord().toBigInteger(), BC.getG().getAffineYCoord().toBigInteger(),
            q.getAffineXCoord().toBigInteger(), q.getAffineYCoord().toBigInteger()}) {
            z.update(fixed(v), 0, 32);
        }
        byte[] za = new byte[32];
        z.doFinal(za, 0);
        SM3Digest e = new SM3Digest();
        e.update(za, 0, 32);
        e.update(message, 0, message.length);
        byte[] out = new byte[32];
        e.doFinal(out, 0);
        return out;
    }

    /** LoadExternal of a public SM2 P-256 key with the SM2 scheme in the null hierarchy. */
    static Command loadPublic(ECPoint q) {
        TpmWriter w = new TpmWriter();
        int at = w.startSized16();
        w.u16(TestObjects.ECC).u16(SHA256).u32(TestObjects.USER_WITH_AUTH | TestObjects.SIGN).u16(0);
        w.u16(NULL).u16(SM2).u16(SHA256).u16(SM2_P256).u16(NULL)
                .tpm2b(fixed(q.getAffineXCoord().toBigInteger())).tpm2b(fixed(q.getAffineYCoord().toBigInteger()));
        w.endSized16(at);
        return Command.of(TpmCc.LoadExternal).u16(0).bytes(w.toByteArray()).u32(TpmRh.NULL);
    }

    @Test
    void curveConstantsAreBouncyCastlesSm2p256v1() throws Exception {
        EccCurve c = EccCurve.SM2_P256;
        assertEquals(BC.getCurve().getField().getCharacteristic(), c.prime());
        assertEquals(N, c.order());
        assertEquals(BC.getCurve().getA().toBigInteger(), c.spec().getCurve().getA());
        assertEquals(BC.getCurve().getB().toBigInteger(), c.spec().getCurve().getB());
        assertEquals(BC.getG().getAffineXCoord().toBigInteger(), c.spec().getGenerator().getAffineX());
        assertEquals(BC.getG().getAffineYCoord().toBigInteger(), c.spec().getGenerator().getAffineY());
        BigInteger d = new BigInteger("3945208F7B2144B13F36E38AC6D39F95889393692860B51A42FB81EF4DF7C5B8", 16);
        ECPoint q = BC.getG().multiply(d).normalize();
        byte[][] ours = c.multiplyGenerator(d);
        assertArrayEquals(fixed(q.getAffineXCoord().toBigInteger()), ours[0]);
        assertArrayEquals(fixed(q.getAffineYCoord().toBigInteger()), ours[1]);
    }

    @Test
    void eccParametersGiveTheCurveAsSwtpmDoes() throws Exception {
        Tpm tpm = TestTpm.started();
        TpmReader r = run(tpm, Command.of(TpmCc.ECC_Parameters).u16(SM2_P256)).ok();
        assertEquals(SM2_P256, r.u16());
        assertEquals(256, r.u16());
        assertEquals(0x20, r.u16(), "KDF1_SP800_56A");
        assertEquals(0x12, r.u16(), "SM3_256, as the reference's curve table names it");
        assertEquals(NULL, r.u16());
        assertEquals(BC.getCurve().getField().getCharacteristic(), new BigInteger(1, r.tpm2b(66)));
        assertEquals(BC.getCurve().getA().toBigInteger(), new BigInteger(1, r.tpm2b(66)));
        assertEquals(BC.getCurve().getB().toBigInteger(), new BigInteger(1, r.tpm2b(66)));
        assertEquals(BC.getG().getAffineXCoord().toBigInteger(), new BigInteger(1, r.tpm2b(66)));
        assertEquals(BC.getG().getAffineYCoord().toBigInteger(), new BigInteger(1, r.tpm2b(66)));
        assertEquals(N, new BigInteger(1, r.tpm2b(66)));
        assertArrayEquals(new byte[] {1}, r.tpm2b(66));
    }

    @Test
    void tpmSignaturesVerifyWithBouncyCastle() throws Exception {
        Tpm tpm = TestTpm.started();
        Keys.Key key = Keys.primary(tpm, TpmRh.OWNER, TestObjects.ecc(SIGNING, SM2_P256, SM2, SHA256));
        ECPoint q = point(key.pub().unique().x(), key.pub().unique().y());
        byte[] message = "an SM2 message".getBytes(StandardCharsets.US_ASCII);
        byte[] e = sm3e(q, message);
        TpmtSignature sig = SigningCommandsTest.signOk(tpm, key.handle(), e, SM2, null);
        assertEquals(SM2, sig.sigAlg());
        assertEquals(SHA256, sig.hashAlg());
        assertEquals(32, sig.r().length);
        assertEquals(32, sig.s().length);
        assertTrue(sm2Ok(q, e, sig), "the verification equation holds");
        SM2Signer v = new SM2Signer(PlainDSAEncoding.INSTANCE);
        v.init(false, new ParametersWithID(new ECPublicKeyParameters(q, DOMAIN), USER_ID));
        v.update(message, 0, message.length);
        byte[] rs = Arrays.copyOf(sig.r(), 64);
        System.arraycopy(sig.s(), 0, rs, 32, 32);
        assertTrue(v.verifySignature(rs), "Bouncy Castle's SM2Signer accepts the TPM's signature over SM3(ZA || M)");

        byte[] tampered = e.clone();
        tampered[5] ^= 1;
        assertFalse(sm2Ok(q, tampered, sig));
        run(tpm, SigningCommandsTest.verify(key.handle(), e, sig)).ok();
        run(tpm, SigningCommandsTest.verify(key.handle(), tampered, sig)).assertRc(TpmRc.SIGNATURE.parameter(2));
        // two signatures of the same digest differ (k comes from the DRBG)
        TpmtSignature again = SigningCommandsTest.signOk(tpm, key.handle(), e, SM2, null);
        assertFalse(Arrays.equals(sig.r(), again.r()));
        assertTrue(sm2Ok(q, e, again));
    }

    @Test
    void bouncyCastleSignaturesVerifyInTheTpm() throws Exception {
        Tpm tpm = TestTpm.started();
        BigInteger d = new BigInteger("128B2FA8BD433C6C068C8D803DFF79792A519A55171B1B650C23661D15897263", 16);
        ECPoint q = BC.getG().multiply(d).normalize();
        int h = run(tpm, loadPublic(q)).ok().u32();
        for (int i = 0; i < 4; i++) {
            byte[] message = ("message " + i).getBytes(StandardCharsets.US_ASCII);
            SM2Signer s = new SM2Signer(PlainDSAEncoding.INSTANCE);
            s.init(true, new ParametersWithID(new ParametersWithRandom(new ECPrivateKeyParameters(d, DOMAIN),
                    new SecureRandom()), USER_ID));
            s.update(message, 0, message.length);
            byte[] rs = s.generateSignature();
            TpmtSignature sig = TpmtSignature.ecc(SM2, SHA256, Arrays.copyOf(rs, 32), Arrays.copyOfRange(rs, 32, 64));
            byte[] e = sm3e(q, message);
            TpmReader r = run(tpm, SigningCommandsTest.verify(h, e, sig)).ok();
            assertEquals(0x8022, r.u16(), "TPM_ST_VERIFIED");
            assertEquals(TpmRh.NULL, r.u32(), "a key of the null hierarchy gets the NULL ticket");
            run(tpm, SigningCommandsTest.verify(h, sm3e(q, "other".getBytes(StandardCharsets.US_ASCII)), sig))
                    .assertRc(TpmRc.SIGNATURE.parameter(2));
        }
    }

    @Test
    void badSignaturesAndSchemesAreRefused() throws Exception {
        Tpm tpm = TestTpm.started();
        Keys.Key key = Keys.primary(tpm, TpmRh.OWNER, TestObjects.ecc(SIGNING, SM2_P256, NULL, 0));
        byte[] e = new byte[32];
        Arrays.fill(e, (byte) 7);
        TpmtSignature sig = SigningCommandsTest.signOk(tpm, key.handle(), e, SM2, null);
        byte[] zero = new byte[32];
        byte[] n = fixed(N);
        for (TpmtSignature bad : new TpmtSignature[] {TpmtSignature.ecc(SM2, SHA256, zero, sig.s()),
            TpmtSignature.ecc(SM2, SHA256, sig.r(), zero), TpmtSignature.ecc(SM2, SHA256, n, sig.s()),
            TpmtSignature.ecc(SM2, SHA256, sig.r(), n),
            // r + s = n: t = 0
            TpmtSignature.ecc(SM2, SHA256, sig.r(), fixed(N.subtract(new BigInteger(1, sig.r())))),
            TpmtSignature.ecc(ECDSA, SHA256, sig.r(), sig.s())}) {
            run(tpm, SigningCommandsTest.verify(key.handle(), e, bad)).assertRc(TpmRc.SIGNATURE.parameter(2));
        }
        // an ECDSA key (SM2 on a NIST curve works the same way) and the SM2 scheme on a key that names ECDSA
        Keys.Key nist = Keys.primary(tpm, TpmRh.OWNER, TestObjects.ecc(SIGNING, 3, NULL, 0));
        TpmtSignature p256 = SigningCommandsTest.signOk(tpm, nist.handle(), e, SM2, null);
        run(tpm, SigningCommandsTest.verify(nist.handle(), e, p256)).ok();
        Keys.Key ecdsa = Keys.primary(tpm, TpmRh.OWNER, TestObjects.ecc(SIGNING, SM2_P256, ECDSA, SHA256));
        run(tpm, Keys.sign(ecdsa.handle(), e, SM2, SHA256, null)).assertRc(TpmRc.SCHEME.parameter(2));
        TpmtSignature ecdsaSig = SigningCommandsTest.signOk(tpm, ecdsa.handle(), e, NULL, null);
        assertEquals(ECDSA, ecdsaSig.sigAlg());
        run(tpm, SigningCommandsTest.verify(ecdsa.handle(), e, ecdsaSig)).ok();
    }
}
