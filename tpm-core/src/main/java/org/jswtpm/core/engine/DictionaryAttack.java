package org.jswtpm.core.engine;

import org.jswtpm.core.TpmException;
import org.jswtpm.core.state.PermanentState;
import org.jswtpm.core.types.TpmRc;

/**
 * Dictionary-attack protection (TCG TPM 2.0 Part 1, 19.8): failed authorizations of DA-protected
 * entities count toward {@code maxTries}; at the limit the TPM is in lockout. One failure is forgiven
 * every {@code recoveryTime} seconds of clock, and a failed lockoutAuth disables lockoutAuth for
 * {@code lockoutRecovery} seconds. The counters live in the permanent state, so a failure is stored
 * before the failing command's response leaves.
 */
public final class DictionaryAttack {
    private final TpmEngine tpm;
    private long lastFailureRecoveryMs;
    private long lockoutAuthFailedMs = -1;

    DictionaryAttack(TpmEngine tpm) {
        this.tpm = tpm;
    }

    private PermanentState state() {
        return tpm.permanent();
    }

    /** Applies self-healing for the time that has passed. */
    void update() {
        PermanentState s = state();
        long now = tpm.clock().time();
        if (s.failedTries > 0 && s.recoveryTime > 0) {
            long heal = (now - lastFailureRecoveryMs) / (s.recoveryTime * 1000L);
            if (heal > 0) {
                s.failedTries = (int) Math.max(0, s.failedTries - heal);
                lastFailureRecoveryMs = now;
                tpm.markPermanentChanged();
            }
        } else {
            lastFailureRecoveryMs = now;
        }
        if (!s.lockoutAuthEnabled && s.lockoutRecovery > 0 && lockoutAuthFailedMs >= 0
                && now - lockoutAuthFailedMs >= s.lockoutRecovery * 1000L) {
            s.lockoutAuthEnabled = true;
            lockoutAuthFailedMs = -1;
            tpm.markPermanentChanged();
        }
    }

    /** {@code TPM_RC_LOCKOUT} if a DA-protected entity (or lockoutAuth) may not be tried now. */
    void checkNotLockedOut(boolean lockoutAuth) throws TpmException {
        update();
        PermanentState s = state();
        if (lockoutAuth ? !s.lockoutAuthEnabled : s.failedTries >= s.maxTries) {
            throw new TpmException(TpmRc.LOCKOUT);
        }
    }

    /** Counts one failed authorization. */
    void registerFailure(boolean lockoutAuth) {
        PermanentState s = state();
        if (lockoutAuth) {
            s.lockoutAuthEnabled = false;
            lockoutAuthFailedMs = tpm.clock().time();
        } else if (s.recoveryTime != 0) {
            s.failedTries++;
            lastFailureRecoveryMs = tpm.clock().time();
        }
        tpm.markPermanentChanged();
    }

    /** True if DA-protected entities are locked out now. */
    public boolean inLockout() {
        PermanentState s = state();
        return s.maxTries != 0 && s.failedTries >= s.maxTries;
    }
}
