package org.jswtpm.core.engine.session;

import java.util.function.BiConsumer;
import java.util.function.IntConsumer;
import javax.crypto.Cipher;
import org.jswtpm.core.TpmException;
import org.jswtpm.core.types.TpmRc;
import org.jswtpm.core.types.TpmRh;

/**
 * The session slots of a TPM (TCG TPM 2.0 Part 1, 30.4 "session context management" and 30.5):
 * MAX_ACTIVE_SESSIONS session handles, of which at most MAX_LOADED_SESSIONS are loaded in TPM memory at
 * once; the others are saved (their context held by the caller). The low 24 bits of a session handle
 * are its index among the active sessions; HMAC and policy sessions share the indices. Starting a
 * session with every loaded slot taken is {@code TPM_RC_SESSION_MEMORY}; with every handle active,
 * {@code TPM_RC_SESSION_HANDLES}.
 */
public final class SessionSlots {
    /** MAX_LOADED_SESSIONS, reported as TPM_PT_HR_LOADED_MIN. */
    public static final int MAX_LOADED = 3;
    /** MAX_ACTIVE_SESSIONS, reported as TPM_PT_ACTIVE_SESSIONS_MAX. */
    public static final int MAX_ACTIVE = 64;
    /** TPM_PT_CONTEXT_GAP_MAX: how far the context counter may run ahead of the oldest saved session. */
    public static final int CONTEXT_GAP_MAX = 0xFFFF;

    private final AuthSession[] loaded = new AuthSession[MAX_ACTIVE];
    private final boolean[] saved = new boolean[MAX_ACTIVE];
    private final long[] savedSequence = new long[MAX_ACTIVE];
    /** The next context sequence number for a saved session (gr.contextCounter). */
    private long contextCounter = 1;
    /** This TPM's AES-CFB cipher for parameter encryption, made once (provider look-ups are slow). */
    private Cipher aesCfb;
    /** The exclusive audit session (Part 1, 19.6.14), or 0. */
    private int exclusiveAudit;

    /** The handle a new session of this kind gets, or the warning that says why there is none. */
    public int allocate(boolean policy) throws TpmException {
        if (loadedCount() >= MAX_LOADED) {
            throw new TpmException(TpmRc.SESSION_MEMORY);
        }
        for (int i = 0; i < MAX_ACTIVE; i++) {
            if (loaded[i] == null && !saved[i]) {
                return ((policy ? TpmRh.HT_POLICY_SESSION : TpmRh.HT_HMAC_SESSION) << 24) | i;
            }
        }
        throw new TpmException(TpmRc.SESSION_HANDLES);
    }

    /** Puts a session created for a handle from {@link #allocate} in its slot. */
    public void add(AuthSession session) {
        int i = index(session.handle());
        if (loaded[i] != null || saved[i] || loadedCount() >= MAX_LOADED) {
            throw new IllegalStateException("session slot in use: " + Integer.toHexString(session.handle()));
        }
        loaded[i] = session;
    }

    /** The loaded session with exactly this handle (type included), or null. */
    public AuthSession get(int handle) {
        AuthSession s = loadedAt(handle);
        return s != null && s.handle() == handle ? s : null;
    }

    /**
     * The loaded session at this handle's index, whatever its type: the reference implementation finds
     * sessions by index and then answers TPM_RC_HANDLE when the type is not the handle's.
     */
    public AuthSession loadedAt(int handle) {
        if (!AuthSession.isSessionHandle(handle) || (handle & 0x00FFFFFF) >= MAX_ACTIVE) {
            return null;
        }
        return loaded[index(handle)];
    }

    /** True if a session is active (loaded or saved) at this handle's index, whatever its type. */
    public boolean isActive(int handle) {
        if (!AuthSession.isSessionHandle(handle) || (handle & 0x00FFFFFF) >= MAX_ACTIVE) {
            return false;
        }
        int i = index(handle);
        return loaded[i] != null || saved[i];
    }

    /**
     * Marks a loaded session saved with the next context sequence number and returns that number: the
     * session keeps its handle but leaves TPM memory. {@code TPM_RC_CONTEXT_GAP} if the oldest saved
     * session is {@link #CONTEXT_GAP_MAX} contexts behind.
     */
    public long unload(int handle) throws TpmException {
        AuthSession s = get(handle);
        if (s == null) {
            throw new IllegalStateException("not loaded");
        }
        for (int i = 0; i < MAX_ACTIVE; i++) {
            if (saved[i] && contextCounter - savedSequence[i] >= CONTEXT_GAP_MAX) {
                throw new TpmException(TpmRc.CONTEXT_GAP);
            }
        }
        int i = index(handle);
        long sequence = contextCounter++;
        loaded[i] = null;
        saved[i] = true;
        savedSequence[i] = sequence;
        return sequence;
    }

    /** True if {@code handle} is saved and its most recent save had {@code sequence}. */
    public boolean isSaved(int handle, long sequence) {
        if (!AuthSession.isSessionHandle(handle) || (handle & 0x00FFFFFF) >= MAX_ACTIVE) {
            return false;
        }
        int i = index(handle);
        return saved[i] && savedSequence[i] == sequence;
    }

