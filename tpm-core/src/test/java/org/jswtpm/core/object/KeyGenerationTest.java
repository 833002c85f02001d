package org.jswtpm.core.object;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.security.Signature;
import org.jswtpm.core.TpmException;
import org.jswtpm.core.crypto.CtrDrbg;
import org.jswtpm.core.crypto.EccCurve;
import org.jswtpm.core.marshal.TpmReader;
import org.jswtpm.core.testing.TestObjects;
import org.jswtpm.core.types.TpmRc;
import org.junit.jupiter.api.Test;

/**
 * Key generation and the key material's consistency: the JDK signs with the private key made from the
 * sensitive area and verifies with the public key made from the public area.
 */
class KeyGenerationTest {
    static final byte[] MESSAGE = "message".getBytes();

    static ObjectGenerator.Generated generate(byte[] template, String seed) throws TpmException {
        TpmtPublic t = TpmtPublic.read2b(new TpmReader(template), false);
        return ObjectGenerator.generate(t, new SensitiveCreate(new byte[0], new byte[0]),
                new CtrDrbg(seed.getBytes()), null);
    }

    static void signAndVerify(ObjectGenerator.Generated g, String alg) throws Exception {
        JdkKeys keys = new JdkKeys();
        Signature s = Signature.getInstance(alg);
        s.initSign(keys.privateKey(g.publicArea(), g.sensitive()));
        s.update(MESSAGE);
        byte[] sig = s.sign();
        Signature v = Signature.getInstance(alg);
        v.initVerify(keys.publicKey(g.publicArea()));
        v.update(MESSAGE);
        assertTrue(v.verify(sig), alg);
    }

    @Test
    void rsaKeysWork() throws Exception {
        for (int bits : new int[] {1024, 2048}) {
            ObjectGenerator.Generated g = generate(TestObjects.rsa(TestObjects.SIGNING, bits, TestObjects.NULL, 0), "rsa" + bits);
            assertEquals(bits / 8, g.publicArea().unique().x().length);
            assertEquals(bits / 16, g.sensitive().sensitive().length);
            assertEquals(0, g.sensitive().seedValue().length, "a signing key has no seed");
            signAndVerify(g, "SHA256withRSA");
            ObjectGenerator.checkBinding(g.publicArea(), g.sensitive(), 1);
        }
    }

    @Test
    void eccKeysWorkOnEveryCurve() throws Exception {
        for (int curve : new int[] {3, 4, 5}) {
            ObjectGenerator.Generated g = generate(TestObjects.ecc(TestObjects.SIGNING, curve, TestObjects.NULL, 0), "ecc" + curve);
            signAndVerify(g, "SHA256withECDSA");
            ObjectGenerator.checkBinding(g.publicArea(), g.sensitive(), 1);
        }
    }

    @Test
    void storageKeysKeepASeedAndBindingIsChecked() throws Exception {
        ObjectGenerator.Generated g = generate(TestObjects.eccStorage(3), "storage");
        assertEquals(32, g.sensitive().seedValue().length);
        byte[] d = g.sensitive().sensitive().clone();
        d[31] ^= 1;
        TpmtSensitive wrong = new TpmtSensitive(g.sensitive().type(), new byte[0], g.sensitive().seedValue(), d);
        TpmException e = assertThrows(TpmException.class, () -> ObjectGenerator.checkBinding(g.publicArea(), wrong, 1));
        assertEquals(TpmRc.BINDING, e.rc());
        ObjectGenerator.Generated sym = generate(TestObjects.aesKey(TestObjects.STORAGE, 128), "aes");
        ObjectGenerator.checkBinding(sym.publicArea(), sym.sensitive(), 1);
        TpmtSensitive otherKey = new TpmtSensitive(sym.sensitive().type(), new byte[0],
                sym.sensitive().seedValue(), new byte[16]);
        assertThrows(TpmException.class, () -> ObjectGenerator.checkBinding(sym.publicArea(), otherKey, 1));
    }

    @Test
    void theSameDrbgStateGivesTheSameKey() throws Exception {
        byte[] template = TestObjects.rsaStorage(2048);
        assertArrayEquals(generate(template, "x").publicArea().unique().x(),
                generate(template, "x").publicArea().unique().x());
        assertFalse(java.util.Arrays.equals(generate(template, "x").publicArea().unique().x(),
                generate(template, "y").publicArea().unique().x()));
    }

