package org.jswtpm.core.command;

import static org.jswtpm.core.testing.SessionClient.CONTINUE;
import static org.jswtpm.core.testing.TestTpm.run;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.jswtpm.core.Tpm;
import org.jswtpm.core.marshal.TpmReader;
import org.jswtpm.core.testing.Command;
import org.jswtpm.core.testing.SessionClient;
import org.jswtpm.core.testing.TestTpm;
import org.jswtpm.core.types.TpmAlg;
import org.jswtpm.core.types.TpmCap;
import org.jswtpm.core.types.TpmCc;
import org.jswtpm.core.types.TpmPt;
import org.jswtpm.core.types.TpmRc;
import org.jswtpm.core.types.TpmRh;
import org.jswtpm.core.types.TpmSu;
import org.junit.jupiter.api.Test;

/**
 * Part 3, 11.1 TPM2_StartAuthSession, the session slots and their capabilities, FlushContext of
 * sessions, and malformed authorization areas (response codes as Debian's swtpm gives them).
 */
class SessionCommandsTest {
    static Command start(int tpmKey, int bind, byte[] nonce, byte[] salt, int type, byte[] sym, int hash) {
        return Command.of(TpmCc.StartAuthSession).handle(tpmKey).handle(bind).tpm2b(nonce).tpm2b(salt).u8(type)
                .bytes(sym).u16(hash);
    }

    static final byte[] NULL_SYM = {0x00, 0x10};
    static final byte[] NONCE16 = new byte[16];

    static Command unbound(int type) {
        return start(TpmRh.NULL, TpmRh.NULL, NONCE16, new byte[0], type, NULL_SYM, TpmAlg.SHA256.id());
    }

    static List<Integer> handles(Tpm tpm, int first) throws Exception {
        TpmReader r = run(tpm, Command.of(TpmCc.GetCapability).u32(TpmCap.HANDLES).u32(first).u32(64)).ok();
        r.u8();
        r.u32();
        List<Integer> out = new ArrayList<>();
        for (int n = r.u32(); n > 0; n--) {
            out.add(r.u32());
        }
        return out;
    }

    static int property(Tpm tpm, int pt) throws Exception {
        TpmReader r = run(tpm, Command.of(TpmCc.GetCapability).u32(TpmCap.TPM_PROPERTIES).u32(pt).u32(1)).ok();
        r.skip(1 + 4 + 4);
        assertEquals(pt, r.u32());
        return r.u32();
    }

    @Test
    void threeLoadedSessionsThenSessionMemory() throws Exception {
        Tpm tpm = TestTpm.started();
        assertEquals(3, property(tpm, TpmPt.HR_LOADED_MIN));
        assertEquals(64, property(tpm, TpmPt.ACTIVE_SESSIONS_MAX));
        assertEquals(3, property(tpm, TpmPt.HR_LOADED_AVAIL));
        int hmac = run(tpm, unbound(0)).ok().u32();
        int policy = run(tpm, unbound(1)).ok().u32();
        int trial = run(tpm, unbound(3)).ok().u32();
        assertEquals(0x02000000, hmac);
        assertEquals(0x03000001, policy);
        assertEquals(0x03000002, trial);
        run(tpm, unbound(0)).assertRc(TpmRc.SESSION_MEMORY);
        // TPM_HT_LOADED_SESSION lists HMAC and policy sessions; TPM_HT_SAVED_SESSION none here.
        assertEquals(List.of(hmac, policy, trial), handles(tpm, 0x02000000));
        assertEquals(List.of(policy, trial), handles(tpm, 0x02000001));
        assertEquals(List.of(), handles(tpm, 0x03000000));
        assertEquals(3, property(tpm, TpmPt.HR_LOADED));
        assertEquals(0, property(tpm, TpmPt.HR_LOADED_AVAIL));
        assertEquals(3, property(tpm, TpmPt.HR_ACTIVE));
        assertEquals(61, property(tpm, TpmPt.HR_ACTIVE_AVAIL));

        run(tpm, Command.of(TpmCc.FlushContext).u32(policy)).ok();
        run(tpm, Command.of(TpmCc.FlushContext).u32(policy)).assertRc(TpmRc.HANDLE.parameter(1));
        // FlushContext finds sessions by index, as the reference implementation does: 0x02000002 ends
        // the trial session 0x03000002.
        run(tpm, Command.of(TpmCc.FlushContext).u32(0x02000002)).ok();
        run(tpm, Command.of(TpmCc.FlushContext).u32(trial)).assertRc(TpmRc.HANDLE.parameter(1));
        run(tpm, Command.of(TpmCc.FlushContext).u32(0x02000040)).assertRc(TpmRc.VALUE.parameter(1));
        assertEquals(0x02000001, run(tpm, unbound(0)).ok().u32(), "the freed index is reused");
        assertEquals(0x03000002, run(tpm, unbound(1)).ok().u32());
    }

