package org.jswtpm.core.command;

import static org.jswtpm.core.testing.SessionClient.CONTINUE;
import static org.jswtpm.core.testing.TestTpm.run;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.jswtpm.core.StateKind;
import org.jswtpm.core.Tpm;
import org.jswtpm.core.Tpm2;
import org.jswtpm.core.TpmException;
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
 * Part 3, 22.6 TPM2_PCR_SetAuthPolicy, 22.7 TPM2_PCR_SetAuthValue, 26.2 TPM2_PP_Commands, 26.3
 * TPM2_SetAlgorithmSet: PCRs 20-22 form one policy group and one authValue group, as in libtpms 0.9.
 */
class PcrAuthTest {
    private static final byte[] PW = "pcr-secret".getBytes();

    static Command extend(int pcr) {
        return Command.of(TpmCc.PCR_Extend).handle(pcr).u32(1).u16(TpmAlg.SHA256.id()).bytes(new byte[32]);
    }

    static Command setAuthValue(int pcr, byte[] auth) {
        return Command.of(TpmCc.PCR_SetAuthValue).handle(pcr).emptyAuth().tpm2b(auth);
    }

    static Command setAuthPolicy(byte[] policy, int hashAlg, int pcr) {
        return Command.of(TpmCc.PCR_SetAuthPolicy).handle(TpmRh.PLATFORM).emptyAuth().tpm2b(policy).u16(hashAlg)
                .u32(pcr);
    }

    /** SHA-256 of PolicyCommandCode(PCR_Extend) from an empty digest. */
    static byte[] extendOnlyPolicy() {
        return SessionClient.digest("SHA-256", new byte[32], SessionClient.u32(TpmCc.PolicyCommandCode.code()),
                SessionClient.u32(TpmCc.PCR_Extend.code()));
    }

    static int pcrProperty(Tpm tpm, int tag) throws TpmException {
        TpmReader r = run(tpm, Command.of(TpmCc.GetCapability).u32(TpmCap.PCR_PROPERTIES).u32(tag).u32(1)).ok();
        r.u8();
        assertEquals(TpmCap.PCR_PROPERTIES, r.u32());
        assertEquals(1, r.u32());
        assertEquals(tag, r.u32());
        assertEquals(3, r.u8(), "sizeofSelect");
        return r.u8() | r.u8() << 8 | r.u8() << 16;
    }

    static int tpmProperty(Tpm tpm, int pt) throws TpmException {
        TpmReader r = run(tpm, Command.of(TpmCc.GetCapability).u32(TpmCap.TPM_PROPERTIES).u32(pt).u32(1)).ok();
        r.u8();
        r.u32();
        assertEquals(1, r.u32());
        assertEquals(pt, r.u32());
        return r.u32();
    }

    @Test
    void pcrPropertiesReportThePolicyAndAuthGroups() throws Exception {
        Tpm tpm = TestTpm.started();
        assertEquals(0x700000, pcrProperty(tpm, 0x13), "TPM_PT_PCR_POLICY");
        assertEquals(0x700000, pcrProperty(tpm, 0x14), "TPM_PT_PCR_AUTH");
    }

    @Test
    void setAuthValueGivesTheGroupAPassword() {
        Tpm tpm = TestTpm.started();
        run(tpm, 2, extend(20).emptyAuth()).ok();
        run(tpm, setAuthValue(20, PW)).ok();
        // every PCR of the group has the new authValue; the old (empty) one fails
        run(tpm, 2, extend(20).emptyAuth()).assertRc(TpmRc.BAD_AUTH.session(1));
        run(tpm, 2, extend(22).emptyAuth()).assertRc(TpmRc.BAD_AUTH.session(1));
        run(tpm, 2, extend(20).passwords(PW)).ok();
        run(tpm, 2, extend(21).passwords(PW)).ok();
        // PCRs outside the group are unaffected
        run(tpm, extend(16).emptyAuth()).ok();
        // trailing zeros are removed, so the password with or without them works
        run(tpm, Command.of(TpmCc.PCR_SetAuthValue).handle(20).passwords(PW).tpm2b(new byte[] {7, 0, 0})).ok();
        run(tpm, 2, extend(20).passwords(new byte[] {7})).ok();
        run(tpm, 2, extend(20).passwords(new byte[] {7, 0})).ok();
    }

