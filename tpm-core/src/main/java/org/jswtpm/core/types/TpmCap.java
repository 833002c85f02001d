package org.jswtpm.core.types;

/** Capability selectors (TCG TPM 2.0 Part 2, 6.12 TPM_CAP). */
public final class TpmCap {
    public static final int ALGS = 0;
    public static final int HANDLES = 1;
    public static final int COMMANDS = 2;
    public static final int PP_COMMANDS = 3;
    public static final int AUDIT_COMMANDS = 4;
    public static final int PCRS = 5;
    public static final int TPM_PROPERTIES = 6;
    public static final int PCR_PROPERTIES = 7;
    public static final int ECC_CURVES = 8;
    public static final int AUTH_POLICIES = 9;
    public static final int ACT = 10;
    public static final int LAST = ACT;
    public static final int VENDOR_PROPERTY = 0x100;

    private TpmCap() {
    }
}
