package org.jswtpm.core.engine;

import static org.jswtpm.core.testing.SessionClient.CONTINUE;
import static org.jswtpm.core.testing.SessionClient.cat;
import static org.jswtpm.core.testing.SessionClient.digest;
import static org.jswtpm.core.testing.SessionClient.u32;
import static org.jswtpm.core.testing.TestTpm.run;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.charset.StandardCharsets;
import org.jswtpm.core.Tpm;
import org.jswtpm.core.marshal.TpmReader;
import org.jswtpm.core.testing.Command;
import org.jswtpm.core.testing.Response;
import org.jswtpm.core.testing.SessionClient;
import org.jswtpm.core.testing.TestTpm;
import org.jswtpm.core.types.TpmAlg;
import org.jswtpm.core.types.TpmCc;
import org.jswtpm.core.types.TpmRc;
import org.jswtpm.core.types.TpmRh;
import org.junit.jupiter.api.Test;

/**
 * HMAC sessions in the authorization pipeline (Part 1, 19.6): every HMAC, key and nonce is computed
 * here with the JDK from the specification's formulas.
 */
class HmacSessionTest {
    static final byte[] DIGEST = digest("SHA-256", "measured".getBytes(StandardCharsets.US_ASCII));
    static final byte[] DATA = "sequence data".getBytes(StandardCharsets.US_ASCII);

    static Command extend(int pcr) {
        return Command.of(TpmCc.PCR_Extend).handle(pcr).u32(1).u16(TpmAlg.SHA256.id()).bytes(DIGEST);
    }

    static byte[] pcr(Tpm tpm, int pcr) throws Exception {
        byte[] select = new byte[3];
        select[pcr / 8] = (byte) (1 << (pcr % 8));
        TpmReader r = run(tpm, Command.of(TpmCc.PCR_Read).u32(1).u16(TpmAlg.SHA256.id()).u8(3).bytes(select)).ok();
        r.skip(4 + 4 + 6);
        r.u32();
        return r.tpm2b(64);
    }

    @Test
    void hmacSessionAuthorizesPcrExtendAndRollsTheNonce() throws Exception {
        Tpm tpm = TestTpm.started();
        SessionClient s = SessionClient.hmac(tpm);
        assertEquals(0x02000000, s.handle);
        byte[] firstNonce = s.nonceTpm.clone();
        Command c = s.authorize(extend(10), CONTINUE, new byte[0], u32(10));
        Response r = run(tpm, c);
        s.verify(r, TpmCc.PCR_Extend, 0, 0, CONTINUE, new byte[0]);
        assertFalse(java.util.Arrays.equals(firstNonce, s.nonceTpm), "nonceTPM rolled");
        assertArrayEquals(digest("SHA-256", new byte[32], DIGEST), pcr(tpm, 10));

        // The same command again is a replay: the TPM's nonce has moved on.
        run(tpm, c).assertRc(TpmRc.BAD_AUTH.session(1));
        // With the new nonceTPM it works, and the nonce rolls again.
        byte[] second = s.nonceTpm.clone();
        s.verify(run(tpm, s.authorize(extend(10), CONTINUE, new byte[0], u32(10))), TpmCc.PCR_Extend, 0, 0,
                CONTINUE, new byte[0]);
        assertFalse(java.util.Arrays.equals(second, s.nonceTpm));
    }

    @Test
    void emptyKeyAndEmptyHmacIsAnEmptyResponseHmac() throws Exception {
        Tpm tpm = TestTpm.started();
        SessionClient s = SessionClient.hmac(tpm);
        s.nextNonce();
        SessionClient.Parsed p = SessionClient.parse(run(tpm, extend(3).auth(s.handle, s.nonceCaller, CONTINUE,
                new byte[0])), 0);
        assertEquals(0, p.auths().get(0).hmac().length);
        assertEquals(32, p.auths().get(0).nonce().length);
    }

    @Test
    void hmacSessionAuthorizesASequenceWithItsAuthValue() throws Exception {
        Tpm tpm = TestTpm.started();
        byte[] auth = "seq-secret".getBytes(StandardCharsets.US_ASCII);
        int seq = run(tpm, Command.of(TpmCc.HashSequenceStart).tpm2b(auth).u16(TpmAlg.SHA256.id())).ok().u32();
        SessionClient s = SessionClient.hmac(tpm);
        Command update = Command.of(TpmCc.SequenceUpdate).handle(seq).tpm2b(DATA);
        // A sequence's Name is the Empty Buffer.
        s.verify(run(tpm, s.authorize(update, CONTINUE, auth)), TpmCc.SequenceUpdate, 0, 0, CONTINUE, auth);

        Command wrong = Command.of(TpmCc.SequenceUpdate).handle(seq).tpm2b(DATA);
        run(tpm, s.authorize(wrong, CONTINUE, "other".getBytes(StandardCharsets.US_ASCII)))
                .assertRc(TpmRc.BAD_AUTH.session(1));

        // SequenceComplete flushes the sequence; its response HMAC still uses the authValue.
        Command complete = Command.of(TpmCc.SequenceComplete).handle(seq).tpm2b(new byte[0]).u32(TpmRh.NULL);
        byte[] params = s.verify(run(tpm, s.authorize(complete, CONTINUE, auth)), TpmCc.SequenceComplete, 0, 0,
                CONTINUE, auth);
        TpmReader r = new TpmReader(params);
        assertArrayEquals(digest("SHA-256", DATA), r.tpm2b(64));
    }

