package org.jswtpm.swtpm;

import java.io.IOException;

/**
 * Where the control channel keeps the volatile state between STORE_VOLATILE and the next INIT (swtpm's
 * {@code tpm2-00.volatilestate}).
 */
public interface VolatileStateFile {
    /** STORE_VOLATILE: stores {@code blob} durably. */
    void store(byte[] blob) throws IOException;

    /** INIT: the stored blob the TPM resumes from, or null if there is none. */
    byte[] load() throws IOException;

    /** INIT with DELETE_VOLATILE: removes the stored blob after the TPM has read it. */
    void delete() throws IOException;

    /** No storage: nothing is stored, nothing is resumed. */
    VolatileStateFile NONE = new VolatileStateFile() {
        @Override
        public void store(byte[] blob) {
        }

        @Override
        public byte[] load() {
            return null;
        }

        @Override
        public void delete() {
        }
    };
}
