package org.jswtpm.swtpm.interop;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Raw TPM 2.0 commands the end-to-end tests send as hex (the clock is the cheapest state that must
 * survive a restart), and a byte search for markers in state files and key blobs.
 */
final class RawTpm {
    /** TPM2_ReadClock. */
    static final String READ_CLOCK = "80010000000a00000181";

    private RawTpm() {
    }

    /** TPM2_ClockSet(TPM_RH_OWNER, newTime) with an empty password session. */
    static String clockSet(long newTime) {
        return "800200000023" + "00000128" + "40000001" + "00000009" + "40000009" + "0000" + "00" + "0000"
                + String.format("%016x", newTime);
    }

    /** The Clock field of a TPM2_ReadClock response. */
    static long clock(String readClock) {
        assertTrue(readClock.startsWith("80010000002300000000"), readClock);
        return Long.parseUnsignedLong(readClock.substring(36, 52), 16);
    }

    /** The first index of {@code needle} in {@code haystack}, or -1. */
    static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
