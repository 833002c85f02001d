package org.jswtpm.core.engine;

import org.jswtpm.core.TpmException;
import org.jswtpm.core.state.PermanentState;
import org.jswtpm.core.state.RuntimeState;
import org.jswtpm.core.types.TpmRc;

/**
 * Dictionary-attack protection (TCG TPM 2.0 Part 1, 19.8; the reference implementation's DA.c).
 *
 * <ul>
 * <li>A failed authorization of a DA-protected entity increments {@code failedTries} (unless
 * {@code recoveryTime} is 0, which turns DA protection off); when {@code failedTries >= maxTries}
 * the TPM is in lockout and every DA-protected authorization is {@code TPM_RC_LOCKOUT}. With
 * {@code maxTries} 0 the TPM is always in lockout.</li>
 * <li>One failure is forgiven per {@code recoveryTime} seconds since the last failure or the last
 * forgiveness.</li>
 * <li>A failed lockoutAuth disables lockoutAuth for {@code lockoutRecovery} seconds; with
 * {@code lockoutRecovery} 0 until the next TPM2_Startup.</li>
 * </ul>
 *
 * <p>The recovery timers run on Time (powered-on time), not on Clock: TPM2_ClockSet must not shorten
 * a lockout. As in the reference implementation (ACCUMULATE_SELF_HEAL_TIMER) the elapsed part of both
 * timers is carried across an orderly shutdown; after a disorderly one they restart at power-on.
 * Because an attacker could cut the power after learning that a DA-protected authorization failed
 * but before the failure is stored, the first DA-protected authorization after TPM2_Startup or
 * TPM2_Shutdown marks the shutdown state {@link PermanentState#SU_DA_USED}, and a TPM2_Startup after
 * such a disorderly shutdown counts one failure (the reference's USE_DA_USED). The timers and that
 * flag travel in the volatile-state blob, as libtpms keeps them in its volatile state.
 *
 * <p>The counters and parameters live in the permanent state, so a failure is stored before the
 * failing command's response leaves.
 */
public final class DictionaryAttack {
    /** Manufacturer defaults, restored by TPM2_Clear (the reference's DAPreInstall_Init). */
    public static final int DEFAULT_MAX_TRIES = 3;
    public static final int DEFAULT_RECOVERY_TIME = 1000;
    public static final int DEFAULT_LOCKOUT_RECOVERY = 1000;

    private final TpmEngine tpm;
    /** Time (ms) from which the self-healing interval runs; negative after a carry-over. */
    private long selfHealTimer;
    /** Time (ms) of the last lockoutAuth failure, or of its carry-over. */
    private long lockoutTimer;
    /** True once a DA-protected authorization was checked since TPM2_Startup or TPM2_Shutdown. */
    private boolean daUsed;

    DictionaryAttack(TpmEngine tpm) {
        this.tpm = tpm;
    }

    private PermanentState state() {
        return tpm.permanent();
    }

    private long now() {
        return tpm.clock().time();
    }

    private static long seconds(int unsigned) {
        return Integer.toUnsignedLong(unsigned);
    }

    /**
     * TPM2_Startup (DAStartup): restores or restarts the timers, re-enables lockoutAuth when
     * {@code lockoutRecovery} is 0, and counts an authorization possibly lost in a disorderly
     * shutdown. Called before the engine resets the orderly state.
     */
    void startup() {
        PermanentState s = state();
        boolean orderly = s.isOrderly();
        long now = now();
        selfHealTimer = orderly ? now - s.selfHealElapsed : 0;
        lockoutTimer = orderly ? now - s.lockoutElapsed : 0;
        if (s.lockoutRecovery == 0 && !s.lockoutAuthEnabled) {
            s.lockoutAuthEnabled = true;
        }
        if (s.orderlyState == PermanentState.SU_DA_USED && s.recoveryTime != 0
                && Integer.compareUnsigned(s.failedTries, s.maxTries) < 0) {
            s.failedTries++;
        }
        daUsed = false;
        tpm.markPermanentChanged();
        selfHeal();
    }

    /** TPM2_Shutdown: keeps the elapsed part of both timers for the next power cycle. */
    void shutdown() {
        PermanentState s = state();
        long now = now();
        s.selfHealElapsed = Math.max(0, now - selfHealTimer);
        s.lockoutElapsed = Math.max(0, now - lockoutTimer);
        daUsed = false;
    }

