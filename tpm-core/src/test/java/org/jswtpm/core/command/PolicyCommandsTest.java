package org.jswtpm.core.command;

import static org.jswtpm.core.testing.SessionClient.CONTINUE;
import static org.jswtpm.core.testing.SessionClient.cat;
import static org.jswtpm.core.testing.SessionClient.digest;
import static org.jswtpm.core.testing.SessionClient.u32;
import static org.jswtpm.core.testing.TestTpm.run;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import org.jswtpm.core.Tpm;
import org.jswtpm.core.engine.TpmEngine;
import org.jswtpm.core.state.PermanentState;
import org.jswtpm.core.testing.Command;
import org.jswtpm.core.testing.SessionClient;
import org.jswtpm.core.testing.TestTpm;
import org.jswtpm.core.types.TpmAlg;
import org.jswtpm.core.types.TpmCc;
import org.jswtpm.core.types.TpmRc;
import org.jswtpm.core.types.TpmRh;
import org.junit.jupiter.api.Test;

/**
 * Part 3, 23: PolicyRestart, PolicyGetDigest, PolicyAuthValue, PolicyPassword, PolicyCommandCode and
 * PolicyPCR, and policy sessions authorizing a hierarchy whose authPolicy is set. Every digest is
 * computed here from Part 1, 19.7.2: policyDigest_new = H(policyDigest_old || TPM_CC || arguments).
 */
class PolicyCommandsTest {
    static final byte[] ZERO = new byte[32];
    /** TPML_PCR_SELECTION: SHA-256, PCRs 0, 1, 8 and 9. */
    static final byte[] PCRS_0_1_8_9 = cat(u32(1), new byte[] {0, 0x0B, 3, 0x03, 0x03, 0});

    static byte[] getDigest(Tpm tpm, int session) throws Exception {
        return run(tpm, Command.of(TpmCc.PolicyGetDigest).handle(session)).ok().tpm2b(64);
    }

    static void policy(Tpm tpm, TpmCc cc, int session, byte[] params) {
        run(tpm, Command.of(cc).handle(session).bytes(params)).ok();
    }

    static byte[] pcrValue(Tpm tpm, int pcr) throws Exception {
        return StartupTestSupport.read(tpm, TpmAlg.SHA256, pcr);
    }

    static byte[] pcrDigest(Tpm tpm) throws Exception {
        return digest("SHA-256", pcrValue(tpm, 0), pcrValue(tpm, 1), pcrValue(tpm, 8), pcrValue(tpm, 9));
    }

    @Test
    void trialDigestsFollowTheFormulas() throws Exception {
        Tpm tpm = TestTpm.started();
        SessionClient t = SessionClient.policy(tpm, true);
        assertArrayEquals(ZERO, getDigest(tpm, t.handle));

        policy(tpm, TpmCc.PolicyCommandCode, t.handle, u32(TpmCc.PCR_Extend.code()));
        byte[] d1 = digest("SHA-256", ZERO, u32(0x16C), u32(0x182));
        assertArrayEquals(d1, getDigest(tpm, t.handle));

        policy(tpm, TpmCc.PolicyAuthValue, t.handle, new byte[0]);
        byte[] d2 = digest("SHA-256", d1, u32(0x16B));
        assertArrayEquals(d2, getDigest(tpm, t.handle));

        run(tpm, Command.of(TpmCc.PCR_Extend).handle(8).emptyAuth().u32(1).u16(TpmAlg.SHA256.id())
                .bytes(digest("SHA-256", new byte[] {1}))).ok();
        policy(tpm, TpmCc.PolicyPCR, t.handle, cat(new byte[] {0, 0}, PCRS_0_1_8_9));
        byte[] d3 = digest("SHA-256", d2, u32(0x17F), PCRS_0_1_8_9, pcrDigest(tpm));
        assertArrayEquals(d3, getDigest(tpm, t.handle));

        // A trial session takes a given pcrDigest as is.
        byte[] given = digest("SHA-256", "expected".getBytes(StandardCharsets.US_ASCII));
        policy(tpm, TpmCc.PolicyPCR, t.handle, cat(new byte[] {0, 32}, given, PCRS_0_1_8_9));
        assertArrayEquals(digest("SHA-256", d3, u32(0x17F), PCRS_0_1_8_9, given), getDigest(tpm, t.handle));

        // PolicyPassword extends with TPM_CC_PolicyAuthValue, as the specification says.
        policy(tpm, TpmCc.PolicyRestart, t.handle, new byte[0]);
        policy(tpm, TpmCc.PolicyPassword, t.handle, new byte[0]);
        assertArrayEquals(digest("SHA-256", ZERO, u32(0x16B)), getDigest(tpm, t.handle));
    }