    @Test
    void sessionsEndWithTpmResetButNotWithACommandError() throws Exception {
        Tpm tpm = TestTpm.started();
        int h = run(tpm, unbound(0)).ok().u32();
        run(tpm, Command.of(TpmCc.GetRandom).u16(8).auth(h, new byte[16], 0x41, new byte[0]))
                .assertRc(TpmRc.SYMMETRIC.session(1));
        assertEquals(List.of(h), handles(tpm, 0x02000000));
        run(tpm, Command.of(TpmCc.Shutdown).u16(TpmSu.CLEAR)).ok();
        tpm.init();
        run(tpm, Command.of(TpmCc.Startup).u16(TpmSu.CLEAR)).ok();
        assertEquals(List.of(), handles(tpm, 0x02000000));
    }

    @Test
    void startAuthSessionParameterErrors() throws Exception {
        Tpm tpm = TestTpm.started();
        int sha = TpmAlg.SHA256.id();
        run(tpm, start(TpmRh.NULL, TpmRh.NULL, new byte[15], new byte[0], 0, NULL_SYM, sha))
                .assertRc(TpmRc.SIZE.parameter(1));
        run(tpm, start(TpmRh.NULL, TpmRh.NULL, new byte[33], new byte[0], 0, NULL_SYM, sha))
                .assertRc(TpmRc.SIZE.parameter(1));
        run(tpm, start(TpmRh.NULL, TpmRh.NULL, NONCE16, new byte[] {1}, 0, NULL_SYM, sha))
                .assertRc(TpmRc.VALUE.parameter(2));
        run(tpm, start(TpmRh.NULL, TpmRh.NULL, NONCE16, new byte[0], 2, NULL_SYM, sha))
                .assertRc(TpmRc.VALUE.parameter(3));
        run(tpm, start(TpmRh.NULL, TpmRh.NULL, NONCE16, new byte[0], 0, new byte[] {0, 6, 0, (byte) 128, 0, 0x44},
                sha)).assertRc(TpmRc.MODE.parameter(4));
        run(tpm, start(TpmRh.NULL, TpmRh.NULL, NONCE16, new byte[0], 0, new byte[] {0, 6, 0, 100, 0, 0x43}, sha))
                .assertRc(TpmRc.VALUE.parameter(4));
        run(tpm, start(TpmRh.NULL, TpmRh.NULL, NONCE16, new byte[0], 0, new byte[] {0, (byte) 0x99}, sha))
                .assertRc(TpmRc.SYMMETRIC.parameter(4));
        run(tpm, start(TpmRh.NULL, TpmRh.NULL, NONCE16, new byte[0], 0, NULL_SYM, TpmAlg.NULL.id()))
                .assertRc(TpmRc.HASH.parameter(5));
        run(tpm, start(TpmRh.NULL, TpmRh.PW, NONCE16, new byte[0], 0, NULL_SYM, sha))
                .assertRc(TpmRc.VALUE.handle(2));
        run(tpm, start(3, TpmRh.NULL, NONCE16, new byte[0], 0, NULL_SYM, sha)).assertRc(TpmRc.VALUE.handle(1));
        // A transient handle with nothing loaded.
        run(tpm, start(0x80000001, TpmRh.NULL, NONCE16, new byte[0], 0, NULL_SYM, sha))
                .assertRc(TpmRc.REFERENCE_H0);
    }

