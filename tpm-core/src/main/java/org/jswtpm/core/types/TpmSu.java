package org.jswtpm.core.types;

/** Startup and shutdown types (TCG TPM 2.0 Part 2, 6.10 TPM_SU). */
public final class TpmSu {
    public static final int CLEAR = 0x0000;
    public static final int STATE = 0x0001;

    private TpmSu() {
    }
}
