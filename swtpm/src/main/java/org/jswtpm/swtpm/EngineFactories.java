package org.jswtpm.swtpm;

import org.jswtpm.core.StateKind;
import org.jswtpm.core.Tpm2;

/** The engine the launcher serves. */
final class EngineFactories {
    /** The tpm-core engine, seeded from the platform, starting from the stored permanent state. */
    static final TpmEngineFactory DEFAULT = (permanentState, sink) -> {
        Tpm2.Builder builder = Tpm2.builder().stateSink(sink);
        if (permanentState != null) {
            builder.state(StateKind.PERMANENT, permanentState);
        }
        return builder.build();
    };

    private EngineFactories() {
    }
}
