package org.jswtpm.core.command;

import static org.jswtpm.core.testing.TestTpm.run;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.Arrays;
import org.jswtpm.core.StateKind;
import org.jswtpm.core.Tpm;
import org.jswtpm.core.Tpm2;
import org.jswtpm.core.TpmException;
import org.jswtpm.core.marshal.TpmReader;
import org.jswtpm.core.testing.Command;
import org.jswtpm.core.testing.TestTpm;
import org.jswtpm.core.types.TpmAlg;
import org.jswtpm.core.types.TpmCc;
import org.jswtpm.core.types.TpmRc;
import org.jswtpm.core.types.TpmSu;
import org.junit.jupiter.api.Test;

/** Part 3, 9 TPM2_Startup / TPM2_Shutdown and the TPM Reset / Restart / Resume distinction. */
class StartupTest {
    static Command startup(int type) {
        return Command.of(TpmCc.Startup).u16(type);
    }

    static byte[] readPcr(Tpm tpm, int pcr) throws TpmException {
        byte[] select = new byte[3];
        select[pcr / 8] = (byte) (1 << (pcr % 8));
        TpmReader r = run(tpm, Command.of(TpmCc.PCR_Read).u32(1).u16(TpmAlg.SHA256.id()).u8(3).bytes(select)).ok();
        r.u32();
        r.skip(4 + 2 + 1 + 3);
        assertEquals(1, r.u32());
        return r.tpm2b(64);
    }

    static void extend(Tpm tpm, int pcr) {
        run(tpm, Command.of(TpmCc.PCR_Extend).handle(pcr).emptyAuth()
                .u32(1).u16(TpmAlg.SHA256.id()).bytes(new byte[32])).ok();
    }

    static long[] clockInfo(Tpm tpm) throws TpmException {
        TpmReader r = run(tpm, Command.of(TpmCc.ReadClock)).ok();
        return new long[] {r.u64(), r.u64(), r.u32(), r.u32(), r.u8()};
    }

    @Test
    void commandsBeforeStartupAreInitialize() {
        Tpm tpm = TestTpm.fresh();
        run(tpm, Command.of(TpmCc.GetRandom).u16(8)).assertRc(TpmRc.INITIALIZE);
        run(tpm, startup(TpmSu.CLEAR)).ok();
        run(tpm, startup(TpmSu.CLEAR)).assertRc(TpmRc.INITIALIZE);
    }

    @Test
    void startupStateWithoutSavedStateIsValue() {
        Tpm tpm = TestTpm.fresh();
        run(tpm, startup(TpmSu.STATE)).assertRc(TpmRc.VALUE.parameter(1));
        run(tpm, startup(7)).assertRc(TpmRc.VALUE.parameter(1));
    }

    @Test
    void resumeKeepsSavedPcrsAndResetsTheOthers() throws TpmException {
        Tpm tpm = TestTpm.started();
        extend(tpm, 5);
        extend(tpm, 16);
        byte[] pcr5 = readPcr(tpm, 5);
        run(tpm, Command.of(TpmCc.Shutdown).u16(TpmSu.STATE)).ok();
        tpm.init();
        run(tpm, startup(TpmSu.STATE)).ok();
        assertArrayEquals(pcr5, readPcr(tpm, 5));
        assertArrayEquals(new byte[32], readPcr(tpm, 16));
        long[] clock = clockInfo(tpm);
        assertEquals(1, clock[2], "resetCount");
        assertEquals(1, clock[3], "restartCount");
        assertEquals(1, clock[4], "safe after an orderly shutdown");
    }

    @Test
    void resetAfterDisorderlyShutdownClearsPcrsAndCountsAReset() throws TpmException {
        Tpm tpm = TestTpm.started();
        extend(tpm, 5);
        tpm.init();
        run(tpm, startup(TpmSu.STATE)).assertRc(TpmRc.VALUE.parameter(1));
        run(tpm, startup(TpmSu.CLEAR)).ok();
        assertArrayEquals(new byte[32], readPcr(tpm, 5));
        long[] clock = clockInfo(tpm);
        assertEquals(2, clock[2]);
        assertEquals(0, clock[3]);
        assertEquals(0, clock[4], "not safe after a disorderly shutdown");
    }

    @Test
    void restartAfterShutdownStateWithStartupClear() throws TpmException {
        Tpm tpm = TestTpm.started();
        extend(tpm, 5);
        run(tpm, Command.of(TpmCc.Shutdown).u16(TpmSu.STATE)).ok();
        tpm.init();
        run(tpm, startup(TpmSu.CLEAR)).ok();
        assertArrayEquals(new byte[32], readPcr(tpm, 5));
        long[] clock = clockInfo(tpm);
        assertEquals(1, clock[2]);
        assertEquals(1, clock[3]);
    }

    @Test
    void saveStateSurvivesARebuildFromBlobs() throws Exception {
        Tpm tpm = TestTpm.started();
        extend(tpm, 3);
        byte[] pcr3 = readPcr(tpm, 3);
        run(tpm, Command.of(TpmCc.Shutdown).u16(TpmSu.STATE)).ok();
        byte[] permanent = tpm.getState(StateKind.PERMANENT);
        byte[] save = tpm.getState(StateKind.SAVE_STATE);
        Tpm again = Tpm2.builder().state(StateKind.PERMANENT, permanent).state(StateKind.SAVE_STATE, save).build();
        run(again, startup(TpmSu.STATE)).ok();
        assertArrayEquals(pcr3, readPcr(again, 3));
        assertEquals(null, again.getState(StateKind.SAVE_STATE), "a save-state is used once");
    }

    @Test
    void stoppedTpmAnswersFailure() {
        Tpm tpm = TestTpm.started();
        tpm.stop();
        assertFalse(tpm.isRunning());
        assertArrayEquals(new byte[] {(byte) 0x80, 1, 0, 0, 0, 10, 0, 0, 1, 1},
                tpm.execute(Command.of(TpmCc.GetRandom).u16(1).build()));
    }

    @Test
    void pcrZeroRecordsALocalityThreeStartup() throws TpmException {
        Tpm tpm = TestTpm.fresh();
        assertEquals(0, TestTpm.run(tpm, 3, startup(TpmSu.CLEAR)).rc);
        byte[] expected = new byte[32];
        expected[31] = 3;
        assertArrayEquals(expected, readPcr(tpm, 0));
        byte[] ones = new byte[32];
        Arrays.fill(ones, (byte) 0xFF);
        assertArrayEquals(ones, readPcr(tpm, 17));
    }
}