    @Test
    void setAuthValueOutsideTheGroupIsValue() {
        Tpm tpm = TestTpm.started();
        run(tpm, setAuthValue(16, PW)).assertRc(TpmRc.VALUE);
        run(tpm, setAuthValue(0, PW)).assertRc(TpmRc.VALUE);
        run(tpm, setAuthValue(23, PW)).assertRc(TpmRc.VALUE);
        run(tpm, setAuthValue(24, PW)).assertRc(TpmRc.VALUE.handle(1));
        run(tpm, Command.of(TpmCc.PCR_SetAuthValue).handle(20).tpm2b(PW)).assertRc(TpmRc.AUTH_MISSING);
        run(tpm, setAuthValue(20, new byte[65])).assertRc(TpmRc.SIZE.parameter(1));
    }

    @Test
    void authValueIsVolatileButSurvivesResume() throws Exception {
        Tpm tpm = TestTpm.started();
        run(tpm, setAuthValue(20, PW)).ok();
        // TPM Resume keeps it
        run(tpm, Command.of(TpmCc.Shutdown).u16(TpmSu.STATE)).ok();
        tpm.init();
        run(tpm, Command.of(TpmCc.Startup).u16(TpmSu.STATE)).ok();
        run(tpm, 2, extend(20).emptyAuth()).assertRc(TpmRc.BAD_AUTH.session(1));
        run(tpm, 2, extend(20).passwords(PW)).ok();
        // and a move through the volatile state
        byte[] permanent = tpm.getState(StateKind.PERMANENT);
        byte[] volatileState = tpm.getState(StateKind.VOLATILE);
        tpm.stop();
        Tpm moved = Tpm2.builder().state(StateKind.PERMANENT, permanent).state(StateKind.VOLATILE, volatileState)
                .build();
        run(moved, 2, extend(20).passwords(PW)).ok();
        // TPM Restart (Shutdown(STATE), Startup(CLEAR)) empties it
        run(moved, Command.of(TpmCc.Shutdown).u16(TpmSu.STATE)).ok();
        moved.init();
        run(moved, Command.of(TpmCc.Startup).u16(TpmSu.CLEAR)).ok();
        run(moved, 2, extend(20).emptyAuth()).ok();
        // and so does TPM Reset
        run(moved, setAuthValue(21, PW)).ok();
        run(moved, Command.of(TpmCc.Shutdown).u16(TpmSu.CLEAR)).ok();
        moved.init();
        run(moved, Command.of(TpmCc.Startup).u16(TpmSu.CLEAR)).ok();
        run(moved, 2, extend(21).emptyAuth()).ok();
    }

    @Test
    void setAuthPolicyCodes() {
        Tpm tpm = TestTpm.started();
        int sha256 = TpmAlg.SHA256.id();
        run(tpm, setAuthPolicy(new byte[20], sha256, 20)).assertRc(TpmRc.SIZE.parameter(1));
        run(tpm, setAuthPolicy(new byte[32], sha256, 16)).assertRc(TpmRc.VALUE.parameter(3));
        run(tpm, setAuthPolicy(new byte[32], sha256, 24)).assertRc(TpmRc.VALUE.parameter(3));
        run(tpm, setAuthPolicy(new byte[32], 0x0001, 20)).assertRc(TpmRc.HASH.parameter(2));
        run(tpm, Command.of(TpmCc.PCR_SetAuthPolicy).handle(TpmRh.OWNER).emptyAuth().tpm2b(new byte[32])
                .u16(sha256).u32(20)).assertRc(TpmRc.VALUE.handle(1));
        run(tpm, Command.of(TpmCc.PCR_SetAuthPolicy).handle(TpmRh.PLATFORM).passwords("x".getBytes())
                .tpm2b(new byte[32]).u16(sha256).u32(20)).assertRc(TpmRc.BAD_AUTH.session(1));
        run(tpm, setAuthPolicy(new byte[32], sha256, 21)).ok();
        run(tpm, setAuthPolicy(new byte[0], 0x0010, 22)).ok();
    }

