package org.jswtpm.core.command;

import static org.jswtpm.core.testing.TestTpm.run;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.math.BigInteger;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jswtpm.core.Tpm;
import org.jswtpm.core.crypto.EccCurve;
import org.jswtpm.core.engine.TpmEngine;
import org.jswtpm.core.marshal.TpmReader;
import org.jswtpm.core.marshal.TpmWriter;
import org.jswtpm.core.object.TpmObject;
import org.jswtpm.core.testing.Command;
import org.jswtpm.core.testing.TestObjects;
import org.jswtpm.core.testing.TestTpm;
import org.jswtpm.core.types.TpmCc;
import org.jswtpm.core.types.TpmRc;
import org.jswtpm.core.types.TpmRh;
import org.junit.jupiter.api.Test;

/** Part 3, 12.9 TPM2_CreateLoaded under a derivation parent (Part 1, 26.3 "Derived objects"). */
class DerivedObjectsTest {
    static final int DERIVED_SIGNER = TestObjects.FIXED_TPM | TestObjects.FIXED_PARENT | TestObjects.USER_WITH_AUTH | TestObjects.SIGN;

    /** A derivation parent: a restricted decryption keyed hash, XOR with SHA-256 and KDF1_SP800_108. */
    static byte[] derivationParent() {
        TpmWriter w = new TpmWriter();
        int at = w.startSized16();
        w.u16(TestObjects.KEYEDHASH).u16(TestObjects.SHA256).u32(TestObjects.STORAGE).u16(0).u16(0x000A).u16(TestObjects.SHA256)
                .u16(0x0022).u16(0);
        w.endSized16(at);
        return w.toByteArray();
    }

    /** An ECC P-256 template whose unique field is a TPMS_DERIVE. */
    static byte[] derivedEcc(int attributes, byte[] label, byte[] context) {
        TpmWriter w = new TpmWriter();
        int at = w.startSized16();
        w.u16(TestObjects.ECC).u16(TestObjects.SHA256).u32(attributes).u16(0).u16(TestObjects.NULL).u16(0x0018)
                .u16(TestObjects.SHA256).u16(0x0003).u16(TestObjects.NULL).tpm2b(label).tpm2b(context);
        w.endSized16(at);
        return w.toByteArray();
    }

    static Command createLoaded(int parent, byte[] data, byte[] template) {
        return Command.of(TpmCc.CreateLoaded).handle(parent).emptyAuth().bytes(TestObjects.sensitive(new byte[0], data))
                .bytes(template);
    }

    /** {handle, outPrivate, outPublic} of a successful CreateLoaded. */
    static byte[][] created(Tpm tpm, Command c) throws Exception {
        TpmReader r = run(tpm, c).ok();
        int handle = r.u32();
        r.u32();
        byte[] priv = r.tpm2b(4096);
        byte[] pub = r.tpm2b(4096);
        return new byte[][] {new TpmWriter().u32(handle).toByteArray(), priv, pub};
    }

    @Test
    void derivedKeysComeFromTheParentsKeyLabelAndContext() throws Exception {
        Tpm tpm = TestTpm.started();
        int parent = TestObjects.createPrimary(tpm, TpmRh.OWNER, derivationParent()).handle();
        byte[][] a = created(tpm, createLoaded(parent, new byte[0], derivedEcc(DERIVED_SIGNER, "label".getBytes(),
                "context".getBytes())));
        assertEquals(0, a[1].length, "a derived object has no outPrivate");
        TestObjects.flush(tpm, new TpmReader(a[0]).u32());
        byte[][] again = created(tpm, createLoaded(parent, new byte[0], derivedEcc(DERIVED_SIGNER,
                "label".getBytes(), "context".getBytes())));
        assertArrayEquals(a[2], again[2], "same parent, label and context: same key");
        TestObjects.flush(tpm, new TpmReader(again[0]).u32());
        // label and context may come from the sensitive data when the template leaves them empty
        byte[] derive = new TpmWriter().tpm2b("label".getBytes()).tpm2b("context".getBytes()).toByteArray();
        byte[][] viaData = created(tpm, createLoaded(parent, derive, derivedEcc(DERIVED_SIGNER, new byte[0],
                new byte[0])));
        assertArrayEquals(a[2], viaData[2]);
        TestObjects.flush(tpm, new TpmReader(viaData[0]).u32());
        byte[][] other = created(tpm, createLoaded(parent, new byte[0], derivedEcc(DERIVED_SIGNER,
                "label".getBytes(), "other".getBytes())));
        assertFalse(java.util.Arrays.equals(a[2], other[2]));

        // the key is d = KDF stream mod (n - 1) + 1 and Q = d*G, computed here independently
        TpmObject p = (TpmObject) ((TpmEngine) tpm).objects().get(parent);
        byte[] stream = kdfStream(p.sensitive().sensitive(), "label".getBytes(), "context".getBytes(), 40);
        BigInteger n = EccCurve.NIST_P256.order();
        BigInteger d = new BigInteger(1, stream).mod(n.subtract(BigInteger.ONE)).add(BigInteger.ONE);
        byte[][] q = EccCurve.NIST_P256.multiplyGenerator(d);
        byte[] pub = a[2];
        byte[] x = java.util.Arrays.copyOfRange(pub, pub.length - 66, pub.length - 34);
        byte[] y = java.util.Arrays.copyOfRange(pub, pub.length - 32, pub.length);
        assertArrayEquals(q[0], x);
        assertArrayEquals(q[1], y);
    }

