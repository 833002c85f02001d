package org.jswtpm.core.command;

import static org.jswtpm.core.testing.TestObjects.DECRYPT;
import static org.jswtpm.core.testing.TestObjects.FIXED_TPM;
import static org.jswtpm.core.testing.TestObjects.NULL;
import static org.jswtpm.core.testing.TestObjects.RESTRICTED;
import static org.jswtpm.core.testing.TestObjects.SENSITIVE_DATA_ORIGIN;
import static org.jswtpm.core.testing.TestObjects.SHA256;
import static org.jswtpm.core.testing.TestObjects.SIGN;
import static org.jswtpm.core.testing.TestObjects.SIGNING;
import static org.jswtpm.core.testing.TestObjects.STORAGE;
import static org.jswtpm.core.testing.TestTpm.run;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.RSAPublicKeySpec;
import org.jswtpm.core.Tpm;
import org.jswtpm.core.marshal.TpmReader;
import org.jswtpm.core.testing.Command;
import org.jswtpm.core.testing.TestObjects;
import org.jswtpm.core.testing.TestTpm;
import org.jswtpm.core.types.TpmCc;
import org.jswtpm.core.types.TpmRc;
import org.jswtpm.core.types.TpmRh;
import org.jswtpm.core.types.TpmSu;
import org.junit.jupiter.api.Test;

/** Part 3, 24.1 TPM2_CreatePrimary: derivation, determinism, outputs, template rules. */
class CreatePrimaryTest {
    /** The RSA modulus in a TPMT_PUBLIC of an RSA key with symmetric {@code symSize} bytes long. */
    static BigInteger rsaModulus(byte[] pub) throws Exception {
        TpmReader r = new TpmReader(pub);
        assertEquals(TestObjects.RSA, r.u16());
        r.u16();
        r.u32();
        r.tpm2b(64);
        if (r.u16() != NULL) {
            r.u16();
            r.u16();
        }
        if (r.u16() != NULL) {
            r.u16();
        }
        int bits = r.u16();
        assertEquals(0, r.u32());
        byte[] n = r.tpm2b(512);
        assertEquals(bits / 8, n.length);
        return new BigInteger(1, n);
    }

    /** (x, y) of an ECC TPMT_PUBLIC with a NULL KDF. */
    static BigInteger[] eccPoint(byte[] pub) throws Exception {
        TpmReader r = new TpmReader(pub);
        assertEquals(TestObjects.ECC, r.u16());
        r.u16();
        r.u32();
        r.tpm2b(64);
        if (r.u16() != NULL) {
            r.u16();
            r.u16();
        }
        if (r.u16() != NULL) {
            r.u16();
        }
        r.u16();
        r.u16();
        return new BigInteger[] {new BigInteger(1, r.tpm2b(66)), new BigInteger(1, r.tpm2b(66))};
    }

    @Test
    void rsaStorageKeyIsAValidRsaPublicKey() throws Exception {
        Tpm tpm = TestTpm.started();
        TestObjects.Created p = TestObjects.createPrimary(tpm, TpmRh.OWNER, TestObjects.rsaStorage(2048));
        assertEquals(0x80000000, p.handle());
        BigInteger n = rsaModulus(p.outPublic());
        assertEquals(2048, n.bitLength());
        assertTrue(n.testBit(0), "odd modulus");
        assertFalse(n.isProbablePrime(20), "a product of primes");
        RSAPublicKey key = (RSAPublicKey) KeyFactory.getInstance("RSA")
                .generatePublic(new RSAPublicKeySpec(n, BigInteger.valueOf(65537)));
        assertEquals(n, key.getModulus());
        byte[] name = p.name();
        assertEquals(34, name.length);
        assertEquals(0x00, name[0]);
        assertEquals(0x0B, name[1]);
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(p.outPublic());
        assertArrayEquals(digest, java.util.Arrays.copyOfRange(name, 2, 34), "Name = nameAlg || H(TPMT_PUBLIC)");
        byte[][] read = TestObjects.readPublic(tpm, p.handle());
        assertArrayEquals(p.outPublic(), read[0]);
        assertArrayEquals(name, read[1]);
    }

