package org.jswtpm.swtpm;

import java.io.IOException;

/**
 * The storage behind the control channel's state commands: INIT's loading and locking, STORE_VOLATILE,
 * GET_STATEBLOB, SET_STATEBLOB, LOCK_STORAGE and GET_CONFIG (fact sheet §2.2, §2.5). Result codes are
 * {@link PtmResult} values. The control channel calls these with the device lock held.
 */
public interface StateControl {
    /** A GET_STATEBLOB answer: result, response flags and the blob (empty unless the result is 0). */
    record BlobReply(int result, int flags, byte[] blob) {
        /** An answer without a blob. */
        public static BlobReply of(int result) {
            return new BlobReply(result, 0, new byte[0]);
        }
    }

    /** The PTM_CAP_* bits of the state commands that work (GET/SET_STATEBLOB, LOCK_STORAGE). */
    int capabilities();

    /** GET_CONFIG: PTM_CONFIG_FLAG_FILE_KEY (1) and PTM_CONFIG_FLAG_MIGRATION_KEY (2). */
    int configFlags();

    /**
     * INIT, after the TPM was stopped and before it is powered on: locks the storage (unless an incoming
     * migration defers it) and loads the stored blobs into the stopped TPM of {@code device}.
     */
    int prepareInit(TpmDevice device);

    /** STORE_VOLATILE: stores {@code blob} durably. */
    void storeVolatile(byte[] blob) throws IOException;

    /** INIT: the stored volatile blob the TPM resumes from, or null if there is none. */
    byte[] loadVolatile() throws IOException;

    /** INIT with DELETE_VOLATILE: removes the stored volatile blob after the TPM has read it. */
    void deleteVolatile() throws IOException;

    /** GET_STATEBLOB of {@code type} (1, 2, 3) from the running TPM of {@code device}. */
    BlobReply getStateBlob(TpmDevice device, int type, boolean decrypted);

    /** SET_STATEBLOB of {@code type} into the stopped TPM of {@code device}; a result code. */
    int setStateBlob(TpmDevice device, int type, boolean encrypted, byte[] blob);

    /** Whether SET_STATEBLOB can proceed: the storage is locked, or could be locked now. */
    boolean lockForSetStateBlob();

    /** LOCK_STORAGE with {@code retries} 10 ms retries; a result code. */
    int lockStorage(int retries);

    /**
     * The state control of a process without storage: the volatile blob lives in {@code file}, there are
     * no state blobs to move, and LOCK_STORAGE succeeds as there is nothing to lock.
     */
    static StateControl volatileOnly(VolatileStateFile file) {
        return new StateControl() {
            @Override
            public int capabilities() {
                return ControlCommand.LOCK_STORAGE.capabilityBit();
            }

            @Override
            public int configFlags() {
                return 0;
            }

            @Override
            public int prepareInit(TpmDevice device) {
                return PtmResult.TPM_SUCCESS;
            }

            @Override
            public void storeVolatile(byte[] blob) throws IOException {
                file.store(blob);
            }

            @Override
            public byte[] loadVolatile() throws IOException {
                return file.load();
            }

            @Override
            public void deleteVolatile() throws IOException {
                file.delete();
            }

            @Override
            public BlobReply getStateBlob(TpmDevice device, int type, boolean decrypted) {
                return BlobReply.of(PtmResult.TPM_BAD_ORDINAL);
            }

            @Override
            public int setStateBlob(TpmDevice device, int type, boolean encrypted, byte[] blob) {
                return PtmResult.TPM_BAD_ORDINAL;
            }

            @Override
            public boolean lockForSetStateBlob() {
                return true;
            }

            @Override
            public int lockStorage(int retries) {
                return PtmResult.TPM_SUCCESS;
            }
        };
    }
}
