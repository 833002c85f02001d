package org.jswtpm.core.testing;

/** Fixed command bytes used by the register and transport tests (TPM 2.0 Part 3 layouts, no sessions). */
public final class RawCommands {
    private RawCommands() {
    }

    /** TPM2_Startup(TPM_SU_CLEAR) (Part 3, 9.3). */
    public static byte[] startupClear() {
        return hex("80010000000c000001440000");
    }

    /** TPM2_GetRandom(bytesRequested) (Part 3, 16.1). */
    public static byte[] getRandom(int bytes) {
        return hex("80010000000c0000017b" + String.format("%04x", bytes));
    }

    /** TPM2_PCR_Read of SHA-256 PCRs 0..7 (Part 3, 22.4). */
    public static byte[] pcrReadSha256() {
        return hex("8001000000140000017e00000001000b03ff0000");
    }

    /** TPM2_PCR_Extend of PCR {@code pcr} with one SHA-256 digest of 0x5A bytes, password session (Part 3, 22.2). */
    public static byte[] pcrExtendSha256(int pcr) {
        String digest = "5a".repeat(32);
        return hex("80020000004100000182" + String.format("%08x", pcr)
                + "00000009" + "40000009" + "0000" + "00" + "0000"
                + "00000001" + "000b" + digest);
    }

    /** TPM2_GetCapability(TPM_CAP_TPM_PROPERTIES, TPM_PT_MANUFACTURER, 1) (Part 3, 30.2). */
    public static byte[] getCapabilityManufacturer() {
        return hex("8001000000160000017a000000060000010500000001");
    }

    /** TPM2_Hash of "abc" with SHA-256, no ticket hierarchy (Part 3, 15.4). */
    public static byte[] hashAbcSha256() {
        return hex("8001000000150000017d0003616263000b40000007");
    }

    /**
     * TPM2_CreatePrimary in the owner hierarchy (empty password session) of a restricted decryption
     * ECC NIST P-256 key with AES-128-CFB, the storage-key template (Part 3, 24.1).
     */
    public static byte[] createPrimaryEccP256() {
        return hex("800200000043000001314000000100000009400000090000000000000400000000001a0023000b00030072000000060080004300100003001000000000000000000000");
    }

    /** TPM2_PCR_Read of SHA-256 PCR 17 (Part 3, 22.4). */
    public static byte[] pcrReadSha256Pcr17() {
        return hex("8001000000140000017e00000001000b03000002");
    }

    public static int responseCode(byte[] response) {
        return ((response[6] & 0xFF) << 24) | ((response[7] & 0xFF) << 16) | ((response[8] & 0xFF) << 8)
                | (response[9] & 0xFF);
    }

    public static byte[] hex(String s) {
        byte[] out = new byte[s.length() / 2];
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) Integer.parseInt(s.substring(2 * i, 2 * i + 2), 16);
        }
        return out;
    }
}
