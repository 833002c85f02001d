package org.jswtpm.core.object;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.jswtpm.core.TpmException;
import org.jswtpm.core.crypto.SymCfb;
import org.jswtpm.core.crypto.CtrDrbg;
import org.jswtpm.core.crypto.HashAlg;
import org.jswtpm.core.engine.LoadedObject;
import org.jswtpm.core.engine.TpmEngine;
import org.jswtpm.core.state.PermanentState;
import org.jswtpm.core.types.TpmRc;
import org.jswtpm.core.types.TpmRh;
import org.jswtpm.core.types.TpmaObject;

/**
 * Per-TPM state and services of the object subsystem: the warm CFB ciphers, the memo of derived
 * primary keys, the persistent objects kept in the permanent state, and the saved-context sequence.
 * One per engine; the engine serializes access.
 */
public final class ObjectEngine {
    /** Persistent handle ranges (Part 2, 7.5 / PC Client): owner and platform. */
    public static final int PERSISTENT_OWNER_FIRST = 0x81000000;
    public static final int PERSISTENT_OWNER_LAST = 0x817FFFFF;
    public static final int PERSISTENT_PLATFORM_FIRST = 0x81800000;
    public static final int PERSISTENT_PLATFORM_LAST = 0x81FFFFFF;
    /** How many persistent objects fit (TPM_PT_HR_PERSISTENT_MIN). */
    public static final int PERSISTENT_CAPACITY = 8;
    private static final int PRIMARY_MEMO_SIZE = 32;

