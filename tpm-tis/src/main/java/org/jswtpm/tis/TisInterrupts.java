package org.jswtpm.tis;

import org.jswtpm.core.ptp.InterruptLine;

import org.jswtpm.tis.TisRegisters.Interrupt;

/**
 * The interrupt registers of each locality (PTP, FIFO interface: TPM_INT_ENABLE_x, TPM_INT_VECTOR_x,
 * TPM_INT_STATUS_x) and the level of the {@link InterruptLine} they drive: a cause is latched into a
 * locality's status only when that locality enables it and globalIntEnable is set, and the line is
 * asserted while any latched, enabled cause remains.
 *
 * <p>Not thread-safe: the owning interface serializes access.
 */
final class TisInterrupts {
    /** typePolarity reads 01b (low level, the mandatory mode) after reset. */
    private static final int RESET_ENABLE = 1 << 3;
    private static final int ENABLE_WRITABLE =
            Interrupt.SUPPORTED | Interrupt.TYPE_POLARITY_MASK | Interrupt.GLOBAL_INT_ENABLE;
    private static final int VECTOR_MASK = 0xF;

    private final InterruptLine line;
    private final int[] enable = new int[TisRegisters.LOCALITY_COUNT];
    private final int[] vector = new int[TisRegisters.LOCALITY_COUNT];
    private final int[] status = new int[TisRegisters.LOCALITY_COUNT];
    private boolean asserted;

    TisInterrupts(InterruptLine line) {
        this.line = line;
        reset();
    }

    int enable(int locality) {
        return enable[locality];
    }

    int vector(int locality) {
        return vector[locality];
    }

    int status(int locality) {
        return status[locality];
    }

    /** TPM_INT_ENABLE_x written: the bytes in {@code mask} take the writable bits of {@code bits}. */
    void writeEnable(int locality, int bits, int mask) {
        enable[locality] = (enable[locality] & ~mask) | (bits & ENABLE_WRITABLE);
        update();
    }

    /** TPM_INT_VECTOR_x written: sirqVec, bits 3:0. */
    void writeVector(int locality, int bits) {
        vector[locality] = bits & VECTOR_MASK;
    }

    /** TPM_INT_STATUS_x written: each 1 clears that cause. */
    void clearStatus(int locality, int bits) {
        status[locality] &= ~bits;
        update();
    }

    /** The causes in {@code source} happened for {@code locality} (ignored when it is negative). */
    void raise(int locality, int source) {
        if (locality < 0 || (enable[locality] & Interrupt.GLOBAL_INT_ENABLE) == 0) {
            return;
        }
        status[locality] |= source & enable[locality] & Interrupt.SUPPORTED;
        update();
    }

    /** Platform reset: interrupts disabled, nothing latched, the line deasserted. */
    void reset() {
        for (int l = 0; l < TisRegisters.LOCALITY_COUNT; l++) {
            enable[l] = RESET_ENABLE;
            vector[l] = 0;
            status[l] = 0;
        }
        update();
    }

    private void update() {
        boolean level = false;
        for (int l = 0; l < TisRegisters.LOCALITY_COUNT; l++) {
            if ((enable[l] & Interrupt.GLOBAL_INT_ENABLE) != 0 && (status[l] & enable[l]) != 0) {
                level = true;
            }
        }
        if (level != asserted) {
            asserted = level;
            line.setLevel(level);
        }
    }
}