    /** Copies the in-RAM DA state into {@code r} for the volatile-state blob. */
    void suspend(RuntimeState r) {
        long now = now();
        r.daSelfHealElapsed = Math.max(0, now - selfHealTimer);
        r.daLockoutElapsed = Math.max(0, now - lockoutTimer);
        r.daUsed = daUsed;
    }

    /** Takes the in-RAM DA state back from a volatile-state blob, Time having restarted since. */
    void resume(RuntimeState r) {
        long now = now();
        selfHealTimer = now - r.daSelfHealElapsed;
        lockoutTimer = now - r.daLockoutElapsed;
        daUsed = r.daUsed;
    }

    /**
     * Self-healing for the Time that has passed (DASelfHeal), at the start of every command: forgives
     * one failure per whole {@code recoveryTime}, and re-enables lockoutAuth after
     * {@code lockoutRecovery}.
     */
    void selfHeal() {
        PermanentState s = state();
        long now = now();
        if (s.failedTries != 0) {
            if (s.recoveryTime == 0) {
                s.failedTries = 0;
                tpm.markPermanentChanged();
            } else {
                long interval = seconds(s.recoveryTime) * 1000L;
                long forgiven = Math.max(0, (now - selfHealTimer) / interval);
                if (forgiven > 0) {
                    s.failedTries = forgiven >= seconds(s.failedTries) ? 0 : (int) (s.failedTries - forgiven);
                    selfHealTimer += forgiven * interval;
                    tpm.markPermanentChanged();
                }
            }
        }
        if (!s.lockoutAuthEnabled && s.lockoutRecovery != 0
                && (now - lockoutTimer) / 1000 >= seconds(s.lockoutRecovery)) {
            s.lockoutAuthEnabled = true;
            tpm.markPermanentChanged();
        }
    }

    /**
     * {@code TPM_RC_LOCKOUT} if a DA-protected entity (or, with {@code lockoutAuth}, the lockout
     * hierarchy) may not be tried now (the reference's CheckLockedOut). The first DA-protected check
     * after startup or shutdown records {@link PermanentState#SU_DA_USED}.
     */
    void checkNotLockedOut(boolean lockoutAuth) throws TpmException {
        selfHeal();
        PermanentState s = state();
        if (lockoutAuth) {
            if (!s.lockoutAuthEnabled) {
                throw new TpmException(TpmRc.LOCKOUT);
            }
            return;
        }
        if (inLockout()) {
            throw new TpmException(TpmRc.LOCKOUT);
        }
        if (!daUsed) {
            daUsed = true;
            s.orderlyState = PermanentState.SU_DA_USED;
            tpm.markPermanentChanged();
        }
    }

    /** Counts one failed authorization (IncrementLockout and DARegisterFailure). */
    void registerFailure(boolean lockoutAuth) {
        PermanentState s = state();
        if (lockoutAuth) {
            s.lockoutAuthEnabled = false;
            lockoutTimer = now();
        } else {
            if (s.recoveryTime != 0) {
                s.failedTries++;
            }
            selfHealTimer = now();
        }
        tpm.markPermanentChanged();
    }

    /** True if DA-protected entities are locked out now ({@code failedTries >= maxTries}). */
    public boolean inLockout() {
        PermanentState s = state();
        return Integer.compareUnsigned(s.failedTries, s.maxTries) >= 0;
    }

    /** TPM2_DictionaryAttackLockReset: forgets every failure. */
    public void lockReset() {
        state().failedTries = 0;
        tpm.markPermanentChanged();
    }

    /** TPM2_DictionaryAttackParameters: new maxTries, recoveryTime and lockoutRecovery. */
    public void setParameters(int maxTries, int recoveryTime, int lockoutRecovery) {
        PermanentState s = state();
        s.maxTries = maxTries;
        s.recoveryTime = recoveryTime;
        s.lockoutRecovery = lockoutRecovery;
        tpm.markPermanentChanged();
    }

    /** Back to the manufacturer defaults with no failures and lockoutAuth enabled (TPM2_Clear). */
    public void restoreDefaults() {
        PermanentState s = state();
        s.failedTries = 0;
        s.maxTries = DEFAULT_MAX_TRIES;
        s.recoveryTime = DEFAULT_RECOVERY_TIME;
        s.lockoutRecovery = DEFAULT_LOCKOUT_RECOVERY;
        s.lockoutAuthEnabled = true;
        tpm.markPermanentChanged();
    }
}