    @Test
    void trailingZerosOfTheAuthValueDoNotCount() throws Exception {
        Tpm tpm = TestTpm.started();
        byte[] auth = {1, 2, 3, 0, 0};
        int seq = run(tpm, Command.of(TpmCc.HashSequenceStart).tpm2b(auth).u16(TpmAlg.SHA256.id())).ok().u32();
        SessionClient s = SessionClient.hmac(tpm);
        Command update = Command.of(TpmCc.SequenceUpdate).handle(seq).tpm2b(DATA);
        s.verify(run(tpm, s.authorize(update, CONTINUE, new byte[] {1, 2, 3})), TpmCc.SequenceUpdate, 0, 0,
                CONTINUE, auth);
    }

    @Test
    void continueSessionClearEndsTheSession() throws Exception {
        Tpm tpm = TestTpm.started();
        SessionClient s = SessionClient.hmac(tpm);
        s.verify(run(tpm, s.authorize(extend(10), 0, new byte[0], u32(10))), TpmCc.PCR_Extend, 0, 0, 0,
                new byte[0]);
        run(tpm, s.authorize(extend(10), CONTINUE, new byte[0], u32(10))).assertRc(TpmRc.REFERENCE_S0);
        TpmReader cap = run(tpm, Command.of(TpmCc.GetCapability).u32(1).u32(0x02000000).u32(10)).ok();
        cap.u8();
        cap.u32();
        assertEquals(0, cap.u32(), "no HMAC session is loaded");
    }

    @Test
    void boundSessionLeavesTheBindAuthValueOutOfTheHmacKey() throws Exception {
        Tpm tpm = TestTpm.started();
        byte[] ownerAuth = "owner-pw".getBytes(StandardCharsets.US_ASCII);
        ((TpmEngine) tpm).permanent().ownerAuth = ownerAuth;
        SessionClient s = SessionClient.start(tpm, 0, TpmRh.OWNER, ownerAuth, SessionClient.ALG_NULL, 0, "SHA-256");
        byte[] expectedKey = SessionClient.kdfa("SHA-256", ownerAuth, "ATH", s.nonceTpm, s.nonceCaller, 256);
        assertArrayEquals(expectedKey, s.sessionKey);
        Command clockSet = Command.of(TpmCc.ClockSet).handle(TpmRh.OWNER).u64(1L << 40);
        // Authorizing the bind entity: HMAC key is sessionKey alone.
        s.verify(run(tpm, s.authorize(clockSet, CONTINUE, new byte[0], u32(TpmRh.OWNER))), TpmCc.ClockSet, 0, 0,
                CONTINUE, new byte[0]);
        // Authorizing another entity (a PCR): sessionKey || its (empty) authValue, the same key here.
        s.verify(run(tpm, s.authorize(extend(5), CONTINUE, new byte[0], u32(5))), TpmCc.PCR_Extend, 0, 0,
                CONTINUE, new byte[0]);
        // Once the owner's authValue changes, the session is no longer bound to it.
        ((TpmEngine) tpm).permanent().ownerAuth = "new".getBytes(StandardCharsets.US_ASCII);
        Command again = Command.of(TpmCc.ClockSet).handle(TpmRh.OWNER).u64(1L << 41);
        run(tpm, s.authorize(again, CONTINUE, new byte[0], u32(TpmRh.OWNER))).assertRc(TpmRc.BAD_AUTH.session(1));
        byte[] newAuth = "new".getBytes(StandardCharsets.US_ASCII);
        s.verify(run(tpm, s.authorize(again.clearAuth(), CONTINUE, newAuth, u32(TpmRh.OWNER))), TpmCc.ClockSet, 0, 0,
                CONTINUE, newAuth);
    }

    @Test
    void aFailureThroughASessionBoundToLockoutDisablesLockoutAuth() throws Exception {
        Tpm tpm = TestTpm.started();
        SessionClient s = SessionClient.start(tpm, 0, TpmRh.LOCKOUT, new byte[0], SessionClient.ALG_NULL, 0,
                "SHA-256");
        run(tpm, s.authorize(extend(10), CONTINUE, "wrong".getBytes(StandardCharsets.US_ASCII), u32(10)))
                .assertRc(TpmRc.AUTH_FAIL.session(1));
        run(tpm, s.authorize(extend(10), CONTINUE, new byte[0], u32(10))).assertRc(TpmRc.LOCKOUT);
        assertFalse(((TpmEngine) tpm).permanent().lockoutAuthEnabled);
    }

    @Test
    void passwordSessionsStillWork() throws Exception {
        Tpm tpm = TestTpm.started();
        run(tpm, extend(4).emptyAuth()).ok();
        SessionClient.Parsed p = SessionClient.parse(run(tpm, extend(4).emptyAuth()), 0);
        assertEquals(1, p.auths().get(0).attributes());
        assertArrayEquals(cat(), p.auths().get(0).hmac());
    }
}
