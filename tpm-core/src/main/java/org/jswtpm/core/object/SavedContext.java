package org.jswtpm.core.object;

import java.security.MessageDigest;
import java.util.Arrays;
import java.util.function.Supplier;
import javax.crypto.Mac;
import org.jswtpm.core.TpmException;
import org.jswtpm.core.crypto.HashAlg;
import org.jswtpm.core.crypto.Hmac;
import org.jswtpm.core.crypto.Kdf;
import org.jswtpm.core.engine.LoadedObject;
import org.jswtpm.core.engine.Tickets;
import org.jswtpm.core.engine.TpmEngine;
import org.jswtpm.core.marshal.TpmReader;
import org.jswtpm.core.marshal.TpmWriter;
import org.jswtpm.core.types.TpmAlg;
import org.jswtpm.core.types.TpmRc;
import org.jswtpm.core.types.TpmRh;
import org.jswtpm.core.types.TpmaObject;

/**
 * TPMS_CONTEXT (TCG TPM 2.0 Part 2, 14.3) of a saved object, and its protection (Part 1, 30.3
 * "Context protection"):
 * <ul>
 * <li>symKey || iv = KDFa(SHA-512, hierarchy proof, "CONTEXT", sequence, savedHandle, 256 + 128), the
 * object encrypted with AES-256-CFB;</li>
 * <li>integrity = HMAC-SHA-512(hierarchy proof, resetCount [|| restartCount for stClear objects] ||
 * sequence || savedHandle || encrypted context).</li>
 * </ul>
 * A context saved before a TPM Reset (or, for a stClear object, a TPM Restart) or altered fails the HMAC.
 *
 * @param sequence the context sequence number
 * <p>A hash or event sequence cannot be exported from the JDK's digests, so its state stays in TPM
 * memory (up to {@link ObjectEngine#SAVED_SEQUENCES}) and its context, protected the same way with the
 * null hierarchy's proof, carries only the sequence number that names it.
 *
 * @param savedHandle 0x80000000 for an object, 0x80000001 for a sequence, 0x80000002 for a stClear
 *        object
 * @param hierarchy the hierarchy whose proof protects the context
 * @param blob TPM2B integrity || encrypted data
 */
public record SavedContext(long sequence, int savedHandle, int hierarchy, byte[] blob) {
    public static final int OBJECT_HANDLE = 0x80000000;
    public static final int SEQUENCE_HANDLE = 0x80000001;
    public static final int ST_CLEAR_OBJECT_HANDLE = 0x80000002;
    /** MAX_CONTEXT_SIZE: the largest context blob (TPM_PT_MAX_OBJECT_CONTEXT). */
    public static final int MAX_CONTEXT_SIZE = 4096;
    static final String CONTEXT = "CONTEXT";
    private static final HashAlg HASH = Tickets.CONTEXT_INTEGRITY_HASH;

    /**
     * Reads a TPMS_CONTEXT; a savedHandle that is no TPMI_DH_SAVED (an object, sequence or stClear object
     * context, or a session) or a hierarchy that is none (TPMI_RH_HIERARCHY+) is TPM_RC_VALUE.
     */
    public static SavedContext read(TpmReader r) throws TpmException {
        long sequence = r.u64();
        int handle = r.u32();
        int type = TpmRh.type(handle);
        if ((handle < OBJECT_HANDLE || handle > ST_CLEAR_OBJECT_HANDLE)
                && type != TpmRh.HT_HMAC_SESSION
                && type != TpmRh.HT_POLICY_SESSION) {
            throw r.error(TpmRc.VALUE);
        }
        int hierarchy = r.u32();
        if (!TpmObject.isHierarchy(hierarchy)) {
            throw r.error(TpmRc.VALUE);
        }
        return new SavedContext(sequence, handle, hierarchy, r.tpm2b(MAX_CONTEXT_SIZE));
    }

    public void write(TpmWriter w) {
        w.u64(sequence).u32(savedHandle).u32(hierarchy).tpm2b(blob);
    }

    /** Saves {@code object}. */
    public static SavedContext save(ObjectEngine objects, TpmObject object) {
        long sequence = objects.nextContextSequence();
        int handle = object.has(TpmaObject.ST_CLEAR) ? ST_CLEAR_OBJECT_HANDLE : OBJECT_HANDLE;
        return protect(objects, sequence, handle, object.hierarchy(), object.serialize());
    }

    /** Saves a sequence whose copies {@code copies} makes. */
    public static SavedContext saveSequence(ObjectEngine objects,
            Supplier<LoadedObject> copies) {
        long sequence = objects.nextContextSequence();
        objects.keepSequence(sequence, copies);
        byte[] payload = new TpmWriter(8).u64(sequence).toByteArray();
        return protect(objects, sequence, SEQUENCE_HANDLE, TpmRh.NULL, payload);
    }

