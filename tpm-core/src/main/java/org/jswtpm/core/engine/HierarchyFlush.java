package org.jswtpm.core.engine;

/**
 * What the hierarchy commands (TCG TPM 2.0 Part 3, 24) need from the object store: dropping
 * what belongs to a hierarchy when it is disabled, when its proof changes, or when its seed changes.
 * The engine calls these from TPM2_HierarchyControl, TPM2_Clear, TPM2_ChangeEPS and TPM2_ChangePPS;
 * the object model fills them in with {@link Hierarchies#flush(HierarchyFlush)}. Objects in the
 * transient slots are flushed by {@link Hierarchies#flushLoaded} already, by their
 * {@link LoadedObject#hierarchy()}.
 */
public interface HierarchyFlush {
    /** Does nothing more: no persistent object exists yet. */
    HierarchyFlush NONE = new HierarchyFlush() {
    };

    /**
     * Flushes what else of {@code hierarchy} (TPM_RH_OWNER, TPM_RH_ENDORSEMENT or TPM_RH_PLATFORM) is
     * loaded beyond the transient slots, as the reference's ObjectFlushHierarchy: objects whose
     * hierarchy is disabled or whose proof has changed must no longer be usable.
     */
    default void flushLoaded(TpmEngine tpm, int hierarchy) {
    }

    /**
     * Removes the persistent objects of {@code hierarchy} (the object half of the reference's
     * NvFlushHierarchy; the owner's NV indices are removed by {@link Hierarchies#flushAll} already).
     */
    default void flushPersistent(TpmEngine tpm, int hierarchy) {
    }
}
