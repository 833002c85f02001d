package org.jswtpm.core.object;

import java.security.MessageDigest;
import org.jswtpm.core.TpmException;
import org.jswtpm.core.crypto.HashAlg;
import org.jswtpm.core.marshal.TpmReader;
import org.jswtpm.core.marshal.TpmWriter;
import org.jswtpm.core.types.TpmAlg;
import org.jswtpm.core.types.TpmRc;
import org.jswtpm.core.types.TpmaObject;

/**
 * TPMT_PUBLIC (TCG TPM 2.0 Part 2, 12.2.4): an object's public area. The Name of an object is its
 * nameAlg followed by the nameAlg digest of this structure marshalled (Part 1, 16).
 *
 * @param type TPM_ALG_RSA, ECC, KEYEDHASH or SYMCIPHER
 * @param nameAlg the object's name algorithm (TPM_ALG_NULL only for a public-only external key)
 * @param attributes TPMA_OBJECT
 * @param authPolicy the policy digest, empty for none
 * @param parms the type's parameters
 * @param unique TPMU_PUBLIC_ID: the RSA modulus, the ECC point or the symmetric unique digest
 */
public record TpmtPublic(int type, int nameAlg, int attributes, byte[] authPolicy, PublicParms parms,
        Unique unique) {
    /** MAX_RSA_KEY_BYTES. */
    public static final int MAX_RSA_KEY_BYTES = 512;
    /** MAX_ECC_KEY_BYTES: libtpms 0.9 builds BN P-638, whose coordinates are 80 bytes. */
    public static final int MAX_ECC_KEY_BYTES = 80;

    /** TPMU_PUBLIC_ID: {@code x} is the whole value except for ECC, where it is (x, y). */
    public record Unique(byte[] x, byte[] y) {
        public static Unique of(byte[] value) {
            return new Unique(value, null);
        }
    }

    public boolean has(int bit) {
        return TpmaObject.has(attributes, bit);
    }

    public HashAlg nameHash() {
        return HashAlg.of(nameAlg);
    }

    /** The same public area with another unique field. */
    public TpmtPublic withUnique(Unique u) {
        return new TpmtPublic(type, nameAlg, attributes, authPolicy, parms, u);
    }

    /** Reads a TPMT_PUBLIC; {@code allowNullNameAlg} for TPM2_LoadExternal of a public key. */
    public static TpmtPublic read(TpmReader r, boolean allowNullNameAlg) throws TpmException {
        TpmtPublic head = readHead(r, allowNullNameAlg);
        int type = head.type();
        Unique unique;
        if (type == TpmAlg.RSA.id()) {
            unique = Unique.of(r.tpm2b(MAX_RSA_KEY_BYTES));
        } else if (type == TpmAlg.ECC.id()) {
            unique = new Unique(r.tpm2b(MAX_ECC_KEY_BYTES), r.tpm2b(MAX_ECC_KEY_BYTES));
        } else {
            unique = Unique.of(r.tpm2b(HashAlg.MAX_DIGEST_SIZE));
        }
        return head.withUnique(unique);
    }

    /** LABEL_MAX_BUFFER: the largest label or context of a TPMS_DERIVE. */
    public static final int MAX_LABEL = 32;

    /**
     * A template for a derived object (TPMT_TEMPLATE under a derivation parent, Part 2, 12.2.6): the
     * public area with an empty unique field, and the TPMS_DERIVE label and context found in its place.
     */
    public record DeriveTemplate(TpmtPublic template, byte[] label, byte[] context) {
        /** Reads the template; everything must be used. */
        public static DeriveTemplate read(TpmReader r) throws TpmException {
            TpmtPublic head = readHead(r, false);
            byte[] label = r.tpm2b(MAX_LABEL);
            byte[] context = r.tpm2b(MAX_LABEL);
            if (r.remaining() != 0) {
                throw r.error(TpmRc.SIZE);
            }
            Unique empty = head.type() == TpmAlg.ECC.id() ? new Unique(new byte[0], new byte[0])
                    : Unique.of(new byte[0]);
            return new DeriveTemplate(head.withUnique(empty), label, context);
        }
    }

    /** Everything up to the unique field, with a placeholder unique. */
    private static TpmtPublic readHead(TpmReader r, boolean allowNullNameAlg) throws TpmException {
        int type = r.u16();
        if (type != TpmAlg.RSA.id() && type != TpmAlg.ECC.id() && type != TpmAlg.KEYEDHASH.id()
                && type != TpmAlg.SYMCIPHER.id()) {
            throw r.error(TpmRc.TYPE);
        }
        int nameAlg = r.u16();
        if (!(nameAlg == TpmAlg.NULL.id() && allowNullNameAlg) && HashAlg.of(nameAlg) == null) {
            throw r.error(TpmRc.HASH);
        }
        int attributes = r.u32();
        if ((attributes & TpmaObject.RESERVED) != 0) {
            throw r.error(TpmRc.RESERVED_BITS);
        }
        byte[] authPolicy = r.tpm2b(HashAlg.MAX_DIGEST_SIZE);
        PublicParms parms = PublicParms.read(r, type);
        return new TpmtPublic(type, nameAlg, attributes, authPolicy, parms, null);
    }

    public void write(TpmWriter w) {
        w.u16(type).u16(nameAlg).u32(attributes).tpm2b(authPolicy);
        parms.write(w);
        w.tpm2b(unique.x());
        if (unique.y() != null) {
            w.tpm2b(unique.y());
        }
    }

    /** The marshalled TPMT_PUBLIC. */
    public byte[] toBytes() {
        TpmWriter w = new TpmWriter(640);
        write(w);
        return w.toByteArray();
    }

    /**
     * TPM2B_PUBLIC: a size, then exactly that many bytes of TPMT_PUBLIC. A zero size or a size that
     * disagrees with the content is TPM_RC_SIZE.
     */
    public static TpmtPublic read2b(TpmReader r, boolean allowNullNameAlg) throws TpmException {
        int size = r.u16();
        if (size == 0) {
            throw r.error(TpmRc.SIZE);
        }
        TpmReader inner = r.slice(size);
        TpmtPublic p = read(inner, allowNullNameAlg);
        if (inner.remaining() != 0) {
            throw r.error(TpmRc.SIZE);
        }
        return p;
    }

    public void write2b(TpmWriter w) {
        int at = w.startSized16();
        write(w);
        w.endSized16(at);
    }

    /** The Name: nameAlg || H_nameAlg(TPMT_PUBLIC); for nameAlg TPM_ALG_NULL just the handle-less NULL. */
    public byte[] name() {
        HashAlg h = nameHash();
        if (h == null) {
            return new byte[0];
        }
        MessageDigest md = h.newDigest();
        byte[] digest = md.digest(toBytes());
        byte[] name = new byte[2 + digest.length];
        name[0] = (byte) (nameAlg >>> 8);
        name[1] = (byte) nameAlg;
        System.arraycopy(digest, 0, name, 2, digest.length);
        return name;
    }

    /** TPM2_TestParms' and the cache's view: the marshalled TPMT_PUBLIC_PARMS. */
    public static PublicParms readParms(TpmReader r) throws TpmException {
        return PublicParms.readWithType(r);
    }
}