    @Test
    void responseCarriesCreationDataHashAndTicket() throws Exception {
        Tpm tpm = TestTpm.started();
        TpmReader r = run(tpm, TestObjects.createPrimaryCommand(TpmRh.OWNER, TestObjects.eccStorage(3), new byte[0])).ok();
        r.u32();
        r.u32();
        byte[] pub = r.tpm2b(1024);
        byte[] creationData = r.tpm2b(1024);
        byte[] creationHash = r.tpm2b(64);
        assertEquals(0x8021, r.u16(), "TPM_ST_CREATION");
        assertEquals(TpmRh.OWNER, r.u32());
        byte[] ticket = r.tpm2b(64);
        byte[] name = r.tpm2b(66);
        javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA512");
        mac.init(new javax.crypto.spec.SecretKeySpec(
                ((org.jswtpm.core.engine.TpmEngine) tpm).hierarchies().proof(TpmRh.OWNER), "HmacSHA512"));
        mac.update(new byte[] {(byte) 0x80, 0x21});
        mac.update(name);
        mac.update(MessageDigest.getInstance("SHA-256").digest(creationData));
        assertArrayEquals(mac.doFinal(), ticket, "HMAC(ownerProof, TPM_ST_CREATION || name || creationHash)");
        assertEquals(34, name.length);
        assertArrayEquals(MessageDigest.getInstance("SHA-256").digest(creationData), creationHash);
        TpmReader cd = new TpmReader(creationData);
        assertEquals(0, cd.u32(), "no PCRs selected");
        assertArrayEquals(MessageDigest.getInstance("SHA-256").digest(new byte[0]), cd.tpm2b(64));
        assertEquals(1, cd.u8(), "locality 0");
        assertEquals(NULL, cd.u16(), "a hierarchy has no nameAlg");
        assertArrayEquals(new byte[] {0x40, 0, 0, 1}, cd.tpm2b(66));
        assertArrayEquals(new byte[] {0x40, 0, 0, 1}, cd.tpm2b(66));
        assertEquals(0, cd.tpm2b(64).length);
        assertTrue(pub.length > 0);
    }

    @Test
    void eccPointsAreOnTheirCurves() throws Exception {
        Tpm tpm = TestTpm.started();
        String[][] curves = {{"3", "secp256r1"}, {"4", "secp384r1"}, {"5", "secp521r1"}};
        for (String[] c : curves) {
            TestObjects.Created p = TestObjects.createPrimary(tpm, TpmRh.OWNER, TestObjects.eccStorage(Integer.parseInt(c[0])));
            BigInteger[] q = eccPoint(p.outPublic());
            java.security.AlgorithmParameters ap = java.security.AlgorithmParameters.getInstance("EC");
            ap.init(new java.security.spec.ECGenParameterSpec(c[1]));
            java.security.spec.ECParameterSpec spec = ap.getParameterSpec(java.security.spec.ECParameterSpec.class);
            BigInteger prime = ((java.security.spec.ECFieldFp) spec.getCurve().getField()).getP();
            BigInteger lhs = q[1].multiply(q[1]).mod(prime);
            BigInteger rhs = q[0].pow(3).add(spec.getCurve().getA().multiply(q[0])).add(spec.getCurve().getB()).mod(prime);
            assertEquals(lhs, rhs, c[1] + ": y^2 = x^3 + ax + b");
            KeyFactory.getInstance("EC").generatePublic(new java.security.spec.ECPublicKeySpec(
                    new java.security.spec.ECPoint(q[0], q[1]), spec));
            TestObjects.flush(tpm, p.handle());
        }
    }

    @Test
    void twoInstancesWithTheSameSeedGiveByteIdenticalResponses() throws Exception {
        byte[] a = TestObjects.createPrimary(TestTpm.started(), TpmRh.OWNER, TestObjects.rsaStorage(2048)).response();
        byte[] b = TestObjects.createPrimary(TestTpm.started(), TpmRh.OWNER, TestObjects.rsaStorage(2048)).response();
        assertArrayEquals(a, b);
    }

