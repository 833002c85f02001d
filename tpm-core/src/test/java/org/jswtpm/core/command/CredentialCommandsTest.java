package org.jswtpm.core.command;

import static org.jswtpm.core.testing.TestTpm.run;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import javax.crypto.Cipher;
import org.jswtpm.core.Tpm;
import org.jswtpm.core.marshal.TpmReader;
import org.jswtpm.core.marshal.TpmWriter;
import org.jswtpm.core.testing.Command;
import org.jswtpm.core.testing.TestObjects;
import org.jswtpm.core.testing.Offline;
import org.jswtpm.core.testing.TestTpm;
import org.jswtpm.core.types.TpmCc;
import org.jswtpm.core.types.TpmRc;
import org.jswtpm.core.types.TpmRh;
import org.junit.jupiter.api.Test;

/**
 * TPM2_MakeCredential and TPM2_ActivateCredential (Part 3, 12.5 and 12.6; Part 1, 24): credentials made
 * offline with the JDK activate on the TPM, credentials the TPM makes open with the JDK, both with RSA
 * and ECC protectors, and every tampering is refused.
 */
class CredentialCommandsTest {
    static final byte[] CREDENTIAL = "a credential of 32 bytes or less".getBytes();

    /** A primary storage key (restricted decrypt, AES-128-CFB) and a sealed object under it. */
    record Setup(Tpm tpm, TestObjects.Created key, int object, byte[] objectName) {
    }

    static Setup setup(byte[] template) throws Exception {
        Tpm tpm = TestTpm.started();
        TestObjects.Created key = TestObjects.createPrimary(tpm, TpmRh.OWNER, template);
        int object = TestObjects.load(tpm, key.handle(), TestObjects.create(tpm, key.handle(), TestObjects.sealed(), new byte[0],
                "x".getBytes()));
        return new Setup(tpm, key, object, TestObjects.readPublic(tpm, object)[1]);
    }

    static byte[] rsaModulus(byte[] outPublic) throws Exception {
        TpmReader r = new TpmReader(outPublic);
        r.skip(2 + 2 + 4 + 2 + 6 + 2 + 2 + 4);
        return r.tpm2b(512);
    }

    static byte[][] eccPoint(byte[] outPublic) throws Exception {
        TpmReader r = new TpmReader(outPublic);
        r.skip(2 + 2 + 4 + 2 + 6 + 2 + 2 + 2);
        return new byte[][] {r.tpm2b(80), r.tpm2b(80)};
    }

    static Command activate(int object, int key, byte[] blob, byte[] secret) {
        return Command.of(TpmCc.ActivateCredential).handle(object).handle(key).passwords(new byte[0], new byte[0])
                .tpm2b(blob).tpm2b(secret);
    }

    static Command make(int key, byte[] credential, byte[] name) {
        return Command.of(TpmCc.MakeCredential).handle(key).tpm2b(credential).tpm2b(name);
    }

    /** credentialBlob = TPM2B integrityHMAC || CFB(TPM2B credential), as a remote verifier makes it. */
    static byte[] offlineBlob(byte[] seed, byte[] name, byte[] credential) throws Exception {
        return Offline.outerWrap(seed, name, new TpmWriter().tpm2b(credential).toByteArray());
    }

    @Test
    void offlineRsaCredentialActivates() throws Exception {
        Setup s = setup(TestObjects.rsaStorage(2048));
        Offline.Secret secret = Offline.rsaSecret(Offline.rsaPublic(rsaModulus(s.key().outPublic())), "IDENTITY",
                new byte[32]);
        byte[] blob = offlineBlob(secret.seed(), s.objectName(), CREDENTIAL);
        byte[] out = run(s.tpm(), activate(s.object(), s.key().handle(), blob, secret.encrypted()))
                .okWithSessions(0).tpm2b(64);
        assertArrayEquals(CREDENTIAL, out);
    }

    @Test
    void offlineEccCredentialActivates() throws Exception {
        Setup s = setup(TestObjects.eccStorage(3));
        byte[][] q = eccPoint(s.key().outPublic());
        Offline.Secret secret = Offline.eccSecret(q[0], q[1], "IDENTITY");
        byte[] blob = offlineBlob(secret.seed(), s.objectName(), CREDENTIAL);
        byte[] out = run(s.tpm(), activate(s.object(), s.key().handle(), blob, secret.encrypted()))
                .okWithSessions(0).tpm2b(64);
        assertArrayEquals(CREDENTIAL, out);
    }

