package org.jswtpm.core.types;

/**
 * A TPM 2.0 response code (TCG TPM 2.0 Part 2, 6.6 TPM_RC). Format-1 codes (bit 7 set) can carry the
 * number of the handle, parameter or session they concern; {@link #handle(int)}, {@link
 * #parameter(int)} and {@link #session(int)} return the positioned code exactly as the specification
 * lays it out (Part 2, Table 16): bits 11:8 the number, bit 6 for a parameter, bit 11 for a session.
 */
public final class TpmRc {
    static final int RC_VER1 = 0x100;
    static final int RC_FMT1 = 0x080;
    static final int RC_WARN = 0x900;
    static final int RC_P = 0x040;
    static final int RC_S = 0x800;

    public static final TpmRc SUCCESS = new TpmRc(0x000, "SUCCESS");
    public static final TpmRc BAD_TAG = new TpmRc(0x01E, "BAD_TAG");

    // Format-0, version 1 errors
    public static final TpmRc INITIALIZE = ver1(0x000, "INITIALIZE");
    public static final TpmRc FAILURE = ver1(0x001, "FAILURE");
    public static final TpmRc SEQUENCE = ver1(0x003, "SEQUENCE");
    public static final TpmRc DISABLED = ver1(0x020, "DISABLED");
    public static final TpmRc EXCLUSIVE = ver1(0x021, "EXCLUSIVE");
    public static final TpmRc AUTH_TYPE = ver1(0x024, "AUTH_TYPE");
    public static final TpmRc AUTH_MISSING = ver1(0x025, "AUTH_MISSING");
    public static final TpmRc POLICY = ver1(0x026, "POLICY");
    public static final TpmRc PCR = ver1(0x027, "PCR");
    public static final TpmRc PCR_CHANGED = ver1(0x028, "PCR_CHANGED");
    public static final TpmRc UPGRADE = ver1(0x02D, "UPGRADE");
    public static final TpmRc TOO_MANY_CONTEXTS = ver1(0x02E, "TOO_MANY_CONTEXTS");
    public static final TpmRc AUTH_UNAVAILABLE = ver1(0x02F, "AUTH_UNAVAILABLE");
    public static final TpmRc REBOOT = ver1(0x030, "REBOOT");
    public static final TpmRc UNBALANCED = ver1(0x031, "UNBALANCED");
    public static final TpmRc COMMAND_SIZE = ver1(0x042, "COMMAND_SIZE");
    public static final TpmRc COMMAND_CODE = ver1(0x043, "COMMAND_CODE");
    public static final TpmRc AUTHSIZE = ver1(0x044, "AUTHSIZE");
    public static final TpmRc AUTH_CONTEXT = ver1(0x045, "AUTH_CONTEXT");
    public static final TpmRc NV_RANGE = ver1(0x046, "NV_RANGE");
    public static final TpmRc NV_SIZE = ver1(0x047, "NV_SIZE");
    public static final TpmRc NV_LOCKED = ver1(0x048, "NV_LOCKED");
    public static final TpmRc NV_AUTHORIZATION = ver1(0x049, "NV_AUTHORIZATION");
    public static final TpmRc NV_UNINITIALIZED = ver1(0x04A, "NV_UNINITIALIZED");
    public static final TpmRc NV_SPACE = ver1(0x04B, "NV_SPACE");
    public static final TpmRc NV_DEFINED = ver1(0x04C, "NV_DEFINED");
    public static final TpmRc BAD_CONTEXT = ver1(0x050, "BAD_CONTEXT");
    public static final TpmRc CPHASH = ver1(0x051, "CPHASH");
    public static final TpmRc PARENT = ver1(0x052, "PARENT");
    public static final TpmRc NEEDS_TEST = ver1(0x053, "NEEDS_TEST");
    public static final TpmRc NO_RESULT = ver1(0x054, "NO_RESULT");
    public static final TpmRc SENSITIVE = ver1(0x055, "SENSITIVE");

    // Format-1 errors
    public static final TpmRc ASYMMETRIC = fmt1(0x001, "ASYMMETRIC");
    public static final TpmRc ATTRIBUTES = fmt1(0x002, "ATTRIBUTES");
    public static final TpmRc HASH = fmt1(0x003, "HASH");
    public static final TpmRc VALUE = fmt1(0x004, "VALUE");
    public static final TpmRc HIERARCHY = fmt1(0x005, "HIERARCHY");
    public static final TpmRc KEY_SIZE = fmt1(0x007, "KEY_SIZE");
    public static final TpmRc MGF = fmt1(0x008, "MGF");
    public static final TpmRc MODE = fmt1(0x009, "MODE");
    public static final TpmRc TYPE = fmt1(0x00A, "TYPE");
    public static final TpmRc HANDLE = fmt1(0x00B, "HANDLE");
    public static final TpmRc KDF = fmt1(0x00C, "KDF");
    public static final TpmRc RANGE = fmt1(0x00D, "RANGE");
    public static final TpmRc AUTH_FAIL = fmt1(0x00E, "AUTH_FAIL");
    public static final TpmRc NONCE = fmt1(0x00F, "NONCE");
    public static final TpmRc PP = fmt1(0x010, "PP");
    public static final TpmRc SCHEME = fmt1(0x012, "SCHEME");
    public static final TpmRc SIZE = fmt1(0x015, "SIZE");
    public static final TpmRc SYMMETRIC = fmt1(0x016, "SYMMETRIC");
    public static final TpmRc TAG = fmt1(0x017, "TAG");
    public static final TpmRc SELECTOR = fmt1(0x018, "SELECTOR");
    public static final TpmRc INSUFFICIENT = fmt1(0x01A, "INSUFFICIENT");
    public static final TpmRc SIGNATURE = fmt1(0x01B, "SIGNATURE");
    public static final TpmRc KEY = fmt1(0x01C, "KEY");
    public static final TpmRc POLICY_FAIL = fmt1(0x01D, "POLICY_FAIL");
    public static final TpmRc INTEGRITY = fmt1(0x01F, "INTEGRITY");
    public static final TpmRc TICKET = fmt1(0x020, "TICKET");
    public static final TpmRc RESERVED_BITS = fmt1(0x021, "RESERVED_BITS");
    public static final TpmRc BAD_AUTH = fmt1(0x022, "BAD_AUTH");
    public static final TpmRc EXPIRED = fmt1(0x023, "EXPIRED");
    public static final TpmRc POLICY_CC = fmt1(0x024, "POLICY_CC");
    public static final TpmRc BINDING = fmt1(0x025, "BINDING");
    public static final TpmRc CURVE = fmt1(0x026, "CURVE");
    public static final TpmRc ECC_POINT = fmt1(0x027, "ECC_POINT");

