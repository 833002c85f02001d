package org.jswtpm.core.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.jswtpm.core.Tpm;
import org.jswtpm.core.TpmException;
import org.jswtpm.core.marshal.TpmReader;
import org.jswtpm.core.marshal.TpmWriter;
import org.jswtpm.core.types.TpmCc;

/**
 * Object templates (TPM2B_PUBLIC bytes written field by field, independently of the engine's
 * structures) and helpers to create and load objects in tests.
 */
public final class TestObjects {
    public static final int FIXED_TPM = 1 << 1;
    public static final int ST_CLEAR = 1 << 2;
    public static final int FIXED_PARENT = 1 << 4;
    public static final int SENSITIVE_DATA_ORIGIN = 1 << 5;
    public static final int USER_WITH_AUTH = 1 << 6;
    public static final int NO_DA = 1 << 10;
    public static final int RESTRICTED = 1 << 16;
    public static final int DECRYPT = 1 << 17;
    public static final int SIGN = 1 << 18;
    /** tpm2-tools' default for a primary storage key: 0x00030072. */
    public static final int STORAGE = FIXED_TPM | FIXED_PARENT | SENSITIVE_DATA_ORIGIN | USER_WITH_AUTH
            | RESTRICTED | DECRYPT;
    public static final int SIGNING = FIXED_TPM | FIXED_PARENT | SENSITIVE_DATA_ORIGIN | USER_WITH_AUTH | SIGN;
    public static final int SEALED = FIXED_TPM | FIXED_PARENT | USER_WITH_AUTH;

    public static final int RSA = 0x0001;
    public static final int KEYEDHASH = 0x0008;
    public static final int SHA256 = 0x000B;
    public static final int NULL = 0x0010;
    public static final int ECC = 0x0023;
    public static final int SYMCIPHER = 0x0025;
    public static final int AES = 0x0006;
    public static final int CFB = 0x0043;

    private TestObjects() {
    }

    private static TpmWriter head(int type, int attributes) {
        TpmWriter w = new TpmWriter();
        int at = w.startSized16();
        w.u16(type).u16(SHA256).u32(attributes).u16(0);
        assertEquals(0, at);
        return w;
    }

    private static byte[] done(TpmWriter w) {
        w.endSized16(0);
        return w.toByteArray();
    }

    /** RSA key: symmetric AES-128-CFB when restricted decrypt, else NULL; scheme as given. */
    public static byte[] rsa(int attributes, int keyBits, int scheme, int schemeHash) {
        TpmWriter w = head(RSA, attributes);
        sym(w, attributes);
        w.u16(scheme);
        if (scheme != NULL) {
            w.u16(schemeHash);
        }
        w.u16(keyBits).u32(0).u16(0);
        return done(w);
    }

    public static byte[] rsaStorage(int keyBits) {
        return rsa(STORAGE, keyBits, NULL, 0);
    }

    public static byte[] ecc(int attributes, int curve, int scheme, int schemeHash) {
        TpmWriter w = head(ECC, attributes);
        sym(w, attributes);
        w.u16(scheme);
        if (scheme != NULL) {
            w.u16(schemeHash);
        }
        w.u16(curve).u16(NULL).u16(0).u16(0);
        return done(w);
    }

    public static byte[] eccStorage(int curve) {
        return ecc(STORAGE, curve, NULL, 0);
    }

    /** An ECC storage key whose children are protected with {@code symAlg} ({@code symBits}) in CFB mode. */
    public static byte[] eccStorage(int curve, int symAlg, int symBits) {
        TpmWriter w = head(ECC, STORAGE);
        w.u16(symAlg).u16(symBits).u16(CFB).u16(NULL).u16(curve).u16(NULL).u16(0).u16(0);
        return done(w);
    }

    /** A sealed data object (keyed hash, sign and decrypt clear, scheme NULL). */
    public static byte[] sealed() {
        TpmWriter w = head(KEYEDHASH, SEALED);
        w.u16(NULL).u16(0);
        return done(w);
    }

    public static byte[] hmacKey() {
        TpmWriter w = head(KEYEDHASH, SIGNING);
        w.u16(0x0005).u16(SHA256).u16(0);
        return done(w);
    }

