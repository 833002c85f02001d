package org.jswtpm.swtpm;

import java.util.Map;
import org.jswtpm.core.StateKind;
import org.jswtpm.core.StateSink;
import org.jswtpm.core.Tpm;

/** Creates the TPM engine the process serves; tests substitute their own. */
@FunctionalInterface
public interface TpmEngineFactory {
    /**
     * Creates an initialized TPM (awaiting {@code TPM2_Startup}).
     *
     * @param storedState the stored blobs to start from (no PERMANENT entry: manufacture a new TPM)
     * @param sink where the TPM hands changed state
     */
    Tpm create(Map<StateKind, byte[]> storedState, StateSink sink) throws Exception;
}
