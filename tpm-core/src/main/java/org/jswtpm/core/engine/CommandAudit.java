package org.jswtpm.core.engine;

import java.security.MessageDigest;
import java.util.TreeSet;
import org.jswtpm.core.crypto.HashAlg;
import org.jswtpm.core.engine.session.SessionHmac;
import org.jswtpm.core.types.TpmCc;

/**
 * Command audit (TCG TPM 2.0 Part 1, 19.6.13 / 33 "Command audit"): the list of audited command codes,
 * the audit hash, the audit counter and the running command audit digest. After a successful audited
 * command the engine extends the digest with H(cpHash || rpHash); when the digest is empty (after
 * TPM2_GetCommandAuditDigest cleared it, or at first use) it restarts from zeros and the counter steps.
 * TPM2_SetCommandCodeAuditStatus is always audited; TPM2_Shutdown never is.
 *
 * <p>The list, the hash and the counter are permanent state (changing them is stored before the
 * response, as any NV change); the running digest is volatile and starts over at TPM Reset.
 */
public final class CommandAudit {
    private final TpmEngine tpm;
    private byte[] digest = new byte[0];

    CommandAudit(TpmEngine tpm) {
        this.tpm = tpm;
    }

    private TreeSet<Integer> audited() {
        return tpm.permanent().auditCommands;
    }

    public boolean isAudited(int cc) {
        return audited().contains(cc);
    }

    /** Adds a command code; false if it was already there or may not be audited. */
    public boolean set(int cc) {
        return cc != TpmCc.Shutdown.code() && changed(audited().add(cc));
    }

    /** Removes a command code; false if it was not there or must stay audited. */
    public boolean clear(int cc) {
        return cc != TpmCc.SetCommandCodeAuditStatus.code() && changed(audited().remove(cc));
    }

    private boolean changed(boolean changed) {
        if (changed) {
            tpm.markPermanentChanged();
        }
        return changed;
    }

    /** The audited command codes in ascending order. */
    public int[] codes() {
        return audited().stream().mapToInt(Integer::intValue).toArray();
    }

    public HashAlg hash() {
        return HashAlg.of(tpm.permanent().auditHashAlg);
    }

    /** A new audit hash: the digest continues from a one-byte value, as the reference does. */
    public void hash(HashAlg h) {
        tpm.permanent().auditHashAlg = h.id();
        tpm.markPermanentChanged();
        digest = new byte[1];
    }

    public long counter() {
        return tpm.permanent().auditCounter;
    }

    /** The command audit digest; empty when none is running. */
    public byte[] digest() {
        return digest.clone();
    }

    /**
     * TPM2_GetCommandAuditDigest with a signing key, or a TPM Reset (the reference's CommandAuditStartup):
     * the digest starts over.
     */
    public void clearDigest() {
        digest = new byte[0];
    }

    /** H_auditAlg of the audited command codes, each as a 32-bit value, in ascending order. */
    public byte[] commandDigest() {
        MessageDigest md = hash().newDigest();
        for (int cc : audited()) {
            md.update(new byte[] {(byte) (cc >>> 24), (byte) (cc >>> 16), (byte) (cc >>> 8), (byte) cc});
        }
        return md.digest();
    }

    /** After a successful audited command: digest := H(digest || cpHash || rpHash). */
    void record(byte[] cpHash, int cc, byte[] params, int length) {
        HashAlg hash = hash();
        if (digest.length == 0) {
            digest = new byte[hash.digestSize()];
            tpm.permanent().auditCounter++;
            tpm.markPermanentChanged();
        }
        MessageDigest md = hash.newDigest();
        md.update(digest);
        md.update(cpHash);
        md.update(SessionHmac.rpHash(hash, cc, params, length));
        digest = md.digest();
    }
}
