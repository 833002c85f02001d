package org.jswtpm.swtpm;

import org.jswtpm.core.Tpm2;

/** The engine the launcher serves. */
final class EngineFactories {
    /** The tpm-core engine, seeded from the platform, starting from the stored state. */
    static final TpmEngineFactory DEFAULT = (storedState, sink) -> {
        Tpm2.Builder builder = Tpm2.builder().stateSink(sink);
        storedState.forEach(builder::state);
        return builder.build();
    };

    private EngineFactories() {
    }
}