    /** Loads a saved session back into memory; {@code TPM_RC_SESSION_MEMORY} if memory is full. */
    public void reload(AuthSession session) throws TpmException {
        if (loadedCount() >= MAX_LOADED) {
            throw new TpmException(TpmRc.SESSION_MEMORY);
        }
        int i = index(session.handle());
        saved[i] = false;
        loaded[i] = session;
    }

    /**
     * Ends the loaded or saved session at this handle's index (as the reference implementation's
     * FlushContext does, whatever the handle's type); false if there is none.
     */
    public boolean flush(int handle) {
        if (!isActive(handle)) {
            return false;
        }
        int i = index(handle);
        if (loaded[i] != null) {
            loaded[i].destroy();
        }
        loaded[i] = null;
        saved[i] = false;
        if ((exclusiveAudit & 0x00FFFFFF) == i && exclusiveAudit != 0) {
            exclusiveAudit = 0;
        }
        return true;
    }

    /** The AES-CFB cipher parameter encryption reuses; the engine runs one command at a time. */
    public Cipher aesCfb() {
        if (aesCfb == null) {
            aesCfb = ParameterCipher.newAesCfb();
        }
        return aesCfb;
    }

    /** The handle of the exclusive audit session, or 0 if there is none. */
    public int exclusiveAudit() {
        return exclusiveAudit;
    }

    /** Makes {@code handle} the exclusive audit session; 0 for none. */
    public void exclusiveAudit(int handle) {
        exclusiveAudit = handle;
    }

    /**
     * _TPM_Init: loaded sessions are lost; saved session contexts stay valid for a TPM Resume
     * (TPM2_Startup(STATE)); TPM2_Startup(CLEAR) calls {@link #clear}.
     */
    public void flushLoaded() {
        exclusiveAudit = 0;
        for (int i = 0; i < MAX_ACTIVE; i++) {
            if (loaded[i] != null) {
                loaded[i].destroy();
                loaded[i] = null;
            }
        }
    }

    /** Ends every session, loaded or saved (TPM Reset, TPM Restart, power off). */
    public void clear() {
        exclusiveAudit = 0;
        for (int i = 0; i < MAX_ACTIVE; i++) {
            if (loaded[i] != null) {
                loaded[i].destroy();
            }
            loaded[i] = null;
            saved[i] = false;
        }
    }

    public int loadedCount() {
        int n = 0;
        for (AuthSession s : loaded) {
            n += s != null ? 1 : 0;
        }
        return n;
    }

    public int activeCount() {
        int n = 0;
        for (int i = 0; i < MAX_ACTIVE; i++) {
            n += loaded[i] != null || saved[i] ? 1 : 0;
        }
        return n;
    }

    /**
     * Calls {@code action} with the index and handle of each loaded session (HMAC or policy, with its own
     * type), in index order: what TPM2_GetCapability(TPM_CAP_HANDLES, TPM_HT_LOADED_SESSION) lists.
     */
    public void forEachLoaded(BiConsumer<Integer, Integer> action) {
        for (int i = 0; i < MAX_ACTIVE; i++) {
            if (loaded[i] != null) {
                action.accept(i, loaded[i].handle());
            }
        }
    }

    /**
     * Calls {@code action} with the index of each saved session, in index order: what
     * TPM2_GetCapability(TPM_CAP_HANDLES, TPM_HT_SAVED_SESSION) lists (as 0x02000000 + index).
     */
    public void forEachSaved(IntConsumer action) {
        for (int i = 0; i < MAX_ACTIVE; i++) {
            if (saved[i]) {
                action.accept(i);
            }
        }
    }

    /**
     * The bookkeeping of the saved sessions that TPM2_Shutdown(STATE) keeps (the reference's
     * gr.contextArray entries of saved sessions and gr.contextCounter): index to sequence number.
     */
    public java.util.TreeMap<Integer, Long> savedSequences() {
        java.util.TreeMap<Integer, Long> m = new java.util.TreeMap<>();
        for (int i = 0; i < MAX_ACTIVE; i++) {
            if (saved[i]) {
                m.put(i, savedSequence[i]);
            }
        }
        return m;
    }

    /** The next context sequence number (gr.contextCounter). */
    public long contextCounter() {
        return contextCounter;
    }

    /**
     * Restores the saved-session bookkeeping kept by TPM2_Shutdown(STATE) or a volatile blob (TPM Resume,
     * or a TPM rebuilt in another process): loaded sessions are lost; the saved ones become loadable again
     * with the sequence number of their most recent save.
     */
    public void restoreSaved(long counter, java.util.Map<Integer, Long> savedSessions) {
        clear();
        for (java.util.Map.Entry<Integer, Long> e : savedSessions.entrySet()) {
            int i = e.getKey();
            if (i >= 0 && i < MAX_ACTIVE) {
                saved[i] = true;
                savedSequence[i] = e.getValue();
            }
        }
        contextCounter = Math.max(counter, contextCounter);
    }

    private static int index(int handle) {
        return handle & 0x00FFFFFF;
    }
}
