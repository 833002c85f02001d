package org.jswtpm.core.engine;

import org.jswtpm.core.TimeSource;

/**
 * The TPM's Time and Clock (TCG TPM 2.0 Part 1, 36 "Timing"). Time counts milliseconds since
 * {@code _TPM_Init}; Clock counts milliseconds the TPM has been powered over its whole life, can be
 * advanced by TPM2_ClockSet and have its rate adjusted by TPM2_ClockRateAdjust, and is persisted
 * periodically. The rate arithmetic follows the reference design: a nominal count of 30000 that coarse,
 * medium and fine adjustments move by 300, 30 and 1, within 15%.
 */
public final class TpmClock {
    static final int NOMINAL = 30000;
    static final int LIMIT = NOMINAL * 15 / 100;
    private static final int[] STEP = {300, 30, 1};

    private final TimeSource source;
    private long initHost;
    private long clockBase;
    private long hostBase;
    private int rate = NOMINAL;

    TpmClock(TimeSource source) {
        this.source = source;
    }

    /** _TPM_Init: Time restarts at zero, Clock continues from {@code persistedClock}. */
    void powerOn(long persistedClock) {
        initHost = source.millis();
        hostBase = initHost;
        clockBase = persistedClock;
        rate = NOMINAL;
    }

    /** Milliseconds since _TPM_Init. */
    public long time() {
        return source.millis() - initHost;
    }

    /** The current Clock value in milliseconds. */
    public long clock() {
        long elapsed = source.millis() - hostBase;
        return clockBase + elapsed * NOMINAL / rate;
    }

    /** Sets Clock to {@code value} from now on. */
    public void set(long value) {
        hostBase = source.millis();
        clockBase = value;
    }

    /**
     * Applies a TPM_CLOCK_ADJUST value (-3..3): negative speeds Clock up, positive slows it, 0
     * returns to the nominal rate.
     */
    public void adjust(int clockAdjust) {
        set(clock());
        if (clockAdjust == 0) {
            rate = NOMINAL;
            return;
        }
        int step = STEP[3 - Math.abs(clockAdjust)];
        int next = rate + (clockAdjust > 0 ? step : -step);
        rate = Math.max(NOMINAL - LIMIT, Math.min(NOMINAL + LIMIT, next));
    }
}
