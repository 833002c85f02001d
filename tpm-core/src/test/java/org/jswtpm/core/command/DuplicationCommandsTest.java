package org.jswtpm.core.command;

import static org.jswtpm.core.testing.SessionClient.CONTINUE;
import static org.jswtpm.core.testing.SessionClient.digest;
import static org.jswtpm.core.testing.SessionClient.u32;
import static org.jswtpm.core.testing.TestTpm.run;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import javax.crypto.Cipher;
import org.jswtpm.core.Tpm;
import org.jswtpm.core.Tpm2;
import org.jswtpm.core.marshal.TpmReader;
import org.jswtpm.core.marshal.TpmWriter;
import org.jswtpm.core.testing.Command;
import org.jswtpm.core.testing.TestObjects;
import org.jswtpm.core.testing.Offline;
import org.jswtpm.core.testing.Response;
import org.jswtpm.core.testing.SessionClient;
import org.jswtpm.core.testing.TestTpm;
import org.jswtpm.core.types.TpmCc;
import org.jswtpm.core.types.TpmRc;
import org.jswtpm.core.types.TpmRh;
import org.jswtpm.core.types.TpmSu;
import org.junit.jupiter.api.Test;

/**
 * TPM2_Duplicate, TPM2_Rewrap and TPM2_Import (Part 3, 13; Part 1, 23.4): a sealed data object whose
 * authPolicy is PolicyCommandCode(TPM2_Duplicate) leaves one jswtpm (with and without inner and outer
 * wrappers), is imported under a parent of another jswtpm with another seed, loads there and unseals the
 * same secret; duplicates made with the JDK alone import too; tampering and the attribute rules are
 * refused.
 */
class DuplicationCommandsTest {
    static final byte[] SECRET = "moves between TPMs".getBytes(StandardCharsets.US_ASCII);
    static final int ENCRYPTED_DUPLICATION = 1 << 11;
    /** PolicyCommandCode(TPM2_Duplicate) from an empty policy. */
    static final byte[] DUP_POLICY = digest("SHA-256", new byte[32], u32(TpmCc.PolicyCommandCode.code()),
            u32(TpmCc.Duplicate.code()));
    static final byte[] AES_128_CFB = new TpmWriter().u16(TestObjects.AES).u16(128).u16(TestObjects.CFB).toByteArray();
    static final byte[] SYM_NULL = new TpmWriter().u16(TestObjects.NULL).toByteArray();

    static Tpm otherTpm() throws Exception {
        Tpm tpm = Tpm2.builder().deterministicSeed("another seed".getBytes(StandardCharsets.US_ASCII))
                .timeSource(new TestTpm.ManualTime()).build();
        run(tpm, Command.of(TpmCc.Startup).u16(TpmSu.CLEAR)).ok();
        return tpm;
    }

    /** A duplicable sealed object: fixedTPM and fixedParent clear, authPolicy allows Duplicate. */
    static byte[] duplicableSealed(int extraAttributes) {
        TpmWriter w = new TpmWriter();
        int at = w.startSized16();
        w.u16(TestObjects.KEYEDHASH).u16(TestObjects.SHA256).u32(TestObjects.USER_WITH_AUTH | extraAttributes)
                .tpm2b(DUP_POLICY).u16(TestObjects.NULL).u16(0);
        w.endSized16(at);
        return w.toByteArray();
    }

    /** The source TPM: a storage primary and the duplicable object loaded under it. */
    record Source(Tpm tpm, int parent, int object, byte[] objectPublic) {
    }

    static Source source(int extraAttributes) throws Exception {
        Tpm tpm = TestTpm.started();
        int parent = TestObjects.createPrimary(tpm, TpmRh.OWNER, TestObjects.eccStorage(3)).handle();
        TestObjects.Blob blob = TestObjects.create(tpm, parent, duplicableSealed(extraAttributes), new byte[0], SECRET);
        int object = TestObjects.load(tpm, parent, blob);
        return new Source(tpm, parent, object, TestObjects.readPublic(tpm, object)[0]);
    }

    /** Duplicate through a policy session with PolicyCommandCode(TPM2_Duplicate). */
    static Response duplicate(Tpm tpm, int object, int newParent, byte[] keyIn, byte[] sym) {
        SessionClient p = SessionClient.policy(tpm, false);
        run(tpm, Command.of(TpmCc.PolicyCommandCode).handle(p.handle).u32(TpmCc.Duplicate.code())).ok();
        return run(tpm, Command.of(TpmCc.Duplicate).handle(object).handle(newParent)
                .auth(p.handle, p.nonceCaller, 0, new byte[0]).tpm2b(keyIn).bytes(sym));
    }