    @Test
    void sameTemplateSameKeyOtherHierarchyOtherKey() throws Exception {
        Tpm tpm = TestTpm.started();
        byte[] template = TestObjects.eccStorage(3);
        TestObjects.Created first = TestObjects.createPrimary(tpm, TpmRh.OWNER, template);
        TestObjects.Created second = TestObjects.createPrimary(tpm, TpmRh.OWNER, template);
        assertEquals(0x80000001, second.handle());
        assertArrayEquals(first.outPublic(), second.outPublic());
        assertArrayEquals(first.name(), second.name());
        TestObjects.Created endorsement = TestObjects.createPrimary(tpm, TpmRh.ENDORSEMENT, template);
        assertFalse(java.util.Arrays.equals(first.name(), endorsement.name()));
        TestObjects.flush(tpm, first.handle());
        TestObjects.flush(tpm, second.handle());
        TestObjects.Created platform = TestObjects.createPrimary(tpm, TpmRh.PLATFORM, template);
        TestObjects.Created nullKey = TestObjects.createPrimary(tpm, TpmRh.NULL, template);
        assertFalse(java.util.Arrays.equals(first.name(), platform.name()));
        assertFalse(java.util.Arrays.equals(first.name(), nullKey.name()));
        assertFalse(java.util.Arrays.equals(platform.name(), nullKey.name()));
    }

    @Test
    void theUniqueFieldAndTheAuthSelectKeysAsTheSpecSays() throws Exception {
        Tpm tpm = TestTpm.started();
        byte[] template = TestObjects.eccStorage(3);
        byte[] other = template.clone();
        // unique.x: a one-byte value instead of the empty one changes the template, so the key
        byte[] withUnique = new byte[template.length + 1];
        System.arraycopy(template, 0, withUnique, 0, template.length - 4);
        withUnique[template.length - 4] = 0;
        withUnique[template.length - 3] = 1;
        withUnique[template.length - 2] = 0x5A;
        withUnique[template.length - 1] = 0;
        withUnique[template.length] = 0;
        withUnique[1] = (byte) (withUnique.length - 2);
        TestObjects.Created a = TestObjects.createPrimary(tpm, TpmRh.OWNER, other);
        TestObjects.Created b = TestObjects.createPrimary(tpm, TpmRh.OWNER, withUnique);
        assertFalse(java.util.Arrays.equals(a.name(), b.name()));
        TestObjects.flush(tpm, a.handle());
        TestObjects.flush(tpm, b.handle());
        TpmReader r = run(tpm, TestObjects.createPrimaryCommand(TpmRh.OWNER, template, "secret".getBytes())).ok();
        r.u32();
        r.u32();
        assertArrayEquals(a.outPublic(), r.tpm2b(1024), "the authValue is not part of the derivation");
    }

    @Test
    void nullHierarchyKeysChangeOnTpmReset() throws Exception {
        Tpm tpm = TestTpm.started();
        byte[] before = TestObjects.createPrimary(tpm, TpmRh.NULL, TestObjects.eccStorage(3)).name();
        run(tpm, Command.of(TpmCc.Shutdown).u16(TpmSu.CLEAR)).ok();
        tpm.init();
        run(tpm, Command.of(TpmCc.Startup).u16(TpmSu.CLEAR)).ok();
        byte[] after = TestObjects.createPrimary(tpm, TpmRh.NULL, TestObjects.eccStorage(3)).name();
        assertFalse(java.util.Arrays.equals(before, after));
        byte[] owner1 = TestObjects.createPrimary(tpm, TpmRh.OWNER, TestObjects.eccStorage(3)).name();
        run(tpm, Command.of(TpmCc.Shutdown).u16(TpmSu.CLEAR)).ok();
        tpm.init();
        run(tpm, Command.of(TpmCc.Startup).u16(TpmSu.CLEAR)).ok();
        assertArrayEquals(owner1, TestObjects.createPrimary(tpm, TpmRh.OWNER, TestObjects.eccStorage(3)).name());
    }

