package org.jswtpm.core.engine;

import static org.jswtpm.core.testing.SessionClient.CONTINUE;
import static org.jswtpm.core.testing.SessionClient.u32;
import static org.jswtpm.core.testing.TestTpm.run;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.jswtpm.core.Tpm;
import org.jswtpm.core.TpmException;
import org.jswtpm.core.engine.session.SessionContexts;
import org.jswtpm.core.marshal.TpmReader;
import org.jswtpm.core.marshal.TpmWriter;
import org.jswtpm.core.testing.Command;
import org.jswtpm.core.testing.SessionClient;
import org.jswtpm.core.testing.TestTpm;
import org.jswtpm.core.types.TpmCc;
import org.jswtpm.core.types.TpmRc;
import org.jswtpm.core.types.TpmRh;
import org.jswtpm.core.types.TpmSu;
import org.junit.jupiter.api.Test;

/** Saving and loading session contexts (Part 1, 30), through {@link SessionContexts}. */
class SessionContextsTest {
    record Saved(long sequence, int handle, int hierarchy, byte[] blob) {
        int load(TpmEngine tpm) throws TpmException {
            return SessionContexts.load(tpm, sequence, handle, hierarchy, blob);
        }
    }

    static Saved save(TpmEngine tpm, int handle) throws TpmException {
        TpmWriter w = new TpmWriter();
        SessionContexts.save(tpm, handle, w);
        TpmReader r = new TpmReader(w.toByteArray());
        return new Saved(r.u64(), r.u32(), r.u32(), r.tpm2b(4096));
    }

    static TpmRc rc(org.junit.jupiter.api.function.Executable e) {
        return assertThrows(TpmException.class, e).rc();
    }

    @Test
    void aSavedSessionKeepsItsHandleAndStateAndCanBeUsedAfterLoading() throws Exception {
        Tpm tpm = TestTpm.started();
        TpmEngine engine = (TpmEngine) tpm;
        SessionClient s = SessionClient.hmac(tpm);
        Command extend = Command.of(TpmCc.PCR_Extend).handle(10).u32(0);
        s.verify(run(tpm, s.authorize(extend, CONTINUE, new byte[0], u32(10))), TpmCc.PCR_Extend, 0, 0, CONTINUE,
                new byte[0]);
        Saved saved = save(engine, s.handle);
        assertEquals(s.handle, saved.handle());
        assertEquals(TpmRh.NULL, saved.hierarchy());
        assertEquals(1, engine.sessions().activeCount());
        assertEquals(0, engine.sessions().loadedCount());
        // While saved it cannot be used, and its index is not handed out again.
        run(tpm, s.authorize(Command.of(TpmCc.PCR_Extend).handle(10).u32(0), CONTINUE, new byte[0], u32(10)))
                .assertRc(TpmRc.REFERENCE_S0);
        assertEquals(0x02000001, SessionClient.hmac(tpm).handle);

        assertEquals(s.handle, saved.load(engine));
        s.verify(run(tpm, s.authorize(Command.of(TpmCc.PCR_Extend).handle(10).u32(0), CONTINUE, new byte[0],
                u32(10))), TpmCc.PCR_Extend, 0, 0, CONTINUE, new byte[0]);
        // A context can be loaded once: the session is loaded now.
        assertEquals(TpmRc.HANDLE.parameter(1), rc(() -> saved.load(engine)));
    }

