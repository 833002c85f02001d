package org.jswtpm.core.types;

/** TPMA_OBJECT bits (TCG TPM 2.0 Part 2, 8.3). */
public final class TpmaObject {
    public static final int FIXED_TPM = 1 << 1;
    public static final int ST_CLEAR = 1 << 2;
    public static final int FIXED_PARENT = 1 << 4;
    public static final int SENSITIVE_DATA_ORIGIN = 1 << 5;
    public static final int USER_WITH_AUTH = 1 << 6;
    public static final int ADMIN_WITH_POLICY = 1 << 7;
    public static final int NO_DA = 1 << 10;
    public static final int ENCRYPTED_DUPLICATION = 1 << 11;
    public static final int RESTRICTED = 1 << 16;
    public static final int DECRYPT = 1 << 17;
    public static final int SIGN_ENCRYPT = 1 << 18;
    /** Bits this implementation treats as reserved (TPM_RC_RESERVED_BITS when set). */
    public static final int RESERVED = 0x1 | 0x8 | 0x300 | 0xF000 | 0xFFF80000;

    private TpmaObject() {
    }

    public static boolean has(int attributes, int bit) {
        return (attributes & bit) != 0;
    }
}
