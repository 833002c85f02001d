package org.jswtpm.core.state;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.TreeMap;
import org.jswtpm.core.StateFormatException;
import org.jswtpm.core.TpmException;
import org.jswtpm.core.marshal.TpmReader;
import org.jswtpm.core.marshal.TpmWriter;
import org.jswtpm.core.types.TpmRc;
import org.jswtpm.core.types.TpmaNv;

/**
 * The NV indices of a TPM and the bookkeeping around them (TCG TPM 2.0 Part 1, 37 "NV memory"): a
 * bounded space for index definitions, the largest value any deleted counter reached (so that a new
 * counter never starts below an old one, Part 1, 37.2.3), and what TPM Reset, TPM Restart and an
 * orderly shutdown do to the indices. Serialized as its own section of the permanent state.
 */
public final class NvStore {
    /** The bytes of NV this TPM sets aside for index definitions and data. */
    public static final int SPACE = 32 * 1024;
    /** What an index costs besides its data and authPolicy (handle, attributes, authValue, names). */
    public static final int INDEX_OVERHEAD = 96;
    /** MAX_NV_INDEX_SIZE: the largest data area of an ordinary index (TPM_PT_NV_INDEX_MAX). */
    public static final int MAX_INDEX_SIZE = 2048;
    /** MAX_NV_BUFFER_SIZE: the most data one NV command moves (TPM_PT_NV_BUFFER_MAX). */
    public static final int MAX_BUFFER_SIZE = 1024;
    /** The most counter indices that may be defined at once (TPM_PT_NV_COUNTERS_MAX). */
    public static final int MAX_COUNTERS = 32;
    /** MAX_ORDERLY_COUNT: an orderly counter is stored when its low 8 bits roll over (TPM_PT_ORDERLY_COUNT). */
    public static final long MAX_ORDERLY_COUNT = 0xFF;

    private final TreeMap<Integer, NvIndex> indices = new TreeMap<>(Integer::compareUnsigned);
    private long maxCount;

    /** The index with this handle, or null. */
    public NvIndex get(int handle) {
        return indices.get(handle);
    }

    /** Every defined index, in handle order. */
    public Collection<NvIndex> all() {
        return Collections.unmodifiableCollection(indices.values());
    }

    public int size() {
        return indices.size();
    }

    /** The NV bytes a definition of this size and policy costs. */
    public static int cost(int dataSize, int policySize) {
        return INDEX_OVERHEAD + dataSize + policySize;
    }

    /** NV bytes still free. */
    public int freeSpace() {
        int used = 0;
        for (NvIndex i : indices.values()) {
            used += cost(i.pub().dataSize(), i.pub().authPolicy().length);
        }
        return SPACE - used;
    }

    /** The number of counter indices defined (TPM_PT_NV_COUNTERS). */
    public int counters() {
        int n = 0;
        for (NvIndex i : indices.values()) {
            if (i.type() == TpmaNv.NT_COUNTER) {
                n++;
            }
        }
        return n;
    }

    /** How many more counters could be defined now (TPM_PT_NV_COUNTERS_AVAIL). */
    public int countersAvailable() {
        return Math.max(0, Math.min(MAX_COUNTERS - counters(), freeSpace() / cost(8, 0)));
    }

    /** True if an index of this type, size and policy fits now. */
    public boolean fits(int attributes, int dataSize, int policySize) {
        if (TpmaNv.type(attributes) == TpmaNv.NT_COUNTER && counters() >= MAX_COUNTERS) {
            return false;
        }
        return cost(dataSize, policySize) <= freeSpace();
    }

    public void add(NvIndex index) {
        indices.put(index.handle(), index);
    }

    /**
     * Removes an index. A written counter's value is remembered so that counters defined later start
     * above it.
     */
    public void remove(NvIndex index) {
        if (index.type() == TpmaNv.NT_COUNTER && index.has(TpmaNv.WRITTEN)) {
            maxCount = Math.max(maxCount, index.uint64());
        }
        indices.remove(index.handle());
        index.wipe();
    }

    /** The value a counter starts from before its first increment: the largest any counter reached. */
    public long maxCount() {
        long max = maxCount;
        for (NvIndex i : indices.values()) {
            if (i.type() == TpmaNv.NT_COUNTER && i.has(TpmaNv.WRITTEN)) {
                max = Math.max(max, i.uint64());
            }
        }
        return max;
    }

    /**
     * Removes every index the owner created (TPMA_NV_PLATFORMCREATE clear), as TPM2_Clear does (Part 3,
     * 24.6). Returns true if any was removed.
     */
    public boolean clearOwnerIndices() {
        List<NvIndex> owned = new ArrayList<>();
        for (NvIndex i : indices.values()) {
            if (!i.has(TpmaNv.PLATFORMCREATE)) {
                owned.add(i);
            }
        }
        owned.forEach(this::remove);
        return !owned.isEmpty();
    }

