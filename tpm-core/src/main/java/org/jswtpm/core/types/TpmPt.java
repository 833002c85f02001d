package org.jswtpm.core.types;

/** TPM property tags (TCG TPM 2.0 Part 2, 6.13 TPM_PT) and PCR property tags (6.14 TPM_PT_PCR). */
public final class TpmPt {
    public static final int FIXED = 0x100;
    public static final int FAMILY_INDICATOR = FIXED;
    public static final int LEVEL = FIXED + 1;
    public static final int REVISION = FIXED + 2;
    public static final int DAY_OF_YEAR = FIXED + 3;
    public static final int YEAR = FIXED + 4;
    public static final int MANUFACTURER = FIXED + 5;
    public static final int VENDOR_STRING_1 = FIXED + 6;
    public static final int VENDOR_STRING_2 = FIXED + 7;
    public static final int VENDOR_STRING_3 = FIXED + 8;
    public static final int VENDOR_STRING_4 = FIXED + 9;
    public static final int VENDOR_TPM_TYPE = FIXED + 10;
    public static final int FIRMWARE_VERSION_1 = FIXED + 11;
    public static final int FIRMWARE_VERSION_2 = FIXED + 12;
    public static final int INPUT_BUFFER = FIXED + 13;
    public static final int HR_TRANSIENT_MIN = FIXED + 14;
    public static final int HR_PERSISTENT_MIN = FIXED + 15;
    public static final int HR_LOADED_MIN = FIXED + 16;
    public static final int ACTIVE_SESSIONS_MAX = FIXED + 17;
    public static final int PCR_COUNT = FIXED + 18;
    public static final int PCR_SELECT_MIN = FIXED + 19;
    public static final int CONTEXT_GAP_MAX = FIXED + 20;
    public static final int NV_COUNTERS_MAX = FIXED + 22;
    public static final int NV_INDEX_MAX = FIXED + 23;
    public static final int MEMORY = FIXED + 24;
    public static final int CLOCK_UPDATE = FIXED + 25;
    public static final int CONTEXT_HASH = FIXED + 26;
    public static final int CONTEXT_SYM = FIXED + 27;
    public static final int CONTEXT_SYM_SIZE = FIXED + 28;
    public static final int ORDERLY_COUNT = FIXED + 29;
    public static final int MAX_COMMAND_SIZE = FIXED + 30;
    public static final int MAX_RESPONSE_SIZE = FIXED + 31;
    public static final int MAX_DIGEST = FIXED + 32;
    public static final int MAX_OBJECT_CONTEXT = FIXED + 33;
    public static final int MAX_SESSION_CONTEXT = FIXED + 34;
    public static final int PS_FAMILY_INDICATOR = FIXED + 35;
    public static final int PS_LEVEL = FIXED + 36;
    public static final int PS_REVISION = FIXED + 37;
    public static final int PS_DAY_OF_YEAR = FIXED + 38;
    public static final int PS_YEAR = FIXED + 39;
    public static final int SPLIT_MAX = FIXED + 40;
    public static final int TOTAL_COMMANDS = FIXED + 41;
    public static final int LIBRARY_COMMANDS = FIXED + 42;
    public static final int VENDOR_COMMANDS = FIXED + 43;
    public static final int NV_BUFFER_MAX = FIXED + 44;
    public static final int MODES = FIXED + 45;
    public static final int MAX_CAP_BUFFER = FIXED + 46;

    public static final int VAR = 0x200;
    public static final int PERMANENT = VAR;
    public static final int STARTUP_CLEAR = VAR + 1;
    public static final int HR_NV_INDEX = VAR + 2;
    public static final int HR_LOADED = VAR + 3;
    public static final int HR_LOADED_AVAIL = VAR + 4;
    public static final int HR_ACTIVE = VAR + 5;
    public static final int HR_ACTIVE_AVAIL = VAR + 6;
    public static final int HR_TRANSIENT_AVAIL = VAR + 7;
    public static final int HR_PERSISTENT = VAR + 8;
    public static final int HR_PERSISTENT_AVAIL = VAR + 9;
    public static final int NV_COUNTERS = VAR + 10;
    public static final int NV_COUNTERS_AVAIL = VAR + 11;
    public static final int ALGORITHM_SET = VAR + 12;
    public static final int LOADED_CURVES = VAR + 13;
    public static final int LOCKOUT_COUNTER = VAR + 14;
    public static final int MAX_AUTH_FAIL = VAR + 15;
    public static final int LOCKOUT_INTERVAL = VAR + 16;
    public static final int LOCKOUT_RECOVERY = VAR + 17;
    public static final int NV_WRITE_RECOVERY = VAR + 18;
    public static final int AUDIT_COUNTER_0 = VAR + 19;
    public static final int AUDIT_COUNTER_1 = VAR + 20;

    /** TPM_PT_PCR tags (Part 2, 6.14). */
    public static final int PCR_SAVE = 0x00;
    public static final int PCR_EXTEND_L0 = 0x01;
    public static final int PCR_RESET_L0 = 0x02;
    public static final int PCR_NO_INCREMENT = 0x11;
    public static final int PCR_DRTM_RESET = 0x12;
    public static final int PCR_POLICY = 0x13;
    public static final int PCR_AUTH = 0x14;

    private TpmPt() {
    }
}