    @Test
    void policyCommandCodeRules() throws Exception {
        Tpm tpm = TestTpm.started();
        SessionClient t = SessionClient.policy(tpm, true);
        run(tpm, Command.of(TpmCc.PolicyCommandCode).handle(t.handle).u32(0x15A))
                .assertRc(TpmRc.POLICY_CC.parameter(1));
        policy(tpm, TpmCc.PolicyCommandCode, t.handle, u32(TpmCc.ClockSet.code()));
        policy(tpm, TpmCc.PolicyCommandCode, t.handle, u32(TpmCc.ClockSet.code()));
        run(tpm, Command.of(TpmCc.PolicyCommandCode).handle(t.handle).u32(TpmCc.ClockRateAdjust.code()))
                .assertRc(TpmRc.VALUE.parameter(1));
    }

    @Test
    void policyCommandsNeedALoadedPolicySession() {
        Tpm tpm = TestTpm.started();
        SessionClient h = SessionClient.hmac(tpm);
        run(tpm, Command.of(TpmCc.PolicyRestart).handle(h.handle)).assertRc(TpmRc.VALUE.handle(1));
        // The HMAC session's index as a policy handle: loaded, but not a policy session.
        run(tpm, Command.of(TpmCc.PolicyRestart).handle(0x03000000 | (h.handle & 0xFFFFFF)))
                .assertRc(TpmRc.HANDLE.handle(1));
        run(tpm, Command.of(TpmCc.PolicyRestart).handle(0x03000005)).assertRc(TpmRc.REFERENCE_H0);
        run(tpm, Command.of(TpmCc.PolicyRestart).handle(0x03000040)).assertRc(TpmRc.VALUE.handle(1));
    }

    /** Sets the owner's authPolicy directly (SetPrimaryPolicy belongs to the hierarchy commands). */
    static void ownerPolicy(Tpm tpm, byte[] digest) {
        ((TpmEngine) tpm).permanent().ownerPolicy = new PermanentState.Policy(TpmAlg.SHA256.id(), digest);
    }

    static Command clockSet(long ms) {
        return Command.of(TpmCc.ClockSet).handle(TpmRh.OWNER).u64(ms);
    }

    @Test
    void policySessionAuthorizesTheOwnerThroughItsAuthPolicy() throws Exception {
        Tpm tpm = TestTpm.started();
        ownerPolicy(tpm, digest("SHA-256", ZERO, u32(0x16C), u32(TpmCc.ClockSet.code())));
        SessionClient p = SessionClient.policy(tpm, false);
        // No policy step yet: policyDigest is all zeros and does not match.
        p.nextNonce();
        run(tpm, clockSet(1L << 40).auth(p.handle, p.nonceCaller, CONTINUE, new byte[0]))
                .assertRc(TpmRc.POLICY_FAIL.session(1));
        policy(tpm, TpmCc.PolicyCommandCode, p.handle, u32(TpmCc.ClockSet.code()));
        // The right digest, the wrong command.
        p.nextNonce();
        run(tpm, Command.of(TpmCc.ClockRateAdjust).handle(TpmRh.OWNER).u8(1)
                .auth(p.handle, p.nonceCaller, CONTINUE, new byte[0])).assertRc(TpmRc.POLICY_CC.session(1));
        p.nextNonce();
        SessionClient.Parsed r = SessionClient.parse(run(tpm, clockSet(1L << 40)
                .auth(p.handle, p.nonceCaller, CONTINUE, new byte[0])), 0);
        assertEquals(0, r.auths().get(0).hmac().length, "no key, no HMAC");
        // Continued: the policy starts over.
        assertArrayEquals(ZERO, getDigest(tpm, p.handle));
        // A policy session is no way into an entity without authPolicy.
        run(tpm, Command.of(TpmCc.PCR_Extend).handle(3).u32(0).auth(p.handle, p.nonceCaller, CONTINUE,
                new byte[0])).assertRc(TpmRc.AUTH_UNAVAILABLE);
    }

    @Test
    void trialSessionsCannotAuthorize() {
        Tpm tpm = TestTpm.started();
        ownerPolicy(tpm, ZERO);
        SessionClient t = SessionClient.policy(tpm, true);
        run(tpm, clockSet(1L << 40).auth(t.handle, new byte[16], CONTINUE, new byte[0]))
                .assertRc(TpmRc.ATTRIBUTES.session(1));
    }