    record Dup(byte[] keyOut, byte[] duplicate, byte[] seed) {
    }

    static Dup read(Response r) throws Exception {
        TpmReader in = r.okWithSessions(0);
        return new Dup(in.tpm2b(64), in.tpm2b(2048), in.tpm2b(600));
    }

    static Command importCommand(int parent, byte[] key, byte[] objectPublic, byte[] dup, byte[] seed, byte[] sym) {
        return Command.of(TpmCc.Import).handle(parent).emptyAuth().tpm2b(key).tpm2b(objectPublic).tpm2b(dup)
                .tpm2b(seed).bytes(sym);
    }

    /** Imports, loads and unseals on {@code tpm} under {@code parent}. */
    static byte[] importAndUnseal(Tpm tpm, int parent, byte[] key, byte[] objectPublic, Dup d, byte[] sym)
            throws Exception {
        byte[] priv = run(tpm, importCommand(parent, key, objectPublic, d.duplicate(), d.seed(), sym))
                .okWithSessions(0).tpm2b(2048);
        int h = TestObjects.load(tpm, parent, new TestObjects.Blob(TestObjects.tpm2b(priv), TestObjects.tpm2b(objectPublic)));
        byte[] out = run(tpm, Command.of(TpmCc.Unseal).handle(h).emptyAuth()).okWithSessions(0).tpm2b(128);
        TestObjects.flush(tpm, h);
        return out;
    }

    /** The target's new parent: created on the target, its public area loaded on the source. */
    record Target(Tpm tpm, int parent, int onSource, byte[] outPublic) {
    }

    static Target target(Tpm sourceTpm, byte[] template) throws Exception {
        return target(sourceTpm, otherTpm(), template);
    }

    static Target target(Tpm sourceTpm, Tpm tpm, byte[] template) throws Exception {
        TestObjects.Created p = TestObjects.createPrimary(tpm, TpmRh.OWNER, template);
        int external = run(sourceTpm, Command.of(TpmCc.LoadExternal).u16(0).tpm2b(p.outPublic()).u32(TpmRh.OWNER))
                .ok().u32();
        return new Target(tpm, p.handle(), external, p.outPublic());
    }

    @Test
    void outerWrappedDuplicateMovesToAnotherTpm() throws Exception {
        for (byte[] template : new byte[][] {TestObjects.rsaStorage(2048), TestObjects.eccStorage(3)}) {
            Source s = source(0);
            Target t = target(s.tpm(), template);
            Dup d = read(duplicate(s.tpm(), s.object(), t.onSource(), new byte[0], SYM_NULL));
            assertEquals(0, d.keyOut().length);
            assertArrayEquals(SECRET, importAndUnseal(t.tpm(), t.parent(), new byte[0], s.objectPublic(), d, SYM_NULL));
        }
    }

    @Test
    void duplicateMovesToATpmWithTheSameSeed() throws Exception {
        // the same seed gives the same primary: the duplicate goes to a twin, and to the source TPM itself
        Source s = source(0);
        Target twin = target(s.tpm(), TestTpm.started(), TestObjects.rsaStorage(2048));
        Dup d = read(duplicate(s.tpm(), s.object(), twin.onSource(), new byte[0], SYM_NULL));
        assertArrayEquals(SECRET, importAndUnseal(twin.tpm(), twin.parent(), new byte[0], s.objectPublic(), d,
                SYM_NULL));
        TestObjects.flush(s.tpm(), twin.onSource());
        Dup self = read(duplicate(s.tpm(), s.object(), s.parent(), new byte[0], AES_128_CFB));
        assertArrayEquals(SECRET, importAndUnseal(s.tpm(), s.parent(), self.keyOut(), s.objectPublic(), self,
                AES_128_CFB));
    }