    @Test
    void sha1SessionsAndPcrBinding() throws Exception {
        Tpm tpm = TestTpm.started();
        SessionClient s = SessionClient.start(tpm, 0, 7, new byte[0], SessionClient.ALG_NULL, 0, "SHA-1");
        assertEquals(20, s.nonceTpm.length);
        Command c = Command.of(TpmCc.PCR_Extend).handle(7).u32(0);
        s.verify(run(tpm, s.authorize(c, CONTINUE, new byte[0], SessionClient.u32(7))), TpmCc.PCR_Extend, 0, 0,
                CONTINUE, new byte[0]);
    }

    @Test
    void malformedAuthorizationAreas() throws Exception {
        Tpm tpm = TestTpm.started();
        int h = run(tpm, unbound(0)).ok().u32();
        Command extend = Command.of(TpmCc.PCR_Extend).handle(10).u32(0);
        byte[] n16 = new byte[16];
        run(tpm, extend.clearAuth().auth(0x02000040, n16, 1, new byte[0])).assertRc(TpmRc.VALUE.session(1));
        run(tpm, extend.clearAuth().auth(TpmRh.PW, new byte[0], 0x09, new byte[0]))
                .assertRc(TpmRc.RESERVED_BITS.session(1));
        run(tpm, extend.clearAuth().auth(0x02000033, n16, 1, new byte[0])).assertRc(TpmRc.REFERENCE_S0);
        run(tpm, extend.clearAuth().auth(TpmRh.PW, new byte[0], 1, new byte[0]).auth(0x02000001, n16, 1,
                new byte[0])).assertRc(TpmRc.REFERENCE_S0.plus(1));
        run(tpm, extend.clearAuth().auth(h, n16, 1, new byte[0]).auth(h, n16, 1, new byte[0]))
                .assertRc(TpmRc.HANDLE.session(2));
        run(tpm, extend.clearAuth().auth(TpmRh.PW, new byte[0], 1, new byte[0]).auth(h, n16, 1, new byte[0]))
                .assertRc(TpmRc.ATTRIBUTES.session(2));
        run(tpm, extend.clearAuth().auth(TpmRh.PW, new byte[0], 1, new byte[0]).auth(TpmRh.PW, new byte[0], 1,
                new byte[0])).assertRc(TpmRc.HANDLE.session(2));
        Command four = Command.of(TpmCc.PCR_Extend).handle(10).u32(0);
        for (int i = 0; i < 4; i++) {
            four.auth(TpmRh.PW, new byte[0], 1, new byte[0]);
        }
        run(tpm, four).assertRc(TpmRc.SIZE.session(4));
        run(tpm, extend.clearAuth().auth(TpmRh.PW, new byte[] {1}, 1, new byte[0])).assertRc(TpmRc.NONCE.session(1));
        run(tpm, extend.clearAuth().auth(TpmRh.PW, new byte[0], 0x41, new byte[0]))
                .assertRc(TpmRc.ATTRIBUTES.session(1));
        run(tpm, extend.clearAuth().auth(h, new byte[65], 1, new byte[0])).assertRc(TpmRc.SIZE.session(1));
        // A policy handle with the index of a loaded HMAC session names the wrong type of session.
        run(tpm, extend.clearAuth().auth(0x03000000, n16, 1, new byte[0])).assertRc(TpmRc.HANDLE.session(1));
        // Audit is not implemented for policy sessions (never allowed).
        int p = run(tpm, unbound(1)).ok().u32();
        run(tpm, Command.of(TpmCc.GetRandom).u16(8).auth(p, n16, 0x81, new byte[0]))
                .assertRc(TpmRc.ATTRIBUTES.session(1));
    }
}
