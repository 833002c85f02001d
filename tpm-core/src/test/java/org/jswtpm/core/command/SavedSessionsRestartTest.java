package org.jswtpm.core.command;

import static org.jswtpm.core.testing.SessionClient.CONTINUE;
import static org.jswtpm.core.testing.SessionClient.u32;
import static org.jswtpm.core.testing.TestTpm.run;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Arrays;
import java.util.Map;
import org.jswtpm.core.StateKind;
import org.jswtpm.core.Tpm;
import org.jswtpm.core.Tpm2;
import org.jswtpm.core.crypto.HashAlg;
import org.jswtpm.core.marshal.TpmReader;
import org.jswtpm.core.marshal.TpmWriter;
import org.jswtpm.core.state.PcrBanks;
import org.jswtpm.core.state.RuntimeState;
import org.jswtpm.core.testing.Command;
import org.jswtpm.core.testing.Response;
import org.jswtpm.core.testing.SessionClient;
import org.jswtpm.core.testing.TestTpm;
import org.jswtpm.core.types.TpmCc;
import org.jswtpm.core.types.TpmRc;
import org.jswtpm.core.types.TpmSu;
import org.junit.jupiter.api.Test;

/**
 * Saved session contexts survive TPM Resume across a process restart (issue 4): the save-state and the
 * volatile blob (version 6) carry the context counter and the saved sessions' sequence numbers
 * (the reference's gr.contextCounter and gr.contextArray), so an engine rebuilt from PERMANENT +
 * SAVE_STATE loads them after Startup(STATE), and not after Startup(CLEAR).
 */
class SavedSessionsRestartTest {
    private static byte[] contextSave(Tpm tpm, int handle) {
        Response rsp = run(tpm, Command.of(TpmCc.ContextSave).handle(handle));
        rsp.ok();
        return Arrays.copyOfRange(rsp.bytes, 10, rsp.bytes.length);
    }

    private static Tpm rebuiltAfterShutdownState(Tpm tpm) throws Exception {
        run(tpm, Command.of(TpmCc.Shutdown).u16(TpmSu.STATE)).ok();
        byte[] permanent = tpm.getState(StateKind.PERMANENT);
        byte[] save = tpm.getState(StateKind.SAVE_STATE);
        tpm.stop();
        return Tpm2.builder().state(StateKind.PERMANENT, permanent).state(StateKind.SAVE_STATE, save).build();
    }

    @Test
    void aSavedPolicySessionLoadsInANewEngineAfterStartupState() throws Exception {
        Tpm tpm = TestTpm.started();
        SessionClient p = SessionClient.policy(tpm, false);
        run(tpm, Command.of(TpmCc.PolicyCommandCode).handle(p.handle).u32(TpmCc.ClockSet.code())).ok();
        byte[] digest = run(tpm, Command.of(TpmCc.PolicyGetDigest).handle(p.handle)).ok().tpm2b(64);
        byte[] context = contextSave(tpm, p.handle);

        Tpm again = rebuiltAfterShutdownState(tpm);
        run(again, Command.of(TpmCc.Startup).u16(TpmSu.STATE)).ok();
        assertEquals(p.handle, run(again, Command.of(TpmCc.ContextLoad).bytes(context)).ok().u32());
        assertArrayEquals(digest, run(again, Command.of(TpmCc.PolicyGetDigest).handle(p.handle)).ok().tpm2b(64),
                "the policy state survives the restart");
        // loaded once: the same context again is a replay
        run(again, Command.of(TpmCc.ContextLoad).bytes(context)).assertRc(TpmRc.HANDLE.parameter(1));
        // a new save continues the restored context counter
        TpmReader r = new TpmReader(contextSave(again, p.handle));
        assertEquals(new TpmReader(context).u64() + 1, r.u64());
    }

    @Test
    void aSavedHmacSessionStillAuthorizesInANewEngine() throws Exception {
        Tpm tpm = TestTpm.started();
        SessionClient s = SessionClient.hmac(tpm);
        SessionClient lost = SessionClient.hmac(tpm);
        byte[] context = contextSave(tpm, s.handle);

        Tpm again = rebuiltAfterShutdownState(tpm);
        run(again, Command.of(TpmCc.Startup).u16(TpmSu.STATE)).ok();
        assertEquals(s.handle, run(again, Command.of(TpmCc.ContextLoad).bytes(context)).ok().u32());
        s.verify(run(again, s.authorize(Command.of(TpmCc.PCR_Extend).handle(10).u32(0), CONTINUE, new byte[0],
                u32(10))), TpmCc.PCR_Extend, 0, 0, CONTINUE, new byte[0]);
        // the session that was loaded at Shutdown is gone
        run(again, Command.of(TpmCc.FlushContext).u32(lost.handle)).assertRc(TpmRc.HANDLE.parameter(1));
    }

    @Test
    void startupClearInANewEngineEndsSavedSessions() throws Exception {
        Tpm tpm = TestTpm.started();
        SessionClient p = SessionClient.policy(tpm, false);
        byte[] context = contextSave(tpm, p.handle);

        Tpm again = rebuiltAfterShutdownState(tpm);
        run(again, Command.of(TpmCc.Startup).u16(TpmSu.CLEAR)).ok();
        // TPM Restart: the null proof is kept (the integrity passes) but the session is not saved any more
        run(again, Command.of(TpmCc.ContextLoad).bytes(context)).assertRc(TpmRc.HANDLE.parameter(1));
    }

    @Test
    void savedSessionsSurviveAMoveThroughTheVolatileState() throws Exception {
        Tpm tpm = TestTpm.started();
        SessionClient p = SessionClient.policy(tpm, false);
        byte[] context = contextSave(tpm, p.handle);
        byte[] permanent = tpm.getState(StateKind.PERMANENT);
        byte[] volatileState = tpm.getState(StateKind.VOLATILE);
        tpm.stop();
        Tpm moved = Tpm2.builder().state(StateKind.PERMANENT, permanent).state(StateKind.VOLATILE, volatileState)
                .build();
        assertEquals(p.handle, run(moved, Command.of(TpmCc.ContextLoad).bytes(context)).ok().u32());
    }

    @Test
    void versionSixRoundTripsAndVersionFiveReadsAsUnknown() throws Exception {
        for (boolean volatileForm : new boolean[] {false, true}) {
            RuntimeState s = new RuntimeState();
            s.nullSeed = new byte[64];
            s.nullProof = new byte[64];
            s.pcrs = new PcrBanks(PcrBanks.maskOf(HashAlg.SHA256));
            s.contextCounter = 42;
            s.savedSessions.put(3, 40L);
            s.savedSessions.put(63, 41L);
            byte[] blob = s.serialize(volatileForm);
            RuntimeState back = RuntimeState.deserialize(blob, volatileForm,
                    new PcrBanks(PcrBanks.maskOf(HashAlg.SHA256)));
            assertEquals(42, back.contextCounter);
            assertEquals(Map.of(3, 40L, 63, 41L), back.savedSessions);
            assertArrayEquals(blob, back.serialize(volatileForm));

            // version 5: the body without the trailing counter (u64), count (u8) and two entries (u8 + u64)
            int trailing = 8 + 1 + 2 * 9;
            TpmWriter w = new TpmWriter();
            w.bytes(blob, 0, 4).u16(5).u32(blob.length - 10 - trailing);
            w.bytes(blob, 10, blob.length - 10 - trailing);
            RuntimeState v5 = RuntimeState.deserialize(w.toByteArray(), volatileForm,
                    new PcrBanks(PcrBanks.maskOf(HashAlg.SHA256)));
            assertNull(v5.savedSessions);
        }
    }
}
