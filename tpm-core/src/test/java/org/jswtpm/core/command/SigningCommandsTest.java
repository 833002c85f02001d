package org.jswtpm.core.command;

import static org.jswtpm.core.testing.TestObjects.NULL;
import static org.jswtpm.core.testing.TestObjects.RESTRICTED;
import static org.jswtpm.core.testing.TestObjects.SHA256;
import static org.jswtpm.core.testing.TestObjects.SIGNING;
import static org.jswtpm.core.testing.TestTpm.run;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.MessageDigest;
import java.security.Signature;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.util.Arrays;
import org.jswtpm.core.Tpm;
import org.jswtpm.core.crypto.TpmtSignature;
import org.jswtpm.core.marshal.TpmReader;
import org.jswtpm.core.testing.Command;
import org.jswtpm.core.testing.Keys;
import org.jswtpm.core.testing.TestObjects;
import org.jswtpm.core.testing.TestTpm;
import org.jswtpm.core.types.TpmCc;
import org.jswtpm.core.types.TpmRc;
import org.jswtpm.core.types.TpmRh;
import org.jswtpm.core.types.TpmSt;
import org.junit.jupiter.api.Test;

/** Part 3, 20: TPM2_Sign and TPM2_VerifySignature, every signature checked by the JDK. */
class SigningCommandsTest {
    static final byte[] MESSAGE = "the message".getBytes();
    static final int RSASSA = 0x14;
    static final int RSAPSS = 0x16;
    static final int ECDSA = 0x18;
    static final int ECSCHNORR = 0x1C;
    static final int HMAC = 0x05;

