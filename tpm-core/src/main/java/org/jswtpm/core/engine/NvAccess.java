package org.jswtpm.core.engine;

import org.jswtpm.core.TpmException;
import org.jswtpm.core.state.NvIndex;
import org.jswtpm.core.state.RuntimeState;
import org.jswtpm.core.types.TpmRc;
import org.jswtpm.core.types.TpmaNv;

/**
 * How NV index changes reach the permanent state, and how an NV index handle resolves (TCG TPM 2.0
 * Part 1, 37; Part 3, 5.3 and the reference's NvIndexIsAccessible).
 */
public final class NvAccess {
    private NvAccess() {
    }

    /**
     * The index handle {@code handle} (handle number {@code n} of the command) as an entity. An
     * undefined index, an owner index while shEnable is clear and a platform index while phEnableNV
     * is clear are all {@code TPM_RC_HANDLE} on that handle.
     */
    static NvEntity resolve(TpmEngine tpm, int handle, int n) throws TpmException {
        NvIndex index = tpm.permanent().nv.get(handle);
        if (index == null || !accessible(tpm.runtime(), index)) {
            throw new TpmException(TpmRc.HANDLE.handle(n));
        }
        return new NvEntity(index, tpm);
    }

    private static boolean accessible(RuntimeState r, NvIndex index) {
        return index.has(TpmaNv.PLATFORMCREATE) ? r.phEnableNV : r.shEnable;
    }

    /**
     * Records a change of {@code index}: stored before the response for an ordinary index; kept in RAM
     * for an orderly one, which makes the TPM no longer orderly if it was (a later power loss is then a
     * disorderly shutdown).
     */
    public static void changed(TpmEngine tpm, NvIndex index) {
        if (!index.isOrderly()) {
            tpm.markPermanentChanged();
        } else {
            tpm.clearOrderly();
        }
    }

    /** Stores the RAM copy of an orderly index now (first write of an orderly counter, roll-over). */
    public static void storeNow(TpmEngine tpm, NvIndex index) {
        index.store();
        tpm.markPermanentChanged();
    }

    /** Records a change of the index set itself (definition, deletion): always stored at once. */
    public static void definitionsChanged(TpmEngine tpm) {
        tpm.markPermanentChanged();
    }
}