    /** TPM2_NV_GlobalWriteLock: write-locks every index with TPMA_NV_GLOBALLOCK. */
    public void globalWriteLock() {
        for (NvIndex i : indices.values()) {
            if (i.has(TpmaNv.GLOBALLOCK)) {
                i.setAttributes(i.attributes() | TpmaNv.WRITELOCKED);
            }
        }
    }

    /** _TPM_Init: orderly indices lose their RAM copy and come back as last stored. */
    public void powerOn() {
        indices.values().forEach(NvIndex::restoreStored);
    }

    /**
     * TPM2_Startup (Part 1, 37.2 and the reference's start-up processing of NV indices). TPM Resume
     * changes nothing. TPM Reset and TPM Restart clear READLOCKED; clear WRITTEN of a non-counter index
     * with CLEAR_STCLEAR, and of an orderly non-counter index at TPM Reset; and clear WRITELOCKED unless
     * the index is written and has WRITEDEFINE. After a disorderly shutdown an orderly counter's low
     * bits are set, so that it is at or above any value it had in RAM.
     *
     * @return true if a non-orderly index changed (the permanent state must be stored)
     */
    public boolean startup(boolean resume, boolean reset, boolean disorderly) {
        if (resume) {
            return false;
        }
        boolean changed = false;
        for (NvIndex i : indices.values()) {
            int a = startupAttributes(i.attributes(), reset);
            if (a != i.attributes()) {
                i.setAttributes(a);
                changed |= !i.isOrderly();
            }
            if (i.isOrderly() && i.type() == TpmaNv.NT_COUNTER && disorderly) {
                i.setUint64(i.uint64() | MAX_ORDERLY_COUNT);
            }
        }
        return changed;
    }

    private static int startupAttributes(int a, boolean reset) {
        a &= ~TpmaNv.READLOCKED;
        if (TpmaNv.type(a) != TpmaNv.NT_COUNTER && (TpmaNv.has(a, TpmaNv.CLEAR_STCLEAR)
                || (TpmaNv.has(a, TpmaNv.ORDERLY) && reset))) {
            a &= ~TpmaNv.WRITTEN;
        }
        if (!TpmaNv.has(a, TpmaNv.WRITTEN) || !TpmaNv.has(a, TpmaNv.WRITEDEFINE)) {
            a &= ~TpmaNv.WRITELOCKED;
        }
        return a;
    }

    /** TPM2_Shutdown: the RAM copies of orderly indices are stored. */
    public void shutdown() {
        indices.values().forEach(NvIndex::store);
    }

    /**
     * Writes the RAM copies of the orderly indices (handle, attributes, data), which the volatile state
     * carries so that a TPM resumed from it (live migration) sees them as they were.
     */
    public byte[] orderlyRam() {
        TpmWriter w = new TpmWriter();
        for (NvIndex i : indices.values()) {
            if (i.isOrderly()) {
                w.u32(i.handle()).u32(i.attributes()).tpm2b(i.data());
            }
        }
        return w.toByteArray();
    }

    /** Restores RAM copies written by {@link #orderlyRam}; entries for other or changed indices are skipped. */
    public void restoreOrderlyRam(byte[] ram) throws StateFormatException {
        try {
            readOrderlyRam(new TpmReader(ram));
        } catch (TpmException e) {
            throw new StateFormatException("the NV section of the volatile state is corrupt");
        }
    }

    private void readOrderlyRam(TpmReader r) throws TpmException {
        while (r.remaining() > 0) {
            NvIndex i = indices.get(r.u32());
            int attributes = r.u32();
            byte[] data = r.tpm2b(0xFFFF);
            if (i != null && i.isOrderly() && data.length == i.pub().dataSize()
                    && (attributes & ~(TpmaNv.WRITTEN | TpmaNv.WRITELOCKED | TpmaNv.READLOCKED))
                        == (i.attributes() & ~(TpmaNv.WRITTEN | TpmaNv.WRITELOCKED | TpmaNv.READLOCKED))) {
                i.restoreRam(attributes, data);
            }
        }
    }

    /** Writes this store as a section of the permanent state. */
    public void serialize(TpmWriter w) {
        w.u64(maxCount);
        w.u32(indices.size());
        for (NvIndex i : indices.values()) {
            i.serialize(w);
        }
    }

    /** Reads a section written by {@link #serialize}. */
    public static NvStore deserialize(TpmReader r) throws TpmException {
        NvStore s = new NvStore();
        s.maxCount = r.u64();
        int n = r.u32();
        if (n < 0 || n > SPACE / INDEX_OVERHEAD) {
            throw r.error(TpmRc.SIZE);
        }
        for (int k = 0; k < n; k++) {
            s.add(NvIndex.deserialize(r));
        }
        return s;
    }
}
