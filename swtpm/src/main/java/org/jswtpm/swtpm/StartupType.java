package org.jswtpm.swtpm;

/** What the process does to the TPM right after start, from {@code --flags startup-*}. */
public enum StartupType {
    /** No {@code TPM2_Startup}; the client sends it. */
    NONE,
    /** {@code TPM2_Startup(SU_CLEAR)} ({@code startup-clear}). */
    CLEAR,
    /** {@code TPM2_Startup(SU_STATE)} ({@code startup-state}). */
    STATE
}
