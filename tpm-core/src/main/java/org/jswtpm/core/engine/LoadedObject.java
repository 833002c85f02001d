package org.jswtpm.core.engine;

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

    /** True for hash, HMAC and event sequences. */
    public boolean isSequence() {
        return false;
    }

    /** Called when the object leaves its slot: drop secrets. */
    protected void destroy() {
        java.util.Arrays.fill(authValue, (byte) 0);
    }
}
