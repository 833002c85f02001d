package org.jswtpm.core.state;

import org.jswtpm.core.StateFormatException;
import org.jswtpm.core.TpmException;
import org.jswtpm.core.crypto.CtrDrbg;
import org.jswtpm.core.crypto.HashAlg;
import org.jswtpm.core.marshal.TpmReader;
import org.jswtpm.core.marshal.TpmWriter;
import org.jswtpm.core.types.TpmSu;

/**
 * The TPM's permanent (non-volatile) state, TCG TPM 2.0 Part 1, 37 "NV memory": the hierarchy seeds and
 * proofs, the storage, endorsement and lockout authorizations and policies, the PCR allocation,
 * dictionary-attack parameters and counters, the clock, the reset counters and the orderly-shutdown
 * marker. Serialized with a magic number and a version; a reader keeps reading every older version.
 */
public final class PermanentState {
    static final int MAGIC = 0x4A535750; // "JSWP"
    static final int VERSION = 6;
    public static final int SEED_SIZE = 64;
    public static final int PROOF_SIZE = 64;

    /** Orderly-state markers (Part 1, 37.8 "orderlyState"). */
    public static final int SU_NONE = 0xFFFF;
    /**
     * Not orderly, and a DA-protected authorization was tried since the last TPM2_Startup or
     * TPM2_Shutdown: the next TPM2_Startup counts a possibly unrecorded failure (the reference
     * implementation's SU_DA_USED_VALUE).
     */
    public static final int SU_DA_USED = 0xFFFE;

    public byte[] endorsementSeed;
    public byte[] storageSeed;
    public byte[] platformSeed;
    public byte[] endorsementProof;
    public byte[] storageProof;
    public byte[] platformProof;

    public byte[] ownerAuth = new byte[0];
    public byte[] endorsementAuth = new byte[0];
    public byte[] lockoutAuth = new byte[0];
    public Policy ownerPolicy = Policy.NONE;
    public Policy endorsementPolicy = Policy.NONE;
    public Policy lockoutPolicy = Policy.NONE;

    /** Allocated PCR banks, a mask over {@link HashAlg} ordinals; takes effect at TPM Reset. */
    public int pcrAllocation;

    public int failedTries;
    public int maxTries = 3;
    public int recoveryTime = 1000;
    public int lockoutRecovery = 1000;
    public boolean lockoutAuthEnabled = true;
    public boolean disableClear;
    /**
     * Milliseconds the DA self-healing and lockoutAuth recovery timers had run at the last orderly
     * shutdown; they carry over into the next power cycle only after an orderly shutdown (since
     * version 4).
     */
    public long selfHealElapsed;
    public long lockoutElapsed;

    /** The PCR policy group's authPolicy, set by TPM2_PCR_SetAuthPolicy (since version 5). */
    public Policy pcrPolicy = Policy.NONE;
    /** TPM2_SetAlgorithmSet's value, reported as TPM_PT_ALGORITHM_SET (since version 5). */
    public int algorithmSet;
    /** Command codes that require physical presence (TPM2_PP_Commands; since version 5), ascending. */
    public java.util.TreeSet<Integer> ppCommands = new java.util.TreeSet<>(defaultPpCommands());
    /** Command audit (Part 1, 33): the audit hash, the audited command codes, the audit counter. */
    public int auditHashAlg = HashAlg.SHA512.id();
    public final java.util.TreeSet<Integer> auditCommands = new java.util.TreeSet<>(java.util.List.of(0x140));
    public long auditCounter;

    /** A new TPM's PP list: TPM2_PP_Commands itself, as in the reference's PhysicalPresencePreInstall_Init. */
    public static java.util.Set<Integer> defaultPpCommands() {
        return java.util.Set.of(0x0000012D);
    }

    public long clock;
    public int resetCount;
    public int restartCount;
    public int orderlyState = SU_NONE;
    public boolean tpmEstablished;

    /** True if the TPM was last shut down with TPM2_Shutdown and nothing since undid it. */
    public boolean isOrderly() {
        return orderlyState == TpmSu.CLEAR
                || orderlyState == TpmSu.STATE;
    }

    /** NV indices (version 2 on; a version-1 blob has none). */
    public NvStore nv = new NvStore();
    /** Persistent objects (version 3 on): handle to the object's serialized form, in handle order. */
    public java.util.TreeMap<Integer, byte[]> persistentObjects = new java.util.TreeMap<>(Integer::compareUnsigned);
    /** Largest serialized persistent object accepted when reading. */
    static final int MAX_PERSISTENT_BLOB = 4096;

    /** A hierarchy's authPolicy: a hash algorithm and a digest, or none. */
    public record Policy(int hashAlg, byte[] digest) {
        public static final Policy NONE = new Policy(0x0010, new byte[0]);
    }

    /** A freshly manufactured TPM (Part 1, 37.4 "manufacturing"): new seeds and proofs from the DRBG. */
    public static PermanentState manufacture(CtrDrbg drbg) {
        PermanentState s = new PermanentState();
        s.endorsementSeed = drbg.generate(SEED_SIZE);
        s.storageSeed = drbg.generate(SEED_SIZE);
        s.platformSeed = drbg.generate(SEED_SIZE);
        s.endorsementProof = drbg.generate(PROOF_SIZE);
        s.storageProof = drbg.generate(PROOF_SIZE);
        s.platformProof = drbg.generate(PROOF_SIZE);
        s.orderlyState = TpmSu.CLEAR; // a new TPM counts as cleanly shut down (the reference's Manufacture)
        s.pcrAllocation = PcrBanks.maskOf(HashAlg.SHA1) | PcrBanks.maskOf(HashAlg.SHA256)
                | PcrBanks.maskOf(HashAlg.SHA384) | PcrBanks.maskOf(HashAlg.SHA512);
        return s;
    }

