package org.jswtpm.core.testing;

import java.util.concurrent.atomic.AtomicLong;
import org.jswtpm.core.TimeSource;
import org.jswtpm.core.Tpm;
import org.jswtpm.core.Tpm2;
import org.jswtpm.core.types.TpmCc;
import org.jswtpm.core.types.TpmSu;

/** Deterministic TPMs for tests: a fixed seed and a hand-driven clock. */
public final class TestTpm {
    public static final byte[] SEED = "jswtpm test seed".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private TestTpm() {
    }

    /** A manual time source: starts at 1000 ms, moves only when told. */
    public static final class ManualTime implements TimeSource {
        private final AtomicLong now = new AtomicLong(1000);

        @Override
        public long millis() {
            return now.get();
        }

        public void advance(long ms) {
            now.addAndGet(ms);
        }
    }

    /** A deterministic TPM, initialized, not yet started. */
    public static Tpm fresh() {
        return fresh(new ManualTime());
    }

    public static Tpm fresh(TimeSource time) {
        try {
            return Tpm2.builder().deterministicSeed(SEED).timeSource(time).build();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** A deterministic TPM after TPM2_Startup(CLEAR). */
    public static Tpm started() {
        Tpm tpm = fresh();
        new Response(tpm.execute(Command.of(TpmCc.Startup).u16(TpmSu.CLEAR).build())).ok();
        return tpm;
    }

    public static Response run(Tpm tpm, Command c) {
        return new Response(tpm.execute(c.build()));
    }

    public static Response run(Tpm tpm, int locality, Command c) {
        return new Response(tpm.execute(locality, c.build()));
    }
}
