package org.jswtpm.core.engine;

import java.util.function.IntConsumer;
import org.jswtpm.core.TpmException;
import org.jswtpm.core.types.TpmRc;
import org.jswtpm.core.types.TpmRh;

/**
 * The transient object slots (TCG TPM 2.0 Part 1, 27.3): a fixed number of places for loaded objects
 * and sequences, each reachable by a transient handle {@code 0x80000000 + slot}. When all are taken,
 * loading another is {@code TPM_RC_OBJECT_MEMORY}, as on a real TPM.
 */
public final class ObjectSlots {
    /** MAX_LOADED_OBJECTS, also reported as TPM_PT_HR_TRANSIENT_MIN. */
    public static final int CAPACITY = 3;

    private final LoadedObject[] slots = new LoadedObject[CAPACITY];
    /**
     * Slots lent for the current command to persistent objects it names, as the reference implementation
     * loads them into the lowest free slot for the command's duration (Part 1, 37.4.3).
     */
    private final boolean[] lent = new boolean[CAPACITY];

    /** Puts {@code object} in a free slot and returns its handle. */
    public int load(LoadedObject object) throws TpmException {
        for (int i = 0; i < slots.length; i++) {
            if (slots[i] == null && !lent[i]) {
                slots[i] = object;
                int handle = TpmRh.TRANSIENT_FIRST + i;
                object.assignHandle(handle);
                return handle;
            }
        }
        throw new TpmException(TpmRc.OBJECT_MEMORY);
    }

    /** Puts {@code object} at {@code handle} if that slot exists and is free (restoring a volatile state). */
    public boolean loadAt(int handle, LoadedObject object) {
        int i = handle - TpmRh.TRANSIENT_FIRST;
        if (i < 0 || i >= slots.length || slots[i] != null || lent[i]) {
            return false;
        }
        slots[i] = object;
        object.assignHandle(handle);
        return true;
    }

    /** True if a slot is free for a new object, counting the slots lent to persistent objects. */
    public boolean hasFree() {
        for (int i = 0; i < slots.length; i++) {
            if (slots[i] == null && !lent[i]) {
                return true;
            }
        }
        return false;
    }

    /**
     * Lends a slot to a persistent object for the current command, as the reference implementation loads
     * it into one: TPM_RC_OBJECT_MEMORY if none is free.
     */
    public void borrow() throws TpmException {
        for (int i = 0; i < slots.length; i++) {
            if (slots[i] == null && !lent[i]) {
                lent[i] = true;
                return;
            }
        }
        throw new TpmException(TpmRc.OBJECT_MEMORY);
    }

    /** Ends the current command's loans. */
    public void returnBorrowed() {
        java.util.Arrays.fill(lent, false);
    }

    /** The object at {@code handle}, or null. */
    public LoadedObject get(int handle) {
        int i = handle - TpmRh.TRANSIENT_FIRST;
        return i >= 0 && i < slots.length ? slots[i] : null;
    }

    /** Frees the slot of {@code handle}; returns false if nothing was there. */
    public boolean flush(int handle) {
        int i = handle - TpmRh.TRANSIENT_FIRST;
        if (i < 0 || i >= slots.length || slots[i] == null) {
            return false;
        }
        slots[i].destroy();
        slots[i] = null;
        return true;
    }

    /** Frees every slot. */
    public void clear() {
        returnBorrowed();
        for (int i = 0; i < slots.length; i++) {
            if (slots[i] != null) {
                slots[i].destroy();
                slots[i] = null;
            }
        }
    }

    public int count() {
        int n = 0;
        for (LoadedObject o : slots) {
            if (o != null) {
                n++;
            }
        }
        return n;
    }

    /** Calls {@code action} with each loaded handle in ascending order. */
    public void forEachHandle(IntConsumer action) {
        for (int i = 0; i < slots.length; i++) {
            if (slots[i] != null) {
                action.accept(TpmRh.TRANSIENT_FIRST + i);
            }
        }
    }
}
