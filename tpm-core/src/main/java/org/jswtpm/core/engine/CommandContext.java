package org.jswtpm.core.engine;

import org.jswtpm.core.TpmException;
import org.jswtpm.core.types.TpmRc;

/**
 * What a handler sees of the command it executes besides its parameters: the TPM, the locality, the
 * handles and the entities the pipeline resolved and authorized for them. A handler sets the response
 * handle here and asks for the permanent state to be stored when it changed it.
 */
public final class CommandContext {
    private final TpmEngine tpm;
    private final CommandSpec spec;
    private final int locality;
    private final int[] handles;
    private final Entity[] entities;
    private int responseHandle;
    private boolean responseHandleSet;

    CommandContext(TpmEngine tpm, CommandSpec spec, int locality, int[] handles, Entity[] entities) {
        this.tpm = tpm;
        this.spec = spec;
        this.locality = locality;
        this.handles = handles;
        this.entities = entities;
    }

    public TpmEngine tpm() {
        return tpm;
    }

    public CommandSpec spec() {
        return spec;
    }

    /** The locality the command arrived at (0..4). */
    public int locality() {
        return locality;
    }

    /** The raw value of handle {@code i} (0-based). */
    public int handle(int i) {
        return handles[i];
    }

    /** The entity of handle {@code i} (0-based); null for TPM_RH_NULL and for PCR handles. */
    public Entity entity(int i) {
        return entities[i];
    }

    /**
     * The entity of handle {@code i} (0-based) as authorization sees it: for TPM_RH_NULL and PCR handles
     * the permanent entity with its (empty) authValue, for a session handle null.
     */
    public Entity authEntity(int i) {
        if (entities[i] != null || org.jswtpm.core.engine.session.AuthSession.isSessionHandle(handles[i])) {
            return entities[i];
        }
        return tpm.hierarchies().nullOrPcr(handles[i]);
    }

    /** The object of handle {@code i}, or {@code TPM_RC_HANDLE} on that handle if it is no such object. */
    public <T extends LoadedObject> T object(int i, Class<T> type) throws TpmException {
        Entity e = entities[i];
        if (!type.isInstance(e)) {
            throw new TpmException(TpmRc.HANDLE.handle(i + 1));
        }
        return type.cast(e);
    }

    /** Sets the handle returned in the response's handle area. */
    public void responseHandle(int handle) {
        responseHandle = handle;
        responseHandleSet = true;
    }

    int responseHandle() {
        return responseHandle;
    }

    boolean hasResponseHandle() {
        return responseHandleSet;
    }

    /** Marks the permanent state changed: it is handed to the state sink before the response leaves. */
    public void persist() {
        tpm.markPermanentChanged();
    }
}