    @Test
    void eccArithmeticMatchesTheGenerator() {
        EccCurve c = EccCurve.NIST_P256;
        byte[][] g = c.multiplyGenerator(BigInteger.ONE);
        assertEquals(c.spec().getGenerator().getAffineX(), new BigInteger(1, g[0]));
        assertEquals(c.spec().getGenerator().getAffineY(), new BigInteger(1, g[1]));
        assertTrue(c.isOnCurve(g[0], g[1]));
        byte[][] nMinus1 = c.multiplyGenerator(c.order().subtract(BigInteger.ONE));
        assertArrayEquals(g[0], nMinus1[0], "-G has G's x");
        assertFalse(java.util.Arrays.equals(g[1], nMinus1[1]));
        assertTrue(c.isOnCurve(nMinus1[0], nMinus1[1]));
        // k*(j*G) = (k*j)*G, and n*P is infinity
        BigInteger j = new BigInteger("123456789abcdef", 16);
        BigInteger k = new BigInteger("fedcba987654321", 16);
        byte[][] jg = c.multiplyGenerator(j);
        byte[][] kjg = c.multiply(k, jg[0], jg[1]);
        byte[][] direct = c.multiplyGenerator(k.multiply(j).mod(c.order()));
        assertArrayEquals(direct[0], kjg[0]);
        assertArrayEquals(direct[1], kjg[1]);
        assertEquals(null, c.multiply(c.order(), jg[0], jg[1]));
        // against the JDK's ECDH, which gives the x coordinate of d*Q
        for (EccCurve curve : EccCurve.values()) {
            if (curve.jdkName() == null) {
                continue; // BN P-256: the JDK has no ECDH to compare with
            }
            try {
                java.security.KeyPairGenerator kpg = java.security.KeyPairGenerator.getInstance("EC");
                kpg.initialize(curve.spec());
                java.security.KeyPair a = kpg.generateKeyPair();
                java.security.KeyPair b = kpg.generateKeyPair();
                javax.crypto.KeyAgreement ka = javax.crypto.KeyAgreement.getInstance("ECDH");
                ka.init(a.getPrivate());
                ka.doPhase(b.getPublic(), true);
                java.security.spec.ECPoint q = ((java.security.interfaces.ECPublicKey) b.getPublic()).getW();
                byte[][] z = curve.multiply(((java.security.interfaces.ECPrivateKey) a.getPrivate()).getS(),
                        curve.fixed(q.getAffineX()), curve.fixed(q.getAffineY()));
                assertArrayEquals(ka.generateSecret(), z[0], curve.name());
            } catch (java.security.GeneralSecurityException e) {
                throw new AssertionError(e);
            }
        }
    }

    @Test
    void authValueUseFollowsUserWithAuthAndAdminWithPolicy() throws Exception {
        ObjectGenerator.Generated g = generate(TestObjects.eccStorage(3), "auth");
        TpmObject o = new TpmObject(g.publicArea(), g.sensitive(), new byte[0], 0x40000001, TpmObject.Origin.PRIMARY);
        assertTrue(o.authValueAllowed(org.jswtpm.core.engine.AuthRole.USER));
        assertTrue(o.authValueAllowed(org.jswtpm.core.engine.AuthRole.ADMIN));
        assertFalse(o.authValueAllowed(org.jswtpm.core.engine.AuthRole.DUP));
        assertFalse(o.policyRequired(org.jswtpm.core.engine.AuthRole.ADMIN));
        assertTrue(o.policyRequired(org.jswtpm.core.engine.AuthRole.DUP));
        ObjectGenerator.Generated ek = generate(TestObjects.ecc((TestObjects.STORAGE & ~TestObjects.USER_WITH_AUTH) | (1 << 7),
                3, TestObjects.NULL, 0), "ek");
        TpmObject e = new TpmObject(ek.publicArea(), ek.sensitive(), new byte[0], 0x4000000B, TpmObject.Origin.PRIMARY);
        assertFalse(e.authValueAllowed(org.jswtpm.core.engine.AuthRole.USER));
        assertTrue(e.policyRequired(org.jswtpm.core.engine.AuthRole.ADMIN));
        assertTrue(e.daExempt() == false);
    }
}
