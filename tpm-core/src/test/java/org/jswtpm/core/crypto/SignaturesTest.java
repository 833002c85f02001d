package org.jswtpm.core.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.Signature;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import org.jswtpm.core.TpmException;
import org.jswtpm.core.marshal.TpmReader;
import org.jswtpm.core.marshal.TpmWriter;
import org.jswtpm.core.object.PublicParms;
import org.jswtpm.core.object.Scheme;
import org.jswtpm.core.object.SymDef;
import org.jswtpm.core.object.TpmObject;
import org.jswtpm.core.object.TpmtPublic;
import org.jswtpm.core.object.TpmtSensitive;
import org.jswtpm.core.types.TpmAlg;
import org.jswtpm.core.types.TpmRc;
import org.jswtpm.core.types.TpmRh;
import org.jswtpm.core.types.TpmaObject;
import org.junit.jupiter.api.Test;

/** Signatures: every signature checked by the JDK, JDK signatures checked by us, structures round-trip. */
class SignaturesTest {
    static final byte[] MESSAGE = "message to sign".getBytes();
    static final CtrDrbg DRBG = new CtrDrbg(new byte[CtrDrbg.SEED_LENGTH]);
    static final int SIGN = TpmaObject.SIGN_ENCRYPT | TpmaObject.USER_WITH_AUTH;

    static TpmObject object(TpmtPublic pub, byte[] sensitive) {
        return new TpmObject(pub, new TpmtSensitive(pub.type(), new byte[0], new byte[0], sensitive),
                new byte[0], TpmRh.OWNER, TpmObject.Origin.EXTERNAL);
    }

    static TpmObject rsaKey(KeyPair kp, int bits) {
        RSAPublicKey pk = (RSAPublicKey) kp.getPublic();
        TpmtPublic pub = new TpmtPublic(TpmAlg.RSA.id(), TpmAlg.SHA256.id(), SIGN, new byte[0],
                new PublicParms.Rsa(SymDef.NULL, Scheme.NULL, bits, 0),
                TpmtPublic.Unique.of(Bytes.fixed(pk.getModulus(), bits / 8)));
        return object(pub, Bytes.fixed(((RSAPrivateCrtKey) kp.getPrivate()).getPrimeP(), bits / 16));
    }

    static TpmObject eccKey(KeyPair kp, EccCurve curve) {
        ECPublicKey pk = (ECPublicKey) kp.getPublic();
        TpmtPublic pub = new TpmtPublic(TpmAlg.ECC.id(), TpmAlg.SHA256.id(), SIGN, new byte[0],
                new PublicParms.Ecc(SymDef.NULL, Scheme.NULL, curve.id(), Scheme.NULL),
                new TpmtPublic.Unique(curve.fixed(pk.getW().getAffineX()), curve.fixed(pk.getW().getAffineY())));
        return object(pub, curve.fixed(((ECPrivateKey) kp.getPrivate()).getS()));
    }

