package org.jswtpm.core.object;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import org.jswtpm.core.TpmException;
import org.jswtpm.core.crypto.HashAlg;
import org.jswtpm.core.marshal.TpmReader;
import org.jswtpm.core.marshal.TpmWriter;
import org.jswtpm.core.testing.TestObjects;
import org.jswtpm.core.types.PcrSelection;
import org.jswtpm.core.types.TpmAlg;
import org.jswtpm.core.types.TpmRc;
import org.junit.jupiter.api.Test;

/** Round trips and golden bytes of the object structures (Part 2, 11-15). */
class StructuresTest {
    /** tpm2_createprimary's default RSA template ("rsa2048:null:aes128cfb", attributes 0x00030072). */
    static final String TPM2_TOOLS_RSA = "001a0001000b00030072000000060080004300100800000000000000";

    static byte[] publicRoundTrip(byte[] tpm2b) throws TpmException {
        TpmtPublic p = TpmtPublic.read2b(new TpmReader(tpm2b), false);
        TpmWriter w = new TpmWriter();
        p.write2b(w);
        assertArrayEquals(tpm2b, w.toByteArray());
        return p.toBytes();
    }

    @Test
    void goldenTpm2ToolsTemplate() throws Exception {
        byte[] bytes = HexFormat.of().parseHex(TPM2_TOOLS_RSA.replace("001a", "001a"));
        byte[] fixed = new byte[bytes.length];
        System.arraycopy(bytes, 0, fixed, 0, bytes.length);
        fixed[1] = (byte) (bytes.length - 2);
        TpmtPublic p = TpmtPublic.read2b(new TpmReader(fixed), false);
        assertEquals(TpmAlg.RSA.id(), p.type());
        assertEquals(0x00030072, p.attributes());
        PublicParms.Rsa rsa = (PublicParms.Rsa) p.parms();
        assertEquals(new SymDef(TpmAlg.AES.id(), 128, TpmAlg.CFB.id()), rsa.symmetric());
        assertTrue(rsa.scheme().isNull());
        assertEquals(2048, rsa.keyBits());
        assertEquals(0, rsa.exponent());
        assertEquals(0, p.unique().x().length);
        publicRoundTrip(fixed);
        assertArrayEquals(fixed, TestObjects.rsaStorage(2048), "the test templates match tpm2-tools");
    }

    @Test
    void everyTypeRoundTrips() throws Exception {
        for (byte[] t : new byte[][] {TestObjects.rsaStorage(4096), TestObjects.eccStorage(5), TestObjects.sealed(),
            TestObjects.hmacKey(), TestObjects.aesKey(TestObjects.STORAGE, 256),
            TestObjects.rsa(TestObjects.SIGNING, 2048, TpmAlg.RSAPSS.id(), TestObjects.SHA256),
            TestObjects.ecc(TestObjects.SIGNING, 3, TpmAlg.ECDSA.id(), TestObjects.SHA256)}) {
            publicRoundTrip(t);
        }
        TpmtPublic ecdaa = new TpmtPublic(TpmAlg.ECC.id(), HashAlg.SHA384.id(), 0x40060,
                new byte[48], new PublicParms.Ecc(SymDef.NULL, new Scheme(TpmAlg.ECDAA.id(), HashAlg.SHA256.id(), 7),
                        3, new Scheme(TpmAlg.KDF1_SP800_56A.id(), HashAlg.SHA256.id(), 0)),
                new TpmtPublic.Unique(new byte[32], new byte[32]));
        TpmWriter w = new TpmWriter();
        ecdaa.write2b(w);
        publicRoundTrip(w.toByteArray());
        TpmtPublic xor = new TpmtPublic(TpmAlg.KEYEDHASH.id(), HashAlg.SHA256.id(), 0x30072, new byte[0],
                new PublicParms.KeyedHash(new Scheme(TpmAlg.XOR.id(), HashAlg.SHA256.id(),
                        TpmAlg.KDF1_SP800_108.id())), TpmtPublic.Unique.of(new byte[32]));
        w = new TpmWriter();
        xor.write2b(w);
        publicRoundTrip(w.toByteArray());
    }

    @Test
    void nameIsNameAlgAndDigest() throws Exception {
        byte[] t = TestObjects.eccStorage(3);
        TpmtPublic p = TpmtPublic.read2b(new TpmReader(t), false);
        byte[] name = p.name();
        assertEquals(0x00, name[0]);
        assertEquals(0x0B, name[1]);
        byte[] d = MessageDigest.getInstance("SHA-256").digest(java.util.Arrays.copyOfRange(t, 2, t.length));
        assertArrayEquals(d, java.util.Arrays.copyOfRange(name, 2, name.length));
    }