    static byte[] sha256(byte[] m) throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(m);
    }

    static TpmtSignature signOk(Tpm tpm, int key, byte[] digest, int scheme, byte[] ticket) throws Exception {
        TpmReader r = run(tpm, Keys.sign(key, digest, scheme, SHA256, ticket)).okWithSessions(0);
        return TpmtSignature.read(r);
    }

    static boolean jdkVerify(String alg, Keys.Key key, byte[] message, byte[] sig) throws Exception {
        Signature s = Signature.getInstance(alg);
        if (alg.equals("RSASSA-PSS")) {
            s.setParameter(new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, 32, 1));
        }
        s.initVerify(key.jdk());
        s.update(message);
        return s.verify(sig);
    }

    static byte[] p1363(TpmtSignature s) {
        byte[] out = Arrays.copyOf(s.r(), s.r().length + s.s().length);
        System.arraycopy(s.s(), 0, out, s.r().length, s.s().length);
        return out;
    }

    @Test
    void rsaSignaturesVerifyWithTheJdk() throws Exception {
        Tpm tpm = TestTpm.started();
        Keys.Key key = Keys.primary(tpm, TpmRh.OWNER, TestObjects.rsa(SIGNING, 2048, NULL, 0));
        byte[] digest = sha256(MESSAGE);
        TpmtSignature ssa = signOk(tpm, key.handle(), digest, RSASSA, null);
        assertEquals(RSASSA, ssa.sigAlg());
        assertTrue(jdkVerify("SHA256withRSA", key, MESSAGE, ssa.sig()));
        assertFalse(jdkVerify("SHA256withRSA", key, "the massage".getBytes(), ssa.sig()));
        TpmtSignature pss = signOk(tpm, key.handle(), digest, RSAPSS, null);
        assertTrue(jdkVerify("RSASSA-PSS", key, MESSAGE, pss.sig()), "salt is the digest size");
        assertFalse(jdkVerify("RSASSA-PSS", key, "the massage".getBytes(), pss.sig()));
    }

    @Test
    void eccSignaturesVerifyWithTheJdk() throws Exception {
        Tpm tpm = TestTpm.started();
        Keys.Key key = Keys.primary(tpm, TpmRh.OWNER, TestObjects.ecc(SIGNING, 3, NULL, 0));
        byte[] digest = sha256(MESSAGE);
        TpmtSignature s = signOk(tpm, key.handle(), digest, ECDSA, null);
        assertTrue(jdkVerify("SHA256withECDSAinP1363Format", key, MESSAGE, p1363(s)));
        assertFalse(jdkVerify("SHA256withECDSAinP1363Format", key, "x".getBytes(), p1363(s)));
        // Schnorr verifies through VerifySignature
        TpmtSignature schnorr = signOk(tpm, key.handle(), digest, ECSCHNORR, null);
        run(tpm, verify(key.handle(), digest, schnorr)).ok();
    }

    static Command verify(int key, byte[] digest, TpmtSignature sig) {
        return Command.of(TpmCc.VerifySignature).handle(key).tpm2b(digest).bytes(sig.toBytes());
    }

    @Test
    void verifySignatureAcceptsJdkSignaturesAndReturnsATicket() throws Exception {
        Tpm tpm = TestTpm.started();
        java.security.KeyPairGenerator g = java.security.KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        Keys.Key key = Keys.primary(tpm, TpmRh.OWNER, TestObjects.rsa(SIGNING, 2048, RSASSA, SHA256));
        byte[] digest = sha256(MESSAGE);
        TpmtSignature s = signOk(tpm, key.handle(), digest, NULL, null);
        TpmReader r = run(tpm, verify(key.handle(), digest, s)).ok();
        assertEquals(TpmSt.VERIFIED, r.u16());
        assertEquals(TpmRh.OWNER, r.u32());
        assertEquals(64, r.tpm2b(64).length);
        byte[] other = sha256("other".getBytes());
        run(tpm, verify(key.handle(), other, s)).assertRc(TpmRc.SIGNATURE.parameter(2));
        run(tpm, verify(key.handle(), digest, TpmtSignature.ecc(ECDSA, SHA256, new byte[32], new byte[32])))
                .assertRc(TpmRc.SCHEME.parameter(2));
        // the NULL signature is no TPMI_ALG_SIG_SCHEME in a command (as swtpm answers)
        run(tpm, verify(key.handle(), digest, TpmtSignature.NULL)).assertRc(TpmRc.SCHEME.parameter(2));
        // a key of the null hierarchy gives the NULL ticket
        Keys.Key nk = Keys.primary(tpm, TpmRh.NULL, TestObjects.ecc(SIGNING, 3, ECDSA, SHA256));
        TpmtSignature es = signOk(tpm, nk.handle(), digest, NULL, null);
        r = run(tpm, verify(nk.handle(), digest, es)).ok();
        assertEquals(TpmSt.VERIFIED, r.u16());
        assertEquals(TpmRh.NULL, r.u32());
        assertEquals(0, r.tpm2b(64).length);
        // not a signing key
        Keys.Key storage = Keys.primary(tpm, TpmRh.OWNER, TestObjects.eccStorage(3));
        run(tpm, verify(storage.handle(), digest, es)).assertRc(TpmRc.ATTRIBUTES.handle(1));
    }

    @Test
    void hmacKeySigns() throws Exception {
        Tpm tpm = TestTpm.started();
        int parent = TestObjects.createPrimary(tpm, TpmRh.OWNER, TestObjects.rsaStorage(2048)).handle();
        Keys.Key key = Keys.child(tpm, parent, Keys.keyedHash(SIGNING & ~TestObjects.SENSITIVE_DATA_ORIGIN, HMAC, SHA256),
                "the hmac key".getBytes());
        byte[] digest = sha256(MESSAGE);
        TpmtSignature s = signOk(tpm, key.handle(), digest, NULL, null);
        javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
        mac.init(new javax.crypto.spec.SecretKeySpec("the hmac key".getBytes(), "HmacSHA256"));
        assertArrayEquals(mac.doFinal(digest), s.sig());
        run(tpm, verify(key.handle(), digest, s)).ok();
    }

    @Test
    void schemeRules() throws Exception {
        Tpm tpm = TestTpm.started();
        Keys.Key rsaNull = Keys.primary(tpm, TpmRh.OWNER, TestObjects.rsa(SIGNING, 2048, NULL, 0));
        byte[] digest = sha256(MESSAGE);
        // no scheme at all
        run(tpm, Keys.sign(rsaNull.handle(), digest, NULL, 0, null)).assertRc(TpmRc.SCHEME.parameter(2));
        // an ECC scheme for an RSA key
        run(tpm, Keys.sign(rsaNull.handle(), digest, ECDSA, SHA256, null)).assertRc(TpmRc.SCHEME.parameter(2));
        // a scheme other than the key's
        Keys.Key rsaPss = Keys.primary(tpm, TpmRh.ENDORSEMENT, TestObjects.rsa(SIGNING, 2048, RSAPSS, SHA256));
        run(tpm, Keys.sign(rsaPss.handle(), digest, RSASSA, SHA256, null)).assertRc(TpmRc.SCHEME.parameter(2));
        // a digest of the wrong size without a ticket
        run(tpm, Keys.sign(rsaNull.handle(), new byte[20], RSASSA, SHA256, null)).assertRc(TpmRc.SIZE.parameter(1));
        // not a signing key
        Keys.Key storage = Keys.primary(tpm, TpmRh.NULL, TestObjects.rsaStorage(2048));
        run(tpm, Keys.sign(storage.handle(), digest, RSASSA, SHA256, null)).assertRc(TpmRc.KEY.handle(1));
        // unknown scheme selector
        run(tpm, Keys.sign(rsaNull.handle(), digest, 0x17, SHA256, null)).assertRc(TpmRc.SCHEME.parameter(2));
    }

    static byte[] hashTicket(Tpm tpm, byte[] data, int hierarchy) throws Exception {
        TpmReader r = run(tpm, Command.of(TpmCc.Hash).tpm2b(data).u16(SHA256).u32(hierarchy)).ok();
        r.tpm2b(64);
        int tag = r.u16();
        int h = r.u32();
        byte[] t = r.tpm2b(64);
        return new org.jswtpm.core.marshal.TpmWriter().u16(tag).u32(h).tpm2b(t).toByteArray();
    }

    @Test
    void restrictedKeySignsOnlyWithAHashCheckTicket() throws Exception {
        Tpm tpm = TestTpm.started();
        Keys.Key key = Keys.primary(tpm, TpmRh.OWNER, TestObjects.rsa(SIGNING | RESTRICTED, 2048, RSASSA, SHA256));
        byte[] digest = sha256(MESSAGE);
        run(tpm, Keys.sign(key.handle(), digest, NULL, 0, null)).assertRc(TpmRc.TICKET.parameter(3));
        byte[] ticket = hashTicket(tpm, MESSAGE, TpmRh.OWNER);
        TpmtSignature s = signOk(tpm, key.handle(), digest, NULL, ticket);
        assertTrue(jdkVerify("SHA256withRSA", key, MESSAGE, s.sig()));
        // the ticket of another digest, or of another hierarchy
        run(tpm, Keys.sign(key.handle(), sha256("other".getBytes()), NULL, 0, ticket))
                .assertRc(TpmRc.TICKET.parameter(3));
        byte[] endorsement = hashTicket(tpm, MESSAGE, TpmRh.ENDORSEMENT);
        signOk(tpm, key.handle(), digest, NULL, endorsement);
        byte[] forged = ticket.clone();
        forged[forged.length - 1] ^= 1;
        run(tpm, Keys.sign(key.handle(), digest, NULL, 0, forged)).assertRc(TpmRc.TICKET.parameter(3));
        // data that looks TPM-generated gets no ticket, so a restricted key cannot sign it
        byte[] fake = {(byte) 0xFF, 'T', 'C', 'G', (byte) 0x80, 0x18};
        byte[] nullTicket = hashTicket(tpm, fake, TpmRh.OWNER);
        run(tpm, Keys.sign(key.handle(), sha256(fake), NULL, 0, nullTicket)).assertRc(TpmRc.TICKET.parameter(3));
        // an unrestricted key with a ticket must have the right ticket too
        Keys.Key free = Keys.primary(tpm, TpmRh.OWNER, TestObjects.rsa(SIGNING, 2048, RSASSA, SHA256));
        run(tpm, Keys.sign(free.handle(), digest, NULL, 0, forged)).assertRc(TpmRc.TICKET.parameter(3));
        signOk(tpm, free.handle(), digest, NULL, ticket);
    }

    @Test
    void sequenceTicketSignsLongData() throws Exception {
        Tpm tpm = TestTpm.started();
        Keys.Key key = Keys.primary(tpm, TpmRh.OWNER, TestObjects.ecc(SIGNING | RESTRICTED, 3, ECDSA, SHA256));
        byte[] data = new byte[3000];
        Arrays.fill(data, (byte) 7);
        int seq = run(tpm, Command.of(TpmCc.HashSequenceStart).tpm2b(new byte[0]).u16(SHA256)).ok().u32();
        for (int i = 0; i < 2; i++) {
            run(tpm, Command.of(TpmCc.SequenceUpdate).handle(seq).emptyAuth()
                    .tpm2b(Arrays.copyOfRange(data, i * 1000, i * 1000 + 1000))).ok();
        }
        TpmReader r = run(tpm, Command.of(TpmCc.SequenceComplete).handle(seq).emptyAuth()
                .tpm2b(Arrays.copyOfRange(data, 2000, 3000)).u32(TpmRh.OWNER)).okWithSessions(0);
        byte[] digest = r.tpm2b(64);
        byte[] ticket = r.bytes(r.remaining());
        TpmtSignature s = signOk(tpm, key.handle(), digest, NULL, ticket);
        assertTrue(jdkVerify("SHA256withECDSAinP1363Format", key, data, p1363(s)));
    }

    @Test
    void largerKeysAndHashes() throws Exception {
        Tpm tpm = TestTpm.started();
        Keys.Key p521 = Keys.primary(tpm, TpmRh.OWNER, TestObjects.ecc(SIGNING, 5, NULL, 0));
        byte[] digest = MessageDigest.getInstance("SHA-512").digest(MESSAGE);
        TpmtSignature s = TpmtSignature.read(run(tpm, Keys.sign(p521.handle(), digest, ECDSA, 0x0D, null))
                .okWithSessions(0));
        assertEquals(66, s.r().length);
        Signature jdk = Signature.getInstance("SHA512withECDSAinP1363Format");
        jdk.initVerify(p521.jdk());
        jdk.update(MESSAGE);
        assertTrue(jdk.verify(p1363(s)));
        TestObjects.flush(tpm, p521.handle());

        Keys.Key rsa3072 = Keys.primary(tpm, TpmRh.OWNER, TestObjects.rsa(SIGNING, 3072, NULL, 0));
        byte[] d384 = MessageDigest.getInstance("SHA-384").digest(MESSAGE);
        s = TpmtSignature.read(run(tpm, Keys.sign(rsa3072.handle(), d384, RSAPSS, 0x0C, null)).okWithSessions(0));
        Signature pss = Signature.getInstance("RSASSA-PSS");
        pss.setParameter(new PSSParameterSpec("SHA-384", "MGF1", MGF1ParameterSpec.SHA384, 48, 1));
        pss.initVerify(rsa3072.jdk());
        pss.update(MESSAGE);
        assertTrue(pss.verify(s.sig()));
        assertEquals(384, s.sig().length);
    }
}