    static KeyPair rsaPair(int bits) throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(bits);
        return g.generateKeyPair();
    }

    static KeyPair ecPair(String name) throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec(name));
        return g.generateKeyPair();
    }

    static TpmtSignature roundTrip(TpmtSignature s) throws TpmException {
        TpmtSignature back = TpmtSignature.read(new TpmReader(s.toBytes()), true);
        assertEquals(s, back);
        return back;
    }

    @Test
    void rsassaAndPssVerifiedByTheJdk() throws Exception {
        KeyPair kp = rsaPair(2048);
        TpmObject key = rsaKey(kp, 2048);
        for (HashAlg h : new HashAlg[] {HashAlg.SHA1, HashAlg.SHA256, HashAlg.SHA384, HashAlg.SHA512}) {
            byte[] digest = h.digest(MESSAGE);
            TpmtSignature s = roundTrip(Signatures.sign(key, new SigScheme(TpmAlg.RSASSA.id(), h.id(), 0), digest, DRBG));
            Signature jdk = Signature.getInstance(h.jdkName().replace("-", "") + "withRSA");
            jdk.initVerify(kp.getPublic());
            jdk.update(MESSAGE);
            assertTrue(jdk.verify(s.sig()), h.name());
            Signatures.verify(key, digest, s);

            s = roundTrip(Signatures.sign(key, new SigScheme(TpmAlg.RSAPSS.id(), h.id(), 0), digest, DRBG));
            Signature pss = Signature.getInstance("RSASSA-PSS");
            pss.setParameter(new PSSParameterSpec(h.jdkName(), "MGF1", new MGF1ParameterSpec(h.jdkName()),
                    h.digestSize(), 1));
            pss.initVerify(kp.getPublic());
            pss.update(MESSAGE);
            assertTrue(pss.verify(s.sig()), h.name());
            Signatures.verify(key, digest, s);
            byte[] tampered = digest.clone();
            tampered[0] ^= 1;
            TpmtSignature fs = s;
            assertEquals(TpmRc.SIGNATURE, assertThrows(TpmException.class,
                    () -> Signatures.verify(key, tampered, fs)).rc());
        }
    }

    @Test
    void jdkSignaturesVerify() throws Exception {
        KeyPair kp = rsaPair(1024);
        TpmObject key = rsaKey(kp, 1024);
        byte[] digest = HashAlg.SHA256.digest(MESSAGE);
        Signature jdk = Signature.getInstance("SHA256withRSA");
        jdk.initSign(kp.getPrivate());
        jdk.update(MESSAGE);
        Signatures.verify(key, digest, TpmtSignature.rsa(TpmAlg.RSASSA.id(), TpmAlg.SHA256.id(), jdk.sign()));
        Signature pss = Signature.getInstance("RSASSA-PSS");
        pss.setParameter(new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, 20, 1));
        pss.initSign(kp.getPrivate());
        pss.update(MESSAGE);
        Signatures.verify(key, digest, TpmtSignature.rsa(TpmAlg.RSAPSS.id(), TpmAlg.SHA256.id(), pss.sign()));

        KeyPair ec = ecPair("secp384r1");
        TpmObject ecKey = eccKey(ec, EccCurve.NIST_P384);
        Signature ecdsa = Signature.getInstance("SHA256withECDSAinP1363Format");
        ecdsa.initSign(ec.getPrivate());
        ecdsa.update(MESSAGE);
        byte[] rs = ecdsa.sign();
        Signatures.verify(ecKey, digest, TpmtSignature.ecc(TpmAlg.ECDSA.id(), TpmAlg.SHA256.id(),
                java.util.Arrays.copyOf(rs, 48), java.util.Arrays.copyOfRange(rs, 48, 96)));
    }

    @Test
    void ecdsaVerifiedByTheJdkOnEveryCurve() throws Exception {
        String[] names = {"secp256r1", "secp384r1", "secp521r1"};
        EccCurve[] curves = {EccCurve.NIST_P256, EccCurve.NIST_P384, EccCurve.NIST_P521};
        for (int c = 0; c < curves.length; c++) {
            KeyPair kp = ecPair(names[c]);
            TpmObject key = eccKey(kp, curves[c]);
            for (HashAlg h : new HashAlg[] {HashAlg.SHA256, HashAlg.SHA384, HashAlg.SHA512}) {
                byte[] digest = h.digest(MESSAGE);
                TpmtSignature s = roundTrip(Signatures.sign(key, new SigScheme(TpmAlg.ECDSA.id(), h.id(), 0),
                        digest, DRBG));
                Signature jdk = Signature.getInstance(h.jdkName().replace("-", "") + "withECDSAinP1363Format");
                jdk.initVerify(kp.getPublic());
                jdk.update(MESSAGE);
                byte[] rs = new byte[s.r().length * 2];
                System.arraycopy(s.r(), 0, rs, 0, s.r().length);
                System.arraycopy(s.s(), 0, rs, s.r().length, s.s().length);
                assertTrue(jdk.verify(rs), names[c] + " " + h);
                Signatures.verify(key, digest, s);
                byte[] tampered = digest.clone();
                tampered[1] ^= 1;
                assertThrows(TpmException.class, () -> Signatures.verify(key, tampered, s));
            }
        }
    }

    @Test
    void schnorrSignsAndVerifies() throws Exception {
        KeyPair kp = ecPair("secp256r1");
        TpmObject key = eccKey(kp, EccCurve.NIST_P256);
        byte[] digest = HashAlg.SHA256.digest(MESSAGE);
        TpmtSignature s = roundTrip(Signatures.sign(key, new SigScheme(TpmAlg.ECSCHNORR.id(), TpmAlg.SHA256.id(), 0),
                digest, DRBG));
        Signatures.verify(key, digest, s);
        // the equation by hand: R = sG - rQ, r = H(R.x || digest)
        BigInteger n = EccCurve.NIST_P256.order();
        BigInteger d = ((ECPrivateKey) kp.getPrivate()).getS();
        BigInteger[] rPoint = EcPoints.times(EccCurve.NIST_P256, new BigInteger(1, s.s())
                .subtract(new BigInteger(1, s.r()).multiply(d)).mod(n), null, null);
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        md.update(EccCurve.NIST_P256.fixed(rPoint[0]));
        assertArrayEquals(md.digest(digest), s.r());
        byte[] tampered = digest.clone();
        tampered[0] ^= 1;
        assertThrows(TpmException.class, () -> Signatures.verify(key, tampered, s));
    }

    @Test
    void hmacIsTheJdkMac() throws Exception {
        byte[] k = "hmac key bytes".getBytes();
        TpmtPublic pub = new TpmtPublic(TpmAlg.KEYEDHASH.id(), TpmAlg.SHA256.id(), SIGN, new byte[0],
                new PublicParms.KeyedHash(new Scheme(TpmAlg.HMAC.id(), TpmAlg.SHA256.id(), 0)), TpmtPublic.Unique.of(new byte[32]));
        TpmObject key = object(pub, k);
        byte[] digest = HashAlg.SHA256.digest(MESSAGE);
        SigScheme scheme = Signatures.select(pub, SigScheme.NULL);
        TpmtSignature s = roundTrip(Signatures.sign(key, scheme, digest, DRBG));
        javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
        mac.init(new javax.crypto.spec.SecretKeySpec(k, "HmacSHA256"));
        assertArrayEquals(mac.doFinal(digest), s.sig());
        Signatures.verify(key, digest, s);
        assertEquals(TpmRc.HANDLE, assertThrows(TpmException.class,
                () -> Signatures.verify(pub, null, digest, s)).rc());
    }

    @Test
    void schemeSelection() throws Exception {
        TpmtPublic rsaNull = rsaKey(rsaPair(1024), 1024).publicArea();
        SigScheme ssa = new SigScheme(TpmAlg.RSASSA.id(), TpmAlg.SHA256.id(), 0);
        assertNull(Signatures.select(rsaNull, SigScheme.NULL));
        assertEquals(ssa, Signatures.select(rsaNull, ssa));
        assertNull(Signatures.select(rsaNull, new SigScheme(TpmAlg.ECDSA.id(), TpmAlg.SHA256.id(), 0)));
        TpmtPublic withScheme = new TpmtPublic(rsaNull.type(), rsaNull.nameAlg(), rsaNull.attributes(), new byte[0],
                new PublicParms.Rsa(SymDef.NULL, new Scheme(TpmAlg.RSAPSS.id(), TpmAlg.SHA384.id(), 0), 1024, 0),
                rsaNull.unique());
        assertEquals(new SigScheme(TpmAlg.RSAPSS.id(), TpmAlg.SHA384.id(), 0),
                Signatures.select(withScheme, SigScheme.NULL));
        assertNull(Signatures.select(withScheme, ssa));
        assertNull(Signatures.select(withScheme, new SigScheme(TpmAlg.RSAPSS.id(), TpmAlg.SHA256.id(), 0)));
    }

    @Test
    void structuresRoundTrip() throws Exception {
        for (SigScheme s : new SigScheme[] {SigScheme.NULL, new SigScheme(TpmAlg.RSASSA.id(), TpmAlg.SHA256.id(), 0),
            new SigScheme(TpmAlg.ECDAA.id(), TpmAlg.SHA384.id(), 7), new SigScheme(TpmAlg.HMAC.id(), TpmAlg.SHA1.id(), 0)}) {
            TpmWriter w = new TpmWriter();
            s.write(w);
            TpmReader r = new TpmReader(w.toByteArray());
            assertEquals(s, SigScheme.read(r));
            assertEquals(0, r.remaining());
        }
        roundTrip(TpmtSignature.NULL);
        roundTrip(TpmtSignature.hmac(TpmAlg.SHA384.id(), new byte[48]));
        roundTrip(TpmtSignature.ecc(TpmAlg.ECSCHNORR.id(), TpmAlg.SHA256.id(), new byte[32], new byte[31]));
        // golden bytes: RSASSA/SHA256 with a 2-byte signature
        assertArrayEquals(new byte[] {0, 0x14, 0, 0x0B, 0, 2, 5, 6},
                TpmtSignature.rsa(TpmAlg.RSASSA.id(), TpmAlg.SHA256.id(), new byte[] {5, 6}).toBytes());
        assertEquals(TpmRc.SCHEME, assertThrows(TpmException.class,
                () -> TpmtSignature.read(new TpmReader(new byte[] {0, 0x17, 0, 0x0B}))).rc());
        assertEquals(TpmRc.HASH, assertThrows(TpmException.class,
                () -> SigScheme.read(new TpmReader(new byte[] {0, 0x14, 0, 0x10}))).rc());
    }
}