    @Test
    void malformedPublicAreas() {
        byte[] t = TestObjects.rsaStorage(2048);
        byte[] shortSize = t.clone();
        shortSize[1]--;
        assertThrows(TpmException.class, () -> TpmtPublic.read2b(new TpmReader(shortSize), false));
        byte[] extra = java.util.Arrays.copyOf(t, t.length + 1);
        extra[1]++;
        TpmException e = assertThrows(TpmException.class, () -> TpmtPublic.read2b(new TpmReader(extra).parameter(2),
                false));
        assertEquals(TpmRc.SIZE.parameter(2), e.rc());
        byte[] nullName = t.clone();
        nullName[5] = 0x10;
        e = assertThrows(TpmException.class, () -> TpmtPublic.read2b(new TpmReader(nullName).parameter(2), false));
        assertEquals(TpmRc.HASH.parameter(2), e.rc());
        assertEquals(TpmAlg.NULL.id(), assertDoesNotThrowRead(nullName).nameAlg());
        e = assertThrows(TpmException.class, () -> TpmtPublic.read2b(new TpmReader(new byte[] {0, 0}), false));
        assertEquals(TpmRc.SIZE, e.rc());
    }

    private static TpmtPublic assertDoesNotThrowRead(byte[] b) {
        try {
            return TpmtPublic.read2b(new TpmReader(b), true);
        } catch (TpmException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void sensitiveAndSensitiveCreateRoundTrip() throws Exception {
        TpmtSensitive s = new TpmtSensitive(TpmAlg.ECC.id(), "auth".getBytes(), new byte[32], new byte[32]);
        TpmWriter w = new TpmWriter();
        s.write2b(w);
        TpmtSensitive back = TpmtSensitive.read2b(new TpmReader(w.toByteArray()));
        assertEquals(s.type(), back.type());
        assertArrayEquals(s.authValue(), back.authValue());
        assertArrayEquals(s.sensitive(), back.sensitive());
        assertNull(TpmtSensitive.read2b(new TpmReader(new byte[] {0, 0})));
        SensitiveCreate c = new SensitiveCreate("pw".getBytes(), "data".getBytes());
        w = new TpmWriter();
        c.write2b(w);
        assertArrayEquals(TestObjects.sensitive("pw".getBytes(), "data".getBytes()), w.toByteArray());
        SensitiveCreate c2 = SensitiveCreate.read2b(new TpmReader(w.toByteArray()));
        assertArrayEquals(c.userAuth(), c2.userAuth());
        assertArrayEquals(c.data(), c2.data());
    }

    @Test
    void creationDataAndContextRoundTrip() throws Exception {
        CreationData d = new CreationData(List.of(new PcrSelection(HashAlg.SHA256, new byte[] {1, 0, 0})),
                new byte[32], 1, HashAlg.SHA256.id(), new byte[34], new byte[34], "out".getBytes());
        byte[] bytes = d.toBytes();
        assertArrayEquals(bytes, CreationData.read(new TpmReader(bytes)).toBytes());
        SavedContext ctx = new SavedContext(42, SavedContext.OBJECT_HANDLE, 0x40000001, new byte[] {1, 2, 3});
        TpmWriter w = new TpmWriter();
        ctx.write(w);
        SavedContext back = SavedContext.read(new TpmReader(w.toByteArray()));
        assertEquals(42, back.sequence());
        assertArrayEquals(ctx.blob(), back.blob());
        CreationTicket t = new CreationTicket(0x4000000B, new byte[64]);
        w = new TpmWriter();
        t.write(w);
        byte[] tb = w.toByteArray();
        assertEquals(0x80, tb[0] & 0xFF);
        assertEquals(0x21, tb[1]);
        CreationTicket tback = CreationTicket.read(new TpmReader(tb));
        assertEquals(t.hierarchy(), tback.hierarchy());
        assertArrayEquals(t.digest(), tback.digest());
        tb[1] = 0x24;
        assertEquals(TpmRc.TAG, assertThrows(TpmException.class, () -> CreationTicket.read(new TpmReader(tb))).rc());
    }

    @Test
    void parmsOfEveryTypeRoundTrip() throws Exception {
        for (byte[] t : new byte[][] {TestObjects.rsaStorage(2048), TestObjects.eccStorage(4), TestObjects.sealed(),
            TestObjects.aesKey(TestObjects.STORAGE, 256)}) {
            TpmtPublic p = TpmtPublic.read2b(new TpmReader(t), false);
            TpmWriter w = new TpmWriter();
            PublicParms.writeWithType(w, p.parms());
            byte[] parms = w.toByteArray();
            PublicParms back = PublicParms.readWithType(new TpmReader(parms));
            assertEquals(p.parms(), back);
        }
    }
}
