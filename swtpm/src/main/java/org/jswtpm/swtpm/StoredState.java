package org.jswtpm.swtpm;

import java.io.IOException;
import java.security.SecureRandom;
import java.util.EnumMap;
import java.util.Map;
import org.jswtpm.core.StateFormatException;
import org.jswtpm.core.StateKind;
import org.jswtpm.core.StateSink;
import org.jswtpm.store.BlobFormatException;
import org.jswtpm.store.MigrationBlobCodec;
import org.jswtpm.store.StateKey;
import org.jswtpm.store.StateLockedException;
import org.jswtpm.store.StateNames;
import org.jswtpm.store.StateStore;

/**
 * The TPM's state as the swtpm process keeps it in a {@code state-store} {@link StateStore}: every blob
 * inside swtpm's envelope (encrypted with the {@code --key} key if there is one), written through before
 * a response leaves, locked as swtpm locks it, and moved over the control channel as swtpm's migration
 * blobs (fact sheet §2.5, §7; {@code docs/state-format.md}).
 *
 * <p>Locking follows swtpm: the lock is taken when the TPM starts (at process start with
 * {@code not-need-init}, else at CMD_INIT) unless {@code --migration incoming} defers it to
 * SET_STATEBLOB, the first TPM command or LOCK_STORAGE; it is released after the savestate blob was
 * handed out (outgoing migration), after which the next TPM command or LOCK_STORAGE takes it again
 * with 300 retries. Unlike swtpm, a state change is never written without the lock: a write while it is
 * not held (a new TPM manufactured before INIT, the automatic shutdown after an outgoing release) takes
 * it first, and fails if another process holds it.
 */
public final class StoredState implements StateControl, StateSink, AutoCloseable {
    /** PTM_STATE_FLAG_ENCRYPTED in the GET_STATEBLOB response and the SET_STATEBLOB request. */
    static final int STATE_FLAG_ENCRYPTED = 0x2;
    /** Retries (× 10 ms) for re-taking the lock after an outgoing migration released it. */
    static final int RELOCK_RETRIES = 300;

    private final StateStore store;
    private final MigrationBlobCodec codec;
    private final boolean hasFileKey;
    private final boolean hasMigrationKey;
    private final SwtpmLog log;
    private boolean locked;
    private boolean incomingMigration;
    private int lockRetries;

    /**
     * @param store the store with the envelope layer (plain or encrypted with {@code fileKey})
     * @param fileKey the state-file key, or null
     * @param migrationKey the migration key, or null
     * @param incomingMigration whether the lock waits for the incoming state
     */
    public StoredState(StateStore store, StateKey fileKey, StateKey migrationKey, boolean incomingMigration,
            SwtpmLog log) {
        this.store = store;
        this.codec = new MigrationBlobCodec(fileKey, migrationKey, new SecureRandom());
        this.hasFileKey = fileKey != null;
        this.hasMigrationKey = migrationKey != null;
        this.incomingMigration = incomingMigration;
        this.log = log;
    }

    /** The blob name of a control-channel blob type (1, 2, 3), or null. */
    static StateKind kindOf(int type) {
        return switch (type) {
            case 1 -> StateKind.PERMANENT;
            case 2 -> StateKind.VOLATILE;
            case 3 -> StateKind.SAVE_STATE;
            default -> null;
        };
    }

    // ---- process start

    /**
     * Takes the lock as the TPM starts at process start ({@code not-need-init}), unless an incoming
     * migration defers it.
     *
     * @throws StateLockedException if another process holds it
     */
    public synchronized void lockAtStart() throws IOException {
        if (!incomingMigration) {
            store.lock(0);
            locked = true;
        }
    }

    /**
     * Reads every stored blob, checking the envelope (and decrypting it).
     *
     * @throws BlobFormatException if a blob is torn, truncated, foreign or encrypted with another key; the
     *     message names the file
     */
    public synchronized Map<StateKind, byte[]> loadAll() throws IOException {
        Map<StateKind, byte[]> blobs = new EnumMap<>(StateKind.class);
        for (StateKind kind : StateKind.values()) {
            byte[] blob = store.load(kind.swtpmName());
            if (blob != null) {
                blobs.put(kind, blob);
            }
        }
        return blobs;
    }

    /** Where the blob of {@code kind} lives, for messages. */
    public String locationOf(StateKind kind) {
        return store.locationOf(kind.swtpmName());
    }

    // ---- the engine's sink

    /**
     * Writes a changed permanent state or save-state through (an empty blob deletes it), taking the lock
     * first if it is not held; volatile state is stored only on STORE_VOLATILE.
     *
     * @throws org.jswtpm.store.StateLockedException if another process holds the lock
     */
    @Override
    public synchronized void stateChanged(StateKind kind, byte[] blob) throws IOException {
        if (kind == StateKind.VOLATILE) {
            return;
        }
        if (!locked) {
            // never write behind the back of a process that holds the lock (a migration's destination,
            // or another process on the same state): take it now, or fail the write
            store.lock(0);
            markLocked();
        }
        if (blob.length == 0) {
            store.delete(kind.swtpmName());
        } else {
            store.store(kind.swtpmName(), blob);
        }
    }

    // ---- locking

    private void markLocked() {
        locked = true;
        lockRetries = 0;
        incomingMigration = false;
    }

    /** swtpm's {@code mainloop_ensure_locked_storage}: true if the storage is (now) locked. */
    private boolean ensureLocked() {
        if (locked) {
            return true;
        }
        try {
            store.lock(lockRetries);
        } catch (IOException e) {
            log.error("Could not lock the TPM state: " + e.getMessage());
            return false;
        }
        markLocked();
        return true;
    }

    /** Before every data-channel command: takes a deferred or released lock (false if it cannot). */
    public synchronized boolean beforeDataCommand() {
        return ensureLocked();
    }

