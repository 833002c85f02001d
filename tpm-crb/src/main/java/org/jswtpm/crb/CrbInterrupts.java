package org.jswtpm.crb;

import org.jswtpm.core.ptp.InterruptLine;

import org.jswtpm.crb.CrbRegisters.Interrupt;

/**
 * TPM_CRB_INT_ENABLE_x and TPM_CRB_INT_STS_x (PTP, CRB interface interrupt registers) and the level of
 * the {@link InterruptLine} they drive: a cause is latched only when it and globalInterrupt are enabled,
 * and the line is asserted while a latched, enabled cause remains.
 *
 * <p>Not thread-safe: the owning interface serializes access.
 */
final class CrbInterrupts {
    private static final int ENABLE_WRITABLE = Interrupt.SUPPORTED | Interrupt.GLOBAL_ENABLE;

    private final InterruptLine line;
    private int enable;
    private int status;
    private boolean asserted;

    CrbInterrupts(InterruptLine line) {
        this.line = line;
    }

    int enable() {
        return enable;
    }

    int status() {
        return status;
    }

    /** TPM_CRB_INT_ENABLE written: the bytes in {@code mask} take the writable bits of {@code bits}. */
    void writeEnable(int bits, int mask) {
        enable = (enable & ~mask) | (bits & ENABLE_WRITABLE);
        update();
    }

    /** TPM_CRB_INT_STS written: each 1 clears that cause. */
    void clearStatus(int bits) {
        status &= ~bits;
        update();
    }

    /** The causes in {@code source} happened. */
    void raise(int source) {
        if ((enable & Interrupt.GLOBAL_ENABLE) == 0) {
            return;
        }
        status |= source & enable & Interrupt.SUPPORTED;
        update();
    }

    /** Platform reset: disabled, nothing latched, the line deasserted. */
    void reset() {
        enable = 0;
        status = 0;
        update();
    }

    private void update() {
        boolean level = (enable & Interrupt.GLOBAL_ENABLE) != 0 && (status & enable) != 0;
        if (level != asserted) {
            asserted = level;
            line.setLevel(level);
        }
    }
}
