package org.jswtpm.core.command;

import static org.jswtpm.core.testing.TestObjects.NULL;
import static org.jswtpm.core.testing.TestObjects.SHA256;
import static org.jswtpm.core.testing.TestObjects.SIGNING;
import static org.jswtpm.core.testing.TestObjects.STORAGE;
import static org.jswtpm.core.testing.TestTpm.run;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.math.BigInteger;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.interfaces.RSAPrivateCrtKey;
import org.jswtpm.core.Tpm;
import org.jswtpm.core.marshal.TpmReader;
import org.jswtpm.core.marshal.TpmWriter;
import org.jswtpm.core.testing.Command;
import org.jswtpm.core.testing.TestObjects;
import org.jswtpm.core.testing.TestTpm;
import org.jswtpm.core.types.TpmCc;
import org.jswtpm.core.types.TpmRc;
import org.jswtpm.core.types.TpmRh;
import org.junit.jupiter.api.Test;

/**
 * Part 3, 12 object commands: Create, Load, LoadExternal, ReadPublic, ObjectChangeAuth, Unseal,
 * CreateLoaded; and FlushContext of objects.
 */
class ObjectCommandsTest {
    static final byte[] SECRET = "the sealed secret".getBytes();

    static Command unseal(int handle, byte[] password) {
        return Command.of(TpmCc.Unseal).handle(handle).passwords(password);
    }

    @Test
    void createLoadReadPublicRoundTrip() throws Exception {
        Tpm tpm = TestTpm.started();
        int parent = TestObjects.createPrimary(tpm, TpmRh.OWNER, TestObjects.rsaStorage(2048)).handle();
        for (byte[] template : new byte[][] {TestObjects.rsa(SIGNING, 2048, 0x0014, SHA256),
            TestObjects.ecc(SIGNING, 3, 0x0018, SHA256), TestObjects.rsaStorage(2048), TestObjects.eccStorage(3),
            TestObjects.hmacKey(), TestObjects.aesKey(TestObjects.STORAGE, 128)}) {
            TestObjects.Blob blob = TestObjects.create(tpm, parent, template, "pw".getBytes(), new byte[0]);
            TpmReader r = run(tpm, TestObjects.loadCommand(parent, blob)).ok();
            int handle = r.u32();
            r.u32();
            byte[] name = r.tpm2b(66);
            byte[][] read = TestObjects.readPublic(tpm, handle);
            assertArrayEquals(java.util.Arrays.copyOfRange(blob.publicBlob(), 2, blob.publicBlob().length), read[0]);
            assertArrayEquals(name, read[1]);
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(read[0]);
            assertArrayEquals(digest, java.util.Arrays.copyOfRange(name, 2, name.length));
            TestObjects.flush(tpm, handle);
        }
    }

    @Test
    void qualifiedNameChainsFromTheHierarchy() throws Exception {
        Tpm tpm = TestTpm.started();
        int parent = TestObjects.createPrimary(tpm, TpmRh.OWNER, TestObjects.eccStorage(3)).handle();
        byte[][] p = TestObjects.readPublic(tpm, parent);
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        sha.update(new byte[] {0x40, 0, 0, 1});
        sha.update(p[1]);
        assertArrayEquals(sha.digest(), java.util.Arrays.copyOfRange(p[2], 2, 34));
        int child = TestObjects.load(tpm, parent, TestObjects.create(tpm, parent, TestObjects.eccStorage(3), new byte[0],
                new byte[0]));
        byte[][] c = TestObjects.readPublic(tpm, child);
        sha.update(p[2]);
        sha.update(c[1]);
        assertArrayEquals(sha.digest(), java.util.Arrays.copyOfRange(c[2], 2, 34));
    }