    @Test
    void pcrPolicyAuthorizesThroughAPolicySessionAndPersists() throws Exception {
        Tpm tpm = TestTpm.started();
        byte[] name = SessionClient.u32(20);
        // before a policy is set, a policy session fails
        SessionClient p = SessionClient.policy(tpm, false);
        run(tpm, Command.of(TpmCc.PolicyCommandCode).handle(p.handle).u32(TpmCc.PCR_Extend.code())).ok();
        run(tpm, 2, p.authorize(extend(20), CONTINUE, new byte[0], name)).assertRc(TpmRc.POLICY_FAIL.session(1));

        run(tpm, setAuthPolicy(extendOnlyPolicy(), TpmAlg.SHA256.id(), 20)).ok();
        run(tpm, 2, p.authorize(extend(20), CONTINUE, new byte[0], name)).ok();
        // PCR 16 is in no policy group: no policy is available (the reference's IsAuthPolicyAvailable)
        SessionClient q = SessionClient.policy(tpm, false);
        run(tpm, Command.of(TpmCc.PolicyCommandCode).handle(q.handle).u32(TpmCc.PCR_Extend.code())).ok();
        run(tpm, q.authorize(extend(16), CONTINUE, new byte[0], SessionClient.u32(16)))
                .assertRc(TpmRc.AUTH_UNAVAILABLE);

        // the policy is persistent: it survives TPM Reset and a rebuild from the permanent state
        run(tpm, Command.of(TpmCc.Shutdown).u16(TpmSu.CLEAR)).ok();
        tpm.init();
        run(tpm, Command.of(TpmCc.Startup).u16(TpmSu.CLEAR)).ok();
        byte[] permanent = tpm.getState(StateKind.PERMANENT);
        tpm.stop();
        Tpm rebuilt = Tpm2.builder().state(StateKind.PERMANENT, permanent).build();
        rebuilt.init();
        run(rebuilt, Command.of(TpmCc.Startup).u16(TpmSu.CLEAR)).ok();
        SessionClient r = SessionClient.policy(rebuilt, false);
        run(rebuilt, Command.of(TpmCc.PolicyCommandCode).handle(r.handle).u32(TpmCc.PCR_Extend.code())).ok();
        run(rebuilt, 2, r.authorize(extend(22), CONTINUE, new byte[0], SessionClient.u32(22))).ok();
        // removing it
        run(rebuilt, setAuthPolicy(new byte[0], 0x0010, 20)).ok();
        run(rebuilt, 2, r.authorize(extend(22), CONTINUE, new byte[0], SessionClient.u32(22)))
                .assertRc(TpmRc.POLICY_FAIL.session(1));
    }

    @Test
    void ppCommandsNeedsPhysicalPresence() throws Exception {
        Tpm tpm = TestTpm.started();
        run(tpm, Command.of(TpmCc.PP_Commands).handle(TpmRh.PLATFORM).emptyAuth().u32(0).u32(0))
                .assertRc(TpmRc.PP.session(1));
        // before the authorization is checked
        run(tpm, Command.of(TpmCc.PP_Commands).handle(TpmRh.PLATFORM).passwords("wrong".getBytes()).u32(0).u32(0))
                .assertRc(TpmRc.PP.session(1));
        run(tpm, Command.of(TpmCc.PP_Commands).handle(TpmRh.OWNER).emptyAuth().u32(0).u32(0))
                .assertRc(TpmRc.VALUE.handle(1));
        // TPM_CAP_PP_COMMANDS: only TPM2_PP_Commands requires PP, as in the reference, and that stays so
        TpmReader r = run(tpm, Command.of(TpmCc.GetCapability).u32(TpmCap.PP_COMMANDS).u32(0).u32(64)).ok();
        assertEquals(0, r.u8());
        assertEquals(TpmCap.PP_COMMANDS, r.u32());
        assertEquals(1, r.u32());
        assertEquals(TpmCc.PP_Commands.code(), r.u32());
        // other platform-authorized commands do not need PP
        run(tpm, Command.of(TpmCc.SetAlgorithmSet).handle(TpmRh.PLATFORM).emptyAuth().u32(0)).ok();
    }

    @Test
    void setAlgorithmSetIsStoredAndReported() throws Exception {
        Tpm tpm = TestTpm.started();
        assertEquals(0, tpmProperty(tpm, TpmPt.ALGORITHM_SET));
        run(tpm, Command.of(TpmCc.SetAlgorithmSet).handle(TpmRh.PLATFORM).emptyAuth().u32(0xDEADBEEF)).ok();
        assertEquals(0xDEADBEEF, tpmProperty(tpm, TpmPt.ALGORITHM_SET));
        run(tpm, Command.of(TpmCc.SetAlgorithmSet).handle(TpmRh.OWNER).emptyAuth().u32(1))
                .assertRc(TpmRc.VALUE.handle(1));
        run(tpm, Command.of(TpmCc.SetAlgorithmSet).handle(TpmRh.PLATFORM).emptyAuth())
                .assertRc(TpmRc.INSUFFICIENT.parameter(1));
        byte[] permanent = tpm.getState(StateKind.PERMANENT);
        tpm.stop();
        Tpm rebuilt = Tpm2.builder().state(StateKind.PERMANENT, permanent).build();
        rebuilt.init();
        run(rebuilt, Command.of(TpmCc.Startup).u16(TpmSu.CLEAR)).ok();
        assertEquals(0xDEADBEEF, tpmProperty(rebuilt, TpmPt.ALGORITHM_SET));
    }
}
