package org.jswtpm.core.ptp;

/**
 * Locality arbitration shared by the PC Client PTP register interfaces (PTP, "Locality"; the FIFO
 * interface's TPM_ACCESS_x and the CRB interface's TPM_LOC_CTRL_x / TPM_LOC_STS_x): at most one
 * locality is active; a request while another is active stays pending until that one
 * relinquishes, and then the highest pending locality is granted; a higher locality may seize the TPM
 * from a lower one, which then reads beenSeized.
 *
 * <p>Not thread-safe: the owning interface serializes access.
 */
public final class LocalityArbiter {
    /** The value of {@link #active()} when no locality is active. */
    public static final int NONE = -1;

    private final int localities;
    private int active = NONE;
    private int requested;
    private int seized;

    public LocalityArbiter(int localities) {
        this.localities = localities;
    }

    /** The active locality, or {@link #NONE}. */
    public int active() {
        return active;
    }

    public boolean isActive(int locality) {
        return active == locality;
    }

    /** True when {@code locality} has a request pending (it is not active). */
    public boolean isRequesting(int locality) {
        return (requested & (1 << locality)) != 0;
    }

    /** True when some locality other than {@code locality} has a request pending. */
    public boolean isRequestPendingExcept(int locality) {
        return (requested & ~(1 << locality)) != 0;
    }

    public boolean beenSeized(int locality) {
        return (seized & (1 << locality)) != 0;
    }

    public void clearBeenSeized(int locality) {
        seized &= ~(1 << locality);
    }

    /**
     * request (TPM_ACCESS.requestUse, TPM_LOC_CTRL.requestAccess): grants at once if no locality is active, otherwise leaves the request pending.
     *
     * @return true if the active locality changed
     */
    public boolean request(int locality) {
        if (active == locality) {
            return false;
        }
        if (active == NONE) {
            grant(locality);
            return true;
        }
        requested |= 1 << locality;
        return false;
    }

    /**
     * relinquish (TPM_ACCESS.activeLocality written 1, TPM_LOC_CTRL.relinquish): the active locality gives the TPM up and the highest pending request is
     * granted; a locality that is not active withdraws its pending request.
     *
     * @return true if the active locality changed
     */
    public boolean relinquish(int locality) {
        if (active != locality) {
            requested &= ~(1 << locality);
            return false;
        }
        active = NONE;
        for (int l = localities - 1; l >= 0; l--) {
            if (isRequesting(l)) {
                grant(l);
                break;
            }
        }
        return true;
    }

    /**
     * Seize: honoured only when {@code locality} is higher than the active one; the loser reads
     * beenSeized. With no locality active, it acts as a request.
     *
     * @return true if the active locality changed
     */
    public boolean seize(int locality) {
        if (active == NONE) {
            grant(locality);
            return true;
        }
        if (locality <= active) {
            return false;
        }
        seized |= 1 << active;
        grant(locality);
        return true;
    }

    /** Makes {@code locality} active unconditionally (as {@code _TPM_Hash_Start} does for locality 4). */
    public boolean force(int locality) {
        if (active == locality) {
            return false;
        }
        if (active != NONE) {
            seized |= 1 << active;
        }
        grant(locality);
        return true;
    }

    private void grant(int locality) {
        requested &= ~(1 << locality);
        active = locality;
    }
}
