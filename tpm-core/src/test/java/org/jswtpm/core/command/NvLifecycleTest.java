package org.jswtpm.core.command;

import static org.jswtpm.core.command.Nv.INDEX;
import static org.jswtpm.core.command.Nv.NONE;
import static org.jswtpm.core.command.Nv.OWNER;
import static org.jswtpm.core.command.Nv.OWNER_RW;
import static org.jswtpm.core.command.Nv.PLATFORM;
import static org.jswtpm.core.command.Nv.type;
import static org.jswtpm.core.testing.TestTpm.run;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.jswtpm.core.StateKind;
import org.jswtpm.core.Tpm;
import org.jswtpm.core.Tpm2;
import org.jswtpm.core.TpmException;
import org.jswtpm.core.engine.TpmEngine;
import org.jswtpm.core.marshal.TpmReader;
import org.jswtpm.core.state.NvStore;
import org.jswtpm.core.testing.Command;
import org.jswtpm.core.testing.Response;
import org.jswtpm.core.testing.TestTpm;
import org.jswtpm.core.types.TpmCc;
import org.jswtpm.core.types.TpmRc;
import org.jswtpm.core.types.TpmSu;
import org.jswtpm.core.types.TpmaNv;
import org.junit.jupiter.api.Test;

/**
 * NV indices across TPM Reset, TPM Restart, TPM Resume and power loss (Part 1, 37; Part 3, 31 and the
 * STCLEAR / ORDERLY attributes), and the rule that every NV change reaches the state sink before the
 * response to the command that made it.
 */
class NvLifecycleTest {
    /** Records every permanent blob the TPM hands out. */
    static final class RecordingSink implements org.jswtpm.core.StateSink {
        final List<byte[]> permanent = new ArrayList<>();

        @Override
        public void stateChanged(StateKind kind, byte[] blob) {
            if (kind == StateKind.PERMANENT) {
                permanent.add(blob.clone());
            }
        }

        byte[] last() {
            return permanent.get(permanent.size() - 1);
        }
    }

    private final RecordingSink sink = new RecordingSink();
    private Tpm tpm = build(null);