    @Test
    void tpmMadeCredentialsActivateOnTheTpm() throws Exception {
        for (byte[] template : new byte[][] {TestObjects.rsaStorage(2048), TestObjects.eccStorage(3)}) {
            Setup s = setup(template);
            TpmReader r = run(s.tpm(), make(s.key().handle(), CREDENTIAL, s.objectName())).ok();
            byte[] blob = r.tpm2b(200);
            byte[] secret = r.tpm2b(600);
            assertArrayEquals(CREDENTIAL, run(s.tpm(), activate(s.object(), s.key().handle(), blob, secret))
                    .okWithSessions(0).tpm2b(64));
        }
    }

    /** A restricted decryption public key loaded with LoadExternal: TPMT_PUBLIC with the given unique. */
    static byte[] externalPublic(int type, byte[]... unique) {
        TpmWriter w = new TpmWriter();
        int at = w.startSized16();
        w.u16(type).u16(TestObjects.SHA256).u32(TestObjects.RESTRICTED | TestObjects.DECRYPT | TestObjects.USER_WITH_AUTH).u16(0);
        w.u16(TestObjects.AES).u16(128).u16(TestObjects.CFB).u16(TestObjects.NULL);
        if (type == TestObjects.RSA) {
            w.u16(2048).u32(0);
        } else {
            w.u16(3).u16(TestObjects.NULL);
        }
        for (byte[] u : unique) {
            w.tpm2b(u);
        }
        w.endSized16(at);
        return w.toByteArray();
    }

    static int loadExternal(Tpm tpm, byte[] pub) throws Exception {
        return run(tpm, Command.of(TpmCc.LoadExternal).u16(0).bytes(pub).u32(TpmRh.NULL)).ok().u32();
    }

    @Test
    void tpmMadeCredentialsOpenOffline() throws Exception {
        Tpm tpm = TestTpm.started();
        byte[] name = new TpmWriter().u16(TestObjects.SHA256).bytes(new byte[32]).toByteArray();
        name[5] = 7;

        KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
        rsa.initialize(2048);
        KeyPair rk = rsa.generateKeyPair();
        byte[] n = Offline.fixed(((RSAPublicKey) rk.getPublic()).getModulus(), 256);
        TpmReader r = run(tpm, make(loadExternal(tpm, externalPublic(TestObjects.RSA, n)), CREDENTIAL, name)).ok();
        byte[] blob = r.tpm2b(200);
        byte[] seed = Offline.rsaOpen(rk.getPrivate(), "IDENTITY", r.tpm2b(600));
        assertArrayEquals(new TpmWriter().tpm2b(CREDENTIAL).toByteArray(), Offline.outerUnwrap(seed, name, blob));

        KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
        ec.initialize(Offline.p256());
        KeyPair ek = ec.generateKeyPair();
        byte[] x = Offline.fixed(((ECPublicKey) ek.getPublic()).getW().getAffineX(), 32);
        byte[] y = Offline.fixed(((ECPublicKey) ek.getPublic()).getW().getAffineY(), 32);
        r = run(tpm, make(loadExternal(tpm, externalPublic(TestObjects.ECC, x, y)), CREDENTIAL, name)).ok();
        blob = r.tpm2b(200);
        seed = Offline.eccOpen(ek.getPrivate(), x, "IDENTITY", r.tpm2b(600));
        assertArrayEquals(new TpmWriter().tpm2b(CREDENTIAL).toByteArray(), Offline.outerUnwrap(seed, name, blob));
    }

    @Test
    void tamperingIsRefused() throws Exception {
        Setup s = setup(TestObjects.rsaStorage(2048));
        int key = s.key().handle();
        TpmReader r = run(s.tpm(), make(key, CREDENTIAL, s.objectName())).ok();
        byte[] blob = r.tpm2b(200);
        byte[] secret = r.tpm2b(600);
        for (int i : new int[] {3, 40, blob.length - 1}) {
            byte[] bad = blob.clone();
            bad[i] ^= 1;
            run(s.tpm(), activate(s.object(), key, bad, secret)).assertRc(TpmRc.INTEGRITY.parameter(1));
        }
        byte[] badSecret = secret.clone();
        badSecret[100] ^= 1;
        run(s.tpm(), activate(s.object(), key, blob, badSecret)).assertRc(TpmRc.VALUE.parameter(2));
        // a credential for another object: the key itself as activateHandle
        run(s.tpm(), activate(key, key, blob, secret)).assertRc(TpmRc.INTEGRITY.parameter(1));
        // an offline blob whose inner TPM2B does not fill the plaintext
        Offline.Secret os = Offline.rsaSecret(Offline.rsaPublic(rsaModulus(s.key().outPublic())), "IDENTITY",
                new byte[32]);
        byte[] padded = Offline.outerWrap(os.seed(), s.objectName(),
                new TpmWriter().tpm2b(CREDENTIAL).u8(0).toByteArray());
        run(s.tpm(), activate(s.object(), key, padded, os.encrypted())).assertRc(TpmRc.SIZE.parameter(1));
        // the label matters: a seed shared as "SECRET" does not open
        Offline.Secret wrongLabel = Offline.rsaSecret(Offline.rsaPublic(rsaModulus(s.key().outPublic())), "SECRET",
                new byte[32]);
        run(s.tpm(), activate(s.object(), key, offlineBlob(wrongLabel.seed(), s.objectName(), CREDENTIAL),
                wrongLabel.encrypted())).assertRc(TpmRc.VALUE.parameter(2));
    }

