package org.jswtpm.core.types;

/**
 * TPMA_NV, the attributes of an NV index (TCG TPM 2.0 Part 2, 13.4), and TPM_NT, the index type held in
 * its bits 7:4 (13.2). The bits that only the TPM sets ({@link #WRITELOCKED}, {@link #READLOCKED},
 * {@link #WRITTEN}) are part of the public area and so of the index's Name.
 */
public final class TpmaNv {
    public static final int PPWRITE = 1;
    public static final int OWNERWRITE = 1 << 1;
    public static final int AUTHWRITE = 1 << 2;
    public static final int POLICYWRITE = 1 << 3;
    public static final int TPM_NT_MASK = 0xF0;
    public static final int TPM_NT_SHIFT = 4;
    public static final int POLICY_DELETE = 1 << 10;
    public static final int WRITELOCKED = 1 << 11;
    public static final int WRITEALL = 1 << 12;
    public static final int WRITEDEFINE = 1 << 13;
    public static final int WRITE_STCLEAR = 1 << 14;
    public static final int GLOBALLOCK = 1 << 15;
    public static final int PPREAD = 1 << 16;
    public static final int OWNERREAD = 1 << 17;
    public static final int AUTHREAD = 1 << 18;
    public static final int POLICYREAD = 1 << 19;
    public static final int NO_DA = 1 << 25;
    public static final int ORDERLY = 1 << 26;
    public static final int CLEAR_STCLEAR = 1 << 27;
    public static final int READLOCKED = 1 << 28;
    public static final int WRITTEN = 1 << 29;
    public static final int PLATFORMCREATE = 1 << 30;
    public static final int READ_STCLEAR = 1 << 31;

    /** Bits 9:8 and 24:20, reserved: a TPMA_NV with any of them set is {@code TPM_RC_RESERVED_BITS}. */
    public static final int RESERVED = 0x00000300 | 0x01F00000;

    /** TPM_NT (Part 2, 13.2): how the index is used. */
    public static final int NT_ORDINARY = 0x0;
    public static final int NT_COUNTER = 0x1;
    public static final int NT_BITS = 0x2;
    public static final int NT_EXTEND = 0x4;
    public static final int NT_PIN_FAIL = 0x8;
    public static final int NT_PIN_PASS = 0x9;

    private TpmaNv() {
    }

    /** The TPM_NT of {@code attributes}. */
    public static int type(int attributes) {
        return (attributes & TPM_NT_MASK) >>> TPM_NT_SHIFT;
    }

    /** {@code attributes} with its TPM_NT set to {@code nt}. */
    public static int withType(int attributes, int nt) {
        return (attributes & ~TPM_NT_MASK) | (nt << TPM_NT_SHIFT);
    }

    public static boolean has(int attributes, int bit) {
        return (attributes & bit) != 0;
    }

    /** True for the types whose data is one big-endian UINT64: counter, bits and both PIN types. */
    public static boolean isUint64(int attributes) {
        int t = type(attributes);
        return t == NT_COUNTER || t == NT_BITS || t == NT_PIN_FAIL || t == NT_PIN_PASS;
    }

    public static boolean isPin(int attributes) {
        int t = type(attributes);
        return t == NT_PIN_FAIL || t == NT_PIN_PASS;
    }
}