    private Tpm build(byte[] permanent) {
        try {
            Tpm2.Builder b = Tpm2.builder().deterministicSeed(TestTpm.SEED).timeSource(new TestTpm.ManualTime())
                    .stateSink(sink);
            if (permanent != null) {
                b.state(StateKind.PERMANENT, permanent);
            }
            Tpm t = b.build();
            run(t, Command.of(TpmCc.Startup).u16(TpmSu.CLEAR)).ok();
            return t;
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private void shutdownAndStart(int shutdown, int startup) {
        run(tpm, Command.of(TpmCc.Shutdown).u16(shutdown)).ok();
        tpm.init();
        run(tpm, Command.of(TpmCc.Startup).u16(startup)).ok();
    }

    private void reset() {
        shutdownAndStart(TpmSu.CLEAR, TpmSu.CLEAR);
    }

    private void restart() {
        shutdownAndStart(TpmSu.STATE, TpmSu.CLEAR);
    }

    private void resume() {
        shutdownAndStart(TpmSu.STATE, TpmSu.STATE);
    }

    /** Power lost without TPM2_Shutdown, then a TPM Reset. */
    private void powerLoss() {
        tpm.init();
        run(tpm, Command.of(TpmCc.Startup).u16(TpmSu.CLEAR)).ok();
    }

    private int attributes(int index) throws TpmException {
        return NvCommandsTest.readPublic(tpm, index).attributes();
    }

    private long counter(Tpm t) throws TpmException {
        return counter(t, INDEX);
    }

    private static long counter(Tpm t, int index) throws TpmException {
        TpmReader r = run(t, Nv.read(OWNER, index, NONE, 8, 0)).okWithSessions(0);
        return new TpmReader(r.tpm2b(8)).u64();
    }

    /** Runs {@code c}, asserting success and that exactly {@code blobs} permanent blobs were stored meanwhile. */
    private Response stored(Command c, int blobs) {
        int before = sink.permanent.size();
        Response r = run(tpm, c);
        assertEquals(0, r.rc, () -> "rc " + TpmRc.of(r.rc));
        assertEquals(blobs, sink.permanent.size() - before, "permanent blobs stored by " + c);
        return r;
    }

    @Test
    void everyNvChangeIsStoredBeforeTheResponse() throws Exception {
        int lockable = OWNER_RW | TpmaNv.WRITE_STCLEAR | TpmaNv.READ_STCLEAR | TpmaNv.GLOBALLOCK;
        stored(Nv.define(OWNER, NONE, INDEX, lockable, 8), 1);
        stored(Nv.define(OWNER, NONE, INDEX + 1, OWNER_RW | type(TpmaNv.NT_COUNTER), 8), 1);
        stored(Nv.define(OWNER, NONE, INDEX + 2, OWNER_RW | type(TpmaNv.NT_BITS), 8), 1);
        stored(Nv.define(OWNER, NONE, INDEX + 3, OWNER_RW | type(TpmaNv.NT_EXTEND), 32), 1);
        stored(Nv.write(OWNER, INDEX, NONE, "12345678".getBytes(), 0), 1);
        stored(Nv.increment(OWNER, INDEX + 1, NONE), 1);
        stored(Nv.setBits(OWNER, INDEX + 2, NONE, 6), 1);
        stored(Nv.extend(OWNER, INDEX + 3, NONE, "m".getBytes()), 1);
        stored(Nv.read(OWNER, INDEX, NONE, 8, 0), 0);
        stored(Nv.readPublic(INDEX), 0);
        Tpm copy = build(sink.last());
        assertArrayEquals("12345678".getBytes(), run(copy, Nv.read(OWNER, INDEX, NONE, 8, 0)).okWithSessions(0).tpm2b(8));
        assertEquals(1, counter(copy, INDEX + 1));
        stored(Nv.readLock(OWNER, INDEX, NONE), 1);
        stored(Nv.writeLock(OWNER, INDEX, NONE), 1);
        stored(Nv.undefine(OWNER, INDEX + 3), 1);
        copy = build(sink.last());
        run(copy, Nv.readPublic(INDEX + 3)).assertRc(TpmRc.HANDLE.handle(1));
        stored(Nv.globalWriteLock(OWNER), 0); // INDEX is already write-locked: nothing changes
    }

    @Test
    void aFailingSinkFailsTheCommand() {
        Tpm failing;
        try {
            failing = Tpm2.builder().deterministicSeed(TestTpm.SEED).build();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        run(failing, Command.of(TpmCc.Startup).u16(TpmSu.CLEAR)).ok();
        byte[] blob = failing.getState(StateKind.PERMANENT);
        failing.stop();
        Tpm t;
        try {
            t = Tpm2.builder().state(StateKind.PERMANENT, blob).stateSink((kind, b) -> {
                throw new java.io.IOException("disk full");
            }).build();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        run(t, Command.of(TpmCc.Startup).u16(TpmSu.CLEAR)).assertRc(TpmRc.FAILURE);
    }

    @Test
    void writeStclearLockLastsUntilResetOrRestart() throws TpmException {
        run(tpm, Nv.define(OWNER, NONE, INDEX, OWNER_RW | TpmaNv.WRITE_STCLEAR, 8)).ok();
        run(tpm, Nv.writeLock(OWNER, INDEX, NONE)).ok();
        resume();
        assertEquals(TpmaNv.WRITELOCKED, attributes(INDEX) & TpmaNv.WRITELOCKED);
        restart();
        assertEquals(0, attributes(INDEX) & TpmaNv.WRITELOCKED);
        run(tpm, Nv.writeLock(OWNER, INDEX, NONE)).ok();
        reset();
        assertEquals(0, attributes(INDEX) & TpmaNv.WRITELOCKED);
        run(tpm, Nv.write(OWNER, INDEX, NONE, new byte[8], 0)).ok();
    }

    @Test
    void writeDefineLockIsPermanentOnceWritten() throws TpmException {
        run(tpm, Nv.define(OWNER, NONE, INDEX, OWNER_RW | TpmaNv.WRITEDEFINE, 8)).ok();
        run(tpm, Nv.writeLock(OWNER, INDEX, NONE)).ok();
        reset(); // not written: the lock does not survive
        assertEquals(0, attributes(INDEX) & TpmaNv.WRITELOCKED);
        run(tpm, Nv.write(OWNER, INDEX, NONE, new byte[8], 0)).ok();
        run(tpm, Nv.writeLock(OWNER, INDEX, NONE)).ok();
        reset();
        restart();
        powerLoss();
        tpm = build(tpm.getState(StateKind.PERMANENT));
        run(tpm, Nv.write(OWNER, INDEX, NONE, new byte[8], 0)).assertRc(TpmRc.NV_LOCKED);
    }

    @Test
    void readLockLastsUntilResetOrRestart() throws TpmException {
        run(tpm, Nv.define(OWNER, NONE, INDEX, OWNER_RW | TpmaNv.READ_STCLEAR, 8)).ok();
        run(tpm, Nv.write(OWNER, INDEX, NONE, new byte[8], 0)).ok();
        run(tpm, Nv.readLock(OWNER, INDEX, NONE)).ok();
        resume();
        run(tpm, Nv.read(OWNER, INDEX, NONE, 8, 0)).assertRc(TpmRc.NV_LOCKED);
        restart();
        run(tpm, Nv.read(OWNER, INDEX, NONE, 8, 0)).ok();
        run(tpm, Nv.readLock(OWNER, INDEX, NONE)).ok();
        reset();
        run(tpm, Nv.read(OWNER, INDEX, NONE, 8, 0)).ok();
    }

    @Test
    void globalLockLastsUntilResetOrRestart() {
        run(tpm, Nv.define(OWNER, NONE, INDEX, OWNER_RW | TpmaNv.GLOBALLOCK, 8)).ok();
        run(tpm, Nv.globalWriteLock(PLATFORM)).ok();
        resume();
        run(tpm, Nv.write(OWNER, INDEX, NONE, new byte[8], 0)).assertRc(TpmRc.NV_LOCKED);
        restart();
        run(tpm, Nv.write(OWNER, INDEX, NONE, new byte[8], 0)).ok();
    }

    @Test
    void clearStclearForgetsTheDataAtRestart() {
        run(tpm, Nv.define(OWNER, NONE, INDEX, OWNER_RW | TpmaNv.CLEAR_STCLEAR, 8)).ok();
        run(tpm, Nv.write(OWNER, INDEX, NONE, new byte[8], 0)).ok();
        resume();
        run(tpm, Nv.read(OWNER, INDEX, NONE, 8, 0)).ok();
        restart();
        run(tpm, Nv.read(OWNER, INDEX, NONE, 8, 0)).assertRc(TpmRc.NV_UNINITIALIZED);
    }

    @Test
    void orderlyOrdinaryIndexLivesInRamAndSurvivesOnlyOrderlyRestarts() throws TpmException {
        run(tpm, Nv.define(OWNER, NONE, INDEX, OWNER_RW | TpmaNv.ORDERLY, 8)).ok();
        stored(Nv.write(OWNER, INDEX, NONE, "orderly!".getBytes(), 0), 0);
        restart();
        assertArrayEquals("orderly!".getBytes(), run(tpm, Nv.read(OWNER, INDEX, NONE, 8, 0)).okWithSessions(0).tpm2b(8));
        reset();
        run(tpm, Nv.read(OWNER, INDEX, NONE, 8, 0)).assertRc(TpmRc.NV_UNINITIALIZED);
        run(tpm, Nv.write(OWNER, INDEX, NONE, "12345678".getBytes(), 0)).ok();
        powerLoss();
        run(tpm, Nv.read(OWNER, INDEX, NONE, 8, 0)).assertRc(TpmRc.NV_UNINITIALIZED);
    }

    @Test
    void orderlyCounterIsStoredAtShutdownAndJumpsAheadAfterPowerLoss() throws TpmException {
        run(tpm, Nv.define(OWNER, NONE, INDEX, OWNER_RW | TpmaNv.ORDERLY | type(TpmaNv.NT_COUNTER), 8)).ok();
        stored(Nv.increment(OWNER, INDEX, NONE), 1); // the first write is stored
        for (int i = 0; i < 9; i++) {
            stored(Nv.increment(OWNER, INDEX, NONE), 0); // then RAM only
        }
        assertEquals(10, counter(tpm));
        reset();
        assertEquals(10, counter(tpm), "an orderly shutdown stores the counter");
        run(tpm, Nv.increment(OWNER, INDEX, NONE)).ok();
        powerLoss();
        long after = counter(tpm);
        assertEquals(10 | NvStore.MAX_ORDERLY_COUNT, after, "a disorderly shutdown sets the low bits");
        assertTrue(after >= 11);
        stored(Nv.increment(OWNER, INDEX, NONE), 1); // 256: the low bits roll over, stored
        assertEquals(256, counter(tpm));
        for (int i = 0; i < 10; i++) {
            run(tpm, Nv.increment(OWNER, INDEX, NONE)).ok();
        }
        Tpm rebuilt = build(tpm.getState(StateKind.PERMANENT)); // a crash: only what was stored
        assertEquals(256 | NvStore.MAX_ORDERLY_COUNT, counter(rebuilt));
    }

    @Test
    void anOrderlyChangeAfterShutdownMakesTheTpmDisorderlyAgain() throws TpmException {
        run(tpm, Nv.define(OWNER, NONE, INDEX, OWNER_RW | TpmaNv.ORDERLY | type(TpmaNv.NT_COUNTER), 8)).ok();
        run(tpm, Nv.increment(OWNER, INDEX, NONE)).ok();
        run(tpm, Command.of(TpmCc.Shutdown).u16(TpmSu.CLEAR)).ok();
        stored(Nv.increment(OWNER, INDEX, NONE), 1); // the TPM records that it is no longer orderly
        stored(Nv.increment(OWNER, INDEX, NONE), 0);
        powerLoss();
        assertTrue(counter(tpm) >= 3, "never below the last value handed out");
    }

    @Test
    void orderlyRamTravelsInTheVolatileState() throws Exception {
        run(tpm, Nv.define(OWNER, NONE, INDEX, OWNER_RW | TpmaNv.ORDERLY | type(TpmaNv.NT_COUNTER), 8)).ok();
        for (int i = 0; i < 5; i++) {
            run(tpm, Nv.increment(OWNER, INDEX, NONE)).ok();
        }
        byte[] permanent = tpm.getState(StateKind.PERMANENT);
        byte[] volatileState = tpm.getState(StateKind.VOLATILE);
        Tpm migrated = Tpm2.builder().state(StateKind.PERMANENT, permanent)
                .state(StateKind.VOLATILE, volatileState).build();
        assertEquals(5, counter(migrated), "a live migration carries the RAM copy");
        Tpm crashed = build(permanent);
        assertEquals(1 | NvStore.MAX_ORDERLY_COUNT, counter(crashed), "without it, the stored value jumps ahead");
    }

    @Test
    void countersNeverGoBackwardsAcrossRebuildsAndResume() throws TpmException {
        run(tpm, Nv.define(OWNER, NONE, INDEX, OWNER_RW | type(TpmaNv.NT_COUNTER), 8)).ok();
        for (int i = 0; i < 3; i++) {
            run(tpm, Nv.increment(OWNER, INDEX, NONE)).ok();
        }
        tpm = build(sink.last());
        assertEquals(3, counter(tpm));
        run(tpm, Nv.increment(OWNER, INDEX, NONE)).ok();
        resume();
        assertEquals(4, counter(tpm));
        powerLoss();
        assertEquals(4, counter(tpm));
        tpm = build(tpm.getState(StateKind.PERMANENT));
        assertEquals(4, counter(tpm));
    }

    @Test
    void clearRemovesOwnerIndicesOnly() throws TpmException {
        run(tpm, Nv.define(OWNER, NONE, INDEX, OWNER_RW | type(TpmaNv.NT_COUNTER), 8)).ok();
        run(tpm, Nv.define(PLATFORM, NONE, INDEX + 1, OWNER_RW | TpmaNv.PLATFORMCREATE, 8)).ok();
        for (int i = 0; i < 7; i++) {
            run(tpm, Nv.increment(OWNER, INDEX, NONE)).ok();
        }
        NvStore nv = ((TpmEngine) tpm).permanent().nv;
        assertTrue(nv.clearOwnerIndices());
        assertNull(nv.get(INDEX));
        run(tpm, Nv.readPublic(INDEX + 1)).ok();
        assertTrue(!nv.clearOwnerIndices());
        run(tpm, Nv.define(OWNER, NONE, INDEX, OWNER_RW | type(TpmaNv.NT_COUNTER), 8)).ok();
        run(tpm, Nv.increment(OWNER, INDEX, NONE)).ok();
        assertEquals(8, counter(tpm), "a new counter starts above the cleared one");
    }
}
