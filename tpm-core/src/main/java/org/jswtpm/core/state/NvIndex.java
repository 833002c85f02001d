package org.jswtpm.core.state;

import java.util.Arrays;
import org.jswtpm.core.TpmException;
import org.jswtpm.core.crypto.HashAlg;
import org.jswtpm.core.marshal.TpmReader;
import org.jswtpm.core.marshal.TpmWriter;
import org.jswtpm.core.types.NvPublic;
import org.jswtpm.core.types.TpmRc;
import org.jswtpm.core.types.TpmaNv;

/**
 * One defined NV index (TCG TPM 2.0 Part 1, 37.2 "NV indices"): its public area, authValue and data.
 *
 * <p>An index with TPMA_NV_ORDERLY keeps its attributes and data in RAM: {@link #attributes()} and
 * {@link #data()} are the live values, while the permanent state holds the values last stored
 * ({@link #store()}), which happens at an orderly shutdown, when an orderly counter is first written
 * and when its low-order bits roll over (Part 1, 37.3 "orderly"). Every other index is stored on
 * every change. The authValue is always stored at once.
 */
public final class NvIndex {
    private NvPublic pub;
    private byte[] authValue;
    private byte[] data;
    private int storedAttributes;
    private byte[] storedData;

    public NvIndex(NvPublic pub, byte[] authValue) {
        this.pub = pub;
        this.authValue = authValue.clone();
        this.data = new byte[pub.dataSize()];
        store();
    }

    public int handle() {
        return pub.nvIndex();
    }

    /** The live public area (attributes as they are now). */
    public NvPublic pub() {
        return pub;
    }

    public int attributes() {
        return pub.attributes();
    }

    public boolean has(int bit) {
        return TpmaNv.has(pub.attributes(), bit);
    }

    public int type() {
        return TpmaNv.type(pub.attributes());
    }

    public boolean isOrderly() {
        return has(TpmaNv.ORDERLY);
    }

    public HashAlg nameAlg() {
        return pub.nameAlg();
    }

    public byte[] authValue() {
        return authValue;
    }

    public void setAuthValue(byte[] newAuth) {
        Arrays.fill(authValue, (byte) 0);
        authValue = newAuth.clone();
    }

    public void setAttributes(int attributes) {
        pub = pub.withAttributes(attributes);
    }

    /** The live data; callers must not modify it (use {@link #write}). */
    public byte[] data() {
        return data;
    }

    /** Copies {@code bytes} into the data at {@code offset}. */
    public void write(int offset, byte[] bytes) {
        System.arraycopy(bytes, 0, data, offset, bytes.length);
    }

    /**
     * Erases the whole data area before the first write of an ordinary index, so that a partial first
     * write leaves no stale data: to 0xFF (erased NV) for an ordinary index, to 0 for an orderly one
     * (RAM), as the reference implementation does.
     */
    public void clearData() {
        Arrays.fill(data, isOrderly() ? (byte) 0 : (byte) 0xFF);
    }

    /** The data read as a big-endian UINT64 (counter, bits and PIN indices). */
    public long uint64() {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (data[i] & 0xFF);
        }
        return v;
    }

    public void setUint64(long v) {
        for (int i = 7; i >= 0; i--) {
            data[i] = (byte) v;
            v >>>= 8;
        }
    }

    /** Makes the live attributes and data the stored ones (a no-op in effect for non-orderly indices). */
    public void store() {
        storedAttributes = pub.attributes();
        storedData = data.clone();
    }

    /** Power loss: an orderly index's RAM copy is gone, the stored values come back. */
    void restoreStored() {
        pub = pub.withAttributes(storedAttributes);
        data = storedData.clone();
    }

    /** Replaces the RAM copy (attributes and data) of an orderly index, from a volatile-state blob. */
    void restoreRam(int attributes, byte[] ramData) {
        pub = pub.withAttributes(attributes);
        data = ramData.clone();
    }

    /** Writes the stored form: what is in NV for an orderly index, the live values otherwise. */
    void serialize(TpmWriter w) {
        boolean orderly = isOrderly();
        (orderly ? pub.withAttributes(storedAttributes) : pub).write(w);
        w.tpm2b(authValue);
        w.tpm2b(orderly ? storedData : data);
    }

    static NvIndex deserialize(TpmReader r) throws TpmException {
        NvPublic pub = NvPublic.read(r);
        NvIndex index = new NvIndex(pub, r.tpm2b(HashAlg.MAX_DIGEST_SIZE));
        byte[] data = r.tpm2b(0xFFFF);
        if (data.length != pub.dataSize()) {
            throw r.error(TpmRc.SIZE);
        }
        index.data = data;
        index.store();
        return index;
    }

    /** Drops the secrets held for this index. */
    void wipe() {
        Arrays.fill(authValue, (byte) 0);
        Arrays.fill(data, (byte) 0);
        Arrays.fill(storedData, (byte) 0);
    }
}
