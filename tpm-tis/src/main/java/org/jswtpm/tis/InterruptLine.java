package org.jswtpm.tis;

/**
 * The TPM's interrupt output (SIRQ on LPC, PIRQ# on SPI). The FIFO interface drives it as a level: it is
 * asserted while some locality has an enabled, globally-enabled bit set in its TPM_INT_STATUS_x, and
 * deasserted when software clears the last one (PTP, FIFO interface, "Interrupts").
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