    @Test
    void everyRsaSizeAndSymmetricAndKeyedHashTypes() throws Exception {
        Tpm tpm = TestTpm.started();
        for (int bits : new int[] {1024, 3072}) {
            TestObjects.Created p = TestObjects.createPrimary(tpm, TpmRh.OWNER, TestObjects.rsaStorage(bits));
            assertEquals(bits, rsaModulus(p.outPublic()).bitLength());
            TestObjects.flush(tpm, p.handle());
        }
        for (int bits : new int[] {128, 256}) {
            TestObjects.Created p = TestObjects.createPrimary(tpm, TpmRh.OWNER,
                    TestObjects.aesKey(TestObjects.STORAGE, bits));
            TestObjects.flush(tpm, p.handle());
        }
        TestObjects.Created h = TestObjects.createPrimary(tpm, TpmRh.OWNER, TestObjects.hmacKey());
        TestObjects.flush(tpm, h.handle());
        TestObjects.Created s = TestObjects.createPrimary(tpm, TpmRh.OWNER, TestObjects.rsa(SIGNING, 2048, 0x0014, SHA256));
        TestObjects.flush(tpm, s.handle());
    }

    @Test
    void templateRulesGiveTheSpecsCodes() {
        Tpm tpm = TestTpm.started();
        // fixedTPM without fixedParent
        run(tpm, TestObjects.createPrimaryCommand(TpmRh.OWNER, TestObjects.rsa(
                STORAGE & ~TestObjects.FIXED_PARENT, 2048, NULL, 0), new byte[0])).assertRc(TpmRc.ATTRIBUTES.parameter(2));
        // restricted with sign and decrypt both set
        run(tpm, TestObjects.createPrimaryCommand(TpmRh.OWNER, TestObjects.rsa(STORAGE | SIGN, 2048, NULL, 0), new byte[0]))
                .assertRc(TpmRc.ATTRIBUTES.parameter(2));
        // an asymmetric key whose sensitive data the caller would provide
        run(tpm, TestObjects.createPrimaryCommand(TpmRh.OWNER, TestObjects.rsa(STORAGE & ~SENSITIVE_DATA_ORIGIN, 2048,
                NULL, 0), new byte[0])).assertRc(TpmRc.ATTRIBUTES.parameter(2));
        // a restricted signing key without a signing scheme
        run(tpm, TestObjects.createPrimaryCommand(TpmRh.OWNER, TestObjects.rsa(SIGNING | RESTRICTED, 2048, NULL, 0),
                new byte[0])).assertRc(TpmRc.SCHEME.parameter(2));
        // a signing key with a decryption scheme
        run(tpm, TestObjects.createPrimaryCommand(TpmRh.OWNER, TestObjects.rsa(SIGNING, 2048, 0x0017, SHA256), new byte[0]))
                .assertRc(TpmRc.SCHEME.parameter(2));
        // a storage key without a symmetric algorithm
        run(tpm, TestObjects.createPrimaryCommand(TpmRh.OWNER, TestObjects.rsa(FIXED_TPM | TestObjects.FIXED_PARENT
                | SENSITIVE_DATA_ORIGIN | TestObjects.USER_WITH_AUTH | DECRYPT, 2048, NULL, 0), new byte[0])).ok();
        // unmarshalling: bad key size, bad curve, bad type, reserved attribute bit
        byte[] bad = TestObjects.rsaStorage(2048);
        bad[bad.length - 8] = 0x03;
        bad[bad.length - 7] = (byte) 0xE8;
        run(tpm, TestObjects.createPrimaryCommand(TpmRh.OWNER, bad, new byte[0])).assertRc(TpmRc.VALUE.parameter(2));
        run(tpm, TestObjects.createPrimaryCommand(TpmRh.OWNER, TestObjects.eccStorage(0x0006), new byte[0])) // unassigned
                .assertRc(TpmRc.CURVE.parameter(2));
        byte[] reserved = TestObjects.rsaStorage(2048);
        reserved[9] |= 1;
        run(tpm, TestObjects.createPrimaryCommand(TpmRh.OWNER, reserved, new byte[0]))
                .assertRc(TpmRc.RESERVED_BITS.parameter(2));
        byte[] type = TestObjects.rsaStorage(2048);
        type[3] = 0x13;
        run(tpm, TestObjects.createPrimaryCommand(TpmRh.OWNER, type, new byte[0])).assertRc(TpmRc.TYPE.parameter(2));
        // a userAuth longer than the nameAlg digest
        run(tpm, TestObjects.createPrimaryCommand(TpmRh.OWNER, TestObjects.eccStorage(3), new byte[33])).ok();
        byte[] longAuth = new byte[33];
        longAuth[32] = 1;
        run(tpm, TestObjects.createPrimaryCommand(TpmRh.OWNER, TestObjects.eccStorage(3), longAuth))
                .assertRc(TpmRc.SIZE.parameter(1));
        // a handle that is no hierarchy
        run(tpm, TestObjects.createPrimaryCommand(TpmRh.LOCKOUT, TestObjects.eccStorage(3), new byte[0]))
                .assertRc(TpmRc.VALUE.handle(1));
    }