    @Override
    public synchronized int lockStorage(int retries) {
        lockRetries = retries;
        return ensureLocked() ? PtmResult.TPM_SUCCESS : PtmResult.TPM_FAIL;
    }

    @Override
    public synchronized boolean lockForSetStateBlob() {
        return ensureLocked();
    }

    /** True while this process holds the storage lock (or locking is off and it would). */
    public synchronized boolean isLocked() {
        return locked;
    }

    // ---- control channel

    @Override
    public int capabilities() {
        return ControlCommand.GET_STATEBLOB.capabilityBit() | ControlCommand.SET_STATEBLOB.capabilityBit()
                | ControlCommand.LOCK_STORAGE.capabilityBit();
    }

    @Override
    public int configFlags() {
        return (hasFileKey ? 1 : 0) | (hasMigrationKey ? 2 : 0);
    }

    @Override
    public synchronized int prepareInit(TpmDevice device) {
        if (!incomingMigration) {
            try {
                store.lock(0);
            } catch (IOException e) {
                log.error("Could not lock the TPM state: " + e.getMessage());
                return PtmResult.TPM_FAIL;
            }
            markLocked();
        }
        try {
            byte[] permanent = store.load(StateNames.PERMALL);
            if (permanent != null) {
                device.setState(StateKind.PERMANENT, permanent);
            } else {
                store.store(StateNames.PERMALL, device.getState(StateKind.PERMANENT));
            }
            device.setState(StateKind.SAVE_STATE, store.load(StateNames.SAVESTATE));
            return PtmResult.TPM_SUCCESS;
        } catch (IOException e) {
            log.error("Could not load the TPM state: " + e.getMessage());
        } catch (StateFormatException e) {
            log.error("Could not load the TPM state from " + store.locationOf(StateNames.PERMALL) + ": "
                    + e.getMessage());
        }
        return PtmResult.TPM_FAIL;
    }

    @Override
    public synchronized void storeVolatile(byte[] blob) throws IOException {
        if (blob != null) {
            store.store(StateNames.VOLATILESTATE, blob);
        }
    }

    @Override
    public synchronized byte[] loadVolatile() throws IOException {
        return store.load(StateNames.VOLATILESTATE);
    }

    @Override
    public synchronized void deleteVolatile() throws IOException {
        store.delete(StateNames.VOLATILESTATE);
    }

    /**
     * GET_STATEBLOB: the blob wrapped as a migration blob, still encrypted with the file key unless
     * {@code decrypted}, and with the migration key if there is one. The volatile blob is written to its
     * file, read back and the file deleted, as swtpm does. After the savestate request — answered or not —
     * the lock is released for the destination of a migration.
     */
    @Override
    public synchronized BlobReply getStateBlob(TpmDevice device, int type, boolean decrypted) {
        StateKind kind = kindOf(type);
        try {
            if (kind == null) {
                return BlobReply.of(PtmResult.TPM_FAIL);
            }
            byte[] data = kind == StateKind.VOLATILE ? volatileThroughFile(device) : device.getState(kind);
            if (data == null || data.length == 0) {
                return BlobReply.of(PtmResult.TPM_RETRY);
            }
            byte[] blob = codec.wrap(data, !decrypted);
            return new BlobReply(PtmResult.TPM_SUCCESS, codec.staysEncrypted(!decrypted) ? STATE_FLAG_ENCRYPTED : 0,
                    blob);
        } catch (IOException | RuntimeException e) {
            log.error("GET_STATEBLOB type " + type + " failed: " + e.getMessage());
            return BlobReply.of(PtmResult.TPM_FAIL);
        } finally {
            if (kind == StateKind.SAVE_STATE) {
                releaseForMigration();
            }
        }
    }

    private byte[] volatileThroughFile(TpmDevice device) throws IOException {
        try {
            storeVolatile(device.volatileState());
            return store.load(StateNames.VOLATILESTATE);
        } finally {
            store.delete(StateNames.VOLATILESTATE);
        }
    }

    private void releaseForMigration() {
        if (locked) {
            store.unlock();
            locked = false;
            log.info(2, "Released the TPM state lock after the savestate blob was read");
        }
        lockRetries = RELOCK_RETRIES;
    }

    /**
     * SET_STATEBLOB: unwraps the migration blob, hands the plain blob to the stopped TPM (which checks
     * it) and stores it; an empty blob deletes that state.
     */
    @Override
    public synchronized int setStateBlob(TpmDevice device, int type, boolean encrypted, byte[] blob) {
        StateKind kind = kindOf(type);
        if (kind == null) {
            return PtmResult.TPM_BAD_PARAMETER;
        }
        try {
            byte[] plain = codec.unwrap(blob, encrypted);
            if (plain.length == 0 && kind == StateKind.PERMANENT) {
                return PtmResult.TPM_FAIL;
            }
            device.setState(kind, plain);
            if (plain.length == 0) {
                store.delete(kind.swtpmName());
            } else {
                store.store(kind.swtpmName(), plain);
            }
            return PtmResult.TPM_SUCCESS;
        } catch (BlobFormatException e) {
            log.error("SET_STATEBLOB type " + type + ": " + e.getMessage());
            return e.controlCode();
        } catch (StateFormatException e) {
            log.error("SET_STATEBLOB type " + type + ": not a TPM state blob of that kind: " + e.getMessage());
            return PtmResult.TPM_FAIL;
        } catch (IOException | RuntimeException e) {
            log.error("SET_STATEBLOB type " + type + " could not be stored: " + e.getMessage());
            return PtmResult.TPM_FAIL;
        }
    }

    /** Releases the lock. */
    @Override
    public synchronized void close() throws IOException {
        locked = false;
        store.close();
    }
}
