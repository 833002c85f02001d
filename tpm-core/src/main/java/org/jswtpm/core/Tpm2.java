package org.jswtpm.core;

import java.security.SecureRandom;
import org.jswtpm.core.command.Commands;
import org.jswtpm.core.crypto.CtrDrbg;
import org.jswtpm.core.engine.TpmEngine;
import org.jswtpm.core.state.PermanentState;

/**
 * Builds TPM 2.0 instances.
 *
 * <pre>{@code
 * Tpm tpm = Tpm2.builder().build();                         // a fresh TPM, initialized
 * tpm.execute(startupClear);                                // then use it like any TPM
 * Tpm fixed = Tpm2.builder().deterministicSeed(seed).build(); // byte-identical runs for tests
 * }</pre>
 */
public final class Tpm2 {
    private Tpm2() {
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Configuration of one TPM instance. Every instance is independent: no global state. */
    public static final class Builder {
        private byte[] seed;
        private TimeSource time = TimeSource.SYSTEM;
        private StateSink sink = StateSink.NONE;
        private byte[] permanent;
        private byte[] saveState;
        private byte[] volatileState;

        private Builder() {
        }

        /**
         * Seeds the DRBG (and so the manufactured seeds of a fresh TPM) from {@code seed} instead of
         * the platform's entropy: the same seed and command sequence give the same responses.
         */
        public Builder deterministicSeed(byte[] seed) {
            this.seed = seed.clone();
            return this;
        }

        /** The platform timer Time and Clock are derived from. */
        public Builder timeSource(TimeSource time) {
            this.time = time;
            return this;
        }

        /** Where changed state blobs go, synchronously, before the response that changed them. */
        public Builder stateSink(StateSink sink) {
            this.sink = sink;
            return this;
        }

        /** Starts from an existing state blob of {@code kind} instead of a freshly manufactured TPM. */
        public Builder state(StateKind kind, byte[] blob) {
            byte[] copy = blob == null ? null : blob.clone();
            switch (kind) {
                case PERMANENT: permanent = copy; break;
                case SAVE_STATE: saveState = copy; break;
                case VOLATILE: volatileState = copy; break;
                default: throw new IllegalArgumentException(String.valueOf(kind));
            }
            return this;
        }

        /**
         * Builds the TPM and powers it on ({@code _TPM_Init}); it awaits TPM2_Startup. A TPM without
         * permanent state is manufactured and its new permanent state handed to the sink.
         *
         * @throws StateFormatException if a given state blob is not valid
         */
        public Tpm build() throws StateFormatException {
            byte[] entropy = seed;
            if (entropy == null) {
                entropy = new byte[CtrDrbg.SEED_LENGTH];
                new SecureRandom().nextBytes(entropy);
            }
            CtrDrbg drbg = new CtrDrbg(entropy);
            boolean fresh = permanent == null;
            PermanentState state = fresh ? PermanentState.manufacture(drbg) : PermanentState.deserialize(permanent);
            TpmEngine engine = new TpmEngine(Commands.table(), sink, drbg, time, state, saveState, volatileState);
            if (saveState != null || volatileState != null) {
                engine.setState(StateKind.SAVE_STATE, saveState);
                engine.setState(StateKind.VOLATILE, volatileState);
            }
            if (fresh) {
                try {
                    sink.stateChanged(StateKind.PERMANENT, state.serialize());
                } catch (Exception e) {
                    throw new IllegalStateException("the state sink could not store the new TPM's state", e);
                }
            }
            engine.init();
            return engine;
        }
    }
}
