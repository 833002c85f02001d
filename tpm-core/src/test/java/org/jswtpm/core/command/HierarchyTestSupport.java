package org.jswtpm.core.command;

import static org.jswtpm.core.testing.TestTpm.run;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import org.jswtpm.core.StateKind;
import org.jswtpm.core.Tpm;
import org.jswtpm.core.Tpm2;
import org.jswtpm.core.TpmException;
import org.jswtpm.core.engine.TpmEngine;
import org.jswtpm.core.marshal.TpmReader;
import org.jswtpm.core.state.PermanentState;
import org.jswtpm.core.testing.Command;
import org.jswtpm.core.testing.Response;
import org.jswtpm.core.testing.TestTpm;
import org.jswtpm.core.types.TpmAlg;
import org.jswtpm.core.types.TpmCc;
import org.jswtpm.core.types.TpmPt;
import org.jswtpm.core.types.TpmRh;
import org.jswtpm.core.types.TpmSt;
import org.jswtpm.core.types.TpmSu;

/** Commands and power cycles the hierarchy and dictionary-attack tests share. */
final class HierarchyTestSupport {
    private HierarchyTestSupport() {
    }

    static byte[] pw(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    static PermanentState permanent(Tpm tpm) {
        return ((TpmEngine) tpm).permanent();
    }

    /** A started TPM on a time source the test drives. */
    static Tpm started(TestTpm.ManualTime time) {
        Tpm tpm = TestTpm.fresh(time);
        run(tpm, Command.of(TpmCc.Startup).u16(TpmSu.CLEAR)).ok();
        return tpm;
    }

    static Response changeAuth(Tpm tpm, int hierarchy, String oldAuth, String newAuth) {
        return run(tpm, Command.of(TpmCc.HierarchyChangeAuth).handle(hierarchy).passwords(pw(oldAuth))
                .tpm2b(pw(newAuth)));
    }

    /** TPM2_ClockSet to one second past the current Clock, authorized by {@code hierarchy}. */
    static Response clockSet(Tpm tpm, int hierarchy, String auth) throws TpmException {
        return run(tpm, Command.of(TpmCc.ClockSet).handle(hierarchy).passwords(pw(auth)).u64(clock(tpm) + 1000));
    }

    static long clock(Tpm tpm) throws TpmException {
        TpmReader r = run(tpm, Command.of(TpmCc.ReadClock)).ok();
        r.u64();
        return r.u64();
    }

    /** The HMAC of the hash-check ticket TPM2_Hash returns for "abc" in {@code hierarchy}. */
    static byte[] hashTicket(Tpm tpm, int hierarchy) throws TpmException {
        TpmReader r = run(tpm, Command.of(TpmCc.Hash).tpm2b(pw("abc")).u16(TpmAlg.SHA256.id()).u32(hierarchy)).ok();
        r.tpm2b(64);
        assertEquals(TpmSt.HASHCHECK, r.u16());
        assertEquals(hierarchy, r.u32());
        return r.tpm2b(64);
    }

    static Response daParameters(Tpm tpm, String lockoutAuth, int maxTries, int recoveryTime, int lockoutRecovery) {
        return run(tpm, Command.of(TpmCc.DictionaryAttackParameters).handle(TpmRh.LOCKOUT)
                .passwords(pw(lockoutAuth)).u32(maxTries).u32(recoveryTime).u32(lockoutRecovery));
    }

    static Response lockReset(Tpm tpm, String lockoutAuth) {
        return run(tpm, Command.of(TpmCc.DictionaryAttackLockReset).handle(TpmRh.LOCKOUT)
                .passwords(pw(lockoutAuth)));
    }

    /** Power cycle of the same TPM: TPM2_Shutdown(CLEAR) if {@code orderly}, power off, on, Startup(CLEAR). */
    static void powerCycle(Tpm tpm, boolean orderly) {
        if (orderly) {
            run(tpm, Command.of(TpmCc.Shutdown).u16(TpmSu.CLEAR)).ok();
        }
        tpm.stop();
        tpm.init();
        run(tpm, Command.of(TpmCc.Startup).u16(TpmSu.CLEAR)).ok();
    }

    /** A new TPM built from the permanent state of {@code tpm} (a power loss), started. */
    static Tpm rebuild(Tpm tpm, TestTpm.ManualTime time) throws Exception {
        byte[] permanent = tpm.getState(StateKind.PERMANENT);
        Tpm again = Tpm2.builder().state(StateKind.PERMANENT, permanent).timeSource(time).build();
        run(again, Command.of(TpmCc.Startup).u16(TpmSu.CLEAR)).ok();
        return again;
    }

    /** TPM_PT_PERMANENT and TPM_PT_STARTUP_CLEAR from TPM2_GetCapability. */
    static int[] attributes(Tpm tpm) throws TpmException {
        var p = CapabilityCommandsTest.properties(tpm, TpmPt.PERMANENT, 2);
        return new int[] {p.get(TpmPt.PERMANENT), p.get(TpmPt.STARTUP_CLEAR)};
    }
}
