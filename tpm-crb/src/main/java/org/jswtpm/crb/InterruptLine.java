package org.jswtpm.crb;

/**
 * The TPM's interrupt output. The CRB interface drives it as a level: it is asserted while
 * TPM_CRB_INT_STS_x has a bit set that TPM_CRB_INT_ENABLE_x enables (with globalInterrupt enable), and
 * deasserted when software clears the last one (PTP, CRB interface, interrupt registers).
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
