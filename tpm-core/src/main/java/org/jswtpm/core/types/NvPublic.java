package org.jswtpm.core.types;

import java.security.MessageDigest;
import org.jswtpm.core.TpmException;
import org.jswtpm.core.crypto.HashAlg;
import org.jswtpm.core.marshal.TpmReader;
import org.jswtpm.core.marshal.TpmWriter;

/**
 * TPMS_NV_PUBLIC (TCG TPM 2.0 Part 2, 13.5) and its sized form TPM2B_NV_PUBLIC (13.6): the handle, name
 * algorithm, attributes, authPolicy and data size of an NV index. Its Name is nameAlg followed by the
 * nameAlg digest of the marshalled TPMS_NV_PUBLIC (Part 1, 16 "Names").
 *
 * @param nvIndex the index handle (TPMI_RH_NV_INDEX)
 * @param nameAlg the hash algorithm of the Name and of the authPolicy
 * @param attributes TPMA_NV, see {@link TpmaNv}
 * @param authPolicy the policy digest, empty or of nameAlg's size
 * @param dataSize the size of the data area in bytes
 */
public record NvPublic(int nvIndex, HashAlg nameAlg, int attributes, byte[] authPolicy, int dataSize) {
    /** The largest TPM2B_DIGEST (sizeof(TPMU_HA)). */
    static final int MAX_DIGEST = HashAlg.MAX_DIGEST_SIZE;

    public NvPublic {
        authPolicy = authPolicy.clone();
    }

    @Override
    public byte[] authPolicy() {
        return authPolicy.clone();
    }

    /** This public area with other attributes. */
    public NvPublic withAttributes(int newAttributes) {
        return new NvPublic(nvIndex, nameAlg, newAttributes, authPolicy, dataSize);
    }

    /**
     * Reads a TPMS_NV_PUBLIC. A handle outside TPM_HT_NV_INDEX is {@code TPM_RC_VALUE}, an unknown or
     * null nameAlg {@code TPM_RC_HASH}, reserved attribute bits {@code TPM_RC_RESERVED_BITS}, an
     * authPolicy above 64 bytes {@code TPM_RC_SIZE}; blamed where the reader points.
     */
    public static NvPublic read(TpmReader r) throws TpmException {
        int handle = r.u32();
        if (TpmRh.type(handle) != TpmRh.HT_NV_INDEX) {
            throw r.error(TpmRc.VALUE);
        }
        HashAlg nameAlg = HashAlg.of(r.u16());
        if (nameAlg == null) {
            throw r.error(TpmRc.HASH);
        }
        int attributes = r.u32();
        if ((attributes & TpmaNv.RESERVED) != 0) {
            throw r.error(TpmRc.RESERVED_BITS);
        }
        byte[] policy = r.tpm2b(MAX_DIGEST);
        int dataSize = r.u16();
        return new NvPublic(handle, nameAlg, attributes, policy, dataSize);
    }

    /** Reads a TPM2B_NV_PUBLIC: a zero size, or a size that disagrees with the contents, is TPM_RC_SIZE. */
    public static NvPublic readSized(TpmReader r) throws TpmException {
        int size = r.u16();
        if (size == 0) {
            throw r.error(TpmRc.SIZE);
        }
        TpmReader inner = r.slice(size);
        NvPublic p = read(inner);
        if (inner.remaining() != 0) {
            throw r.error(TpmRc.SIZE);
        }
        return p;
    }

    public void write(TpmWriter w) {
        w.u32(nvIndex).u16(nameAlg.id()).u32(attributes).tpm2b(authPolicy).u16(dataSize);
    }

    /** Writes the TPM2B_NV_PUBLIC form. */
    public void writeSized(TpmWriter w) {
        int at = w.startSized16();
        write(w);
        w.endSized16(at);
    }

    /** The Name: nameAlg (two bytes) then H_nameAlg(TPMS_NV_PUBLIC). */
    public byte[] name() {
        TpmWriter w = new TpmWriter(32 + authPolicy.length);
        write(w);
        MessageDigest md = nameAlg.newDigest();
        md.update(w.array(), 0, w.length());
        byte[] digest = md.digest();
        byte[] name = new byte[2 + digest.length];
        name[0] = (byte) (nameAlg.id() >>> 8);
        name[1] = (byte) nameAlg.id();
        System.arraycopy(digest, 0, name, 2, digest.length);
        return name;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NvPublic p && p.nvIndex == nvIndex && p.nameAlg == nameAlg
                && p.attributes == attributes && java.util.Arrays.equals(p.authPolicy, authPolicy)
                && p.dataSize == dataSize;
    }

    @Override
    public int hashCode() {
        return nvIndex * 31 + attributes;
    }
}
