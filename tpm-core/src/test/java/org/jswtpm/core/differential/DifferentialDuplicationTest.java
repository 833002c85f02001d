package org.jswtpm.core.differential;

import static org.jswtpm.core.testing.SessionClient.digest;
import static org.jswtpm.core.testing.SessionClient.u32;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import org.jswtpm.core.Tpm;
import org.jswtpm.core.Tpm2;
import org.jswtpm.core.marshal.TpmReader;
import org.jswtpm.core.marshal.TpmWriter;
import org.jswtpm.core.testing.Command;
import org.jswtpm.core.testing.Offline;
import org.jswtpm.core.testing.Response;
import org.jswtpm.core.testing.TestObjects;
import org.jswtpm.core.types.TpmCc;
import org.jswtpm.core.types.TpmRc;
import org.jswtpm.core.types.TpmRh;
import org.jswtpm.core.types.TpmSu;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Credentials and duplication side by side with Debian's swtpm (libtpms). The two TPMs have different
 * seeds, so every flow starts from keys made with the JDK and brought in as plaintext duplicates with
 * TPM2_Import (itself compared): then an offline credential activates to the same bytes on both, a
 * credential each TPM makes opens with the JDK, a plaintext and an inner-wrapped TPM2_Duplicate give
 * byte-identical blobs, and every error path answers the same response code. Skipped without swtpm
 * unless {@code jswtpm.requireTools} is true.
 */
class DifferentialDuplicationTest {
    static final byte[] CREDENTIAL = "the differential credential".getBytes(StandardCharsets.US_ASCII);
    static final byte[] DUP_POLICY = digest("SHA-256", new byte[32], u32(TpmCc.PolicyCommandCode.code()),
            u32(TpmCc.Duplicate.code()));
    static final byte[] SYM_NULL = new TpmWriter().u16(TestObjects.NULL).toByteArray();
    static final byte[] AES_128_CFB = new TpmWriter().u16(TestObjects.AES).u16(128).u16(TestObjects.CFB)
            .toByteArray();
    static final int ATTRIBUTES = TestObjects.USER_WITH_AUTH | TestObjects.RESTRICTED | TestObjects.DECRYPT;

    private static SwtpmProcess swtpm;
    private static Tpm engine;

    @BeforeAll
    static void start() throws Exception {
        Path binary = SwtpmProcess.require();
        swtpm = SwtpmProcess.start(binary);
        engine = Tpm2.builder().deterministicSeed("jswtpm differential duplication".getBytes(StandardCharsets.US_ASCII))
                .build();
        both(Command.of(TpmCc.Startup).u16(TpmSu.CLEAR));
    }

    @AfterAll
    static void stop() throws Exception {
        if (swtpm != null) {
            swtpm.close();
        }
    }

    /** The command on both TPMs: {jswtpm, swtpm}, with the same response code. */
    static Response[] both(Command c) throws Exception {
        byte[] cmd = c.build();
        Response ours = new Response(engine.execute(cmd));
        Response theirs = swtpm(cmd);
        assertEquals(Integer.toHexString(theirs.rc), Integer.toHexString(ours.rc),
                () -> c.cc() + " response code (expected swtpm's)\n  jswtpm: " + Comparison.hex(ours.bytes)
                        + "\n  swtpm:  " + Comparison.hex(theirs.bytes));
        return new Response[] {ours, theirs};
    }

    /** swtpm's response, the command sent again on TPM_RC_RETRY as TSSs do (libtpms asks for it now and then). */
    static Response swtpm(byte[] cmd) throws Exception {
        Response r = new Response(swtpm.execute(cmd));
        for (int i = 0; i < 5 && r.rc == 0x922; i++) {
            r = new Response(swtpm.execute(cmd));
        }
        return r;
    }