    @Test
    void onlyTheLatestUnalteredContextOfThisTpmResetLoads() throws Exception {
        Tpm tpm = TestTpm.started();
        TpmEngine engine = (TpmEngine) tpm;
        SessionClient p = SessionClient.policy(tpm, false);
        run(tpm, Command.of(TpmCc.PolicyCommandCode).handle(p.handle).u32(TpmCc.ClockSet.code())).ok();
        Saved first = save(engine, p.handle);
        byte[] tampered = first.blob().clone();
        tampered[tampered.length - 1] ^= 1;
        assertEquals(TpmRc.INTEGRITY.parameter(1),
                rc(() -> new Saved(first.sequence(), first.handle(), TpmRh.NULL, tampered).load(engine)));
        assertEquals(TpmRc.INTEGRITY.parameter(1),
                rc(() -> new Saved(first.sequence() + 1, first.handle(), TpmRh.NULL, first.blob()).load(engine)));
        first.load(engine);
        byte[] digest = run(tpm, Command.of(TpmCc.PolicyGetDigest).handle(p.handle)).ok().tpm2b(64);
        Saved second = save(engine, p.handle);
        assertEquals(first.sequence() + 1, second.sequence());
        // The older context is a replay.
        assertEquals(TpmRc.HANDLE.parameter(1), rc(() -> first.load(engine)));
        second.load(engine);
        assertArrayEquals(digest, run(tpm, Command.of(TpmCc.PolicyGetDigest).handle(p.handle)).ok().tpm2b(64),
                "the policy state survives the context");
        Saved third = save(engine, p.handle);
        run(tpm, Command.of(TpmCc.Shutdown).u16(TpmSu.CLEAR)).ok();
        tpm.init();
        run(tpm, Command.of(TpmCc.Startup).u16(TpmSu.CLEAR)).ok();
        assertEquals(TpmRc.INTEGRITY.parameter(1), rc(() -> third.load(engine)), "saved before a TPM Reset");
    }

    @Test
    void sixtyFourActiveSessionsThenSessionHandles() throws Exception {
        Tpm tpm = TestTpm.started();
        TpmEngine engine = (TpmEngine) tpm;
        Saved last = null;
        for (int i = 0; i < 64; i++) {
            last = save(engine, SessionClient.hmac(tpm).handle);
        }
        run(tpm, Command.of(TpmCc.StartAuthSession).handle(TpmRh.NULL).handle(TpmRh.NULL).tpm2b(new byte[16])
                .tpm2b(new byte[0]).u8(0).u16(0x10).u16(0x0B)).assertRc(TpmRc.SESSION_HANDLES);
        // The capability lists saved sessions as 0x02000000 + index.
        TpmReader r = run(tpm, Command.of(TpmCc.GetCapability).u32(1).u32(0x03000000).u32(100)).ok();
        r.u8();
        r.u32();
        assertEquals(64, r.u32());
        assertEquals(0x02000000, r.u32());
        // A saved session is flushed by its handle.
        run(tpm, Command.of(TpmCc.FlushContext).u32(last.handle())).ok();
        Saved flushed = last;
        assertEquals(TpmRc.HANDLE.parameter(1), rc(() -> flushed.load(engine)));
    }

    @Test
    void savedSessionsSurviveTpmResumeButNotTpmRestart() throws Exception {
        Tpm tpm = TestTpm.started();
        TpmEngine engine = (TpmEngine) tpm;
        SessionClient s = SessionClient.hmac(tpm);
        SessionClient lost = SessionClient.hmac(tpm);
        Saved saved = save(engine, s.handle);
        run(tpm, Command.of(TpmCc.Shutdown).u16(TpmSu.STATE)).ok();
        tpm.init();
        run(tpm, Command.of(TpmCc.Startup).u16(TpmSu.STATE)).ok();
        assertEquals(s.handle, saved.load(engine), "a saved context comes back after TPM Resume");
        assertEquals(null, engine.sessions().get(lost.handle), "a loaded session does not survive _TPM_Init");
        s.verify(run(tpm, s.authorize(Command.of(TpmCc.PCR_Extend).handle(10).u32(0), CONTINUE, new byte[0],
                u32(10))), TpmCc.PCR_Extend, 0, 0, CONTINUE, new byte[0]);

        Saved again = save(engine, s.handle);
        run(tpm, Command.of(TpmCc.Shutdown).u16(TpmSu.STATE)).ok();
        tpm.init();
        run(tpm, Command.of(TpmCc.Startup).u16(TpmSu.CLEAR)).ok();
        assertEquals(TpmRc.HANDLE.parameter(1), rc(() -> again.load(engine)), "TPM Restart ends saved sessions");
    }
}
