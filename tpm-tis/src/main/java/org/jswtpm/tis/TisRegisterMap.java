package org.jswtpm.tis;

import static org.jswtpm.tis.TisRegisters.ACCESS;
import static org.jswtpm.tis.TisRegisters.DATA_FIFO;
import static org.jswtpm.tis.TisRegisters.DID_VID;
import static org.jswtpm.tis.TisRegisters.HASH_END;
import static org.jswtpm.tis.TisRegisters.HASH_START;
import static org.jswtpm.tis.TisRegisters.INTERFACE_ID;
import static org.jswtpm.tis.TisRegisters.INTF_CAPABILITY;
import static org.jswtpm.tis.TisRegisters.INT_ENABLE;
import static org.jswtpm.tis.TisRegisters.INT_STATUS;
import static org.jswtpm.tis.TisRegisters.INT_VECTOR;
import static org.jswtpm.tis.TisRegisters.RID;
import static org.jswtpm.tis.TisRegisters.STS;
import static org.jswtpm.tis.TisRegisters.XDATA_FIFO;
import static org.jswtpm.tis.TisRegisters.XDATA_FIFO_END;

/**
 * Which register a byte offset of a locality page belongs to (PTP, FIFO register space: PTP 1.05 r14,
 * Table 19): the FIFO windows, the one-byte registers, the four-byte registers, and the hash registers
 * that exist only in locality 4's page.
 */
final class TisRegisterMap {
    /** Returned by {@link #registerBase} for bytes no register implements. */
    static final int NONE = -1;

    private TisRegisterMap() {
    }

    /** True for TPM_DATA_FIFO_x (4 bytes) and the TPM_XDATA_FIFO_x window. */
    static boolean isFifo(int reg) {
        return (reg >= DATA_FIFO && reg < DATA_FIFO + 4) || (reg >= XDATA_FIFO && reg <= XDATA_FIFO_END);
    }

    /** How many of an access's {@code size} bytes at {@code reg} fall inside its FIFO window. */
    static int fifoBytes(int reg, int size) {
        int end = reg < XDATA_FIFO ? DATA_FIFO + 4 : XDATA_FIFO_END + 1;
        return Math.min(size, end - reg);
    }

    /** True for TPM_HASH_START and TPM_HASH_END, which act on a write to their first byte only. */
    static boolean isHashRegister(int base) {
        return base == HASH_START || base == HASH_END;
    }

    /** The offset of the register containing byte {@code reg} of {@code locality}'s page, or {@link #NONE}. */
    static int registerBase(int locality, int reg) {
        if (reg == ACCESS || reg == INT_VECTOR || reg == RID) {
            return reg;
        }
        int aligned = reg & ~3;
        switch (aligned) {
            case INT_ENABLE: case INT_STATUS: case INTF_CAPABILITY: case STS: case INTERFACE_ID: case DID_VID:
                return aligned;
            case HASH_END:
                return locality == 4 ? HASH_END : NONE;
            case HASH_START: case HASH_START + 4:
                return locality == 4 ? HASH_START : NONE;
            default:
                return NONE;
        }
    }

    /** The length in bytes of the register at {@code base}. */
    static int registerLength(int base) {
        switch (base) {
            case ACCESS: case INT_VECTOR: case RID:
                return 1;
            case HASH_START:
                return 8;
            default:
                return 4;
        }
    }
}
