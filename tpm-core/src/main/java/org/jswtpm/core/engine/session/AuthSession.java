package org.jswtpm.core.engine.session;

import java.security.MessageDigest;
import java.util.Arrays;
import org.jswtpm.core.TpmException;
import org.jswtpm.core.crypto.HashAlg;
import org.jswtpm.core.marshal.TpmReader;
import org.jswtpm.core.marshal.TpmWriter;
import org.jswtpm.core.types.TpmRc;
import org.jswtpm.core.types.TpmRh;

/**
 * One HMAC, policy or trial session as TPM2_StartAuthSession creates it (TCG TPM 2.0 Part 1, 19.6
 * "HMAC session", 19.7 "policy session"; Part 3, 11.1): its hash, its sessionKey, the current
 * nonceTPM, its parameter-encryption algorithm, what it is bound to, and for a policy session the
 * policy state the policy commands build (policyDigest, commandCode, authValue/password flags, the
 * PCR update counter it was checked at).
 */
public final class AuthSession {
    /** TPM_SE values (Part 2, 6.11). */
    public static final int SE_HMAC = 0x00;
    public static final int SE_POLICY = 0x01;
    public static final int SE_TRIAL = 0x03;

    private final int handle;
    private final int type;
    private final HashAlg authHash;
    private final byte[] sessionKey;
    private final SymmetricDef symmetric;
    private Binding binding;
    private final boolean daBound;
    private final boolean lockoutBound;
    private byte[] nonceTpm;

    // audit state (Part 1, 19.6.14 "session audit")
    private boolean audit;
    private byte[] auditDigest;

    // policy state (Part 1, 19.7.2)
    private byte[] policyDigest;
    private int commandCode;
    private boolean authValueNeeded;
    private boolean passwordNeeded;
    private boolean pcrChecked;
    private int pcrUpdateCounter;

    // conditions of the chapter 23 policy commands (Part 1, 19.7; Part 3, 23)
    private long startTime;
    private long epoch;
    private long timeout;
    private int constraint;
    private byte[] constraintDigest = new byte[0];
    private int localities;
    private boolean ppRequired;
    private int nvWritten;

    /** What the one cpHash-like constraint of a policy session holds (PolicyCpHash, PolicyNameHash, PolicyTemplate). */
    public static final int CONSTRAINT_NONE = 0;
    public static final int CONSTRAINT_CP_HASH = 1;
    public static final int CONSTRAINT_NAME_HASH = 2;
    public static final int CONSTRAINT_TEMPLATE = 3;

    /** PolicyNvWritten states. */
    public static final int NV_WRITTEN_ANY = 0;
    public static final int NV_WRITTEN_SET = 1;
    public static final int NV_WRITTEN_CLEAR = 2;

    /** What a bound session is bound to: the bind entity's Name and authValue (Part 1, 19.6.9). */
    public record Binding(byte[] name, byte[] authValue) {
        /** True if an entity with this Name and (trimmed) authValue is the bind entity. */
        public boolean matches(byte[] otherName, byte[] otherAuth) {
            return Arrays.equals(name, otherName) && Arrays.equals(authValue, otherAuth);
        }
    }

    /**
     * @param handle the session handle (0x02xxxxxx for HMAC, 0x03xxxxxx for policy and trial)
     * @param type {@link #SE_HMAC}, {@link #SE_POLICY} or {@link #SE_TRIAL}
     * @param binding the bind entity of an HMAC session, or null
     * @param daBound the bind entity is subject to dictionary-attack protection
     * @param lockoutBound the bind entity is TPM_RH_LOCKOUT
     */
    AuthSession(int handle, int type, HashAlg authHash, byte[] sessionKey, byte[] nonceTpm,
            SymmetricDef symmetric, Binding binding, boolean daBound, boolean lockoutBound) {
        this.handle = handle;
        this.type = type;
        this.authHash = authHash;
        this.sessionKey = sessionKey;
        this.nonceTpm = nonceTpm;
        this.symmetric = symmetric;
        this.binding = binding;
        this.daBound = daBound;
        this.lockoutBound = lockoutBound;
        if (isPolicy()) {
            policyDigest = new byte[authHash.digestSize()];
        }
    }

    public int handle() {
        return handle;
    }

    public boolean isPolicy() {
        return type != SE_HMAC;
    }

    public boolean isTrial() {
        return type == SE_TRIAL;
    }

    public HashAlg authHash() {
        return authHash;
    }

    /** The sessionKey; empty for an unbound, unsalted session. */
    public byte[] sessionKey() {
        return sessionKey;
    }

