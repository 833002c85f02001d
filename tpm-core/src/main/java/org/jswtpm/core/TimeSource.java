package org.jswtpm.core;

/**
 * The platform's monotonic millisecond timer, from which the TPM derives {@code Time} and
 * {@code Clock} (TCG TPM 2.0 Part 1, 36 "Timing"). Tests pass a fixed or hand-driven source.
 */
@FunctionalInterface
public interface TimeSource {
    /** Milliseconds from an arbitrary origin; never decreases. */
    long millis();

    /** The system's monotonic timer. */
    TimeSource SYSTEM = () -> System.nanoTime() / 1_000_000L;
}
