package org.jswtpm.core.command;

import static org.jswtpm.core.testing.TestObjects.NULL;
import static org.jswtpm.core.testing.TestObjects.RESTRICTED;
import static org.jswtpm.core.testing.TestObjects.SHA256;
import static org.jswtpm.core.testing.TestObjects.SIGNING;
import static org.jswtpm.core.testing.TestTpm.run;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.MessageDigest;
import java.util.Arrays;
import org.jswtpm.core.Tpm;
import org.jswtpm.core.crypto.TpmtSignature;
import org.jswtpm.core.engine.TpmEngine;
import org.jswtpm.core.marshal.TpmReader;
import org.jswtpm.core.marshal.TpmWriter;
import org.jswtpm.core.testing.Command;
import org.jswtpm.core.testing.Keys;
import org.jswtpm.core.testing.SessionClient;
import org.jswtpm.core.testing.TestObjects;
import org.jswtpm.core.testing.TestTpm;
import org.jswtpm.core.types.TpmCc;
import org.jswtpm.core.types.TpmRc;
import org.jswtpm.core.types.TpmRh;
import org.jswtpm.core.types.TpmSt;
import org.junit.jupiter.api.Test;

/** Part 3, 18: Quote, Certify, CertifyCreation, GetTime, GetSessionAuditDigest; TPMS_ATTEST parsed and signatures verified. */
class AttestationCommandsTest {
    static final byte[] NONCE = "nonce from the verifier".getBytes();
    static final int RSASSA = 0x14;
    static final int ECDSA = 0x18;

    /** TPMS_ATTEST, as a verifier parses it. */
    public record Attest(int magic, int type, byte[] qualifiedSigner, byte[] extraData, long clock, int resetCount,
            int restartCount, int safe, long firmware, TpmReader attested) {
        static Attest parse(byte[] b) throws Exception {
            TpmReader r = new TpmReader(b);
            return new Attest(r.u32(), r.u16(), r.tpm2b(68), r.tpm2b(66), r.u64(), r.u32(), r.u32(), r.u8(), r.u64(), r);
        }
    }

    /** The response of an attestation command: the attest bytes and the signature. */
    public record Signed(byte[] attest, TpmtSignature signature) {
        static Signed read(TpmReader r) throws Exception {
            return new Signed(r.tpm2b(1024), TpmtSignature.read(r, true));
        }
    }

    static byte[] pcrSelection(int... pcrs) {
        byte[] select = new byte[3];
        for (int p : pcrs) {
            select[p / 8] |= (byte) (1 << (p % 8));
        }
        return new TpmWriter().u32(1).u16(SHA256).u8(3).bytes(select).toByteArray();
    }

