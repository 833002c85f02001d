package org.jswtpm.core;

/**
 * The three state blobs a TPM has, named as swtpm names their files ({@code tpm2-00.permall},
 * {@code tpm2-00.volatilestate}, {@code tpm2-00.savestate}).
 */
public enum StateKind {
    /** Seeds, hierarchy authorizations, NV indices, persistent objects, PCR allocation, clock. */
    PERMANENT("permall"),
    /** Everything a running TPM holds in RAM: PCR values, loaded objects and sessions. */
    VOLATILE("volatilestate"),
    /** What {@code TPM2_Shutdown(STATE)} keeps for the next {@code TPM2_Startup(STATE)}. */
    SAVE_STATE("savestate");

    private final String swtpmName;

    StateKind(String swtpmName) {
        this.swtpmName = swtpmName;
    }

    /** The name swtpm uses for this blob in file names and {@code --print-states}. */
    public String swtpmName() {
        return swtpmName;
    }
}
