package org.jswtpm.crb;

import static org.jswtpm.crb.CrbRegisters.CTRL_CMD_HADDR;
import static org.jswtpm.crb.CrbRegisters.CTRL_CMD_LADDR;
import static org.jswtpm.crb.CrbRegisters.CTRL_CMD_SIZE;
import static org.jswtpm.crb.CrbRegisters.CTRL_RSP_ADDR;
import static org.jswtpm.crb.CrbRegisters.CTRL_RSP_SIZE;
import static org.jswtpm.crb.CrbRegisters.DATA_BUFFER;
import static org.jswtpm.crb.CrbRegisters.DATA_BUFFER_SIZE;
import static org.jswtpm.crb.CrbRegisters.LOCALITY_COUNT;
import static org.jswtpm.crb.CrbRegisters.LOCALITY_STRIDE;

/**
 * TPM_CRB_CTRL_CMD_SIZE_x, _CMD_LADDR_x, _CMD_HADDR_x, _RSP_SIZE_x and _RSP_ADDR_x (PTP, CRB control
 * area) of each locality. They reset to the data buffer inside that locality's page, as mapped at the
 * region's base address; software may write them (EDK2 writes the same values back) and reads back what
 * it wrote. They describe the buffer to software; the model always uses its own data buffer.
 *
 * <p>Not thread-safe: the owning interface serializes access.
 */
final class BufferAddressRegisters {
    private static final long LOW = 0xFFFF_FFFFL;

    private final long baseAddress;
    private final long[] commandAddress = new long[LOCALITY_COUNT];
    private final long[] responseAddress = new long[LOCALITY_COUNT];
    private final int[] commandSize = new int[LOCALITY_COUNT];
    private final int[] responseSize = new int[LOCALITY_COUNT];

    BufferAddressRegisters(long baseAddress) {
        this.baseAddress = baseAddress;
        reset();
    }

    static boolean contains(int base) {
        return base >= CTRL_CMD_SIZE && base <= CTRL_RSP_ADDR + 4;
    }

    /** The 32-bit register at {@code base} of {@code locality}. */
    long read(int locality, int base) {
        switch (base) {
            case CTRL_CMD_SIZE: return commandSize[locality] & LOW;
            case CTRL_CMD_LADDR: return commandAddress[locality] & LOW;
            case CTRL_CMD_HADDR: return commandAddress[locality] >>> 32;
            case CTRL_RSP_SIZE: return responseSize[locality] & LOW;
            case CTRL_RSP_ADDR: return responseAddress[locality] & LOW;
            default: return responseAddress[locality] >>> 32;
        }
    }

    /** Writes the bytes of {@code bits} selected by {@code mask} into the register at {@code base}. */
    void write(int locality, int base, int bits, int mask) {
        switch (base) {
            case CTRL_CMD_SIZE: commandSize[locality] = (commandSize[locality] & ~mask) | bits; break;
            case CTRL_CMD_LADDR: commandAddress[locality] = merge(commandAddress[locality], bits, mask, 0); break;
            case CTRL_CMD_HADDR: commandAddress[locality] = merge(commandAddress[locality], bits, mask, 32); break;
            case CTRL_RSP_SIZE: responseSize[locality] = (responseSize[locality] & ~mask) | bits; break;
            case CTRL_RSP_ADDR: responseAddress[locality] = merge(responseAddress[locality], bits, mask, 0); break;
            default: responseAddress[locality] = merge(responseAddress[locality], bits, mask, 32); break;
        }
    }

    /** Back to the data buffer of each locality's page. */
    void reset() {
        for (int l = 0; l < LOCALITY_COUNT; l++) {
            long buffer = baseAddress + (long) l * LOCALITY_STRIDE + DATA_BUFFER;
            commandAddress[l] = buffer;
            responseAddress[l] = buffer;
            commandSize[l] = DATA_BUFFER_SIZE;
            responseSize[l] = DATA_BUFFER_SIZE;
        }
    }

    private static long merge(long old, int bits, int mask, int shift) {
        return (old & ~((mask & LOW) << shift)) | ((bits & LOW) << shift);
    }
}
