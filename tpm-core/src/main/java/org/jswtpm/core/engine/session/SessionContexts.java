package org.jswtpm.core.engine.session;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.jswtpm.core.TpmException;
import org.jswtpm.core.crypto.HashAlg;
import org.jswtpm.core.crypto.Hmac;
import org.jswtpm.core.crypto.Kdf;
import org.jswtpm.core.engine.Tickets;
import org.jswtpm.core.engine.TpmEngine;
import org.jswtpm.core.marshal.TpmReader;
import org.jswtpm.core.marshal.TpmWriter;
import org.jswtpm.core.types.TpmRc;
import org.jswtpm.core.types.TpmRh;

/**
 * TPM2_ContextSave and TPM2_ContextLoad of sessions (TCG TPM 2.0 Part 1, 30 "Context management";
 * Part 3, 28.2 and 28.3): a saved session keeps its handle while its state leaves the TPM in a
 * TPMS_CONTEXT with hierarchy TPM_RH_NULL, protected with the null hierarchy's proof (so a TPM Reset
 * invalidates it):
 * <ul>
 * <li>symKey || iv = KDFa(SHA-512, nullProof, "CONTEXT", sequence, savedHandle, 256 + 128); the session
 * state encrypted with AES-256-CFB;</li>
 * <li>integrity = HMAC-SHA-512(nullProof, resetCount || sequence || savedHandle || encrypted state).</li>
 * </ul>
 * Only the most recent save of a session can be loaded, and only while the session is still saved:
 * an older or replayed context is TPM_RC_HANDLE. The command handlers for ContextSave and ContextLoad
 * call {@link #save} and {@link #load} for session handles.
 */
public final class SessionContexts {
    private static final HashAlg HASH = Tickets.CONTEXT_INTEGRITY_HASH;
    private static final String LABEL = "CONTEXT";

    private SessionContexts() {
    }

    /** Saves the loaded session {@code handle}; writes its TPMS_CONTEXT to {@code out}. */
    public static void save(TpmEngine tpm, int handle, TpmWriter out) throws TpmException {
        AuthSession session = tpm.sessions().get(handle);
        if (session == null) {
            throw new TpmException(TpmRc.REFERENCE_H0);
        }
        TpmWriter state = new TpmWriter(256);
        session.write(state);
        long sequence = tpm.sessions().unload(handle);
        byte[] proof = tpm.runtime().nullProof;
        byte[] enc = cfb(true, proof, sequence, handle, state.toByteArray());
        Arrays.fill(state.array(), (byte) 0);
        byte[] integrity = integrity(tpm, proof, sequence, handle, enc);
        out.u64(sequence).u32(handle).u32(TpmRh.NULL);
        int at = out.startSized16();
        out.tpm2b(integrity).bytes(enc);
        out.endSized16(at);
    }

    /**
     * Loads a saved session back and returns its handle. Response codes (parameter 1): TPM_RC_SIZE for
     * a malformed blob, TPM_RC_INTEGRITY if it fails its HMAC (altered, or saved before the last TPM
     * Reset), TPM_RC_HANDLE if the session is not saved under this sequence number; and
     * TPM_RC_SESSION_MEMORY if no session slot is free.
     */
    public static int load(TpmEngine tpm, long sequence, int savedHandle, int hierarchy, byte[] blob)
            throws TpmException {
        if (hierarchy != TpmRh.NULL) {
            throw new TpmException(TpmRc.INTEGRITY.parameter(1));
        }
        TpmReader r = new TpmReader(blob);
        byte[] integrity;
        try {
            integrity = r.tpm2b(HashAlg.MAX_DIGEST_SIZE);
        } catch (TpmException e) {
            throw new TpmException(TpmRc.SIZE.parameter(1));
        }
        if (integrity.length != HASH.digestSize()) {
            throw new TpmException(TpmRc.SIZE.parameter(1));
        }
        byte[] enc = r.bytes(r.remaining());
        byte[] proof = tpm.runtime().nullProof;
        if (!MessageDigest.isEqual(integrity, integrity(tpm, proof, sequence, savedHandle, enc))) {
            throw new TpmException(TpmRc.INTEGRITY.parameter(1));
        }
        if (!tpm.sessions().isSaved(savedHandle, sequence)) {
            throw new TpmException(TpmRc.HANDLE.parameter(1));
        }
        byte[] state = cfb(false, proof, sequence, savedHandle, enc);
        AuthSession session;
        try {
            TpmReader in = new TpmReader(state);
            session = AuthSession.read(in);
            in.expectEnd();
        } catch (TpmException e) {
            throw new TpmException(TpmRc.INTEGRITY.parameter(1));
        } finally {
            Arrays.fill(state, (byte) 0);
        }
        if (session.handle() != savedHandle) {
            throw new TpmException(TpmRc.INTEGRITY.parameter(1));
        }
        tpm.sessions().reload(session);
        return savedHandle;
    }

    private static byte[] cfb(boolean encrypt, byte[] proof, long sequence, int handle, byte[] data) {
        byte[] seq = new TpmWriter(8).u64(sequence).toByteArray();
        byte[] h = new TpmWriter(4).u32(handle).toByteArray();
        byte[] k = Kdf.kdfa(HASH, proof, LABEL, seq, h, (32 + 16) * 8);
        try {
            Cipher c = Cipher.getInstance("AES/CFB/NoPadding");
            c.init(encrypt ? Cipher.ENCRYPT_MODE : Cipher.DECRYPT_MODE, new SecretKeySpec(k, 0, 32, "AES"),
                    new IvParameterSpec(k, 32, 16));
            return c.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES/CFB is unavailable in this JDK", e);
        } finally {
            Arrays.fill(k, (byte) 0);
        }
    }

    private static byte[] integrity(TpmEngine tpm, byte[] proof, long sequence, int handle, byte[] enc) {
        Mac mac = Hmac.start(HASH, proof);
        TpmWriter w = new TpmWriter(16);
        w.u64(Integer.toUnsignedLong(tpm.permanent().resetCount)).u64(sequence).u32(handle);
        mac.update(w.array(), 0, w.length());
        mac.update(enc);
        return mac.doFinal();
    }
}
