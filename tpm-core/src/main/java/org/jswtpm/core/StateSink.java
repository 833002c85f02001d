package org.jswtpm.core;

/**
 * Where a TPM hands a state blob when it changes. The TPM calls it synchronously, before the response
 * to the command that changed the state leaves the TPM, so that an acknowledged change survives a
 * crash if the sink stores durably. A sink that throws puts the TPM in failure mode
 * ({@code TPM_RC_FAILURE}) until the next {@link Tpm#init()}.
 */
@FunctionalInterface
public interface StateSink {
    /** Stores {@code blob} (never null) as the new state of {@code kind}. */
    void stateChanged(StateKind kind, byte[] blob) throws Exception;

    /** A sink that keeps nothing. */
    StateSink NONE = (kind, blob) -> { };
}