    public static byte[] aesKey(int attributes, int bits) {
        TpmWriter w = head(SYMCIPHER, attributes);
        w.u16(AES).u16(bits).u16(CFB).u16(0);
        return done(w);
    }

    /** A symmetric-cipher key of {@code alg} (AES, Camellia, TDES) in {@code mode}. */
    public static byte[] symKey(int attributes, int alg, int bits, int mode) {
        TpmWriter w = head(SYMCIPHER, attributes);
        w.u16(alg).u16(bits).u16(mode).u16(0);
        return done(w);
    }

    private static void sym(TpmWriter w, int attributes) {
        if ((attributes & RESTRICTED) != 0 && (attributes & DECRYPT) != 0) {
            w.u16(AES).u16(128).u16(CFB);
        } else {
            w.u16(NULL);
        }
    }

    /** TPM2B_SENSITIVE_CREATE. */
    public static byte[] sensitive(byte[] auth, byte[] data) {
        TpmWriter w = new TpmWriter();
        int at = w.startSized16();
        w.tpm2b(auth).tpm2b(data);
        w.endSized16(at);
        return w.toByteArray();
    }

    public static Command createPrimaryCommand(int hierarchy, byte[] template, byte[] auth) {
        return Command.of(TpmCc.CreatePrimary).handle(hierarchy).emptyAuth().bytes(sensitive(auth, new byte[0]))
                .bytes(template).u16(0).u32(0);
    }

    /** A created primary: its handle, outPublic (TPMT_PUBLIC bytes) and name. */
    public record Created(int handle, byte[] outPublic, byte[] name, byte[] response) {
    }

    public static Created createPrimary(Tpm tpm, int hierarchy, byte[] template) throws TpmException {
        Response rsp = TestTpm.run(tpm, createPrimaryCommand(hierarchy, template, new byte[0]));
        TpmReader r = rsp.ok();
        int handle = r.u32();
        r.u32();
        byte[] pub = r.tpm2b(2048);
        r.tpm2b(2048);
        r.tpm2b(64);
        r.u16();
        r.u32();
        r.tpm2b(64);
        byte[] name = r.tpm2b(66);
        return new Created(handle, pub, name, rsp.bytes);
    }

    /** Create's outPrivate and outPublic (both as TPM2B including size). */
    public record Blob(byte[] privateBlob, byte[] publicBlob) {
    }

    public static Blob create(Tpm tpm, int parent, byte[] template, byte[] auth, byte[] data) throws TpmException {
        TpmReader r = TestTpm.run(tpm, Command.of(TpmCc.Create).handle(parent).emptyAuth()
                .bytes(sensitive(auth, data)).bytes(template).u16(0).u32(0)).okWithSessions(0);
        byte[] priv = r.tpm2b(4096);
        byte[] pub = r.tpm2b(4096);
        return new Blob(tpm2b(priv), tpm2b(pub));
    }

    public static Command loadCommand(int parent, Blob blob) {
        return Command.of(TpmCc.Load).handle(parent).emptyAuth().bytes(blob.privateBlob()).bytes(blob.publicBlob());
    }

    public static int load(Tpm tpm, int parent, Blob blob) throws TpmException {
        TpmReader r = TestTpm.run(tpm, loadCommand(parent, blob)).ok();
        return r.u32();
    }

    public static byte[] tpm2b(byte[] b) {
        return new TpmWriter().tpm2b(b).toByteArray();
    }

    /** ReadPublic: {outPublic (TPMT_PUBLIC), name, qualifiedName}. */
    public static byte[][] readPublic(Tpm tpm, int handle) throws TpmException {
        TpmReader r = TestTpm.run(tpm, Command.of(TpmCc.ReadPublic).handle(handle)).ok();
        return new byte[][] {r.tpm2b(2048), r.tpm2b(66), r.tpm2b(66)};
    }

    public static void flush(Tpm tpm, int handle) {
        TestTpm.run(tpm, Command.of(TpmCc.FlushContext).u32(handle)).ok();
    }
}