    @Test
    void keyRulesAndSizes() throws Exception {
        Setup s = setup(TestObjects.eccStorage(3));
        // the sealed object is no asymmetric restricted decryption key
        run(s.tpm(), make(s.object(), CREDENTIAL, s.objectName())).assertRc(TpmRc.TYPE.handle(1));
        run(s.tpm(), activate(s.object(), s.object(), new byte[10], new byte[10])).assertRc(TpmRc.TYPE.handle(2));
        run(s.tpm(), make(s.key().handle(), new byte[33], s.objectName())).assertRc(TpmRc.SIZE.parameter(1));
        int signer = TestObjects.createPrimary(s.tpm(), TpmRh.OWNER,
                TestObjects.ecc(TestObjects.SIGNING | TestObjects.RESTRICTED, 3, 0x0018, TestObjects.SHA256)).handle();
        run(s.tpm(), make(signer, CREDENTIAL, s.objectName())).assertRc(TpmRc.TYPE.handle(1));
    }

    @Test
    void activateHandleNeedsTheAdminRole() throws Exception {
        Setup s = setup(TestObjects.rsaStorage(2048));
        // adminWithPolicy SET: the ADMIN role needs a policy session, a password is the wrong type
        TpmWriter w = new TpmWriter();
        int at = w.startSized16();
        w.u16(TestObjects.KEYEDHASH).u16(TestObjects.SHA256).u32(TestObjects.SEALED | (1 << 7)).tpm2b(new byte[32])
                .u16(TestObjects.NULL).u16(0);
        w.endSized16(at);
        int object = TestObjects.load(s.tpm(), s.key().handle(), TestObjects.create(s.tpm(), s.key().handle(),
                w.toByteArray(), new byte[0], "x".getBytes()));
        TpmReader r = run(s.tpm(), make(s.key().handle(), CREDENTIAL, TestObjects.readPublic(s.tpm(), object)[1])).ok();
        run(s.tpm(), activate(object, s.key().handle(), r.tpm2b(200), r.tpm2b(600)))
                .assertRc(TpmRc.AUTH_TYPE);
    }

    @Test
    void adminRoleThroughAPolicySession() throws Exception {
        Setup s = setup(TestObjects.rsaStorage(2048));
        byte[] policy = org.jswtpm.core.testing.SessionClient.digest("SHA-256", new byte[32],
                org.jswtpm.core.testing.SessionClient.u32(TpmCc.PolicyCommandCode.code()),
                org.jswtpm.core.testing.SessionClient.u32(TpmCc.ActivateCredential.code()));
        TpmWriter w = new TpmWriter();
        int at = w.startSized16();
        w.u16(TestObjects.KEYEDHASH).u16(TestObjects.SHA256).u32(TestObjects.SEALED | (1 << 7)).tpm2b(policy)
                .u16(TestObjects.NULL).u16(0);
        w.endSized16(at);
        TestObjects.flush(s.tpm(), s.object());
        int object = TestObjects.load(s.tpm(), s.key().handle(), TestObjects.create(s.tpm(), s.key().handle(),
                w.toByteArray(), new byte[0], "x".getBytes()));
        TpmReader r = run(s.tpm(), make(s.key().handle(), CREDENTIAL, TestObjects.readPublic(s.tpm(), object)[1]))
                .ok();
        byte[] blob = r.tpm2b(200);
        byte[] secret = r.tpm2b(600);
        org.jswtpm.core.testing.SessionClient p = org.jswtpm.core.testing.SessionClient.policy(s.tpm(), false);
        run(s.tpm(), Command.of(TpmCc.PolicyCommandCode).handle(p.handle).u32(TpmCc.ActivateCredential.code())).ok();
        byte[] out = run(s.tpm(), Command.of(TpmCc.ActivateCredential).handle(object).handle(s.key().handle())
                .auth(p.handle, p.nonceCaller, 0, new byte[0]).auth(TpmRh.PW, new byte[0], 0, new byte[0])
                .tpm2b(blob).tpm2b(secret)).okWithSessions(0).tpm2b(64);
        assertArrayEquals(CREDENTIAL, out);
    }
}
