package org.jswtpm.core.ptp;

/**
 * The TPM's interrupt output (SIRQ on LPC, PIRQ# on SPI), driven as a level by the PTP register
 * interfaces: asserted while an enabled interrupt status bit is set (FIFO: TPM_INT_STATUS_x with
 * TPM_INT_ENABLE_x; CRB: TPM_CRB_INT_STS_x with TPM_CRB_INT_ENABLE_x), deasserted when software
 * clears the last one (PTP, "Interrupts").
 *
 * <p>Called with the device's lock held, from whichever thread caused the change (the caller of
 * {@code mmioWrite}, or the executor thread that completed a command). An implementation may read
 * registers again from the same thread; it should not block.
 */
@FunctionalInterface
public interface InterruptLine {
    /** A line that is never connected. */
    InterruptLine NONE = asserted -> { };

    /** The level of the line changed to {@code asserted}. */
    void setLevel(boolean asserted);
}