    static byte[] sha256(byte[]... parts) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        for (byte[] p : parts) {
            md.update(p);
        }
        return md.digest();
    }

    public static boolean jdkVerify(String alg, Keys.Key key, byte[] data, byte[] sig) throws Exception {
        java.security.Signature s = java.security.Signature.getInstance(alg);
        s.initVerify(key.jdk());
        s.update(data);
        return s.verify(sig);
    }

    static Command quote(int key, byte[] nonce, byte[] selection) {
        return Command.of(TpmCc.Quote).handle(key).emptyAuth().tpm2b(nonce).u16(NULL).bytes(selection);
    }

    @Test
    void quoteIsVerifiableAndCarriesThePcrDigest() throws Exception {
        Tpm tpm = TestTpm.started();
        Keys.Key aik = Keys.primary(tpm, TpmRh.ENDORSEMENT, TestObjects.rsa(SIGNING | RESTRICTED, 2048, RSASSA, SHA256));
        byte[] measurement = sha256("kernel".getBytes());
        run(tpm, Command.of(TpmCc.PCR_Extend).handle(16).emptyAuth().u32(1).u16(SHA256).bytes(measurement)).ok();
        Signed q = Signed.read(run(tpm, quote(aik.handle(), NONCE, pcrSelection(0, 16))).okWithSessions(0));
        Attest a = Attest.parse(q.attest());
        assertEquals(0xFF544347, a.magic());
        assertEquals(TpmSt.ATTEST_QUOTE, a.type());
        assertArrayEquals(TestObjects.readPublic(tpm, aik.handle())[2], a.qualifiedSigner());
        assertArrayEquals(NONCE, a.extraData());
        assertEquals(1L << 32, a.firmware(), "an endorsement key sees the firmware version as it is");
        assertEquals(1, a.safe());
        TpmReader r = a.attested();
        assertArrayEquals(pcrSelection(0, 16), r.bytes(4 + 2 + 1 + 3));
        byte[] pcr16 = sha256(new byte[32], measurement);
        assertArrayEquals(sha256(new byte[32], pcr16), r.tpm2b(64));
        assertEquals(0, r.remaining());
        assertTrue(jdkVerify("SHA256withRSA", aik, q.attest(), q.signature().sig()));
        // another nonce is another quote: the old signature does not cover it
        byte[] forged = q.attest().clone();
        forged[20] ^= 1;
        assertFalse(jdkVerify("SHA256withRSA", aik, forged, q.signature().sig()));
    }

    @Test
    void quoteRules() throws Exception {
        Tpm tpm = TestTpm.started();
        Keys.Key storage = Keys.primary(tpm, TpmRh.OWNER, TestObjects.rsaStorage(2048));
        run(tpm, quote(storage.handle(), NONCE, pcrSelection(0))).assertRc(TpmRc.KEY.handle(1));
        Keys.Key noScheme = Keys.primary(tpm, TpmRh.OWNER, TestObjects.ecc(SIGNING, 3, NULL, 0));
        run(tpm, quote(noScheme.handle(), NONCE, pcrSelection(0))).assertRc(TpmRc.SCHEME.parameter(2));
        Signed q = Signed.read(run(tpm, Command.of(TpmCc.Quote).handle(noScheme.handle()).emptyAuth().tpm2b(NONCE)
                .u16(ECDSA).u16(SHA256).bytes(pcrSelection(0))).okWithSessions(0));
        // an owner key: firmware version and counters are obfuscated, the signature still verifies
        Attest a = Attest.parse(q.attest());
        assertNotEquals(1L << 32, a.firmware());
        byte[] rs = Arrays.copyOf(q.signature().r(), 64);
        System.arraycopy(q.signature().s(), 0, rs, 32, 32);
        assertTrue(jdkVerify("SHA256withECDSAinP1363Format", noScheme, q.attest(), rs));
        run(tpm, Command.of(TpmCc.Quote).handle(noScheme.handle()).emptyAuth().tpm2b(new byte[67]).u16(NULL)
                .bytes(pcrSelection(0))).assertRc(TpmRc.SIZE.parameter(1));
    }

    @Test
    void certifyAttestsNameAndQualifiedName() throws Exception {
        Tpm tpm = TestTpm.started();
        Keys.Key signer = Keys.primary(tpm, TpmRh.ENDORSEMENT, TestObjects.ecc(SIGNING | RESTRICTED, 3, ECDSA, SHA256));
        Keys.Key object = Keys.primary(tpm, TpmRh.OWNER, TestObjects.rsaStorage(2048));
        Signed c = Signed.read(run(tpm, Command.of(TpmCc.Certify).handle(object.handle()).handle(signer.handle())
                .passwords(new byte[0], new byte[0]).tpm2b(NONCE).u16(NULL)).okWithSessions(0));
        Attest a = Attest.parse(c.attest());
        assertEquals(TpmSt.ATTEST_CERTIFY, a.type());
        byte[][] rp = TestObjects.readPublic(tpm, object.handle());
        assertArrayEquals(rp[1], a.attested().tpm2b(68));
        assertArrayEquals(rp[2], a.attested().tpm2b(68));
        byte[] rs = Arrays.copyOf(c.signature().r(), 64);
        System.arraycopy(c.signature().s(), 0, rs, 32, 32);
        assertTrue(jdkVerify("SHA256withECDSAinP1363Format", signer, c.attest(), rs));
        // TPM_RH_NULL as signer: the attestation without a signature
        c = Signed.read(run(tpm, Command.of(TpmCc.Certify).handle(object.handle()).handle(TpmRh.NULL)
                .passwords(new byte[0], new byte[0]).tpm2b(NONCE).u16(NULL)).okWithSessions(0));
        assertTrue(c.signature().isNull());
        assertArrayEquals(new byte[] {0x40, 0, 0, 7}, Attest.parse(c.attest()).qualifiedSigner());
        // the certified object is no signing key
        run(tpm, Command.of(TpmCc.Certify).handle(signer.handle()).handle(object.handle())
                .passwords(new byte[0], new byte[0]).tpm2b(NONCE).u16(NULL)).assertRc(TpmRc.KEY.handle(2));
    }

    @Test
    void certifyCreationChecksTheTicket() throws Exception {
        Tpm tpm = TestTpm.started();
        Keys.Key signer = Keys.primary(tpm, TpmRh.ENDORSEMENT, TestObjects.rsa(SIGNING, 2048, RSASSA, SHA256));
        TestObjects.Created created = TestObjects.createPrimary(tpm, TpmRh.OWNER, TestObjects.eccStorage(3));
        // CreatePrimary's response: handle, paramSize, outPublic, creationData, creationHash, creationTicket, name
        TpmReader r = new TpmReader(created.response(), 10, created.response().length - 10);
        r.u32();
        r.u32();
        r.tpm2b(2048);
        r.tpm2b(2048);
        byte[] creationHash = r.tpm2b(64);
        byte[] ticket = r.bytes(2 + 4 + 2 + 64);
        Signed c = Signed.read(run(tpm, Command.of(TpmCc.CertifyCreation).handle(signer.handle())
                .handle(created.handle()).emptyAuth().tpm2b(NONCE).tpm2b(creationHash).u16(NULL).bytes(ticket))
                .okWithSessions(0));
        Attest a = Attest.parse(c.attest());
        assertEquals(TpmSt.ATTEST_CREATION, a.type());
        assertArrayEquals(created.name(), a.attested().tpm2b(68));
        assertArrayEquals(creationHash, a.attested().tpm2b(64));
        assertTrue(jdkVerify("SHA256withRSA", signer, c.attest(), c.signature().sig()));
        byte[] other = creationHash.clone();
        other[0] ^= 1;
        run(tpm, Command.of(TpmCc.CertifyCreation).handle(signer.handle()).handle(created.handle()).emptyAuth()
                .tpm2b(NONCE).tpm2b(other).u16(NULL).bytes(ticket)).assertRc(TpmRc.TICKET.parameter(4));
    }

    @Test
    void getTimeWithAndWithoutSigner() throws Exception {
        Tpm tpm = TestTpm.started();
        Signed t = Signed.read(run(tpm, Command.of(TpmCc.GetTime).handle(TpmRh.ENDORSEMENT).handle(TpmRh.NULL)
                .passwords(new byte[0], new byte[0]).tpm2b(NONCE).u16(NULL)).okWithSessions(0));
        assertTrue(t.signature().isNull());
        Attest a = Attest.parse(t.attest());
        assertEquals(TpmSt.ATTEST_TIME, a.type());
        TpmReader r = a.attested();
        r.u64();
        r.u64();
        assertEquals(((TpmEngine) tpm).permanent().resetCount, r.u32());
        r.u32();
        r.u8();
        assertEquals(1L << 32, r.u64());
        Keys.Key signer = Keys.primary(tpm, TpmRh.ENDORSEMENT, TestObjects.rsa(SIGNING, 2048, RSASSA, SHA256));
        t = Signed.read(run(tpm, Command.of(TpmCc.GetTime).handle(TpmRh.ENDORSEMENT).handle(signer.handle())
                .passwords(new byte[0], new byte[0]).tpm2b(NONCE).u16(NULL)).okWithSessions(0));
        assertTrue(jdkVerify("SHA256withRSA", signer, t.attest(), t.signature().sig()));
        run(tpm, Command.of(TpmCc.GetTime).handle(TpmRh.OWNER).handle(TpmRh.NULL)
                .passwords(new byte[0], new byte[0]).tpm2b(NONCE).u16(NULL)).assertRc(TpmRc.VALUE.handle(1));
    }

    @Test
    void sessionAuditDigestIsAttested() throws Exception {
        Tpm tpm = TestTpm.started();
        SessionClient s = SessionClient.hmac(tpm);
        Command audited = Command.of(TpmCc.GetRandom).u16(4);
        s.authorize(audited, SessionClient.CONTINUE | 0x80, new byte[0]);
        run(tpm, audited).ok();
        byte[] digest = ((TpmEngine) tpm).sessions().get(s.handle).auditDigest();
        Keys.Key signer = Keys.primary(tpm, TpmRh.ENDORSEMENT, TestObjects.rsa(SIGNING, 2048, RSASSA, SHA256));
        Signed d = Signed.read(run(tpm, Command.of(TpmCc.GetSessionAuditDigest).handle(TpmRh.ENDORSEMENT)
                .handle(signer.handle()).handle(s.handle).passwords(new byte[0], new byte[0]).tpm2b(NONCE).u16(NULL))
                .okWithSessions(0));
        Attest a = Attest.parse(d.attest());
        assertEquals(TpmSt.ATTEST_SESSION_AUDIT, a.type());
        TpmReader r = a.attested();
        assertEquals(0, r.u8(), "a command without the session ended its exclusivity");
        assertArrayEquals(digest, r.tpm2b(64));
        assertTrue(jdkVerify("SHA256withRSA", signer, d.attest(), d.signature().sig()));
        SessionClient plain = SessionClient.hmac(tpm);
        run(tpm, Command.of(TpmCc.GetSessionAuditDigest).handle(TpmRh.ENDORSEMENT).handle(TpmRh.NULL)
                .handle(plain.handle).passwords(new byte[0], new byte[0]).tpm2b(NONCE).u16(NULL))
                .assertRc(TpmRc.TYPE.handle(3));
    }

    static Command nvCertify(int signer, int index, int size, int offset) {
        return Command.of(TpmCc.NV_Certify).handle(signer).handle(TpmRh.OWNER).handle(index)
                .passwords(new byte[0], new byte[0]).tpm2b(NONCE).u16(NULL).u16(size).u16(offset);
    }

    @Test
    void nvCertifyAttestsContentsAndDigest() throws Exception {
        Tpm tpm = TestTpm.started();
        run(tpm, Nv.define(TpmRh.OWNER, new byte[0], Nv.INDEX, Nv.OWNER_RW, 16)).ok();
        run(tpm, nvCertify(TpmRh.NULL, Nv.INDEX, 4, 0)).assertRc(TpmRc.NV_UNINITIALIZED);
        byte[] data = "sixteen bytes!!!".getBytes();
        run(tpm, Nv.write(TpmRh.OWNER, Nv.INDEX, new byte[0], data, 0)).ok();
        Keys.Key signer = Keys.primary(tpm, TpmRh.ENDORSEMENT, TestObjects.rsa(SIGNING, 2048, RSASSA, SHA256));
        byte[] name = readNvName(tpm);
        Signed c = Signed.read(run(tpm, nvCertify(signer.handle(), Nv.INDEX, 7, 8)).okWithSessions(0));
        Attest a = Attest.parse(c.attest());
        assertEquals(TpmSt.ATTEST_NV, a.type());
        assertArrayEquals(name, a.attested().tpm2b(68));
        assertEquals(8, a.attested().u16());
        assertArrayEquals(Arrays.copyOfRange(data, 8, 15), a.attested().tpm2b(1024));
        assertTrue(jdkVerify("SHA256withRSA", signer, c.attest(), c.signature().sig()));
        c = Signed.read(run(tpm, nvCertify(signer.handle(), Nv.INDEX, 0, 0)).okWithSessions(0));
        a = Attest.parse(c.attest());
        assertEquals(TpmSt.ATTEST_NV_DIGEST, a.type());
        assertArrayEquals(name, a.attested().tpm2b(68));
        assertArrayEquals(sha256(data), a.attested().tpm2b(64));
        assertTrue(jdkVerify("SHA256withRSA", signer, c.attest(), c.signature().sig()));
        run(tpm, nvCertify(signer.handle(), Nv.INDEX, 10, 8)).assertRc(TpmRc.NV_RANGE);
    }

    static byte[] readNvName(Tpm tpm) throws Exception {
        TpmReader r = run(tpm, Nv.readPublic(Nv.INDEX)).ok();
        r.tpm2b(1024);
        return r.tpm2b(68);
    }
}