    @Test
    void sealAndUnseal() throws Exception {
        Tpm tpm = TestTpm.started();
        int parent = TestObjects.createPrimary(tpm, TpmRh.OWNER, TestObjects.rsaStorage(2048)).handle();
        TestObjects.Blob blob = TestObjects.create(tpm, parent, TestObjects.sealed(), "pw".getBytes(), SECRET);
        int handle = TestObjects.load(tpm, parent, blob);
        TpmReader r = run(tpm, unseal(handle, "pw".getBytes())).okWithSessions(0);
        assertArrayEquals(SECRET, r.tpm2b(128));
        run(tpm, unseal(handle, "no".getBytes())).assertRc(TpmRc.AUTH_FAIL.session(1));
        // a key is not unsealable
        run(tpm, unseal(parent, new byte[0])).assertRc(TpmRc.TYPE.handle(1));
        int hmac = TestObjects.load(tpm, parent, TestObjects.create(tpm, parent, TestObjects.hmacKey(), new byte[0], new byte[0]));
        run(tpm, unseal(hmac, new byte[0])).assertRc(TpmRc.ATTRIBUTES.handle(1));
    }

    @Test
    void sealedDataRules() {
        Tpm tpm = TestTpm.started();
        int parent;
        try {
            parent = TestObjects.createPrimary(tpm, TpmRh.OWNER, TestObjects.eccStorage(3)).handle();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        // a data object needs data; the TPM cannot make it
        run(tpm, Command.of(TpmCc.Create).handle(parent).emptyAuth().bytes(TestObjects.sensitive(new byte[0],
                new byte[0])).bytes(TestObjects.sealed()).u16(0).u32(0)).assertRc(TpmRc.ATTRIBUTES.parameter(2));
        // TPM-generated keys take no data
        run(tpm, Command.of(TpmCc.Create).handle(parent).emptyAuth().bytes(TestObjects.sensitive(new byte[0],
                SECRET)).bytes(TestObjects.hmacKey()).u16(0).u32(0)).assertRc(TpmRc.ATTRIBUTES.parameter(2));
        // more than MAX_SYM_DATA
        run(tpm, Command.of(TpmCc.Create).handle(parent).emptyAuth().bytes(TestObjects.sensitive(new byte[0],
                new byte[129])).bytes(TestObjects.sealed()).u16(0).u32(0)).assertRc(TpmRc.SIZE.parameter(1));
    }

    @Test
    void tamperedOrForeignPrivateIsIntegrityFailure() throws Exception {
        Tpm tpm = TestTpm.started();
        int parent = TestObjects.createPrimary(tpm, TpmRh.OWNER, TestObjects.rsaStorage(2048)).handle();
        int other = TestObjects.createPrimary(tpm, TpmRh.ENDORSEMENT, TestObjects.rsaStorage(2048)).handle();
        TestObjects.Blob blob = TestObjects.create(tpm, parent, TestObjects.sealed(), new byte[0], SECRET);
        for (int i : new int[] {6, 40, blob.privateBlob().length - 1}) {
            byte[] priv = blob.privateBlob().clone();
            priv[i] ^= 1;
            run(tpm, TestObjects.loadCommand(parent, new TestObjects.Blob(priv, blob.publicBlob())))
                    .assertRc(TpmRc.INTEGRITY.parameter(1));
        }
        // the public area is bound through the Name
        byte[] pub = blob.publicBlob().clone();
        pub[9] |= 0x04; // stClear
        run(tpm, TestObjects.loadCommand(parent, new TestObjects.Blob(blob.privateBlob(), pub)))
                .assertRc(TpmRc.INTEGRITY.parameter(1));
        // another parent
        run(tpm, TestObjects.loadCommand(other, blob)).assertRc(TpmRc.INTEGRITY.parameter(1));
        // another TPM with another seed
        Tpm foreign = org.jswtpm.core.Tpm2.builder().deterministicSeed("other".getBytes()).build();
        run(foreign, Command.of(TpmCc.Startup).u16(0)).ok();
        int foreignParent = TestObjects.createPrimary(foreign, TpmRh.OWNER, TestObjects.rsaStorage(2048)).handle();
        run(foreign, TestObjects.loadCommand(foreignParent, blob)).assertRc(TpmRc.INTEGRITY.parameter(1));
        // a parent that is no storage key
        TestObjects.flush(tpm, other);
        int signer = TestObjects.load(tpm, parent, TestObjects.create(tpm, parent, TestObjects.rsa(SIGNING, 2048, NULL, 0),
                new byte[0], new byte[0]));
        run(tpm, TestObjects.loadCommand(signer, blob)).assertRc(TpmRc.TYPE.handle(1));
        run(tpm, Command.of(TpmCc.Create).handle(signer).emptyAuth().bytes(TestObjects.sensitive(new byte[0], SECRET))
                .bytes(TestObjects.sealed()).u16(0).u32(0)).assertRc(TpmRc.TYPE.handle(1));
        // the same blob loads into the TPM that made it
        TestObjects.load(tpm, parent, blob);
    }

    @Test
    void childAttributesMustFitTheParent() throws Exception {
        Tpm tpm = TestTpm.started();
        int parent = TestObjects.createPrimary(tpm, TpmRh.OWNER, TestObjects.rsaStorage(2048)).handle();
        // a non-duplicable storage child must use its parent's symmetric algorithm and nameAlg
        run(tpm, Command.of(TpmCc.Create).handle(parent).emptyAuth().bytes(TestObjects.sensitive(new byte[0], new byte[0]))
                .bytes(TestObjects.aesKey(STORAGE, 128)).u16(0).u32(0)).ok();
        run(tpm, Command.of(TpmCc.Create).handle(parent).emptyAuth().bytes(TestObjects.sensitive(new byte[0], new byte[0]))
                .bytes(TestObjects.aesKey(STORAGE, 256)).u16(0).u32(0)).assertRc(TpmRc.SYMMETRIC.parameter(2));
        byte[] rsaChild = TestObjects.rsa(STORAGE, 2048, NULL, 0);
        rsaChild[14] = 0x01; // AES-256 instead of AES-128
        rsaChild[15] = 0x00;
        run(tpm, Command.of(TpmCc.Create).handle(parent).emptyAuth().bytes(TestObjects.sensitive(new byte[0], new byte[0]))
                .bytes(rsaChild).u16(0).u32(0)).assertRc(TpmRc.SYMMETRIC.parameter(2));
    }

    @Test
    void objectChangeAuth() throws Exception {
        Tpm tpm = TestTpm.started();
        int parent = TestObjects.createPrimary(tpm, TpmRh.OWNER, TestObjects.eccStorage(3)).handle();
        TestObjects.Blob blob = TestObjects.create(tpm, parent, TestObjects.sealed(), "old".getBytes(), SECRET);
        int handle = TestObjects.load(tpm, parent, blob);
        TpmReader r = run(tpm, Command.of(TpmCc.ObjectChangeAuth).handle(handle).handle(parent)
                .passwords("old".getBytes()).tpm2b("new".getBytes())).okWithSessions(0);
        byte[] newPrivate = TestObjects.tpm2b(r.tpm2b(4096));
        TestObjects.flush(tpm, handle);
        int changed = TestObjects.load(tpm, parent, new TestObjects.Blob(newPrivate, blob.publicBlob()));
        assertArrayEquals(SECRET, run(tpm, unseal(changed, "new".getBytes())).okWithSessions(0).tpm2b(128));
        run(tpm, unseal(changed, "old".getBytes())).assertRc(TpmRc.AUTH_FAIL.session(1));
        // the old blob still has the old auth
        TestObjects.flush(tpm, changed);
        int old = TestObjects.load(tpm, parent, blob);
        assertArrayEquals(SECRET, run(tpm, unseal(old, "old".getBytes())).okWithSessions(0).tpm2b(128));
        // handle 2 must be the parent
        run(tpm, Command.of(TpmCc.ObjectChangeAuth).handle(old).handle(old).passwords("old".getBytes())
                .tpm2b("x".getBytes())).assertRc(TpmRc.TYPE.handle(2));
        run(tpm, Command.of(TpmCc.ObjectChangeAuth).handle(old).handle(parent).passwords("old".getBytes())
                .tpm2b(new byte[33])).ok();
        byte[] tooLong = new byte[33];
        tooLong[32] = 7;
        run(tpm, Command.of(TpmCc.ObjectChangeAuth).handle(old).handle(parent).passwords("old".getBytes())
                .tpm2b(tooLong)).assertRc(TpmRc.SIZE.parameter(1));
    }

    /** TPM2B_SENSITIVE of an RSA key given its prime. */
    static byte[] rsaSensitive(BigInteger p, int bytes) {
        TpmWriter w = new TpmWriter();
        int at = w.startSized16();
        byte[] pb = org.jswtpm.core.crypto.Bytes.fixed(p, bytes);
        w.u16(TestObjects.RSA).u16(0).u16(0).tpm2b(pb);
        w.endSized16(at);
        return w.toByteArray();
    }

    /** TPM2B_PUBLIC of an unrestricted RSA signing key with modulus n. */
    static byte[] rsaPublic(int nameAlg, int attributes, BigInteger n, int bits) {
        TpmWriter w = new TpmWriter();
        int at = w.startSized16();
        w.u16(TestObjects.RSA).u16(nameAlg).u32(attributes).u16(0).u16(NULL).u16(NULL).u16(bits).u32(0)
                .tpm2b(org.jswtpm.core.crypto.Bytes.fixed(n, bits / 8));
        w.endSized16(at);
        return w.toByteArray();
    }

    @Test
    void loadExternalKeyPairFromTheJdk() throws Exception {
        Tpm tpm = TestTpm.started();
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        RSAPrivateCrtKey k = (RSAPrivateCrtKey) g.generateKeyPair().getPrivate();
        int attrs = TestObjects.SENSITIVE_DATA_ORIGIN | TestObjects.USER_WITH_AUTH | TestObjects.SIGN;
        TpmReader r = run(tpm, Command.of(TpmCc.LoadExternal).bytes(rsaSensitive(k.getPrimeP(), 128))
                .bytes(rsaPublic(SHA256, attrs, k.getModulus(), 2048)).u32(TpmRh.NULL)).ok();
        assertEquals(0x80000000, r.u32());
        byte[] name = r.tpm2b(66);
        assertEquals(34, name.length);
        // a prime that does not divide n
        run(tpm, Command.of(TpmCc.LoadExternal).bytes(rsaSensitive(k.getPrimeP().add(BigInteger.TWO), 128))
                .bytes(rsaPublic(SHA256, attrs, k.getModulus(), 2048)).u32(TpmRh.NULL))
                .assertRc(TpmRc.BINDING);
        // external keys with a private part cannot claim fixedTPM
        run(tpm, Command.of(TpmCc.LoadExternal).bytes(rsaSensitive(k.getPrimeP(), 128))
                .bytes(rsaPublic(SHA256, attrs | TestObjects.FIXED_TPM | TestObjects.FIXED_PARENT, k.getModulus(), 2048))
                .u32(TpmRh.NULL)).assertRc(TpmRc.ATTRIBUTES.parameter(2));
        run(tpm, Command.of(TpmCc.LoadExternal).u16(0).bytes(rsaPublic(SHA256, attrs, k.getModulus(), 2048))
                .u32(0x40000009)).assertRc(TpmRc.VALUE.parameter(3));
    }

    @Test
    void loadExternalPublicAreaOfAPrimaryHasTheSameName() throws Exception {
        Tpm tpm = TestTpm.started();
        TestObjects.Created p = TestObjects.createPrimary(tpm, TpmRh.OWNER, TestObjects.rsa(SIGNING, 2048, 0x0014, SHA256));
        BigInteger n = CreatePrimaryTest.rsaModulus(p.outPublic());
        assertEquals(2048, n.bitLength());
        TpmReader r = run(tpm, Command.of(TpmCc.LoadExternal).u16(0).bytes(TestObjects.tpm2b(p.outPublic()))
                .u32(TpmRh.OWNER)).ok();
        r.u32();
        assertArrayEquals(p.name(), r.tpm2b(66));
        // nameAlg NULL is allowed for a public key; its Name is empty
        byte[] nullName = rsaPublic(NULL, TestObjects.USER_WITH_AUTH | TestObjects.SIGN, n, 2048);
        r = run(tpm, Command.of(TpmCc.LoadExternal).u16(0).bytes(nullName).u32(TpmRh.NULL)).ok();
        r.u32();
        assertEquals(0, r.tpm2b(66).length);
    }

    @Test
    void loadExternalRejectsAPointOffTheCurve() throws Exception {
        Tpm tpm = TestTpm.started();
        TestObjects.Created p = TestObjects.createPrimary(tpm, TpmRh.OWNER, TestObjects.ecc(SIGNING, 3, 0x0018, SHA256));
        byte[] pub = p.outPublic().clone();
        pub[pub.length - 1] ^= 1;
        run(tpm, Command.of(TpmCc.LoadExternal).u16(0).bytes(TestObjects.tpm2b(pub)).u32(TpmRh.OWNER))
                .assertRc(TpmRc.ECC_POINT.parameter(2));
        run(tpm, Command.of(TpmCc.LoadExternal).u16(0).bytes(TestObjects.tpm2b(p.outPublic())).u32(TpmRh.OWNER)).ok();
    }

    @Test
    void createLoadedUnderAParentAndUnderAHierarchy() throws Exception {
        Tpm tpm = TestTpm.started();
        TpmReader r = run(tpm, Command.of(TpmCc.CreateLoaded).handle(TpmRh.OWNER).emptyAuth()
                .bytes(TestObjects.sensitive(new byte[0], new byte[0])).bytes(TestObjects.eccStorage(3))).ok();
        int primary = r.u32();
        r.u32();
        assertEquals(0, r.tpm2b(4096).length, "a primary has no outPrivate");
        byte[] pub = r.tpm2b(4096);
        byte[] name = r.tpm2b(66);
        TestObjects.Created same = TestObjects.createPrimary(tpm, TpmRh.OWNER, TestObjects.eccStorage(3));
        assertArrayEquals(same.name(), name, "CreateLoaded under a hierarchy is CreatePrimary");
        assertArrayEquals(same.outPublic(), pub);
        TestObjects.flush(tpm, same.handle());
        r = run(tpm, Command.of(TpmCc.CreateLoaded).handle(primary).emptyAuth()
                .bytes(TestObjects.sensitive("pw".getBytes(), SECRET)).bytes(TestObjects.sealed())).ok();
        int sealed = r.u32();
        r.u32();
        byte[] priv = r.tpm2b(4096);
        byte[] sealedPub = r.tpm2b(4096);
        assertArrayEquals(SECRET, run(tpm, unseal(sealed, "pw".getBytes())).okWithSessions(0).tpm2b(128));
        TestObjects.flush(tpm, sealed);
        int reloaded = TestObjects.load(tpm, primary, new TestObjects.Blob(TestObjects.tpm2b(priv), TestObjects.tpm2b(sealedPub)));
        assertArrayEquals(SECRET, run(tpm, unseal(reloaded, "pw".getBytes())).okWithSessions(0).tpm2b(128));
    }

    @Test
    void flushedObjectsAreGone() throws Exception {
        Tpm tpm = TestTpm.started();
        int h = TestObjects.createPrimary(tpm, TpmRh.OWNER, TestObjects.eccStorage(3)).handle();
        TestObjects.flush(tpm, h);
        run(tpm, Command.of(TpmCc.ReadPublic).handle(h)).assertRc(TpmRc.REFERENCE_H0);
        run(tpm, Command.of(TpmCc.FlushContext).u32(h)).assertRc(TpmRc.HANDLE.parameter(1));
    }

    @Test
    void readPublicOfASequenceIsSequenceError() {
        Tpm tpm = TestTpm.started();
        TpmReader r = run(tpm, Command.of(TpmCc.HashSequenceStart).tpm2b(new byte[0]).u16(SHA256)).ok();
        int seq;
        try {
            seq = r.u32();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        run(tpm, Command.of(TpmCc.ReadPublic).handle(seq)).assertRc(TpmRc.SEQUENCE);
        assertFalse(seq == 0);
    }

    @Test
    void policyOnlyObjectsRefuseTheirPassword() throws Exception {
        Tpm tpm = TestTpm.started();
        int parent = TestObjects.createPrimary(tpm, TpmRh.OWNER, TestObjects.eccStorage(3)).handle();
        // a sealed object with userWithAuth clear: only a policy session may unseal it
        byte[] policyOnly = TestObjects.sealed();
        policyOnly[9] &= ~TestObjects.USER_WITH_AUTH;
        int sealed = TestObjects.load(tpm, parent, TestObjects.create(tpm, parent, policyOnly, new byte[0], SECRET));
        run(tpm, unseal(sealed, new byte[0])).assertRc(TpmRc.AUTH_UNAVAILABLE);
        // adminWithPolicy: ObjectChangeAuth (ADMIN role) needs a policy session (TPM_RC_AUTH_TYPE)
        byte[] adminPolicy = TestObjects.sealed();
        adminPolicy[9] |= (byte) 0x80;
        int admin = TestObjects.load(tpm, parent, TestObjects.create(tpm, parent, adminPolicy, new byte[0], SECRET));
        run(tpm, Command.of(TpmCc.ObjectChangeAuth).handle(admin).handle(parent).emptyAuth().tpm2b(new byte[0]))
                .assertRc(TpmRc.AUTH_TYPE);
        assertArrayEquals(SECRET, run(tpm, unseal(admin, new byte[0])).okWithSessions(0).tpm2b(128),
                "the USER role still takes the password");
    }

    @Test
    void aBlobLoadsIntoAnotherProcessOfTheSameTpm() throws Exception {
        Tpm first = TestTpm.started();
        int parent = TestObjects.createPrimary(first, TpmRh.OWNER, TestObjects.rsaStorage(2048)).handle();
        TestObjects.Blob blob = TestObjects.create(first, parent, TestObjects.sealed(), new byte[0], SECRET);
        byte[] permanent = first.getState(org.jswtpm.core.StateKind.PERMANENT);
        first.stop();
        // a new process with the same permanent state re-derives the same primary, whose seed protects the blob
        Tpm second = org.jswtpm.core.Tpm2.builder().state(org.jswtpm.core.StateKind.PERMANENT, permanent).build();
        run(second, Command.of(TpmCc.Startup).u16(0)).ok();
        int again = TestObjects.createPrimary(second, TpmRh.OWNER, TestObjects.rsaStorage(2048)).handle();
        int sealed = TestObjects.load(second, again, blob);
        assertArrayEquals(SECRET, run(second, unseal(sealed, new byte[0])).okWithSessions(0).tpm2b(128));
        // the same blob under the null hierarchy's primary, whose seed differs, is refused
        TestObjects.flush(second, sealed);
        int nullParent = TestObjects.createPrimary(second, TpmRh.NULL, TestObjects.rsaStorage(2048)).handle();
        run(second, TestObjects.loadCommand(nullParent, blob)).assertRc(TpmRc.INTEGRITY.parameter(1));
    }
}