    @Test
    void innerAndOuterWrappers() throws Exception {
        Source s = source(ENCRYPTED_DUPLICATION);
        Target t = target(s.tpm(), TestObjects.rsaStorage(2048));
        // the TPM picks the inner key and returns it
        Dup d = read(duplicate(s.tpm(), s.object(), t.onSource(), new byte[0], AES_128_CFB));
        assertEquals(16, d.keyOut().length);
        assertArrayEquals(SECRET, importAndUnseal(t.tpm(), t.parent(), d.keyOut(), s.objectPublic(), d, AES_128_CFB));
        // the caller's inner key: encryptionKeyOut stays empty
        byte[] key = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
        d = read(duplicate(s.tpm(), s.object(), t.onSource(), key, AES_128_CFB));
        assertEquals(0, d.keyOut().length);
        assertArrayEquals(SECRET, importAndUnseal(t.tpm(), t.parent(), key, s.objectPublic(), d, AES_128_CFB));
        // a wrong inner key: the decrypted integrity field is garbage (a size that does not unmarshal, or a
        // digest that does not match)
        byte[] wrong = key.clone();
        wrong[0] ^= 1;
        int rc = run(t.tpm(), importCommand(t.parent(), wrong, s.objectPublic(), d.duplicate(), d.seed(),
                AES_128_CFB)).rc;
        org.junit.jupiter.api.Assertions.assertTrue(rc == TpmRc.INTEGRITY.parameter(3).value()
                || rc == TpmRc.SIZE.parameter(3).value(), () -> TpmRc.of(rc).toString());
        // encryptedDuplication needs both wrappers
        run(t.tpm(), importCommand(t.parent(), new byte[0], s.objectPublic(), d.duplicate(), d.seed(), SYM_NULL))
                .assertRc(TpmRc.ATTRIBUTES.parameter(1));
        run(t.tpm(), importCommand(t.parent(), key, s.objectPublic(), d.duplicate(), new byte[0], AES_128_CFB))
                .assertRc(TpmRc.ATTRIBUTES.parameter(4));
        duplicate(s.tpm(), s.object(), t.onSource(), new byte[0], SYM_NULL).assertRc(TpmRc.SYMMETRIC.parameter(2));
        duplicate(s.tpm(), s.object(), TpmRh.NULL, key, AES_128_CFB).assertRc(TpmRc.HIERARCHY.handle(2));
    }

    @Test
    void innerOnlyAndPlaintextDuplicates() throws Exception {
        Source s = source(0);
        Target t = target(s.tpm(), TestObjects.eccStorage(3));
        byte[] key = "fedcba9876543210".getBytes(StandardCharsets.US_ASCII);
        Dup d = read(duplicate(s.tpm(), s.object(), TpmRh.NULL, key, AES_128_CFB));
        assertEquals(0, d.seed().length);
        assertArrayEquals(SECRET, importAndUnseal(t.tpm(), t.parent(), key, s.objectPublic(), d, AES_128_CFB));

        d = read(duplicate(s.tpm(), s.object(), TpmRh.NULL, new byte[0], SYM_NULL));
        // in the clear: TPM2B_SENSITIVE with the sealed data at its end
        TpmReader r = new TpmReader(d.duplicate());
        assertEquals(d.duplicate().length - 2, r.u16());
        assertEquals(TestObjects.KEYEDHASH, r.u16());
        r.tpm2b(64);
        r.tpm2b(64);
        assertArrayEquals(SECRET, r.tpm2b(128));
        assertArrayEquals(SECRET, importAndUnseal(t.tpm(), t.parent(), new byte[0], s.objectPublic(), d, SYM_NULL));
    }

