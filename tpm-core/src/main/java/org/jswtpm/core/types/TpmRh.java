package org.jswtpm.core.types;

/**
 * Handles: the permanent handles (TCG TPM 2.0 Part 2, 7.4 TPM_RH), the password session (TPM_RS_PW),
 * and the handle types (7.2 TPM_HT) with the range helpers the engine uses to classify a handle.
 */
public final class TpmRh {
    public static final int OWNER = 0x40000001;
    public static final int NULL = 0x40000007;
    public static final int UNASSIGNED = 0x40000008;
    public static final int PW = 0x40000009;
    public static final int LOCKOUT = 0x4000000A;
    public static final int ENDORSEMENT = 0x4000000B;
    public static final int PLATFORM = 0x4000000C;
    public static final int PLATFORM_NV = 0x4000000D;

    /** TPM_HT values: the top byte of a handle. */
    public static final int HT_PCR = 0x00;
    public static final int HT_NV_INDEX = 0x01;
    public static final int HT_HMAC_SESSION = 0x02;
    public static final int HT_POLICY_SESSION = 0x03;
    public static final int HT_PERMANENT = 0x40;
    public static final int HT_TRANSIENT = 0x80;
    public static final int HT_PERSISTENT = 0x81;

    /** The first transient handle the TPM hands out. */
    public static final int TRANSIENT_FIRST = 0x80000000;

    private TpmRh() {
    }

    /** The TPM_HT of a handle. */
    public static int type(int handle) {
        return handle >>> 24;
    }
}
