package org.jswtpm.core.state;

/**
 * The PCR attributes of the PC Client platform (TCG PC Client Platform TPM Profile, Table "PCR
 * attributes"; TCG PC Client Platform Firmware Profile, 3.3.4): which PCRs survive
 * {@code TPM2_Shutdown(STATE)}, which localities may extend and reset each one, which are reset by
 * {@code _TPM_Hash_Start}, and which do not advance the PCR update counter. The values are those
 * libtpms (and so swtpm) uses, so that jswtpm and swtpm answer the same commands the same way.
 */
public final class PcrAttributes {
    /** Number of PCRs per bank (TPM_PT_PCR_COUNT). */
    public static final int PCR_COUNT = 24;
    /** Bytes in a PCR selection bitmap (TPM_PT_PCR_SELECT_MIN). */
    public static final int SELECT_SIZE = 3;

    // bit n = locality n
    private static final int[] EXTEND = new int[PCR_COUNT];
    private static final int[] RESET = new int[PCR_COUNT];
    private static final int SAVE_MASK = 0x00FFFF;            // PCR 0-15
    private static final int NO_INCREMENT_MASK = (1 << 16) | (1 << 21) | (1 << 22) | (1 << 23);
    private static final int DRTM_MASK = 0x7E0000;            // PCR 17-22
    /**
     * PCRs 20-22: the one policy group and the one authValue group libtpms 0.9 has (its PlatformPcr.c),
     * reported as TPM_PT_PCR_POLICY and TPM_PT_PCR_AUTH.
     */
    public static final int POLICY_GROUP_MASK = 0x700000;
    public static final int AUTH_GROUP_MASK = 0x700000;

    static {
        for (int i = 0; i < 16; i++) {
            EXTEND[i] = 0x1F;
            RESET[i] = 0;
        }
        set(16, 0x0F, 0x1F);
        set(17, 0x10, 0x1C);
        set(18, 0x10, 0x1C);
        set(19, 0x10, 0x0C);
        set(20, 0x14, 0x0E);
        set(21, 0x14, 0x04);
        set(22, 0x14, 0x04);
        set(23, 0x0F, 0x1F);
    }

    private static void set(int pcr, int reset, int extend) {
        RESET[pcr] = reset;
        EXTEND[pcr] = extend;
    }

    private PcrAttributes() {
    }

    public static boolean canExtend(int pcr, int locality) {
        return (EXTEND[pcr] & (1 << locality)) != 0;
    }

    public static boolean canReset(int pcr, int locality) {
        return (RESET[pcr] & (1 << locality)) != 0;
    }

    /** True if the PCR keeps its value across Shutdown(STATE) / Startup(STATE). */
    public static boolean isSaved(int pcr) {
        return (SAVE_MASK & (1 << pcr)) != 0;
    }

    /** True if changing the PCR does not advance pcrUpdateCounter. */
    public static boolean isNoIncrement(int pcr) {
        return (NO_INCREMENT_MASK & (1 << pcr)) != 0;
    }

    /** True if the PCR belongs to the (single) policy group. */
    public static boolean inPolicyGroup(int pcr) {
        return pcr >= 0 && pcr < PCR_COUNT && (POLICY_GROUP_MASK & (1 << pcr)) != 0;
    }

    /** True if the PCR belongs to the (single) authValue group. */
    public static boolean inAuthGroup(int pcr) {
        return pcr >= 0 && pcr < PCR_COUNT && (AUTH_GROUP_MASK & (1 << pcr)) != 0;
    }

    /** True if {@code _TPM_Hash_Start} resets the PCR. */
    public static boolean isDrtm(int pcr) {
        return (DRTM_MASK & (1 << pcr)) != 0;
    }

    /** The byte every octet of the PCR holds after initialization: all ones for locality-4 PCRs. */
    public static int initialFill(int pcr) {
        return (RESET[pcr] & 0x10) != 0 ? 0xFF : 0x00;
    }

    /**
     * The 24-bit map of PCRs that have property {@code tag} (TPM_PT_PCR, Part 2, 6.14), or -1 if the
     * tag names no property.
     */
    public static int propertyMap(int tag) {
        if (tag >= 0x01 && tag <= 0x0A) {
            int locality = (tag - 1) / 2;
            boolean extend = (tag & 1) == 1;
            int map = 0;
            for (int pcr = 0; pcr < PCR_COUNT; pcr++) {
                if (extend ? canExtend(pcr, locality) : canReset(pcr, locality)) {
                    map |= 1 << pcr;
                }
            }
            return map;
        }
        switch (tag) {
            case 0x00: return SAVE_MASK;
            case 0x11: return NO_INCREMENT_MASK;
            case 0x12: return DRTM_MASK;
            case 0x13: return POLICY_GROUP_MASK;
            case 0x14: return AUTH_GROUP_MASK;
            default: return -1;
        }
    }
}
