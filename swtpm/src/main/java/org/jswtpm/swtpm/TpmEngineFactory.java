package org.jswtpm.swtpm;

import org.jswtpm.core.StateSink;
import org.jswtpm.core.Tpm;

/** Creates the TPM engine the process serves; tests substitute their own. */
@FunctionalInterface
public interface TpmEngineFactory {
    /**
     * Creates an initialized TPM (awaiting {@code TPM2_Startup}).
     *
     * @param permanentState the stored permanent state, or null for a new TPM
     * @param sink where the TPM hands changed state
     */
    Tpm create(byte[] permanentState, StateSink sink) throws Exception;
}
