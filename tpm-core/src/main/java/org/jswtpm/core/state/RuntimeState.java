package org.jswtpm.core.state;

import java.util.Arrays;
import org.jswtpm.core.StateFormatException;
import org.jswtpm.core.TpmException;
import org.jswtpm.core.crypto.HashAlg;
import org.jswtpm.core.marshal.TpmReader;
import org.jswtpm.core.marshal.TpmWriter;

/**
 * What a running TPM keeps in RAM and what TPM2_Shutdown(STATE) preserves for TPM Resume (TCG TPM 2.0
 * Part 1, 37.5 "state saved by TPM2_Shutdown"): PCR values, the platform authorization and policy, the
 * hierarchy enables, the null hierarchy's seed and proof. One format serves the save-state blob
 * (saved PCRs only) and the volatile blob (all PCRs and the started flag).
 */
public final class RuntimeState {
    static final int MAGIC_SAVE = 0x4A535753;     // "JSWS"
    static final int MAGIC_VOLATILE = 0x4A535756; // "JSWV"
    static final int VERSION = 6;

    public boolean started;
    public int startupLocality;
    public boolean phEnable = true;
    public boolean shEnable = true;
    public boolean ehEnable = true;
    public boolean phEnableNV = true;
    public byte[] platformAuth = new byte[0];
    public PermanentState.Policy platformPolicy = PermanentState.Policy.NONE;
    public byte[] nullSeed;
    public byte[] nullProof;
    public boolean clockSafe = true;
    public PcrBanks pcrs;
    /** The RAM copies of orderly NV indices ({@link NvStore#orderlyRam()}); volatile form only, version 2 on. */
    public byte[] nvOrderlyRam = new byte[0];
    /**
     * Volatile form only (version 3 on): the loaded objects by transient handle, in their serialized
     * form, so that a migrated or suspended TPM keeps them. Sequences are not kept.
     */
    public java.util.TreeMap<Integer, byte[]> loadedObjects = new java.util.TreeMap<>(Integer::compareUnsigned);
    static final int MAX_OBJECT_BLOB = 4096;

    /**
     * Volatile form only, since version 4: what the dictionary-attack logic keeps in RAM (milliseconds
     * on its self-healing and lockoutAuth timers, whether a DA-protected authorization was tried since
     * TPM2_Startup) and whether that startup followed an orderly shutdown.
     */
    public long daSelfHealElapsed;
    public long daLockoutElapsed;
    public boolean daUsed;
    public boolean orderlyStartup;
    /**
     * The PCR authValue group's authValue (TPM2_PCR_SetAuthValue; since version 5, both forms): state
     * clear data, kept by Shutdown(STATE)/Startup(STATE), emptied by TPM Reset and TPM Restart.
     */
    public byte[] pcrAuth = new byte[0];
    /**
     * Since version 6, both forms: the session context bookkeeping that TPM2_Shutdown(STATE) keeps (the
     * reference's gr.contextCounter and gr.contextArray): the next context sequence number and, per
     * saved session (index among the active sessions, ascending), the sequence number of its most recent
     * ContextSave. {@code savedSessions} is null when the blob is older than version 6 (nothing known).
     */
    public long contextCounter = 1;
    public java.util.TreeMap<Integer, Long> savedSessions = new java.util.TreeMap<>();
    static final int MAX_SAVED_SESSIONS = 64;

    /** Serializes as a save-state ({@code volatileForm} false) or a volatile blob (true). */
    public byte[] serialize(boolean volatileForm) {
        TpmWriter w = new TpmWriter(2048);
        w.u32(volatileForm ? MAGIC_VOLATILE : MAGIC_SAVE).u16(VERSION);
        int size = w.startSized32();
        w.u8(started ? 1 : 0).u8(startupLocality);
        w.u8((phEnable ? 1 : 0) | (shEnable ? 2 : 0) | (ehEnable ? 4 : 0) | (phEnableNV ? 8 : 0));
        w.tpm2b(platformAuth);
        w.u16(platformPolicy.hashAlg()).tpm2b(platformPolicy.digest());
        w.tpm2b(nullSeed).tpm2b(nullProof);
        w.u8(clockSafe ? 1 : 0);
        pcrs.write(w, !volatileForm);
        if (volatileForm) {
            int nv = w.startSized32();
            w.bytes(nvOrderlyRam);
            w.endSized32(nv);
            w.u8(loadedObjects.size());
            for (java.util.Map.Entry<Integer, byte[]> e : loadedObjects.entrySet()) {
                w.u32(e.getKey()).tpm2b(e.getValue());
            }
            w.u64(daSelfHealElapsed).u64(daLockoutElapsed).u8(daUsed ? 1 : 0).u8(orderlyStartup ? 1 : 0);
        }
        w.tpm2b(pcrAuth);
        w.u64(contextCounter);
        java.util.Map<Integer, Long> saved = savedSessions == null ? java.util.Map.of() : savedSessions;
        w.u8(saved.size());
        for (java.util.Map.Entry<Integer, Long> e : saved.entrySet()) {
            w.u8(e.getKey()).u64(e.getValue());
        }
        w.endSized32(size);
        return w.toByteArray();
    }

