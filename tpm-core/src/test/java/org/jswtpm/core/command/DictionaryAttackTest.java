package org.jswtpm.core.command;

import static org.jswtpm.core.command.HierarchyTestSupport.attributes;
import static org.jswtpm.core.command.HierarchyTestSupport.changeAuth;
import static org.jswtpm.core.command.HierarchyTestSupport.clockSet;
import static org.jswtpm.core.command.HierarchyTestSupport.daParameters;
import static org.jswtpm.core.command.HierarchyTestSupport.lockReset;
import static org.jswtpm.core.command.HierarchyTestSupport.permanent;
import static org.jswtpm.core.command.HierarchyTestSupport.powerCycle;
import static org.jswtpm.core.command.HierarchyTestSupport.pw;
import static org.jswtpm.core.command.HierarchyTestSupport.rebuild;
import static org.jswtpm.core.testing.TestTpm.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.jswtpm.core.StateKind;
import org.jswtpm.core.Tpm;
import org.jswtpm.core.Tpm2;
import org.jswtpm.core.testing.Command;
import org.jswtpm.core.testing.DaProtectedObject;
import org.jswtpm.core.testing.Response;
import org.jswtpm.core.testing.TestTpm;
import org.jswtpm.core.types.TpmCc;
import org.jswtpm.core.types.TpmPt;
import org.jswtpm.core.types.TpmRc;
import org.jswtpm.core.types.TpmRh;
import org.jswtpm.core.types.TpmSu;
import org.jswtpm.core.types.TpmaNv;
import org.junit.jupiter.api.Test;

/**
 * Dictionary-attack protection (Part 1, 19.8) and Part 3, 25 DictionaryAttackLockReset and
 * DictionaryAttackParameters, on a hand-driven time source. A DA-protected test object stands in for
 * keys: authorizing it for TPM2_SequenceUpdate answers TPM_RC_MODE once authorization has passed.
 */
class DictionaryAttackTest {
    private static final int IN_LOCKOUT = 1 << 9;

    private final TestTpm.ManualTime time = new TestTpm.ManualTime();
    private final Tpm tpm = HierarchyTestSupport.started(time);
    private int object = DaProtectedObject.load(tpm, "k");

    private Response use(Tpm t, String auth) {
        return run(t, Command.of(TpmCc.SequenceUpdate).handle(object).passwords(pw(auth)).tpm2b(new byte[0]));
    }

    private Response use(String auth) {
        return use(tpm, auth);
    }

    private void assertAuthorized(Tpm t) {
        use(t, "k").assertRc(TpmRc.MODE.handle(1));
    }

    private void fail(int times) {
        for (int i = 0; i < times; i++) {
            use("wrong").assertRc(TpmRc.AUTH_FAIL.session(1));
        }
    }

    /** TPM_PT_LOCKOUT_COUNTER, read by a command (self-healing happens as a command starts). */
    private int counter() throws Exception {
        return CapabilityCommandsTest.properties(tpm, TpmPt.LOCKOUT_COUNTER, 1).get(TpmPt.LOCKOUT_COUNTER);
    }

    private void seconds(double s) {
        time.advance((long) (s * 1000));
    }

    // ---- failedTries, maxTries, recoveryTime

    @Test
    void maxTriesFailuresLockOutUntilRecoveryTimeForgivesOne() throws Exception {
        daParameters(tpm, "", 3, 10, 1000).okWithSessions(0);
        assertAuthorized(tpm);
        fail(3);
        use("k").assertRc(TpmRc.LOCKOUT);
        use("wrong").assertRc(TpmRc.LOCKOUT);
        assertEquals(IN_LOCKOUT, attributes(tpm)[0] & IN_LOCKOUT);
        seconds(9.9);
        use("k").assertRc(TpmRc.LOCKOUT);
        seconds(0.1);
        assertAuthorized(tpm);
        assertEquals(2, permanent(tpm).failedTries);
        assertEquals(0, attributes(tpm)[0] & IN_LOCKOUT);
        fail(1);
        use("k").assertRc(TpmRc.LOCKOUT);
        seconds(25);
        assertEquals(1, counter(), "one failure per whole recoveryTime");
        seconds(5);
        assertEquals(0, counter());
    }

