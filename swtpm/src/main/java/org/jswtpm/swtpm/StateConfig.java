package org.jswtpm.swtpm;

import java.nio.file.Path;
import org.jswtpm.store.KeyOption;
import org.jswtpm.store.TpmStateOptions;

/**
 * Where and how the process keeps the TPM's state, from {@code --tpmstate}, {@code --key},
 * {@code --migration-key} and {@code --migration} (fact sheet §1.3 and §7).
 *
 * @param tpmstate the storage backend, file mode, locking and backup ({@code --tpmstate} or
 *     {@code TPM_PATH}), or null if none was given
 * @param key the state-file key ({@code --key}), or null
 * @param migrationKey the key that wraps blobs handed out by GET_STATEBLOB ({@code --migration-key}),
 *     or null
 * @param incomingMigration {@code --migration incoming}: take the storage lock only when the state
 *     arrives (SET_STATEBLOB), on the first TPM command, or on LOCK_STORAGE
 * @param releaseLockOutgoing {@code --migration release-lock-outgoing} (swtpm releases the lock after
 *     the savestate blob was read whether or not it is given; so does jswtpm)
 */
public record StateConfig(TpmStateOptions tpmstate, KeyOption key, KeyOption migrationKey,
        boolean incomingMigration, boolean releaseLockOutgoing) {

    /** The state of {@code options}: its directory, file mode and locking, without keys or migration. */
    public static StateConfig of(SwtpmOptions options) {
        Path dir = options.stateDir();
        if (dir == null) {
            return new StateConfig(null, null, null, false, false);
        }
        TpmStateOptions tpmstate = new TpmStateOptions(TpmStateOptions.Backend.DIRECTORY, dir,
                options.stateFileMode(), true, options.stateLock(), false, false);
        return new StateConfig(tpmstate, null, null, false, false);
    }
}