    @Test
    void rewrapMovesTheOuterWrapper() throws Exception {
        Source s = source(0);
        TestObjects.flush(s.tpm(), s.parent());
        int middle = TestObjects.createPrimary(s.tpm(), TpmRh.OWNER, TestObjects.rsaStorage(2048)).handle();
        byte[] middleName = TestObjects.readPublic(s.tpm(), middle)[1];
        Dup d = read(duplicate(s.tpm(), s.object(), middle, new byte[0], SYM_NULL));
        byte[] objectName = TestObjects.readPublic(s.tpm(), s.object())[1];
        Target t = target(s.tpm(), TestObjects.eccStorage(3));
        TpmReader r = run(s.tpm(), Command.of(TpmCc.Rewrap).handle(middle).handle(t.onSource()).emptyAuth()
                .tpm2b(d.duplicate()).tpm2b(objectName).tpm2b(d.seed())).okWithSessions(0);
        Dup moved = new Dup(new byte[0], r.tpm2b(2048), r.tpm2b(600));
        assertArrayEquals(SECRET, importAndUnseal(t.tpm(), t.parent(), new byte[0], s.objectPublic(), moved,
                SYM_NULL));
        // an inner-only duplicate gets an outer wrapper (oldParent TPM_RH_NULL), and loses it again
        byte[] key = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
        Dup inner = read(duplicate(s.tpm(), s.object(), TpmRh.NULL, key, AES_128_CFB));
        r = run(s.tpm(), Command.of(TpmCc.Rewrap).handle(TpmRh.NULL).handle(t.onSource()).emptyAuth()
                .tpm2b(inner.duplicate()).tpm2b(objectName).tpm2b(new byte[0])).okWithSessions(0);
        Dup wrapped = new Dup(new byte[0], r.tpm2b(2048), r.tpm2b(600));
        assertArrayEquals(SECRET, importAndUnseal(t.tpm(), t.parent(), key, s.objectPublic(), wrapped, AES_128_CFB));
        r = run(s.tpm(), Command.of(TpmCc.Rewrap).handle(middle).handle(TpmRh.NULL).emptyAuth()
                .tpm2b(d.duplicate()).tpm2b(objectName).tpm2b(d.seed())).okWithSessions(0);
        Dup plain = new Dup(new byte[0], r.tpm2b(2048), r.tpm2b(600));
        assertEquals(0, plain.seed().length);
        assertArrayEquals(SECRET, importAndUnseal(t.tpm(), t.parent(), new byte[0], s.objectPublic(), plain,
                SYM_NULL));
        // a blob for another name, a seed without an old parent, a wrong parent type
        byte[] otherName = middleName;
        run(s.tpm(), Command.of(TpmCc.Rewrap).handle(middle).handle(TpmRh.NULL).emptyAuth()
                .tpm2b(d.duplicate()).tpm2b(otherName).tpm2b(d.seed())).assertRc(TpmRc.INTEGRITY.parameter(1));
        run(s.tpm(), Command.of(TpmCc.Rewrap).handle(TpmRh.NULL).handle(TpmRh.NULL).emptyAuth()
                .tpm2b(d.duplicate()).tpm2b(objectName).tpm2b(d.seed())).assertRc(TpmRc.HANDLE.handle(1));
        // an old parent without its private part cannot open the seed
        run(s.tpm(), Command.of(TpmCc.Rewrap).handle(t.onSource()).handle(TpmRh.NULL).emptyAuth()
                .tpm2b(moved.duplicate()).tpm2b(objectName).tpm2b(moved.seed()))
                .assertRc(TpmRc.AUTH_UNAVAILABLE); // no authValue either (as swtpm; see DifferentialCryptoTest)
        run(s.tpm(), Command.of(TpmCc.Rewrap).handle(middle).handle(s.object()).emptyAuth()
                .tpm2b(d.duplicate()).tpm2b(objectName).tpm2b(d.seed())).assertRc(TpmRc.TYPE.handle(2));
    }

    @Test
    void duplicateRules() throws Exception {
        Tpm tpm = TestTpm.started();
        int parent = TestObjects.createPrimary(tpm, TpmRh.OWNER, TestObjects.eccStorage(3)).handle();
        // fixedParent: never duplicable, even when the policy allows it
        int fixed = TestObjects.load(tpm, parent, TestObjects.create(tpm, parent,
                duplicableSealed(TestObjects.FIXED_TPM | TestObjects.FIXED_PARENT), new byte[0], SECRET));
        duplicate(tpm, fixed, TpmRh.NULL, new byte[0], SYM_NULL).assertRc(TpmRc.ATTRIBUTES.handle(1));
        Source s = source(0);
        // a new parent that is no storage key
        duplicate(s.tpm(), s.object(), s.object(), new byte[0], SYM_NULL).assertRc(TpmRc.TYPE.handle(2));
        duplicate(s.tpm(), s.object(), TpmRh.NULL, new byte[3], AES_128_CFB).assertRc(TpmRc.SIZE.parameter(1));
        duplicate(s.tpm(), s.object(), TpmRh.NULL, new byte[16], SYM_NULL).assertRc(TpmRc.SIZE.parameter(1));
        // the DUP role: a password is not a policy session
        run(s.tpm(), Command.of(TpmCc.Duplicate).handle(s.object()).handle(TpmRh.NULL).emptyAuth().tpm2b(new byte[0])
                .bytes(SYM_NULL)).assertRc(TpmRc.AUTH_TYPE);
    }

    /** A sealed object's public area and TPM2B_SENSITIVE made with the JDK alone. */
    static byte[][] offlineSealed() {
        byte[] seedValue = digest("SHA-256", "offline seed".getBytes(StandardCharsets.US_ASCII));
        TpmWriter pub = new TpmWriter();
        pub.u16(TestObjects.KEYEDHASH).u16(TestObjects.SHA256).u32(TestObjects.USER_WITH_AUTH).u16(0).u16(TestObjects.NULL)
                .tpm2b(digest("SHA-256", seedValue, SECRET));
        TpmWriter sens = new TpmWriter();
        int at = sens.startSized16();
        sens.u16(TestObjects.KEYEDHASH).tpm2b(new byte[0]).tpm2b(seedValue).tpm2b(SECRET);
        sens.endSized16(at);
        return new byte[][] {pub.toByteArray(), sens.toByteArray()};
    }