    @Test
    void nvIndicesAreDaProtectedUnlessNoDa() throws Exception {
        int rw = TpmaNv.AUTHREAD | TpmaNv.AUTHWRITE;
        run(tpm, Nv.define(TpmRh.OWNER, pw("n"), 0x01000003, rw, 8)).okWithSessions(0);
        run(tpm, Nv.define(TpmRh.OWNER, pw("n"), 0x01000004, rw | TpmaNv.NO_DA, 8)).okWithSessions(0);
        for (int i = 0; i < 3; i++) {
            run(tpm, Nv.read(0x01000003, 0x01000003, pw("x"), 8, 0)).assertRc(TpmRc.AUTH_FAIL.session(1));
        }
        run(tpm, Nv.read(0x01000003, 0x01000003, pw("n"), 8, 0)).assertRc(TpmRc.LOCKOUT);
        use("k").assertRc(TpmRc.LOCKOUT);
        run(tpm, Nv.read(0x01000004, 0x01000004, pw("x"), 8, 0)).assertRc(TpmRc.BAD_AUTH.session(1));
        run(tpm, Nv.read(0x01000004, 0x01000004, pw("n"), 8, 0)).assertRc(TpmRc.NV_UNINITIALIZED);
        assertEquals(3, counter());
    }

    @Test
    void lockResetForgetsEveryFailure() throws Exception {
        fail(3);
        use("k").assertRc(TpmRc.LOCKOUT);
        lockReset(tpm, "").okWithSessions(0);
        assertAuthorized(tpm);
        assertEquals(0, permanent(tpm).failedTries);
    }

    @Test
    void clockSetDoesNotShortenALockout() throws Exception {
        daParameters(tpm, "", 3, 10, 1000).okWithSessions(0);
        fail(3);
        run(tpm, Command.of(TpmCc.ClockSet).handle(TpmRh.OWNER).emptyAuth().u64(100_000_000L)).okWithSessions(0);
        use("k").assertRc(TpmRc.LOCKOUT);
        seconds(10);
        assertAuthorized(tpm);
    }

    @Test
    void exemptEntitiesWorkInLockout() throws Exception {
        fail(3);
        use("k").assertRc(TpmRc.LOCKOUT);
        clockSet(tpm, TpmRh.OWNER, "").okWithSessions(0);
        clockSet(tpm, TpmRh.PLATFORM, "").okWithSessions(0);
        clockSet(tpm, TpmRh.OWNER, "x").assertRc(TpmRc.BAD_AUTH.session(1));
        assertEquals(3, permanent(tpm).failedTries);
    }

    @Test
    void maxTriesZeroIsAlwaysLockout() throws Exception {
        daParameters(tpm, "", 0, 10, 1000).okWithSessions(0);
        use("k").assertRc(TpmRc.LOCKOUT);
        assertEquals(IN_LOCKOUT, attributes(tpm)[0] & IN_LOCKOUT);
        lockReset(tpm, "").okWithSessions(0);
        use("k").assertRc(TpmRc.LOCKOUT);
        clockSet(tpm, TpmRh.OWNER, "").okWithSessions(0);
        daParameters(tpm, "", 1, 10, 1000).okWithSessions(0);
        assertAuthorized(tpm);
    }

    @Test
    void recoveryTimeZeroTurnsProtectionOff() throws Exception {
        fail(2);
        daParameters(tpm, "", 3, 0, 1000).okWithSessions(0);
        assertEquals(0, counter(), "outstanding failures forgiven at once");
        fail(10);
        assertAuthorized(tpm);
        assertEquals(0, permanent(tpm).failedTries);
    }

    @Test
    void maxTriesIsUnsigned() throws Exception {
        daParameters(tpm, "", 0xFFFFFFFF, 10, 1000).okWithSessions(0);
        fail(5);
        assertAuthorized(tpm);
    }

