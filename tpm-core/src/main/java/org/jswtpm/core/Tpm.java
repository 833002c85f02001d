package org.jswtpm.core;

/**
 * A TPM 2.0 instance. Every front-end (a Java caller, the swtpm control and data channels, the TIS and
 * CRB register models) drives a TPM through this interface only.
 *
 * <p>Life cycle, as on a platform: a TPM is first <em>powered on</em> ({@link #init()}, the
 * specification's {@code _TPM_Init}), after which it accepts only {@code TPM2_Startup}; it can be
 * {@linkplain #stop() stopped} (power removed), and initialized again. {@link Tpm2#builder()} returns
 * an initialized TPM.
 *
 * <p>{@link #execute(int, byte[])} never throws: malformed input gets a TPM error response, an internal
 * fault gets {@code TPM_RC_FAILURE}. Implementations serialize calls; one instance may be shared
 * between threads, but commands run one at a time, as on a real TPM.
 */
public interface Tpm {
    /** The largest command and response this TPM accepts and produces (TPM_PT_MAX_COMMAND_SIZE). */
    int MAX_COMMAND_SIZE = 4096;

    /**
     * {@code _TPM_Init} (TCG TPM 2.0 Part 1, 12.2.2): powers the TPM on, or resets it if it was
     * running. Volatile state is lost; the permanent state (and a pending save-state) is kept. The TPM
     * then expects {@code TPM2_Startup}.
     */
    void init();

    /** Removes power: the TPM stops executing commands until {@link #init()}. Volatile state is lost. */
    void stop();

    /** True between {@link #init()} and {@link #stop()}. */
    boolean isRunning();

    /**
     * Executes one command at {@code locality} (0..4) and returns the complete response. If the TPM is
     * not running, the response is the 10-byte {@code TPM_RC_FAILURE} response.
     */
    byte[] execute(int locality, byte[] command);

    /** Executes one command at locality 0. */
    default byte[] execute(byte[] command) {
        return execute(0, command);
    }

    /** {@code _TPM_Hash_Start} (Part 3, 6.3): begins a dynamic-root-of-trust measurement at locality 4. */
    void hashStart();

    /** {@code _TPM_Hash_Data} (Part 3, 6.4): data for the measurement begun by {@link #hashStart()}. */
    void hashData(byte[] data);

    /** {@code _TPM_Hash_End} (Part 3, 6.5): extends the measurement into PCR 17. */
    void hashEnd();

    /** The PC Client tpmEstablished flag (set by {@link #hashStart()}). */
    boolean isTpmEstablished();

    /**
     * Clears the tpmEstablished flag, as TPM_ACCESS.resetEstablishment does. Only locality 3 and 4 may
     * do so (PC Client PTP, 6.5.2.4).
     *
     * @return false if {@code locality} may not reset it
     */
    boolean resetTpmEstablished(int locality);

    /** Asks a long-running command to stop early; a no-op when nothing cancellable is running. */
    void cancel();

    /**
     * The state blob of {@code kind}, serialized in jswtpm's versioned format, or null if this TPM has
     * none of that kind (for example no save-state before {@code TPM2_Shutdown(STATE)}).
     */
    byte[] getState(StateKind kind);

    /**
     * Replaces the state of {@code kind} with {@code blob} (null or empty deletes it). Only allowed
     * while the TPM is stopped; takes effect at the next {@link #init()}.
     *
     * @throws IllegalStateException if the TPM is running
     * @throws StateFormatException if the blob is not a valid state blob of that kind
     */
    void setState(StateKind kind, byte[] blob) throws StateFormatException;
}
