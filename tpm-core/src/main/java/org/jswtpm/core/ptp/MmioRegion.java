package org.jswtpm.core.ptp;

/**
 * The geometry of a PC Client PTP register region, shared by the FIFO (TIS) and CRB interfaces: five
 * localities, each a 4 KiB page (PTP, "Locality" / register space address map), accessed with 1-, 2- or
 * 4-byte little-endian MMIO reads and writes that never cross a locality's page.
 */
public final class MmioRegion {
    /** Bytes between the register pages of consecutive localities. */
    public static final int LOCALITY_STRIDE = 0x1000;
    /** Localities 0 to 4. */
    public static final int LOCALITY_COUNT = 5;
    /** The whole region. */
    public static final int REGION_SIZE = LOCALITY_STRIDE * LOCALITY_COUNT;

    private MmioRegion() {
    }

    /** True for an access of 1, 2 or 4 bytes inside the region that stays within one locality's page. */
    public static boolean isValidAccess(long offset, int size) {
        if (size != 1 && size != 2 && size != 4) {
            return false;
        }
        return offset >= 0 && offset <= REGION_SIZE - size
                && offset / LOCALITY_STRIDE == (offset + size - 1) / LOCALITY_STRIDE;
    }

    /** A value of {@code bytes} bytes with every bit set (what an unanswered read returns). */
    public static long allOnes(int bytes) {
        return bytes >= 8 ? -1L : (1L << (8 * bytes)) - 1;
    }

    /** The locality whose page holds {@code offset}. */
    public static int locality(long offset) {
        return (int) (offset / LOCALITY_STRIDE);
    }

    /** {@code offset} within its locality's page. */
    public static int register(long offset) {
        return (int) (offset % LOCALITY_STRIDE);
    }
}