    public byte[] serialize() {
        TpmWriter w = new TpmWriter(1024);
        w.u32(MAGIC).u16(VERSION);
        int size = w.startSized32();
        for (byte[] b : new byte[][] {endorsementSeed, storageSeed, platformSeed,
                endorsementProof, storageProof, platformProof, ownerAuth, endorsementAuth, lockoutAuth}) {
            w.tpm2b(b);
        }
        for (Policy p : new Policy[] {ownerPolicy, endorsementPolicy, lockoutPolicy}) {
            w.u16(p.hashAlg()).tpm2b(p.digest());
        }
        w.u32(pcrAllocation);
        w.u32(failedTries).u32(maxTries).u32(recoveryTime).u32(lockoutRecovery);
        w.u8(lockoutAuthEnabled ? 1 : 0).u8(disableClear ? 1 : 0);
        w.u64(clock).u32(resetCount).u32(restartCount).u16(orderlyState);
        w.u8(tpmEstablished ? 1 : 0);
        int nvSection = w.startSized32();
        nv.serialize(w);
        w.endSized32(nvSection);
        w.u16(persistentObjects.size());
        for (java.util.Map.Entry<Integer, byte[]> e : persistentObjects.entrySet()) {
            w.u32(e.getKey()).tpm2b(e.getValue());
        }
        w.u64(selfHealElapsed).u64(lockoutElapsed);
        w.u16(pcrPolicy.hashAlg()).tpm2b(pcrPolicy.digest());
        w.u32(algorithmSet);
        w.u16(ppCommands.size());
        for (int cc : ppCommands) {
            w.u32(cc);
        }
        w.u16(auditHashAlg);
        w.u16(auditCommands.size());
        for (int cc : auditCommands) {
            w.u32(cc);
        }
        w.u64(auditCounter);
        w.endSized32(size);
        return w.toByteArray();
    }

    public static PermanentState deserialize(byte[] blob) throws StateFormatException {
        try {
            TpmReader outer = new TpmReader(blob);
            if (outer.u32() != MAGIC) {
                throw new StateFormatException("not a jswtpm permanent-state blob (bad magic)");
            }
            int version = outer.u16();
            if (version < 1 || version > VERSION) {
                throw new StateFormatException("permanent-state version " + version
                        + " is newer than this build reads (" + VERSION + ")");
            }
            TpmReader r = outer.slice(outer.u32());
            outer.expectEnd();
            PermanentState s = new PermanentState();
            s.endorsementSeed = r.tpm2b(SEED_SIZE);
            s.storageSeed = r.tpm2b(SEED_SIZE);
            s.platformSeed = r.tpm2b(SEED_SIZE);
            s.endorsementProof = r.tpm2b(PROOF_SIZE);
            s.storageProof = r.tpm2b(PROOF_SIZE);
            s.platformProof = r.tpm2b(PROOF_SIZE);
            s.ownerAuth = r.tpm2b(HashAlg.MAX_DIGEST_SIZE);
            s.endorsementAuth = r.tpm2b(HashAlg.MAX_DIGEST_SIZE);
            s.lockoutAuth = r.tpm2b(HashAlg.MAX_DIGEST_SIZE);
            s.ownerPolicy = new Policy(r.u16(), r.tpm2b(HashAlg.MAX_DIGEST_SIZE));
            s.endorsementPolicy = new Policy(r.u16(), r.tpm2b(HashAlg.MAX_DIGEST_SIZE));
            s.lockoutPolicy = new Policy(r.u16(), r.tpm2b(HashAlg.MAX_DIGEST_SIZE));
            s.pcrAllocation = r.u32();
            s.failedTries = r.u32();
            s.maxTries = r.u32();
            s.recoveryTime = r.u32();
            s.lockoutRecovery = r.u32();
            s.lockoutAuthEnabled = r.u8() != 0;
            s.disableClear = r.u8() != 0;
            s.clock = r.u64();
            s.resetCount = r.u32();
            s.restartCount = r.u32();
            s.orderlyState = r.u16();
            s.tpmEstablished = r.u8() != 0;
            if (version >= 2) {
                TpmReader nv = r.slice(r.u32());
                s.nv = NvStore.deserialize(nv);
                nv.expectEnd();
            }
            if (version >= 3) {
                for (int n = r.u16(); n > 0; n--) {
                    s.persistentObjects.put(r.u32(), r.tpm2b(MAX_PERSISTENT_BLOB));
                }
            }
            if (version >= 4) {
                s.selfHealElapsed = r.u64();
                s.lockoutElapsed = r.u64();
            }
            if (version >= 5) {
                s.pcrPolicy = new Policy(r.u16(), r.tpm2b(HashAlg.MAX_DIGEST_SIZE));
                s.algorithmSet = r.u32();
                s.ppCommands.clear();
                for (int n = r.u16(); n > 0; n--) {
                    s.ppCommands.add(r.u32());
                }
            }
            if (version >= 6) {
                s.auditHashAlg = r.u16();
                if (HashAlg.of(s.auditHashAlg) == null) {
                    throw new StateFormatException("permanent state names an unknown command-audit hash");
                }
                s.auditCommands.clear();
                for (int n = r.u16(); n > 0; n--) {
                    s.auditCommands.add(r.u32());
                }
                s.auditCounter = r.u64();
            }
            r.expectEnd();
            if (s.endorsementSeed.length != SEED_SIZE || s.storageSeed.length != SEED_SIZE
                    || s.platformSeed.length != SEED_SIZE) {
                throw new StateFormatException("permanent state has a seed of the wrong size");
            }
            return s;
        } catch (TpmException e) {
            throw new StateFormatException("permanent-state blob is truncated or corrupt");
        }
    }
}