    @Test
    void offlineDuplicatesImport() throws Exception {
        Tpm tpm = otherTpm();
        TestObjects.Created parent = TestObjects.createPrimary(tpm, TpmRh.OWNER, TestObjects.rsaStorage(2048));
        byte[][] o = offlineSealed();
        byte[] name = new TpmWriter().u16(TestObjects.SHA256).bytes(digest("SHA-256", o[0])).toByteArray();
        // plaintext
        assertArrayEquals(SECRET, importAndUnseal(tpm, parent.handle(), new byte[0], o[0],
                new Dup(null, o[1], new byte[0]), SYM_NULL));
        // outer wrapper: a seed shared with OAEP "DUPLICATE"
        Offline.Secret secret = Offline.rsaSecret(Offline.rsaPublic(CredentialCommandsTest.rsaModulus(
                parent.outPublic())), "DUPLICATE", digest("SHA-256", SECRET));
        byte[] outer = Offline.outerWrap(secret.seed(), name, o[1]);
        assertArrayEquals(SECRET, importAndUnseal(tpm, parent.handle(), new byte[0], o[0],
                new Dup(null, outer, secret.encrypted()), SYM_NULL));
        // inner and outer wrappers
        byte[] key = new byte[16];
        byte[] inner = Offline.cfb(Cipher.ENCRYPT_MODE, key, SessionClient.cat(
                new TpmWriter().tpm2b(digest("SHA-256", o[1], name)).toByteArray(), o[1]));
        byte[] both = Offline.outerWrap(secret.seed(), name, inner);
        assertArrayEquals(SECRET, importAndUnseal(tpm, parent.handle(), key, o[0],
                new Dup(null, both, secret.encrypted()), AES_128_CFB));
        // tampering: any bit of the outer blob, or another public area (another Name)
        byte[] bad = outer.clone();
        bad[40] ^= 0x10;
        run(tpm, importCommand(parent.handle(), new byte[0], o[0], bad, secret.encrypted(), SYM_NULL))
                .assertRc(TpmRc.INTEGRITY.parameter(3));
        byte[] otherPublic = o[0].clone();
        otherPublic[otherPublic.length - 1] ^= 1;
        run(tpm, importCommand(parent.handle(), new byte[0], otherPublic, outer, secret.encrypted(), SYM_NULL))
                .assertRc(TpmRc.INTEGRITY.parameter(3));
        // a plaintext duplicate that does not match its public area
        run(tpm, importCommand(parent.handle(), new byte[0], otherPublic, o[1], new byte[0], SYM_NULL))
                .assertRc(TpmRc.BINDING);
        // a seed that does not decrypt
        byte[] badSeed = secret.encrypted().clone();
        badSeed[9] ^= 1;
        run(tpm, importCommand(parent.handle(), new byte[0], o[0], outer, badSeed, SYM_NULL))
                .assertRc(TpmRc.VALUE.parameter(4));
    }

    @Test
    void importRules() throws Exception {
        Tpm tpm = otherTpm();
        int parent = TestObjects.createPrimary(tpm, TpmRh.OWNER, TestObjects.eccStorage(3)).handle();
        byte[][] o = offlineSealed();
        // fixedTPM / fixedParent in objectPublic
        byte[] fixedPublic = o[0].clone();
        fixedPublic[7] |= TestObjects.FIXED_PARENT;
        run(tpm, importCommand(parent, new byte[0], fixedPublic, o[1], new byte[0], SYM_NULL))
                .assertRc(TpmRc.ATTRIBUTES.parameter(2));
        // parent that is no storage parent
        int sealed = TestObjects.load(tpm, parent, TestObjects.create(tpm, parent, TestObjects.sealed(), new byte[0], SECRET));
        run(tpm, importCommand(sealed, new byte[0], o[0], o[1], new byte[0], SYM_NULL))
                .assertRc(TpmRc.TYPE.handle(1));
        // key sizes
        run(tpm, importCommand(parent, new byte[5], o[0], o[1], new byte[0], SYM_NULL))
                .assertRc(TpmRc.SIZE.parameter(1));
        run(tpm, importCommand(parent, new byte[5], o[0], o[1], new byte[0], AES_128_CFB))
                .assertRc(TpmRc.SIZE.parameter(1));
        // a plaintext duplicate with a trailing byte
        byte[] longer = SessionClient.cat(o[1], new byte[1]);
        run(tpm, importCommand(parent, new byte[0], o[0], longer, new byte[0], SYM_NULL))
                .assertRc(TpmRc.SIZE.parameter(3));
    }
}