    @Test
    void slotsRunOutWithObjectMemory() throws Exception {
        Tpm tpm = TestTpm.started();
        for (int i = 0; i < 3; i++) {
            TestObjects.createPrimary(tpm, TpmRh.OWNER, TestObjects.eccStorage(3));
        }
        run(tpm, TestObjects.createPrimaryCommand(TpmRh.OWNER, TestObjects.eccStorage(3), new byte[0]))
                .assertRc(TpmRc.OBJECT_MEMORY);
    }

    @Test
    void wrongOwnerAuthIsRefused() {
        Tpm tpm = TestTpm.started();
        run(tpm, Command.of(TpmCc.CreatePrimary).handle(TpmRh.OWNER).passwords("x".getBytes())
                .bytes(TestObjects.sensitive(new byte[0], new byte[0])).bytes(TestObjects.eccStorage(3)).u16(0).u32(0))
                .assertRc(TpmRc.BAD_AUTH.session(1));
    }

    /** The TCG EK Credential Profile's default policy: PolicySecret(TPM_RH_ENDORSEMENT). */
    static final byte[] EK_POLICY = java.util.HexFormat.of()
            .parseHex("837197674484b3f81a90cc8d46a5d724fd52d76e06520b64f2a1da1b331469aa");

    @Test
    void ekTemplatesOfTheTcgProfileWork() throws Exception {
        Tpm tpm = TestTpm.started();
        // RSA 2048 EK (template L-1): fixedTPM, fixedParent, sensitiveDataOrigin, adminWithPolicy,
        // restricted, decrypt; the EK policy; AES-128-CFB; unique = 256 zero bytes
        org.jswtpm.core.marshal.TpmWriter w = new org.jswtpm.core.marshal.TpmWriter();
        int at = w.startSized16();
        w.u16(TestObjects.RSA).u16(SHA256).u32(0x000300B2).tpm2b(EK_POLICY).u16(0x0006).u16(128).u16(0x0043)
                .u16(NULL).u16(2048).u32(0).tpm2b(new byte[256]);
        w.endSized16(at);
        TestObjects.Created rsaEk = TestObjects.createPrimary(tpm, TpmRh.ENDORSEMENT, w.toByteArray());
        assertEquals(2048, rsaModulus(rsaEk.outPublic()).bitLength());
        // ECC P-256 EK (template L-2): unique = two 32-byte zero coordinates
        w = new org.jswtpm.core.marshal.TpmWriter();
        at = w.startSized16();
        w.u16(TestObjects.ECC).u16(SHA256).u32(0x000300B2).tpm2b(EK_POLICY).u16(0x0006).u16(128).u16(0x0043)
                .u16(NULL).u16(0x0003).u16(NULL).tpm2b(new byte[32]).tpm2b(new byte[32]);
        w.endSized16(at);
        TestObjects.Created eccEk = TestObjects.createPrimary(tpm, TpmRh.ENDORSEMENT, w.toByteArray());
        assertEquals(2, eccPoint(eccEk.outPublic()).length);
        // the EK is policy-only: its (empty) password cannot be used in the ADMIN or USER role
        run(tpm, Command.of(TpmCc.Create).handle(eccEk.handle()).emptyAuth()
                .bytes(TestObjects.sensitive(new byte[0], "x".getBytes())).bytes(TestObjects.sealed()).u16(0).u32(0))
                .assertRc(TpmRc.AUTH_UNAVAILABLE);
        // swtpm_setup and tpm2_createek persist it at 0x81010001 with owner authorization
        run(tpm, Command.of(TpmCc.EvictControl).handle(TpmRh.OWNER).handle(rsaEk.handle()).emptyAuth()
                .u32(0x81010001)).ok();
        assertArrayEquals(rsaEk.name(), TestObjects.readPublic(tpm, 0x81010001)[1]);
    }
}