    /** KDFa(SHA-256, key, label || 0, context, -, 8192) blocks, counter from 1. */
    static byte[] kdfStream(byte[] key, byte[] label, byte[] context, int bytes) throws Exception {
        byte[] out = new byte[bytes];
        for (int counter = 1, done = 0; done < bytes; counter++) {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            mac.update(new TpmWriter().u32(counter).toByteArray());
            mac.update(label);
            mac.update((byte) 0);
            mac.update(context);
            mac.update(new TpmWriter().u32(8192).toByteArray());
            byte[] block = mac.doFinal();
            int k = Math.min(block.length, bytes - done);
            System.arraycopy(block, 0, out, done, k);
            done += k;
        }
        return out;
    }

    @Test
    void derivedSymmetricAndKeyedHashObjects() throws Exception {
        Tpm tpm = TestTpm.started();
        int parent = TestObjects.createPrimary(tpm, TpmRh.OWNER, derivationParent()).handle();
        TpmWriter w = new TpmWriter();
        int at = w.startSized16();
        w.u16(TestObjects.SYMCIPHER).u16(TestObjects.SHA256).u32(TestObjects.FIXED_TPM | TestObjects.FIXED_PARENT
                | TestObjects.USER_WITH_AUTH | TestObjects.DECRYPT).u16(0).u16(TestObjects.AES).u16(128).u16(TestObjects.CFB)
                .tpm2b("l".getBytes()).tpm2b("c".getBytes());
        w.endSized16(at);
        byte[][] aes = created(tpm, createLoaded(parent, new byte[0], w.toByteArray()));
        TestObjects.flush(tpm, new TpmReader(aes[0]).u32());
        byte[][] aes2 = created(tpm, createLoaded(parent, new byte[0], w.toByteArray()));
        assertArrayEquals(aes[2], aes2[2]);
    }

    @Test
    void derivationRules() throws Exception {
        Tpm tpm = TestTpm.started();
        int parent = TestObjects.createPrimary(tpm, TpmRh.OWNER, derivationParent()).handle();
        run(tpm, createLoaded(parent, new byte[0], derivedEcc(DERIVED_SIGNER | TestObjects.SENSITIVE_DATA_ORIGIN,
                new byte[0], new byte[0]))).assertRc(TpmRc.ATTRIBUTES);
        run(tpm, createLoaded(parent, new byte[0], derivedEcc(DERIVED_SIGNER & ~TestObjects.FIXED_PARENT & ~TestObjects.FIXED_TPM,
                new byte[0], new byte[0]))).assertRc(TpmRc.ATTRIBUTES.parameter(2));
        TpmWriter w = new TpmWriter();
        int at = w.startSized16();
        w.u16(TestObjects.RSA).u16(TestObjects.SHA256).u32(DERIVED_SIGNER).u16(0).u16(TestObjects.NULL).u16(TestObjects.NULL)
                .u16(2048).u32(0).u16(0).u16(0);
        w.endSized16(at);
        run(tpm, createLoaded(parent, new byte[0], w.toByteArray())).assertRc(TpmRc.TYPE.parameter(2));
        // a derivation parent is no storage parent, and a sealed object is no parent at all
        run(tpm, Command.of(TpmCc.Create).handle(parent).emptyAuth().bytes(TestObjects.sensitive(new byte[0],
                "x".getBytes())).bytes(TestObjects.sealed()).u16(0).u32(0)).assertRc(TpmRc.TYPE.handle(1));
        int sealed = TestObjects.createPrimary(tpm, TpmRh.NULL, TestObjects.hmacKey()).handle();
        run(tpm, createLoaded(sealed, new byte[0], derivedEcc(DERIVED_SIGNER, new byte[0], new byte[0])))
                .assertRc(TpmRc.TYPE.handle(1));
    }
}
