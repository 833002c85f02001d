package org.jswtpm.core.command;

import org.jswtpm.core.TpmException;
import org.jswtpm.core.engine.CommandContext;
import org.jswtpm.core.engine.CommandHandler;
import org.jswtpm.core.engine.TpmEngine;
import org.jswtpm.core.marshal.TpmReader;
import org.jswtpm.core.marshal.TpmWriter;
import org.jswtpm.core.state.PermanentState;
import org.jswtpm.core.types.TpmRc;

/** TCG TPM 2.0 Part 3, 29 "Clocks and timers". */
final class ClockCommands {
    /** Clock may not be set at or beyond this value (Part 3, 29.2: 0xFFFF000000000000). */
    static final long CLOCK_MAX = 0xFFFF000000000000L;

    private ClockCommands() {
    }

    /** Writes TPMS_TIME_INFO (Part 2, 10.11.6): time, then TPMS_CLOCK_INFO. */
    static void writeTimeInfo(TpmWriter out, TpmEngine tpm) {
        out.u64(tpm.clock().time());
        writeClockInfo(out, tpm);
    }

    /** Writes TPMS_CLOCK_INFO (Part 2, 10.11.1): clock, resetCount, restartCount, safe. */
    static void writeClockInfo(TpmWriter out, TpmEngine tpm) {
        PermanentState p = tpm.permanent();
        out.u64(tpm.clock().clock()).u32(p.resetCount).u32(p.restartCount);
        out.u8(tpm.runtime().clockSafe ? 1 : 0);
    }

    /** Part 3, 29.1 TPM2_ReadClock. */
    static final class ReadClock implements CommandHandler.NoParameters {
        @Override
        public void execute(CommandContext ctx, TpmWriter out) {
            writeTimeInfo(out, ctx.tpm());
        }
    }

    /**
     * Part 3, 29.2 TPM2_ClockSet: advances Clock (owner or platform authorization). TPM_RC_VALUE if
     * newTime is below the current Clock or at or above 0xFFFF000000000000.
     */
    static final class ClockSet implements CommandHandler<Long> {
        @Override
        public Long parse(TpmReader in) throws TpmException {
            return in.parameter(1).u64();
        }

        @Override
        public void execute(CommandContext ctx, Long newTime, TpmWriter out) throws TpmException {
            TpmEngine tpm = ctx.tpm();
            if (Long.compareUnsigned(newTime, CLOCK_MAX) >= 0
                    || Long.compareUnsigned(newTime, tpm.clock().clock()) < 0) {
                throw new TpmException(TpmRc.VALUE.parameter(1));
            }
            tpm.clock().set(newTime);
            ctx.persist();
        }
    }

    /** Part 3, 29.3 TPM2_ClockRateAdjust. TPM_RC_VALUE for an adjustment outside -3..3. */
    static final class ClockRateAdjust implements CommandHandler<Integer> {
        @Override
        public Integer parse(TpmReader in) throws TpmException {
            int adjust = (byte) in.parameter(1).u8();
            if (adjust < -3 || adjust > 3) {
                throw in.error(TpmRc.VALUE);
            }
            return adjust;
        }

        @Override
        public void execute(CommandContext ctx, Integer adjust, TpmWriter out) {
            ctx.tpm().clock().adjust(adjust);
        }
    }
}