    @Test
    void parametersAndCountersAreReportedAndPersisted() throws Exception {
        daParameters(tpm, "", 5, 60, 120).okWithSessions(0);
        fail(2);
        Map<Integer, Integer> p = CapabilityCommandsTest.properties(tpm, TpmPt.LOCKOUT_COUNTER, 4);
        assertEquals(Map.of(TpmPt.LOCKOUT_COUNTER, 2, TpmPt.MAX_AUTH_FAIL, 5, TpmPt.LOCKOUT_INTERVAL, 60,
                TpmPt.LOCKOUT_RECOVERY, 120), p);
        Tpm again = rebuild(tpm, time);
        Map<Integer, Integer> q = CapabilityCommandsTest.properties(again, TpmPt.LOCKOUT_COUNTER, 4);
        assertEquals(3, q.get(TpmPt.LOCKOUT_COUNTER), "a power loss after DA use counts one failure");
        assertEquals(5, q.get(TpmPt.MAX_AUTH_FAIL));
        assertEquals(60, q.get(TpmPt.LOCKOUT_INTERVAL));
        assertEquals(120, q.get(TpmPt.LOCKOUT_RECOVERY));
    }

    @Test
    void lockoutIsPersistedBeforeTheResponse() throws Exception {
        fail(3);
        Tpm again = rebuild(tpm, time);
        object = DaProtectedObject.load(again, "k");
        use(again, "k").assertRc(TpmRc.LOCKOUT);
        lockReset(again, "").okWithSessions(0);
        assertAuthorized(again);
    }

    // ---- power cycles

    @Test
    void selfHealingTimeCarriesAcrossAnOrderlyShutdown() throws Exception {
        daParameters(tpm, "", 3, 10, 1000).okWithSessions(0);
        fail(3);
        seconds(6);
        powerCycle(tpm, true);
        object = DaProtectedObject.load(tpm, "k");
        use("k").assertRc(TpmRc.LOCKOUT);
        assertEquals(3, permanent(tpm).failedTries, "an orderly shutdown adds no failure");
        seconds(4);
        assertAuthorized(tpm);
    }

    @Test
    void selfHealingCountsOnlyPoweredTime() throws Exception {
        daParameters(tpm, "", 3, 10, 1000).okWithSessions(0);
        fail(3);
        seconds(6);
        run(tpm, Command.of(TpmCc.Shutdown).u16(TpmSu.CLEAR)).ok();
        tpm.stop();
        seconds(1000);
        tpm.init();
        run(tpm, Command.of(TpmCc.Startup).u16(TpmSu.CLEAR)).ok();
        object = DaProtectedObject.load(tpm, "k");
        seconds(3.9);
        use("k").assertRc(TpmRc.LOCKOUT);
        seconds(0.1);
        assertAuthorized(tpm);
    }

    @Test
    void disorderlyShutdownAfterDaUseCountsAFailureAndRestartsTheTimer() throws Exception {
        daParameters(tpm, "", 3, 10, 1000).okWithSessions(0);
        fail(2);
        seconds(6);
        powerCycle(tpm, false);
        object = DaProtectedObject.load(tpm, "k");
        assertEquals(3, permanent(tpm).failedTries);
        seconds(9.9);
        use("k").assertRc(TpmRc.LOCKOUT);
        seconds(0.1);
        assertAuthorized(tpm);
    }

    @Test
    void disorderlyShutdownWithoutDaUseCountsNothing() throws Exception {
        powerCycle(tpm, false);
        assertEquals(0, permanent(tpm).failedTries);
        object = DaProtectedObject.load(tpm, "k");
        assertAuthorized(tpm);
        powerCycle(tpm, false);
        assertEquals(1, permanent(tpm).failedTries, "a successful DA-protected authorization counts too");
        object = DaProtectedObject.load(tpm, "k");
        assertAuthorized(tpm);
        powerCycle(tpm, true);
        assertEquals(1, permanent(tpm).failedTries);
    }

