package org.jswtpm.core.engine;

import static org.jswtpm.core.testing.SessionClient.CONTINUE;
import static org.jswtpm.core.testing.TestTpm.run;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import org.jswtpm.core.Tpm;
import org.jswtpm.core.testing.Command;
import org.jswtpm.core.testing.SessionClient;
import org.jswtpm.core.testing.TestTpm;
import org.jswtpm.core.types.TpmCc;
import org.jswtpm.core.types.TpmRc;
import org.junit.jupiter.api.Test;

/**
 * The role and dictionary-attack rules of the authorization pipeline (Part 1, 19.2 and 19.8), on
 * stand-in objects with chosen properties (the pipeline runs before the handler looks at the object).
 */
class AuthorizationRulesTest {
    static final byte[] AUTH = "key-auth".getBytes(StandardCharsets.US_ASCII);

    /** A loaded object with chosen authorization properties. */
    static final class Key extends LoadedObject {
        final boolean da;
        final boolean userWithAuth;
        final boolean policyOnly;

        Key(boolean da, boolean userWithAuth, boolean policyOnly) {
            super(AUTH);
            this.da = da;
            this.userWithAuth = userWithAuth;
            this.policyOnly = policyOnly;
        }

        @Override
        public boolean daExempt() {
            return !da;
        }

        @Override
        public boolean authValueAllowed(AuthRole role) {
            return userWithAuth;
        }

        @Override
        public boolean policyRequired(AuthRole role) {
            return policyOnly;
        }
    }

    static int load(Tpm tpm, Key key) throws Exception {
        return ((TpmEngine) tpm).objects().load(key);
    }

    /** SequenceUpdate: the one command with a USER-role object handle in this table. */
    static Command update(int handle) {
        return Command.of(TpmCc.SequenceUpdate).handle(handle).tpm2b(new byte[] {1});
    }

    @Test
    void rolesDecideBetweenAuthValueAndPolicy() throws Exception {
        Tpm tpm = TestTpm.started();
        int policyOnly = load(tpm, new Key(false, true, true));
        run(tpm, update(policyOnly).passwords(AUTH)).assertRc(TpmRc.AUTH_TYPE);
        SessionClient s = SessionClient.hmac(tpm);
        run(tpm, s.authorize(update(policyOnly), CONTINUE, AUTH, new byte[4])).assertRc(TpmRc.AUTH_TYPE);
        int noUserWithAuth = load(tpm, new Key(false, false, false));
        run(tpm, update(noUserWithAuth).passwords(AUTH)).assertRc(TpmRc.AUTH_UNAVAILABLE);
        // A policy session on an object without authPolicy: the policy cannot match.
        SessionClient p = SessionClient.policy(tpm, false);
        run(tpm, update(noUserWithAuth).auth(p.handle, p.nextNonce(), CONTINUE, new byte[0]))
                .assertRc(TpmRc.POLICY_FAIL.session(1));
    }

    @Test
    void hmacFailuresOnDaProtectedObjectsCountAndLockOut() throws Exception {
        Tpm tpm = TestTpm.started();
        TpmEngine engine = (TpmEngine) tpm;
        engine.permanent().maxTries = 2;
        int key = load(tpm, new Key(true, true, false));
        SessionClient s = SessionClient.hmac(tpm);
        byte[] name = ((TpmEngine) tpm).objects().get(key).name();
        byte[] wrong = "nope".getBytes(StandardCharsets.US_ASCII);
        run(tpm, s.authorize(update(key), CONTINUE, wrong, name)).assertRc(TpmRc.AUTH_FAIL.session(1));
        assertEquals(1, engine.permanent().failedTries);
        run(tpm, s.authorize(update(key), CONTINUE, wrong, name)).assertRc(TpmRc.AUTH_FAIL.session(1));
        run(tpm, s.authorize(update(key), CONTINUE, AUTH, name)).assertRc(TpmRc.LOCKOUT);
        run(tpm, update(key).passwords(AUTH)).assertRc(TpmRc.LOCKOUT);
        // A policy session without PolicyAuthValue/PolicyPassword does not use the authValue: no lockout.
        SessionClient p = SessionClient.policy(tpm, false);
        run(tpm, update(key).auth(p.handle, p.nextNonce(), CONTINUE, new byte[0]))
                .assertRc(TpmRc.POLICY_FAIL.session(1));
    }

    @Test
    void aSessionBoundToADaProtectedObjectCountsFailuresOnOtherEntities() throws Exception {
        Tpm tpm = TestTpm.started();
        TpmEngine engine = (TpmEngine) tpm;
        int key = load(tpm, new Key(true, true, false));
        SessionClient s = SessionClient.start(tpm, 0, key, AUTH, SessionClient.ALG_NULL, 0, "SHA-256");
        Command extend = Command.of(TpmCc.PCR_Extend).handle(10).u32(0);
        run(tpm, s.authorize(extend, CONTINUE, "x".getBytes(StandardCharsets.US_ASCII), SessionClient.u32(10)))
                .assertRc(TpmRc.AUTH_FAIL.session(1));
        assertEquals(1, engine.permanent().failedTries);
    }
}