    // Warnings
    public static final TpmRc CONTEXT_GAP = warn(0x001, "CONTEXT_GAP");
    public static final TpmRc OBJECT_MEMORY = warn(0x002, "OBJECT_MEMORY");
    public static final TpmRc SESSION_MEMORY = warn(0x003, "SESSION_MEMORY");
    public static final TpmRc MEMORY = warn(0x004, "MEMORY");
    public static final TpmRc SESSION_HANDLES = warn(0x005, "SESSION_HANDLES");
    public static final TpmRc OBJECT_HANDLES = warn(0x006, "OBJECT_HANDLES");
    public static final TpmRc LOCALITY = warn(0x007, "LOCALITY");
    public static final TpmRc YIELDED = warn(0x008, "YIELDED");
    public static final TpmRc CANCELED = warn(0x009, "CANCELED");
    public static final TpmRc TESTING = warn(0x00A, "TESTING");
    public static final TpmRc REFERENCE_H0 = warn(0x010, "REFERENCE_H0");
    public static final TpmRc REFERENCE_S0 = warn(0x018, "REFERENCE_S0");
    public static final TpmRc NV_RATE = warn(0x020, "NV_RATE");
    public static final TpmRc LOCKOUT = warn(0x021, "LOCKOUT");
    public static final TpmRc RETRY = warn(0x022, "RETRY");
    public static final TpmRc NV_UNAVAILABLE = warn(0x023, "NV_UNAVAILABLE");

    private final int value;
    private final String name;

    private TpmRc(int value, String name) {
        this.value = value;
        this.name = name;
    }

    private static TpmRc ver1(int n, String name) {
        return new TpmRc(RC_VER1 + n, name);
    }

    private static TpmRc fmt1(int n, String name) {
        return new TpmRc(RC_FMT1 + n, name);
    }

    private static TpmRc warn(int n, String name) {
        return new TpmRc(RC_WARN + n, name);
    }

    /** The wire value. */
    public int value() {
        return value;
    }

    /** True for a format-1 code, the only kind that can name a handle, parameter or session. */
    public boolean isFormat1() {
        return (value & RC_FMT1) != 0;
    }

    /** This code blamed on parameter {@code n} (1..15). A format-0 code is returned unchanged. */
    public TpmRc parameter(int n) {
        return positioned(RC_P | (checkIndex(n, 15) << 8));
    }

    /** This code blamed on handle {@code n} (1..7). A format-0 code is returned unchanged. */
    public TpmRc handle(int n) {
        return positioned(checkIndex(n, 7) << 8);
    }

    /** This code blamed on session {@code n} (1..7). A format-0 code is returned unchanged. */
    public TpmRc session(int n) {
        return positioned(RC_S | (checkIndex(n, 7) << 8));
    }

    /** The code with its position removed: what {@code rc == TpmRc.X} comparisons should use. */
    public TpmRc base() {
        return isFormat1() && (value & 0xF40) != 0 ? new TpmRc(value & 0xBF, name) : this;
    }

    private TpmRc positioned(int bits) {
        if (!isFormat1() || (value & 0xF40) != 0) {
            return this;
        }
        return new TpmRc(value | bits, name);
    }

    private static int checkIndex(int n, int max) {
        if (n < 1 || n > max) {
            throw new IllegalArgumentException("position out of range: " + n);
        }
        return n;
    }

    /** A code from the wire, for decoding responses in tests and clients. */
    public static TpmRc of(int value) {
        return new TpmRc(value, "0x" + Integer.toHexString(value));
    }

    /** A warning or version-1 code with an offset, e.g. {@code REFERENCE_S0.plus(2)}. */
    public TpmRc plus(int offset) {
        return new TpmRc(value + offset, name + "+" + offset);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TpmRc other && other.value == value;
    }

    @Override
    public int hashCode() {
        return value;
    }

    @Override
    public String toString() {
        String where = "";
        if (isFormat1() && (value & 0xF00) != 0) {
            int n = (value >> 8) & 0x7;
            where = (value & RC_P) != 0 ? " parameter " + ((value >> 8) & 0xF)
                    : (value & RC_S) != 0 ? " session " + n : " handle " + n;
        }
        return String.format("TPM_RC_%s(0x%03x)%s", name, value, where);
    }
}