    @Test
    void policyPcrBindsToPcrValuesAndTheUpdateCounter() throws Exception {
        Tpm tpm = TestTpm.started();
        byte[] expected = pcrDigest(tpm);
        ownerPolicy(tpm, digest("SHA-256", digest("SHA-256", ZERO, u32(0x17F), PCRS_0_1_8_9, expected),
                u32(0x16C), u32(TpmCc.ClockSet.code())));
        SessionClient p = SessionClient.policy(tpm, false);
        byte[] pcrStep = cat(new byte[] {0, 32}, expected, PCRS_0_1_8_9);
        policy(tpm, TpmCc.PolicyPCR, p.handle, pcrStep);
        policy(tpm, TpmCc.PolicyCommandCode, p.handle, u32(TpmCc.ClockSet.code()));
        run(tpm, clockSet(1L << 40).auth(p.handle, p.nextNonce(), CONTINUE, new byte[0])).ok();

        // After the check, a PCR changes: the session notices when it is used.
        policy(tpm, TpmCc.PolicyPCR, p.handle, pcrStep);
        policy(tpm, TpmCc.PolicyCommandCode, p.handle, u32(TpmCc.ClockSet.code()));
        run(tpm, Command.of(TpmCc.PCR_Extend).handle(1).emptyAuth().u32(1).u16(TpmAlg.SHA256.id())
                .bytes(ZERO)).ok();
        run(tpm, clockSet(1L << 41).auth(p.handle, p.nextNonce(), CONTINUE, new byte[0]))
                .assertRc(TpmRc.PCR_CHANGED);
        // And PolicyPCR itself now fails on the stale digest.
        policy(tpm, TpmCc.PolicyRestart, p.handle, new byte[0]);
        run(tpm, Command.of(TpmCc.PolicyPCR).handle(p.handle).bytes(pcrStep)).assertRc(TpmRc.VALUE.parameter(1));
    }

    @Test
    void policyAuthValueAndPolicyPassword() throws Exception {
        Tpm tpm = TestTpm.started();
        byte[] ownerAuth = "owner".getBytes(StandardCharsets.US_ASCII);
        ((TpmEngine) tpm).permanent().ownerAuth = ownerAuth;
        ownerPolicy(tpm, digest("SHA-256", digest("SHA-256", ZERO, u32(0x16B)), u32(0x16C),
                u32(TpmCc.ClockSet.code())));
        SessionClient p = SessionClient.policy(tpm, false);

        policy(tpm, TpmCc.PolicyAuthValue, p.handle, new byte[0]);
        policy(tpm, TpmCc.PolicyCommandCode, p.handle, u32(TpmCc.ClockSet.code()));
        run(tpm, p.authorize(clockSet(1L << 40), CONTINUE, "wrong".getBytes(StandardCharsets.US_ASCII),
                u32(TpmRh.OWNER))).assertRc(TpmRc.BAD_AUTH.session(1));
        p.verify(run(tpm, p.authorize(clockSet(1L << 40), CONTINUE, ownerAuth, u32(TpmRh.OWNER))),
                TpmCc.ClockSet, 0, 0, CONTINUE, ownerAuth);

        policy(tpm, TpmCc.PolicyPassword, p.handle, new byte[0]);
        policy(tpm, TpmCc.PolicyCommandCode, p.handle, u32(TpmCc.ClockSet.code()));
        run(tpm, clockSet(1L << 41).auth(p.handle, p.nextNonce(), CONTINUE, new byte[] {'x'}))
                .assertRc(TpmRc.BAD_AUTH.session(1));
        SessionClient.Parsed r = SessionClient.parse(run(tpm, clockSet(1L << 41)
                .auth(p.handle, p.nextNonce(), CONTINUE, ownerAuth)), 0);
        assertEquals(0, r.auths().get(0).hmac().length, "a password policy answers with an empty HMAC");
    }

    @Test
    void aPolicySessionWithoutContinueSessionEnds() throws Exception {
        Tpm tpm = TestTpm.started();
        ownerPolicy(tpm, ZERO);
        SessionClient p = SessionClient.policy(tpm, false);
        run(tpm, clockSet(1L << 40).auth(p.handle, p.nextNonce(), 0, new byte[0])).ok();
        run(tpm, Command.of(TpmCc.PolicyGetDigest).handle(p.handle)).assertRc(TpmRc.REFERENCE_H0);
    }
}
