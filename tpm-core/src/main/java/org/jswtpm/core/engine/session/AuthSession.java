package org.jswtpm.core.engine.session;

import java.util.Arrays;
import org.jswtpm.core.crypto.HashAlg;
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
        java.security.MessageDigest md = authHash.newDigest();
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
        java.security.MessageDigest md = authHash.newDigest();
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