    @Test
    void volatileStateKeepsTheTimers() throws Exception {
        daParameters(tpm, "", 3, 10, 20).okWithSessions(0);
        fail(3);
        lockReset(tpm, "bad").assertRc(TpmRc.AUTH_FAIL.session(1));
        seconds(6);
        byte[] permanentBlob = tpm.getState(StateKind.PERMANENT);
        byte[] volatileBlob = tpm.getState(StateKind.VOLATILE);
        Tpm again = Tpm2.builder().state(StateKind.PERMANENT, permanentBlob)
                .state(StateKind.VOLATILE, volatileBlob).timeSource(time).build();
        object = DaProtectedObject.load(again, "k");
        use(again, "k").assertRc(TpmRc.LOCKOUT);
        seconds(3.9);
        use(again, "k").assertRc(TpmRc.LOCKOUT);
        seconds(0.1);
        assertAuthorized(again);
        lockReset(again, "").assertRc(TpmRc.LOCKOUT);
        seconds(10);
        lockReset(again, "").okWithSessions(0);
        assertEquals(0, permanent(again).failedTries);
    }

    @Test
    void daUseAfterShutdownMakesItDisorderly() throws Exception {
        run(tpm, Command.of(TpmCc.Shutdown).u16(TpmSu.STATE)).ok();
        assertAuthorized(tpm);
        tpm.stop();
        tpm.init();
        run(tpm, Command.of(TpmCc.Startup).u16(TpmSu.STATE)).assertRc(TpmRc.VALUE.parameter(1));
        run(tpm, Command.of(TpmCc.Startup).u16(TpmSu.CLEAR)).ok();
        assertEquals(1, permanent(tpm).failedTries);
    }

    // ---- lockoutAuth

    @Test
    void failedLockoutAuthDisablesItForLockoutRecovery() throws Exception {
        changeAuth(tpm, TpmRh.LOCKOUT, "", "lpw").okWithSessions(0);
        lockReset(tpm, "bad").assertRc(TpmRc.AUTH_FAIL.session(1));
        lockReset(tpm, "lpw").assertRc(TpmRc.LOCKOUT);
        daParameters(tpm, "lpw", 3, 10, 10).assertRc(TpmRc.LOCKOUT);
        run(tpm, Command.of(TpmCc.Clear).handle(TpmRh.LOCKOUT).passwords(pw("lpw"))).assertRc(TpmRc.LOCKOUT);
        assertEquals(0, permanent(tpm).failedTries, "lockoutAuth failures are not failedTries");
        assertAuthorized(tpm);
        run(tpm, Command.of(TpmCc.ClockSet).handle(TpmRh.OWNER).emptyAuth().u64(100_000_000L)).okWithSessions(0);
        seconds(999.9);
        lockReset(tpm, "lpw").assertRc(TpmRc.LOCKOUT);
        seconds(0.1);
        lockReset(tpm, "lpw").okWithSessions(0);
    }

    @Test
    void lockoutAuthLockoutSurvivesAPowerLoss() throws Exception {
        lockReset(tpm, "bad").assertRc(TpmRc.AUTH_FAIL.session(1));
        seconds(500);
        Tpm again = rebuild(tpm, time);
        lockReset(again, "").assertRc(TpmRc.LOCKOUT);
        seconds(999);
        lockReset(again, "").assertRc(TpmRc.LOCKOUT);
        seconds(1);
        lockReset(again, "").okWithSessions(0);
    }

    @Test
    void lockoutRecoveryZeroMeansUntilTheNextStartup() throws Exception {
        daParameters(tpm, "", 3, 10, 0).okWithSessions(0);
        lockReset(tpm, "bad").assertRc(TpmRc.AUTH_FAIL.session(1));
        seconds(1_000_000);
        lockReset(tpm, "").assertRc(TpmRc.LOCKOUT);
        powerCycle(tpm, true);
        lockReset(tpm, "").okWithSessions(0);
    }

    @Test
    void clearThroughThePlatformRestoresDefaults() throws Exception {
        daParameters(tpm, "", 2, 10, 10).okWithSessions(0);
        fail(2);
        lockReset(tpm, "bad").assertRc(TpmRc.AUTH_FAIL.session(1));
        run(tpm, Command.of(TpmCc.Clear).handle(TpmRh.PLATFORM).emptyAuth()).okWithSessions(0);
        assertEquals(0, permanent(tpm).failedTries);
        assertEquals(3, permanent(tpm).maxTries);
        assertTrue(permanent(tpm).lockoutAuthEnabled);
        lockReset(tpm, "").okWithSessions(0);
        assertAuthorized(tpm);
    }
}