    /** Both TPMs answer with the same bytes. */
    static Response same(Command c) throws Exception {
        Response[] r = both(c);
        assertEquals(Comparison.hex(r[1].bytes), Comparison.hex(r[0].bytes), c.cc() + " response");
        return r[0];
    }

    /** A JDK key as TPMT_PUBLIC (restricted decrypt, AES-128-CFB, authPolicy allowing Duplicate) and TPM2B_SENSITIVE. */
    record Key(byte[] publicArea, byte[] sensitive, byte[] name, KeyPair pair) {
    }

    static Key rsaKey() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        KeyPair kp = g.generateKeyPair();
        byte[] n = Offline.fixed(((RSAPublicKey) kp.getPublic()).getModulus(), 256);
        byte[] p = Offline.fixed(((RSAPrivateCrtKey) kp.getPrivate()).getPrimeP(), 128);
        TpmWriter pub = new TpmWriter();
        pub.u16(TestObjects.RSA).u16(TestObjects.SHA256).u32(ATTRIBUTES).tpm2b(DUP_POLICY).bytes(AES_128_CFB)
                .u16(TestObjects.NULL).u16(2048).u32(0).tpm2b(n);
        return key(pub.toByteArray(), TestObjects.RSA, p, kp);
    }

    static Key eccKey() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(Offline.p256());
        KeyPair kp = g.generateKeyPair();
        ECPublicKey q = (ECPublicKey) kp.getPublic();
        TpmWriter pub = new TpmWriter();
        pub.u16(TestObjects.ECC).u16(TestObjects.SHA256).u32(ATTRIBUTES).tpm2b(DUP_POLICY).bytes(AES_128_CFB)
                .u16(TestObjects.NULL).u16(3).u16(TestObjects.NULL)
                .tpm2b(Offline.fixed(q.getW().getAffineX(), 32)).tpm2b(Offline.fixed(q.getW().getAffineY(), 32));
        BigInteger d = ((ECPrivateKey) kp.getPrivate()).getS();
        return key(pub.toByteArray(), TestObjects.ECC, Offline.fixed(d, 32), kp);
    }

    private static Key key(byte[] pub, int type, byte[] secret, KeyPair kp) {
        TpmWriter sens = new TpmWriter();
        int at = sens.startSized16();
        sens.u16(type).tpm2b(new byte[0]).tpm2b(digest("SHA-256", pub)).tpm2b(secret);
        sens.endSized16(at);
        byte[] name = new TpmWriter().u16(TestObjects.SHA256).bytes(digest("SHA-256", pub)).toByteArray();
        return new Key(pub, sens.toByteArray(), name, kp);
    }

    /** A storage primary on each TPM (handle 0x80000000 on both). */
    static int primary() throws Exception {
        Response[] r = both(TestObjects.createPrimaryCommand(TpmRh.OWNER, TestObjects.eccStorage(3), new byte[0]));
        int h = r[0].ok().u32();
        assertEquals(r[1].ok().u32(), h);
        return h;
    }

    static Command importCommand(int parent, byte[] key, byte[] pub, byte[] dup, byte[] seed, byte[] sym) {
        return Command.of(TpmCc.Import).handle(parent).emptyAuth().tpm2b(key).tpm2b(pub).tpm2b(dup).tpm2b(seed)
                .bytes(sym);
    }

    /** Imports the key's plaintext duplicate on both TPMs and loads each TPM's own outPrivate. */
    static int importAndLoad(int parent, Key k) throws Exception {
        Response[] r = both(importCommand(parent, new byte[0], k.publicArea(), k.sensitive(), new byte[0], SYM_NULL));
        byte[] ours = r[0].okWithSessions(0).tpm2b(2048);
        byte[] theirs = r[1].okWithSessions(0).tpm2b(2048);
        byte[] pub2b = TestObjects.tpm2b(k.publicArea());
        Response a = new Response(engine.execute(Command.of(TpmCc.Load).handle(parent).emptyAuth().tpm2b(ours)
                .bytes(pub2b).build()));
        Response b = swtpm(Command.of(TpmCc.Load).handle(parent).emptyAuth().tpm2b(theirs).bytes(pub2b).build());
        assertEquals(Comparison.hex(b.bytes), Comparison.hex(a.bytes), "Load of the imported key");
        return a.ok().u32();
    }

    static Command activate(int object, int key, byte[] blob, byte[] secret) {
        return Command.of(TpmCc.ActivateCredential).handle(object).handle(key).passwords(new byte[0], new byte[0])
                .tpm2b(blob).tpm2b(secret);
    }

    static void flush(int h) throws Exception {
        both(Command.of(TpmCc.FlushContext).u32(h));
    }

    @Test
    void credentialsAndDuplicatesAgreeWithSwtpm() throws Exception {
        int parent = primary();
        for (Key k : new Key[] {rsaKey(), eccKey()}) {
            int key = importAndLoad(parent, k);
            credentials(k, key);
            duplicates(k, key);
            flush(key);
        }
        importErrors(parent, rsaKey());
        encryptedDuplication(parent);
        flush(parent);
        eccExtras();
    }

    /** A P-256 key pair with a known scalar, loaded with LoadExternal on both TPMs. */
    private static int external(BigInteger d, int attributes, byte[] scheme) throws Exception {
        org.jswtpm.core.crypto.EccCurve p256 = org.jswtpm.core.crypto.EccCurve.of(3);
        byte[][] q = p256.multiplyGenerator(d);
        TpmWriter pub = new TpmWriter();
        int at = pub.startSized16();
        pub.u16(TestObjects.ECC).u16(TestObjects.SHA256).u32(attributes).u16(0).u16(TestObjects.NULL).bytes(scheme)
                .u16(3).u16(TestObjects.NULL).tpm2b(q[0]).tpm2b(q[1]);
        pub.endSized16(at);
        TpmWriter sens = new TpmWriter();
        at = sens.startSized16();
        sens.u16(TestObjects.ECC).u16(0).u16(0).tpm2b(p256.fixed(d));
        sens.endSized16(at);
        return same(Command.of(TpmCc.LoadExternal).bytes(sens.toByteArray()).bytes(pub.toByteArray())
                .u32(TpmRh.NULL)).ok().u32();
    }

    /** EC_Ephemeral, ZGen_2Phase and Commit: deterministic parts byte for byte, errors by response code. */
    private static void eccExtras() throws Exception {
        org.jswtpm.core.crypto.EccCurve p256 = org.jswtpm.core.crypto.EccCurve.of(3);
        int ecdh = external(BigInteger.valueOf(0x1234567), TestObjects.DECRYPT | TestObjects.USER_WITH_AUTH,
                new TpmWriter().u16(TestObjects.NULL).toByteArray());
        byte[][] qs = p256.multiplyGenerator(BigInteger.valueOf(0xABCDEF));
        byte[] point = new TpmWriter().tpm2b(qs[0]).tpm2b(qs[1]).toByteArray();
        byte[] off = new TpmWriter().tpm2b(qs[0]).tpm2b(qs[0]).toByteArray();
        Response[] eph = both(Command.of(TpmCc.EC_Ephemeral).u16(3));
        int counter;
        TpmReader ours = eph[0].ok();
        ours.tpm2b(200);
        TpmReader theirs = eph[1].ok();
        theirs.tpm2b(200);
        counter = ours.u16();
        assertEquals(theirs.u16(), counter, "the first commit counter");
        same(Command.of(TpmCc.EC_Ephemeral).u16(0x0999));
        java.util.function.BiFunction<byte[], byte[], Command> zgen = (a, b) -> Command.of(TpmCc.ZGen_2Phase)
                .handle(ecdh).emptyAuth().tpm2b(a).tpm2b(b).u16(0x0019);
        int c = counter;
        same(zgen.apply(off, point).u16(c));
        same(zgen.apply(point, off).u16(c));
        same(zgen.apply(point, point).u16(c + 5));
        same(Command.of(TpmCc.ZGen_2Phase).handle(ecdh).emptyAuth().tpm2b(point).tpm2b(point).u16(0x0018).u16(c));
        // ECDH: outZ1 = [dsA]QsB is the same on both TPMs; outZ2 uses each TPM's own ephemeral key
        Response[] z = both(zgen.apply(point, point).u16(c));
        assertEquals(Comparison.hex(z[1].okWithSessions(0).tpm2b(200)), Comparison.hex(z[0].okWithSessions(0)
                .tpm2b(200)), "outZ1");
        same(zgen.apply(point, point).u16(c));
        // Commit with an ECDAA key: K = [ds]P2 is the same on both TPMs
        int ecdaa = external(BigInteger.valueOf(0x7654321), TestObjects.SIGN | TestObjects.USER_WITH_AUTH,
                new TpmWriter().u16(0x001A).u16(TestObjects.SHA256).u16(0).toByteArray());
        byte[][] s2 = org.jswtpm.core.command.EccExtraCommandsTestAccess.s2AndY2();
        byte[] p2 = new TpmWriter().tpm2b(s2[2]).tpm2b(s2[1]).toByteArray();
        Response[] k = both(Command.of(TpmCc.Commit).handle(ecdaa).emptyAuth().tpm2b(p2).tpm2b(s2[0]).tpm2b(s2[1]));
        assertEquals(Comparison.hex(k[1].okWithSessions(0).tpm2b(200)), Comparison.hex(k[0].okWithSessions(0)
                .tpm2b(200)), "K");
        same(Command.of(TpmCc.Commit).handle(ecdaa).emptyAuth().tpm2b(off).tpm2b(new byte[0]).tpm2b(new byte[0]));
        same(Command.of(TpmCc.Commit).handle(ecdaa).emptyAuth().tpm2b(new byte[4]).tpm2b(s2[0]).tpm2b(new byte[0]));
        byte[] badY = s2[1].clone();
        badY[31] ^= 1;
        same(Command.of(TpmCc.Commit).handle(ecdaa).emptyAuth().tpm2b(new byte[4]).tpm2b(s2[0]).tpm2b(badY));
        same(Command.of(TpmCc.Commit).handle(ecdh).emptyAuth().tpm2b(new byte[4]).tpm2b(new byte[0])
                .tpm2b(new byte[0]));
        // a TPM2B_ECC_POINT of size zero does not unmarshal
        same(Command.of(TpmCc.Commit).handle(ecdaa).emptyAuth().tpm2b(new byte[0]).tpm2b(new byte[0])
                .tpm2b(new byte[0]));
    }

    @Test
    void commandAttributesAgreeWithSwtpm() throws Exception {
        for (TpmCc cc : new TpmCc[] {TpmCc.MakeCredential, TpmCc.ActivateCredential, TpmCc.Duplicate, TpmCc.Rewrap,
                TpmCc.Import, TpmCc.Commit, TpmCc.EC_Ephemeral, TpmCc.ZGen_2Phase}) {
            // TPM_CAP_COMMANDS from the command's code, one entry: its TPMA_CC
            same(Command.of(TpmCc.GetCapability).u32(2).u32(cc.code()).u32(1));
        }
    }

    private static void credentials(Key k, int key) throws Exception {
        boolean rsa = k.pair().getPublic() instanceof RSAPublicKey;
        Offline.Secret s = rsa ? Offline.rsaSecret(k.pair().getPublic(), "IDENTITY", new byte[32])
                : Offline.eccSecret(x(k), y(k), "IDENTITY");
        byte[] blob = Offline.outerWrap(s.seed(), k.name(), new TpmWriter().tpm2b(CREDENTIAL).toByteArray());
        // an offline credential: the same certInfo from both
        same(activate(key, key, blob, s.encrypted()));
        // tampering, a wrong secret, a trailing byte
        byte[] bad = blob.clone();
        bad[bad.length - 1] ^= 1;
        same(activate(key, key, bad, s.encrypted()));
        byte[] badSecret = s.encrypted().clone();
        badSecret[rsa ? 7 : 40] ^= 1;
        if (rsa) {
            // KNOWN DIFF: libtpms 0.9.2 (Debian 12) answers a failed OAEP decryption with a bare
            // TPM_RC_FAILURE; libtpms 0.9.6 and later, like the reference, with TPM_RC_VALUE on the secret.
            byte[] cmd = activate(key, key, blob, badSecret).build();
            assertEquals(TpmRc.VALUE.parameter(2).value(), new Response(engine.execute(cmd)).rc);
            int theirs = swtpm(cmd).rc;
            org.junit.jupiter.api.Assertions.assertTrue(theirs == TpmRc.FAILURE.value()
                    || theirs == TpmRc.VALUE.parameter(2).value(), () -> Integer.toHexString(theirs));
        } else {
            same(activate(key, key, blob, badSecret));
        }
        same(activate(key, key, Offline.outerWrap(s.seed(), k.name(),
                new TpmWriter().tpm2b(CREDENTIAL).u8(0).toByteArray()), s.encrypted()));
        same(activate(key, key, new byte[3], s.encrypted()));
        // MakeCredential: each TPM's blob opens with the JDK
        Command make = Command.of(TpmCc.MakeCredential).handle(key).tpm2b(CREDENTIAL).tpm2b(k.name());
        for (Response r : both(make)) {
            TpmReader in = r.ok();
            byte[] b = in.tpm2b(200);
            byte[] enc = in.tpm2b(600);
            byte[] seed = rsa ? Offline.rsaOpen(k.pair().getPrivate(), "IDENTITY", enc)
                    : Offline.eccOpen(k.pair().getPrivate(), x(k), "IDENTITY", enc);
            assertArrayEquals(new TpmWriter().tpm2b(CREDENTIAL).toByteArray(), Offline.outerUnwrap(seed, k.name(), b));
        }
        same(Command.of(TpmCc.MakeCredential).handle(key).tpm2b(new byte[33]).tpm2b(k.name()));
    }

    private static byte[] x(Key k) {
        return Offline.fixed(((ECPublicKey) k.pair().getPublic()).getW().getAffineX(), 32);
    }

    private static byte[] y(Key k) {
        return Offline.fixed(((ECPublicKey) k.pair().getPublic()).getW().getAffineY(), 32);
    }

    /** Duplicate of {@code key} through a fresh policy session on each TPM; the responses' parameters. */
    private static byte[][] duplicate(int key, int newParent, byte[] keyIn, byte[] sym, boolean expectOk)
            throws Exception {
        byte[] nonce = new byte[32];
        Response[] s = both(Command.of(TpmCc.StartAuthSession).handle(TpmRh.NULL).handle(TpmRh.NULL).tpm2b(nonce)
                .tpm2b(new byte[0]).u8(1).u16(TestObjects.NULL).u16(TestObjects.SHA256));
        int session = s[0].ok().u32();
        assertEquals(s[1].ok().u32(), session);
        both(Command.of(TpmCc.PolicyCommandCode).handle(session).u32(TpmCc.Duplicate.code()));
        Response[] r = both(Command.of(TpmCc.Duplicate).handle(key).handle(newParent).auth(session, nonce, 0,
                new byte[0]).tpm2b(keyIn).bytes(sym));
        if (!expectOk) {
            flush(session);
            return null;
        }
        TpmReader a = r[0].okWithSessions(0);
        TpmReader b = r[1].okWithSessions(0);
        return new byte[][] {a.bytes(a.remaining()), b.bytes(b.remaining())};
    }

    /** Each TPM's own command (they hold different parent keys); both must answer with the same code. */
    static Response[] pair(Command ours, Command theirs) throws Exception {
        Response a = new Response(engine.execute(ours.build()));
        Response b = swtpm(theirs.build());
        assertEquals(Integer.toHexString(b.rc), Integer.toHexString(a.rc), () -> ours.cc() + " response code"
                + "\n  jswtpm: " + Comparison.hex(a.bytes) + "\n  swtpm:  " + Comparison.hex(b.bytes));
        return new Response[] {a, b};
    }

    /**
     * An encryptedDuplication key needs both wrappers: made offline for each TPM's own parent (an ECC
     * seed toward its public point, an inner wrapper with a known key), imported, loaded, then duplicated
     * again with and without the wrappers the rules ask for.
     */
    private static void encryptedDuplication(int parent) throws Exception {
        Key k = rsaKey();
        byte[] pub = k.publicArea().clone();
        pub[6] |= (byte) 0x08; // encryptedDuplication is bit 11 of the attributes (byte 6 holds bits 8..15)
        Key e = key(pub, TestObjects.RSA, Offline.fixed(((RSAPrivateCrtKey) k.pair().getPrivate()).getPrimeP(), 128),
                k.pair());
        byte[] innerKey = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
        byte[] inner = Offline.cfb(javax.crypto.Cipher.ENCRYPT_MODE, innerKey, org.jswtpm.core.testing.SessionClient
                .cat(new TpmWriter().tpm2b(digest("SHA-256", e.sensitive(), e.name())).toByteArray(), e.sensitive()));
        Command[] imports = new Command[2];
        Command[] noInner = new Command[2];
        Command[] noOuter = new Command[2];
        for (int i = 0; i < 2; i++) {
            Command read = Command.of(TpmCc.ReadPublic).handle(parent);
            Response rp = i == 0 ? new Response(engine.execute(read.build())) : swtpm(read.build());
            byte[][] q = org.jswtpm.core.command.EccExtraCommandsTestAccess.eccPoint(rp.ok().tpm2b(1024));
            Offline.Secret s = Offline.eccSecret(q[0], q[1], "DUPLICATE");
            byte[] outer = Offline.outerWrap(s.seed(), e.name(), inner);
            imports[i] = importCommand(parent, innerKey, e.publicArea(), outer, s.encrypted(), AES_128_CFB);
            noInner[i] = importCommand(parent, new byte[0], e.publicArea(), outer, s.encrypted(), SYM_NULL);
            noOuter[i] = importCommand(parent, innerKey, e.publicArea(), inner, new byte[0], AES_128_CFB);
        }
        pair(noInner[0], noInner[1]);
        pair(noOuter[0], noOuter[1]);
        Response[] r = pair(imports[0], imports[1]);
        byte[] pub2b = TestObjects.tpm2b(e.publicArea());
        Response[] loaded = pair(Command.of(TpmCc.Load).handle(parent).emptyAuth()
                .tpm2b(r[0].okWithSessions(0).tpm2b(2048)).bytes(pub2b), Command.of(TpmCc.Load).handle(parent)
                .emptyAuth().tpm2b(r[1].okWithSessions(0).tpm2b(2048)).bytes(pub2b));
        int key = loaded[0].ok().u32();
        duplicate(key, parent, new byte[0], SYM_NULL, false);
        duplicate(key, TpmRh.NULL, innerKey, AES_128_CFB, false);
        duplicate(key, parent, new byte[0], AES_128_CFB, true);
        flush(key);
    }

    private static void duplicates(Key k, int key) throws Exception {
        // in the clear: the same TPM2B_SENSITIVE from both (the authValue padded the same way)
        byte[][] d = duplicate(key, TpmRh.NULL, new byte[0], SYM_NULL, true);
        assertEquals(Comparison.hex(d[1]), Comparison.hex(d[0]), "plaintext duplicate");
        // an inner wrapper with the caller's key: deterministic too
        d = duplicate(key, TpmRh.NULL, "0123456789abcdef".getBytes(StandardCharsets.US_ASCII), AES_128_CFB, true);
        assertEquals(Comparison.hex(d[1]), Comparison.hex(d[0]), "inner-wrapped duplicate");
        // error paths
        duplicate(key, TpmRh.NULL, new byte[5], AES_128_CFB, false);
        duplicate(key, TpmRh.NULL, new byte[16], SYM_NULL, false);
        duplicate(key, key == 0x80000001 ? 0x80000000 : key, new byte[0], SYM_NULL, true);
    }

    private static void importErrors(int parent, Key k) throws Exception {
        byte[] fixedPublic = k.publicArea().clone();
        fixedPublic[7] |= TestObjects.FIXED_PARENT;
        same(importCommand(parent, new byte[0], fixedPublic, k.sensitive(), new byte[0], SYM_NULL));
        byte[] reserved = k.publicArea().clone();
        reserved[7] |= 0x08;
        same(importCommand(parent, new byte[0], reserved, k.sensitive(), new byte[0], SYM_NULL));
        same(importCommand(parent, new byte[5], k.publicArea(), k.sensitive(), new byte[0], SYM_NULL));
        same(importCommand(parent, new byte[5], k.publicArea(), k.sensitive(), new byte[0], AES_128_CFB));
        byte[] longer = org.jswtpm.core.testing.SessionClient.cat(k.sensitive(), new byte[1]);
        same(importCommand(parent, new byte[0], k.publicArea(), longer, new byte[0], SYM_NULL));
        byte[] otherPublic = k.publicArea().clone();
        otherPublic[otherPublic.length - 1] ^= 1;
        // KNOWN DIFF: a plaintext sensitive area that does not match the public key. libtpms 0.9.2 imports it
        // (the RSA key is only completed when first used); jswtpm checks the binding as Load does and
        // answers TPM_RC_BINDING.
        byte[] mismatch = importCommand(parent, new byte[0], otherPublic, k.sensitive(), new byte[0], SYM_NULL).build();
        assertEquals(TpmRc.BINDING.value(), new Response(engine.execute(mismatch)).rc);
        int theirs = swtpm(mismatch).rc;
        org.junit.jupiter.api.Assertions.assertTrue(theirs == 0 || theirs == TpmRc.BINDING.value(),
                () -> Integer.toHexString(theirs));
        // an outer-wrapped duplicate with a seed that does not decrypt, and with a tampered blob
        // (the parent is ECC: a seed shared with another key fails the HMAC, a point off the curve is refused)
        Key other = eccKey();
        Offline.Secret s = Offline.eccSecret(x(other), y(other), "DUPLICATE");
        byte[] outer = Offline.outerWrap(s.seed(), k.name(), k.sensitive());
        same(importCommand(parent, new byte[0], k.publicArea(), outer, s.encrypted(), SYM_NULL));
        byte[] offCurve = new TpmWriter().tpm2b(new byte[] {1}).tpm2b(new byte[] {1}).toByteArray();
        same(importCommand(parent, new byte[0], k.publicArea(), outer, offCurve, SYM_NULL));
        same(importCommand(parent, new byte[0], k.publicArea(), outer, new byte[] {0, 40, 1}, SYM_NULL));
        // Rewrap: a seed without an old parent
        same(Command.of(TpmCc.Rewrap).handle(TpmRh.NULL).handle(TpmRh.NULL).emptyAuth().tpm2b(new byte[10])
                .tpm2b(k.name()).tpm2b(new byte[10]));
        same(Command.of(TpmCc.Rewrap).handle(TpmRh.NULL).handle(TpmRh.NULL).emptyAuth().tpm2b(new byte[10])
                .tpm2b(k.name()).tpm2b(new byte[0]));
    }
}