    /** Reads a blob written by {@link #serialize}; PCR values land in {@code pcrs}. */
    public static RuntimeState deserialize(byte[] blob, boolean volatileForm, PcrBanks pcrs)
            throws StateFormatException {
        String what = volatileForm ? "volatile-state" : "save-state";
        try {
            TpmReader outer = new TpmReader(blob);
            if (outer.u32() != (volatileForm ? MAGIC_VOLATILE : MAGIC_SAVE)) {
                throw new StateFormatException("not a jswtpm " + what + " blob (bad magic)");
            }
            int version = outer.u16();
            if (version < 1 || version > VERSION) {
                throw new StateFormatException(what + " version " + version + " is newer than this build reads");
            }
            TpmReader r = outer.slice(outer.u32());
            outer.expectEnd();
            RuntimeState s = new RuntimeState();
            s.started = r.u8() != 0;
            s.startupLocality = r.u8();
            int enables = r.u8();
            s.phEnable = (enables & 1) != 0;
            s.shEnable = (enables & 2) != 0;
            s.ehEnable = (enables & 4) != 0;
            s.phEnableNV = (enables & 8) != 0;
            s.platformAuth = r.tpm2b(HashAlg.MAX_DIGEST_SIZE);
            s.platformPolicy = new PermanentState.Policy(r.u16(), r.tpm2b(HashAlg.MAX_DIGEST_SIZE));
            s.nullSeed = r.tpm2b(PermanentState.SEED_SIZE);
            s.nullProof = r.tpm2b(PermanentState.PROOF_SIZE);
            s.clockSafe = r.u8() != 0;
            s.pcrs = pcrs;
            pcrs.read(r, !volatileForm);
            if (volatileForm && version >= 2) {
                int n = r.u32();
                if (n < 0) {
                    throw new StateFormatException(what + " blob has a bad NV section size");
                }
                s.nvOrderlyRam = r.bytes(n);
            }
            if (volatileForm && version >= 3) {
                for (int n = r.u8(); n > 0; n--) {
                    s.loadedObjects.put(r.u32(), r.tpm2b(MAX_OBJECT_BLOB));
                }
            }
            if (volatileForm && version >= 4) {
                s.daSelfHealElapsed = r.u64();
                s.daLockoutElapsed = r.u64();
                s.daUsed = r.u8() != 0;
                s.orderlyStartup = r.u8() != 0;
            }
            if (version >= 5) {
                s.pcrAuth = r.tpm2b(HashAlg.MAX_DIGEST_SIZE);
            }
            if (version >= 6) {
                s.contextCounter = r.u64();
                int n = r.u8();
                if (n > MAX_SAVED_SESSIONS) {
                    throw new StateFormatException(what + " blob has too many saved sessions");
                }
                for (; n > 0; n--) {
                    int index = r.u8();
                    long sequence = r.u64();
                    if (index >= MAX_SAVED_SESSIONS || sequence >= s.contextCounter
                            || s.savedSessions.put(index, sequence) != null) {
                        throw new StateFormatException(what + " blob has a bad saved session");
                    }
                }
            } else {
                s.savedSessions = null;
            }
            r.expectEnd();
            return s;
        } catch (TpmException e) {
            throw new StateFormatException(what + " blob is truncated or corrupt");
        }
    }

    /** Forgets secrets held in RAM. */
    public void wipe() {
        Arrays.fill(platformAuth, (byte) 0);
        Arrays.fill(pcrAuth, (byte) 0);
        if (nullSeed != null) {
            Arrays.fill(nullSeed, (byte) 0);
        }
        if (nullProof != null) {
            Arrays.fill(nullProof, (byte) 0);
        }
    }
}
