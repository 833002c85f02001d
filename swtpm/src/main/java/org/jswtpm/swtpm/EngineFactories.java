package org.jswtpm.swtpm;

/** The engine the launcher serves. */
final class EngineFactories {
    /** The tpm-core engine. */
    static final TpmEngineFactory DEFAULT = (permanentState, sink) -> {
        throw new IllegalStateException("the TPM engine (Tpm2.builder) is not available in this build");
    };

    private EngineFactories() {
    }
}
