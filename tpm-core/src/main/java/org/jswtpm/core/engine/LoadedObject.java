package org.jswtpm.core.engine;

import org.jswtpm.core.types.TpmRh;

/**
 * An object in one of the TPM's transient slots: a key, a sealed data object, or a hash, HMAC or event
 * sequence (TCG TPM 2.0 Part 1, 27.3 "object slots").
 */
public abstract class LoadedObject implements Entity {
    private int handle;
    private final byte[] authValue;

    protected LoadedObject(byte[] authValue) {
        this.authValue = authValue.clone();
    }

    void assignHandle(int handle) {
        this.handle = handle;
    }

    @Override
    public int handle() {
        return handle;
    }

    @Override
    public byte[] authValue() {
        return authValue;
    }

    /**
     * The hierarchy the object belongs to (TPM_RH_OWNER, TPM_RH_ENDORSEMENT, TPM_RH_PLATFORM), or
     * TPM_RH_NULL for sequences and objects of the null hierarchy. Disabling a hierarchy or changing
     * its proof flushes its objects (Part 3, 24).
     */
    public int hierarchy() {
        return TpmRh.NULL;
    }

    /** True for hash, HMAC and event sequences. */
    public boolean isSequence() {
        return false;
    }

    /**
     * Part 1, 19.2: for an object, DUP always needs a policy session, and ADMIN does when the object
     * does not allow ADMIN by authValue (adminWithPolicy, as {@link #authValueAllowed} reports it).
     */
    @Override
    public boolean policyRequired(AuthRole role) {
        return role == AuthRole.DUP || (role == AuthRole.ADMIN && !authValueAllowed(AuthRole.ADMIN));
    }

    /**
     * A policy session can authorize any object except a sequence (the reference's
     * IsAuthPolicyAvailable); an object without authPolicy then fails the policy check.
     */
    @Override
    public boolean authPolicyAvailable(org.jswtpm.core.types.TpmCc cc, AuthRole role) {
        return !isSequence();
    }

    /** Called when the object leaves its slot: drop secrets. */
    protected void destroy() {
        java.util.Arrays.fill(authValue, (byte) 0);
    }
}