    private final TpmEngine tpm;
    private final SymCfb cfb = new SymCfb();
    private final Commitments commitments = new Commitments();
    private final JdkKeys keys = new JdkKeys();
    private final Map<ByteBuffer, ObjectGenerator.Generated> primaryMemo =
            new LinkedHashMap<>(PRIMARY_MEMO_SIZE, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<ByteBuffer, ObjectGenerator.Generated> e) {
                    return size() > PRIMARY_MEMO_SIZE;
                }
            };
    private long contextSequence;
    /** Saved sequence contexts: their state stays in TPM memory, the context blob names it. */
    private final Map<Long, Supplier<LoadedObject>> savedSequences =
            new LinkedHashMap<>(16, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(
                        Map.Entry<Long, Supplier<LoadedObject>> e) {
                    return size() > SAVED_SEQUENCES;
                }
            };
    /** How many saved sequence contexts are kept; the oldest is forgotten first. */
    public static final int SAVED_SEQUENCES = 16;

    public ObjectEngine(TpmEngine tpm) {
        this.tpm = tpm;
    }

    /** The ECC commit state of TPM2_Commit, TPM2_EC_Ephemeral and TPM2_ZGen_2Phase. */
    public Commitments commitments() {
        return commitments;
    }

    public SymCfb cfb() {
        return cfb;
    }

    /** Conversions to JDK keys, with warm key factories. */
    public JdkKeys keys() {
        return keys;
    }

    public TpmEngine tpm() {
        return tpm;
    }

    /** The primary seed of a hierarchy (the null seed for TPM_RH_NULL). */
    public byte[] seed(int hierarchy) {
        PermanentState p = tpm.permanent();
        switch (hierarchy) {
            case TpmRh.OWNER: return p.storageSeed;
            case TpmRh.ENDORSEMENT: return p.endorsementSeed;
            case TpmRh.PLATFORM: return p.platformSeed;
            default: return tpm.runtime().nullSeed;
        }
    }

    /**
     * Derives the primary object of {@code template} in {@code hierarchy} (Part 1, 26.1), or returns it
     * from the memo: the key depends only on the seed, the template and the sensitive data, so a repeated
     * CreatePrimary costs a hash. A changed seed (Clear, ChangeEPS, ChangePPS, TPM Reset for null)
     * simply never hits again.
     */
    public ObjectGenerator.Generated primary(int hierarchy, TpmtPublic template, SensitiveCreate create)
            throws TpmException {
        byte[] seed = seed(hierarchy);
        byte[] data = template.has(TpmaObject.SENSITIVE_DATA_ORIGIN)
                ? new byte[0] : create.data();
        MessageDigest md = HashAlg.SHA256.newDigest();
        md.update(seed);
        md.update(TpmObject.hierarchyName(hierarchy));
        md.update(template.toBytes());
        md.update(data);
        ByteBuffer key = ByteBuffer.wrap(md.digest());
        ObjectGenerator.Generated g = primaryMemo.get(key);
        if (g == null) {
            CtrDrbg rand = ObjectGenerator.primaryDrbg(seed, template, data);
            byte[][] stir = hierarchy == TpmRh.ENDORSEMENT
                    ? new byte[][] {tpm.permanent().storageProof, tpm.permanent().endorsementProof} : null;
            g = ObjectGenerator.generate(template, new SensitiveCreate(new byte[0], create.data()), rand, stir);
            primaryMemo.put(key, g);
        }
        return new ObjectGenerator.Generated(g.publicArea(), g.sensitive().withAuth(create.userAuth()));
    }

    // ---- persistent objects

    public static boolean isOwnerPersistent(int h) {
        return Integer.compareUnsigned(h, PERSISTENT_OWNER_FIRST) >= 0
                && Integer.compareUnsigned(h, PERSISTENT_OWNER_LAST) <= 0;
    }

    public static boolean isPlatformPersistent(int h) {
        return Integer.compareUnsigned(h, PERSISTENT_PLATFORM_FIRST) >= 0
                && Integer.compareUnsigned(h, PERSISTENT_PLATFORM_LAST) <= 0;
    }

    /**
     * The persistent object at {@code handle}, or null if there is none or its hierarchy is disabled
     * (such an object is not accessible, Part 1, 37.4.2).
     */
    public TpmObject persistent(int handle) {
        byte[] blob = tpm.permanent().persistentObjects.get(handle);
        if (blob == null) {
            return null;
        }
        try {
            TpmObject o = TpmObject.deserialize(blob);
            if (!tpm.hierarchies().isEnabled(o.hierarchy())) {
                return null;
            }
            o.persistAs(handle);
            return o;
        } catch (TpmException e) {
            return null;
        }
    }

    /** Stores {@code object} at {@code handle}: TPM_RC_NV_DEFINED if taken, TPM_RC_NV_SPACE if full. */
    public void makePersistent(TpmObject object, int handle) throws TpmException {
        Map<Integer, byte[]> store = tpm.permanent().persistentObjects;
        if (store.containsKey(handle)) {
            throw new TpmException(TpmRc.NV_DEFINED);
        }
        if (store.size() >= PERSISTENT_CAPACITY) {
            throw new TpmException(TpmRc.NV_SPACE);
        }
        store.put(handle, object.serialize());
    }

    public void removePersistent(int handle) {
        tpm.permanent().persistentObjects.remove(handle);
    }

    public int persistentCount() {
        return tpm.permanent().persistentObjects.size();
    }

    /**
     * Flushes the loaded objects of {@code hierarchy} and removes its persistent objects, as TPM2_Clear
     * (owner and endorsement), TPM2_ChangeEPS (endorsement) and TPM2_ChangePPS (platform) require (Part 3,
     * 24.6-24.8). Returns true if the permanent state changed.
     */
    public boolean flushHierarchy(int hierarchy) {
        flushLoaded(hierarchy);
        return removePersistentOf(hierarchy);
    }

    /** Flushes the loaded objects of {@code hierarchy} (TPM2_HierarchyControl disabling it, Part 3, 24.2). */
    public void flushLoaded(int hierarchy) {
        List<Integer> loaded = new ArrayList<>();
        tpm.objects().forEachHandle(h -> {
            if (tpm.objects().get(h) instanceof TpmObject o && o.hierarchy() == hierarchy) {
                loaded.add(h);
            }
        });
        loaded.forEach(tpm.objects()::flush);
    }

    /** Removes the persistent objects of {@code hierarchy}; true if there were any. */
    public boolean removePersistentOf(int hierarchy) {
        boolean changed = false;
        for (Iterator<Map.Entry<Integer, byte[]>> it =
                tpm.permanent().persistentObjects.entrySet().iterator(); it.hasNext();) {
            Map.Entry<Integer, byte[]> e = it.next();
            try {
                if (TpmObject.deserialize(e.getValue()).hierarchy() == hierarchy) {
                    it.remove();
                    changed = true;
                }
            } catch (TpmException bad) {
                it.remove();
                changed = true;
            }
        }
        return changed;
    }

    // ---- volatile state

    /** The loaded objects (not sequences) by handle, serialized, for the volatile state. */
    public TreeMap<Integer, byte[]> exportLoaded() {
        TreeMap<Integer, byte[]> out = new TreeMap<>(Integer::compareUnsigned);
        tpm.objects().forEachHandle(h -> {
            if (tpm.objects().get(h) instanceof TpmObject o) {
                out.put(h, o.serialize());
            }
        });
        return out;
    }

    /** Puts objects from a volatile state back in their slots; unreadable ones are dropped. */
    public void importLoaded(Map<Integer, byte[]> loaded) {
        for (Map.Entry<Integer, byte[]> e : loaded.entrySet()) {
            try {
                tpm.objects().loadAt(e.getKey(), TpmObject.deserialize(e.getValue()));
            } catch (TpmException bad) {
                // a corrupt entry: the object is gone, as after a flush
            }
        }
    }

    // ---- saved contexts

    /** The next saved-context sequence number. */
    public long nextContextSequence() {
        return ++contextSequence;
    }

    /** Keeps a saved sequence's state under {@code id}; {@code copies} makes a fresh object per load. */
    void keepSequence(long id, Supplier<LoadedObject> copies) {
        savedSequences.put(id, copies);
    }

    /** A fresh copy of the sequence saved under {@code id}, or null if it was forgotten. */
    LoadedObject sequence(long id) {
        Supplier<LoadedObject> s = savedSequences.get(id);
        return s == null ? null : s.get();
    }

    /** Forgets saved sequences (TPM Reset: their contexts could not be loaded anyway). */
    public void clearSavedSequences() {
        savedSequences.clear();
    }
}