    private static SavedContext protect(ObjectEngine objects, long sequence, int handle, int hierarchy,
            byte[] payload) {
        TpmEngine tpm = objects.tpm();
        byte[] proof = tpm.hierarchies().proof(hierarchy);
        byte[][] keyIv = keys(proof, sequence, handle);
        byte[] enc = objects.cfb().encrypt(TpmAlg.AES.id(), keyIv[0], keyIv[1], payload);
        byte[] integrity = integrity(tpm, proof, sequence, handle, enc);
        TpmWriter w = new TpmWriter(enc.length + 70);
        w.tpm2b(integrity).bytes(enc);
        return new SavedContext(sequence, handle, hierarchy, w.toByteArray());
    }

    /**
     * Restores a saved object or sequence: as {@link #restore} for objects; for a sequence a fresh copy
     * of its saved state, TPM_RC_INTEGRITY if the TPM no longer holds it.
     */
    public LoadedObject restoreAny(ObjectEngine objects) throws TpmException {
        if (savedHandle != SEQUENCE_HANDLE) {
            return restore(objects);
        }
        if (hierarchy != TpmRh.NULL) {
            throw new TpmException(TpmRc.INTEGRITY.parameter(1));
        }
        byte[] payload = open(objects);
        LoadedObject seq = null;
        if (payload.length == 8 && new TpmReader(payload).u64() == sequence) {
            seq = objects.sequence(sequence);
        }
        if (seq == null) {
            throw new TpmException(TpmRc.INTEGRITY.parameter(1));
        }
        return seq;
    }

    /** Checks the integrity and decrypts. */
    private byte[] open(ObjectEngine objects) throws TpmException {
        TpmEngine tpm = objects.tpm();
        if (!tpm.hierarchies().isEnabled(hierarchy)) {
            throw new TpmException(TpmRc.HIERARCHY.parameter(1));
        }
        byte[] proof = tpm.hierarchies().proof(hierarchy);
        // the integrity field's own unmarshalling errors carry no position, as in the reference
        TpmReader r = new TpmReader(blob);
        byte[] integrity = r.tpm2b(HashAlg.MAX_DIGEST_SIZE);
        if (integrity.length != HASH.digestSize()) {
            throw new TpmException(TpmRc.SIZE.parameter(1));
        }
        byte[] enc = r.bytes(r.remaining());
        if (!MessageDigest.isEqual(integrity, integrity(tpm, proof, sequence, savedHandle, enc))) {
            throw new TpmException(TpmRc.INTEGRITY.parameter(1));
        }
        byte[][] keyIv = keys(proof, sequence, savedHandle);
        return objects.cfb().decrypt(TpmAlg.AES.id(), keyIv[0], keyIv[1], enc);
    }

    /**
     * Restores the object. TPM_RC_HANDLE for a savedHandle that is no object context, TPM_RC_HIERARCHY
     * for a disabled hierarchy, TPM_RC_INTEGRITY if the HMAC fails; all on parameter 1.
     */
    public TpmObject restore(ObjectEngine objects) throws TpmException {
        if (savedHandle != OBJECT_HANDLE && savedHandle != ST_CLEAR_OBJECT_HANDLE) {
            throw new TpmException(TpmRc.HANDLE.parameter(1));
        }
        byte[] payload = open(objects);
        try {
            TpmObject o = TpmObject.deserialize(payload);
            if (o.hierarchy() != hierarchy) {
                throw new TpmException(TpmRc.INTEGRITY.parameter(1));
            }
            return o;
        } catch (TpmException e) {
            throw new TpmException(TpmRc.INTEGRITY.parameter(1));
        }
    }

    private static byte[][] keys(byte[] proof, long sequence, int handle) {
        byte[] seq = new TpmWriter(8).u64(sequence).toByteArray();
        byte[] h = new TpmWriter(4).u32(handle).toByteArray();
        byte[] k = Kdf.kdfa(HASH, proof, CONTEXT, seq, h, (32 + 16) * 8);
        return new byte[][] {Arrays.copyOf(k, 32), Arrays.copyOfRange(k, 32, 48)};
    }

    private static byte[] integrity(TpmEngine tpm, byte[] proof, long sequence, int handle, byte[] enc) {
        Mac mac = Hmac.start(HASH, proof);
        TpmWriter w = new TpmWriter(24);
        w.u64(Integer.toUnsignedLong(tpm.permanent().resetCount));
        if (handle == ST_CLEAR_OBJECT_HANDLE) {
            w.u32(tpm.permanent().restartCount);
        }
        w.u64(sequence).u32(handle);
        mac.update(w.array(), 0, w.length());
        mac.update(enc);
        return mac.doFinal();
    }
}
