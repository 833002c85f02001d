package org.jswtpm.bench;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.jswtpm.core.StateFormatException;
import org.jswtpm.core.Tpm;
import org.jswtpm.core.Tpm2;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The engine in process: one TPM per trial, created and started in {@code @Setup}; each benchmark
 * executes one pre-built command and returns the response.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class EngineBenchmark {
    private Tpm tpm;
    private byte[] getRandom32;
    private byte[] pcrExtend16;
    private byte[] hash1KiB;

    @Setup(Level.Trial)
    public void startTpm() throws StateFormatException {
        tpm = Tpm2.builder().deterministicSeed("jswtpm benchmark".getBytes(StandardCharsets.US_ASCII)).build();
        RawCommand.requireSuccess("TPM2_Startup", tpm.execute(RawCommand.startupClear()));
        getRandom32 = RawCommand.getRandom(32);
        pcrExtend16 = RawCommand.pcrExtendSha256(16, (byte) 0x5A);
        byte[] data = new byte[1024];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) i;
        }
        hash1KiB = RawCommand.hashSha256(data);
        // A benchmark of error responses would measure nothing: check each command once.
        RawCommand.requireSuccess("TPM2_GetRandom", tpm.execute(getRandom32));
        RawCommand.requireSuccess("TPM2_PCR_Extend", tpm.execute(pcrExtend16));
        RawCommand.requireSuccess("TPM2_Hash", tpm.execute(hash1KiB));
    }

    /** TPM2_GetRandom(32). */
    @Benchmark
    public byte[] getRandom32() {
        return tpm.execute(getRandom32);
    }

    /** TPM2_PCR_Extend of one SHA-256 digest into PCR 16, empty password session. */
    @Benchmark
    public byte[] pcrExtendSha256() {
        return tpm.execute(pcrExtend16);
    }

    /** TPM2_Hash of 1 KiB with SHA-256, hierarchy TPM_RH_NULL. */
    @Benchmark
    public byte[] hash1KiBSha256() {
        return tpm.execute(hash1KiB);
    }
}