    public byte[] nonceTpm() {
        return nonceTpm;
    }

    /** Replaces nonceTPM after a command used the session (nonce rolling, Part 1, 19.6.5). */
    public void rollNonce(byte[] next) {
        nonceTpm = next;
    }

    public SymmetricDef symmetric() {
        return symmetric;
    }

    /** The bind entity of a bound HMAC session, or null. */
    public Binding binding() {
        return binding;
    }

    public boolean isDaBound() {
        return daBound;
    }

    public boolean isLockoutBound() {
        return lockoutBound;
    }

    // ---- audit

    /** True once the session has been used for audit (and not restarted since). */
    public boolean isAudit() {
        return audit;
    }

    /** The session's audit digest, or null if it was never an audit session. */
    public byte[] auditDigest() {
        return auditDigest;
    }

    /** First use for audit, or auditReset: a zero digest, and the session is no longer bound. */
    public void startAudit() {
        audit = true;
        binding = null;
        auditDigest = new byte[authHash.digestSize()];
    }

    /** auditDigest_new := H(auditDigest_old || cpHash || rpHash). */
    public void extendAudit(byte[] cpHash, byte[] rpHash) {
        MessageDigest md = authHash.newDigest();
        md.update(auditDigest);
        md.update(cpHash);
        md.update(rpHash);
        auditDigest = md.digest();
    }

    // ---- policy state

    public byte[] policyDigest() {
        return policyDigest;
    }

    /** policyDigest_new := H(policyDigest_old || {@code parts}) (Part 1, 19.7.2). */
    public void extendPolicy(byte[]... parts) {
        MessageDigest md = authHash.newDigest();
        md.update(policyDigest);
        for (byte[] p : parts) {
            md.update(p);
        }
        policyDigest = md.digest();
    }

    /** The command code the policy is limited to, or 0. */
    public int commandCode() {
        return commandCode;
    }

    public void commandCode(int code) {
        commandCode = code;
    }

    public boolean authValueNeeded() {
        return authValueNeeded;
    }

    public boolean passwordNeeded() {
        return passwordNeeded;
    }

    /** PolicyAuthValue ({@code password} false) or PolicyPassword ({@code password} true). */
    public void requireAuth(boolean password) {
        passwordNeeded = password;
        authValueNeeded = !password;
    }

    /** True if PolicyPCR recorded a PCR update counter the PCRs must still be at. */
    public boolean pcrChecked() {
        return pcrChecked;
    }

    public int pcrUpdateCounter() {
        return pcrUpdateCounter;
    }

    public void pcrUpdateCounter(int counter) {
        pcrChecked = true;
        pcrUpdateCounter = counter;
    }

    /**
     * TPM Time (ms since _TPM_Init) when the session started, and the time epoch it counts in (a
     * timeout from another epoch has expired).
     */
    public long startTime() {
        return startTime;
    }

    public long epoch() {
        return epoch;
    }

    /** Set when the session starts. */
    public void started(long time, long timeEpoch) {
        startTime = time;
        epoch = timeEpoch;
    }

    /** The TPM Time after which the policy has expired (TPM_RC_EXPIRED), or 0 for none. */
    public long timeout() {
        return timeout;
    }

    /** Keeps the earlier of the current timeout and {@code newTimeout} (0 changes nothing). */
    public void limitTimeout(long newTimeout) {
        if (newTimeout != 0 && (timeout == 0 || Long.compareUnsigned(newTimeout, timeout) < 0)) {
            timeout = newTimeout;
        }
    }

    /** Which constraint {@link #constraintDigest} is: {@link #CONSTRAINT_NONE}, CP_HASH, NAME_HASH, TEMPLATE. */
    public int constraint() {
        return constraint;
    }

    public byte[] constraintDigest() {
        return constraintDigest;
    }

    public void constrain(int kind, byte[] digest) {
        constraint = kind;
        constraintDigest = digest.clone();
    }

    /** TPMA_LOCALITY the command must come from; 0 for any. */
    public int localities() {
        return localities;
    }

    public void localities(int value) {
        localities = value;
    }

    public boolean ppRequired() {
        return ppRequired;
    }

    public void requirePhysicalPresence() {
        ppRequired = true;
    }

    /** {@link #NV_WRITTEN_ANY}, {@link #NV_WRITTEN_SET} or {@link #NV_WRITTEN_CLEAR}. */
    public int nvWritten() {
        return nvWritten;
    }

    public void nvWritten(int state) {
        nvWritten = state;
    }

