package org.jswtpm.core.engine;

import org.jswtpm.core.TpmException;
import org.jswtpm.core.engine.session.AuthSession;
import org.jswtpm.core.engine.session.CpHash;
import org.jswtpm.core.engine.session.SessionFactory;
import org.jswtpm.core.types.TpmCc;
import org.jswtpm.core.types.TpmRc;
import org.jswtpm.core.types.TpmaNv;

/**
 * The conditions the chapter 23 policy commands leave in a policy session, checked when the session
 * authorizes a command (TCG TPM 2.0 Part 1, 19.7; Part 3, 5.6 "authorization checks", in the order
 * the reference implementation checks them after the policyDigest and command code): the timeout
 * (TPM_RC_EXPIRED), the locality (TPM_RC_LOCALITY), physical presence (TPM_RC_PP: this platform never
 * asserts physical presence), the cpHash, nameHash or templateHash (TPM_RC_POLICY_FAIL) and the
 * TPMA_NV_WRITTEN state of the authorized NV index (TPM_RC_POLICY_FAIL).
 */
final class PolicyConditions {
    private PolicyConditions() {
    }

    /** TPM_RC_EXPIRED (session {@code n}) once Time passed the session's timeout or its epoch ended. */
    static void checkTimeout(TpmEngine tpm, AuthSession session, int n) throws TpmException {
        if (expired(tpm, session.timeout(), session.epoch())) {
            throw new TpmException(TpmRc.EXPIRED.session(n));
        }
    }

    /** True if {@code timeout} (TPM Time in ms, 0 for none) of the time epoch {@code epoch} has passed. */
    static boolean expired(TpmEngine tpm, long timeout, long epoch) {
        return timeout != 0 && (Long.compareUnsigned(timeout, tpm.clock().time()) < 0
                || epoch != SessionFactory.timeEpoch(tpm));
    }

    /** Every condition after the timeout, for session {@code n} authorizing {@code entity}. */
    static void check(TpmEngine tpm, CommandSpec spec, AuthSession session, Entity entity, CpHash cpHash,
            int locality, int n) throws TpmException {
        int localities = session.localities();
        if (localities != 0 && (localities > 31 || (localities & (1 << locality)) == 0)) {
            throw new TpmException(TpmRc.LOCALITY);
        }
        if (session.ppRequired()) {
            throw new TpmException(TpmRc.PP.session(n));
        }
        if (!constraintHolds(spec, session, cpHash)) {
            throw new TpmException(TpmRc.POLICY_FAIL.session(n));
        }
        if (session.nvWritten() != AuthSession.NV_WRITTEN_ANY) {
            if (!(entity instanceof NvEntity nv)) {
                throw new TpmException(TpmRc.POLICY_FAIL.session(n));
            }
            boolean written = nv.index().has(TpmaNv.WRITTEN);
            if (written != (session.nvWritten() == AuthSession.NV_WRITTEN_SET)) {
                throw new TpmException(TpmRc.POLICY_FAIL.session(n));
            }
        }
    }

    private static boolean constraintHolds(CommandSpec spec, AuthSession session, CpHash cpHash) {
        byte[] expected = session.constraintDigest();
        switch (session.constraint()) {
            case AuthSession.CONSTRAINT_CP_HASH:
                return ConstantTime.equals(expected, cpHash.digest(session.authHash()));
            case AuthSession.CONSTRAINT_NAME_HASH:
                return ConstantTime.equals(expected, cpHash.nameHash(session.authHash()));
            case AuthSession.CONSTRAINT_TEMPLATE:
                TpmCc cc = spec.cc();
                if (cc != TpmCc.Create && cc != TpmCc.CreatePrimary && cc != TpmCc.CreateLoaded) {
                    return false;
                }
                byte[] actual = cpHash.templateHash(session.authHash());
                return actual != null && ConstantTime.equals(expected, actual);
            default:
                return true;
        }
    }
}
