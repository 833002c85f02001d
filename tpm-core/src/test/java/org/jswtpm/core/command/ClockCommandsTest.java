package org.jswtpm.core.command;

import static org.jswtpm.core.testing.TestTpm.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.jswtpm.core.StateKind;
import org.jswtpm.core.Tpm;
import org.jswtpm.core.Tpm2;
import org.jswtpm.core.TpmException;
import org.jswtpm.core.marshal.TpmReader;
import org.jswtpm.core.testing.Command;
import org.jswtpm.core.testing.TestTpm;
import org.jswtpm.core.types.TpmCc;
import org.jswtpm.core.types.TpmRc;
import org.jswtpm.core.types.TpmRh;
import org.jswtpm.core.types.TpmSu;
import org.junit.jupiter.api.Test;

/** Part 3, 29: ReadClock, ClockSet, ClockRateAdjust against a hand-driven time source. */
class ClockCommandsTest {
    static long[] read(Tpm tpm) throws TpmException {
        TpmReader r = run(tpm, Command.of(TpmCc.ReadClock)).ok();
        return new long[] {r.u64(), r.u64()};
    }

    @Test
    void timeAndClockFollowThePlatformTimer() throws TpmException {
        TestTpm.ManualTime time = new TestTpm.ManualTime();
        Tpm tpm = TestTpm.fresh(time);
        run(tpm, Command.of(TpmCc.Startup).u16(TpmSu.CLEAR)).ok();
        long[] before = read(tpm);
        time.advance(1500);
        long[] after = read(tpm);
        assertEquals(1500, after[0] - before[0], "time");
        assertEquals(1500, after[1] - before[1], "clock");
    }

    @Test
    void clockSetOnlyMovesForward() throws TpmException {
        Tpm tpm = TestTpm.started();
        long now = read(tpm)[1];
        run(tpm, Command.of(TpmCc.ClockSet).handle(TpmRh.OWNER).emptyAuth().u64(now + 1_000_000)).ok();
        assertEquals(now + 1_000_000, read(tpm)[1]);
        run(tpm, Command.of(TpmCc.ClockSet).handle(TpmRh.OWNER).emptyAuth().u64(now))
                .assertRc(TpmRc.VALUE.parameter(1));
        run(tpm, Command.of(TpmCc.ClockSet).handle(TpmRh.PLATFORM).emptyAuth().u64(0xFFFF000000000000L))
                .assertRc(TpmRc.VALUE.parameter(1));
        run(tpm, Command.of(TpmCc.ClockSet).handle(TpmRh.ENDORSEMENT).emptyAuth().u64(now))
                .assertRc(TpmRc.VALUE.handle(1));
    }

    @Test
    void clockSetIsPersistedAndSurvivesARestart() throws Exception {
        Tpm tpm = TestTpm.started();
        run(tpm, Command.of(TpmCc.ClockSet).handle(TpmRh.OWNER).emptyAuth().u64(5_000_000)).ok();
        byte[] permanent = tpm.getState(StateKind.PERMANENT);
        Tpm again = Tpm2.builder().state(StateKind.PERMANENT, permanent).timeSource(new TestTpm.ManualTime()).build();
        run(again, Command.of(TpmCc.Startup).u16(TpmSu.CLEAR)).ok();
        assertTrue(read(again)[1] >= 5_000_000);
    }

    @Test
    void rateAdjustSlowsAndSpeedsTheClock() throws TpmException {
        TestTpm.ManualTime time = new TestTpm.ManualTime();
        Tpm tpm = TestTpm.fresh(time);
        run(tpm, Command.of(TpmCc.Startup).u16(TpmSu.CLEAR)).ok();
        run(tpm, Command.of(TpmCc.ClockRateAdjust).handle(TpmRh.OWNER).emptyAuth().u8(3)).ok();
        long c0 = read(tpm)[1];
        time.advance(30_300);
        assertEquals(30_000, read(tpm)[1] - c0, "coarse slower: 1% slower");
        run(tpm, Command.of(TpmCc.ClockRateAdjust).handle(TpmRh.OWNER).emptyAuth().u8(0)).ok();
        long c1 = read(tpm)[1];
        time.advance(1000);
        assertEquals(1000, read(tpm)[1] - c1);
        run(tpm, Command.of(TpmCc.ClockRateAdjust).handle(TpmRh.OWNER).emptyAuth().u8(4))
                .assertRc(TpmRc.VALUE.parameter(1));
    }
}