    /** Part 3, 23.17 TPM2_PolicyRestart and nonce rolling of a policy session: back to the start. */
    public void resetPolicy() {
        if (!isPolicy()) {
            return;
        }
        Arrays.fill(policyDigest, (byte) 0);
        commandCode = 0;
        authValueNeeded = false;
        passwordNeeded = false;
        pcrChecked = false;
        pcrUpdateCounter = 0;
        timeout = 0;
        constraint = CONSTRAINT_NONE;
        constraintDigest = new byte[0];
        localities = 0;
        ppRequired = false;
        nvWritten = NV_WRITTEN_ANY;
    }

    /** Sets {@link #policyDigest} to all zeros (PolicyAuthorize, PolicyAuthorizeNV, PolicyOR). */
    public void clearPolicyDigest() {
        Arrays.fill(policyDigest, (byte) 0);
    }

    // ---- context (Part 1, 30.3): the whole session state, for a saved context

    /** Writes everything the session holds; read back by {@link #read}. */
    void write(TpmWriter w) {
        w.u32(handle).u8(type).u16(authHash.id()).tpm2b(sessionKey).tpm2b(nonceTpm);
        symmetric.write(w);
        w.u8(binding != null ? 1 : 0);
        if (binding != null) {
            w.tpm2b(binding.name()).tpm2b(binding.authValue());
        }
        w.u8((daBound ? 1 : 0) | (lockoutBound ? 2 : 0) | (audit ? 4 : 0) | (authValueNeeded ? 8 : 0)
                | (passwordNeeded ? 16 : 0) | (pcrChecked ? 32 : 0));
        w.tpm2b(audit ? auditDigest : new byte[0]);
        w.tpm2b(isPolicy() ? policyDigest : new byte[0]);
        w.u32(commandCode).u32(pcrUpdateCounter);
        w.u64(startTime).u64(epoch).u64(timeout).u8(constraint).tpm2b(constraintDigest).u8(localities)
                .u8((ppRequired ? 1 : 0) | nvWritten << 1);
    }

    /** Reads what {@link #write} wrote. */
    static AuthSession read(TpmReader r) throws TpmException {
        int handle = r.u32();
        int type = r.u8();
        HashAlg hash = HashAlg.of(r.u16());
        if (hash == null || (type != SE_HMAC && type != SE_POLICY && type != SE_TRIAL)) {
            throw r.error(TpmRc.VALUE);
        }
        byte[] key = r.tpm2b(HashAlg.MAX_DIGEST_SIZE);
        byte[] nonce = r.tpm2b(HashAlg.MAX_DIGEST_SIZE);
        SymmetricDef sym = SymmetricDef.read(r);
        Binding binding = r.u8() != 0 ? new Binding(r.tpm2b(HashAlg.MAX_DIGEST_SIZE + 2),
                r.tpm2b(HashAlg.MAX_DIGEST_SIZE)) : null;
        int flags = r.u8();
        AuthSession s = new AuthSession(handle, type, hash, key, nonce, sym, binding, (flags & 1) != 0,
                (flags & 2) != 0);
        s.audit = (flags & 4) != 0;
        s.authValueNeeded = (flags & 8) != 0;
        s.passwordNeeded = (flags & 16) != 0;
        s.pcrChecked = (flags & 32) != 0;
        byte[] auditDigest = r.tpm2b(HashAlg.MAX_DIGEST_SIZE);
        s.auditDigest = s.audit ? auditDigest : null;
        byte[] policy = r.tpm2b(HashAlg.MAX_DIGEST_SIZE);
        if (s.isPolicy()) {
            s.policyDigest = policy;
        }
        s.commandCode = r.u32();
        s.pcrUpdateCounter = r.u32();
        if (r.remaining() > 0) {
            s.startTime = r.u64();
            s.epoch = r.u64();
            s.timeout = r.u64();
            s.constraint = r.u8();
            s.constraintDigest = r.tpm2b(HashAlg.MAX_DIGEST_SIZE);
            s.localities = r.u8();
            int flags2 = r.u8();
            s.ppRequired = (flags2 & 1) != 0;
            s.nvWritten = (flags2 >> 1) & 3;
        }
        return s;
    }

    /** Drops the secrets when the session ends. */
    void destroy() {
        Arrays.fill(sessionKey, (byte) 0);
    }

    /** True for a handle of the HMAC or policy session ranges. */
    public static boolean isSessionHandle(int handle) {
        int t = TpmRh.type(handle);
        return t == TpmRh.HT_HMAC_SESSION || t == TpmRh.HT_POLICY_SESSION;
    }
}
