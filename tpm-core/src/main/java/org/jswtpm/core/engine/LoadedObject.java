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

    /** Called when the object leaves its slot: drop secrets. */
    protected void destroy() {
        java.util.Arrays.fill(authValue, (byte) 0);
    }
}
