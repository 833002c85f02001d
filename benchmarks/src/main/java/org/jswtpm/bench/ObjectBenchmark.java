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
 * Objects in process: CreatePrimary of a key already derived (memoized: a hash of seed and template) and
 * of a new template (a full RSA prime search or ECC scalar multiplication), Load of a sealed object,
 * ContextSave + ContextLoad. Every operation flushes what it loaded, so the three slots never fill.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class ObjectBenchmark {
    private Tpm tpm;
    private byte[] rsaMemoized;
    private byte[] load;
    private byte[] contextSave;
    private int parent;
    private int counter;

    @Setup(Level.Trial)
    public void startTpm() throws StateFormatException {
        tpm = Tpm2.builder().deterministicSeed("jswtpm object benchmark".getBytes(StandardCharsets.US_ASCII)).build();
        RawCommand.requireSuccess("TPM2_Startup", tpm.execute(RawCommand.startupClear()));
        rsaMemoized = RawObjectCommand.createPrimaryRsa2048(new byte[0]);
        byte[] created = RawCommand.requireSuccess("TPM2_CreatePrimary", tpm.execute(rsaMemoized));
        parent = RawObjectCommand.responseHandle(created);
        byte[] sealed = RawCommand.requireSuccess("TPM2_Create",
                tpm.execute(RawObjectCommand.createSealed(parent, "benchmark".getBytes(StandardCharsets.US_ASCII))));
        load = RawObjectCommand.loadFromCreateResponse(parent, sealed);
        contextSave = RawObjectCommand.contextSave(parent);
        RawCommand.requireSuccess("TPM2_Load", flushAfter(tpm.execute(load)));
        RawCommand.requireSuccess("TPM2_ContextLoad", flushAfter(tpm.execute(
                RawObjectCommand.contextLoadFromSaveResponse(tpm.execute(contextSave)))));
    }

    private byte[] flushAfter(byte[] response) {
        if (RawCommand.responseCode(response) == 0) {
            tpm.execute(RawObjectCommand.flush(RawObjectCommand.responseHandle(response)));
        }
        return response;
    }

    private byte[] uniqueValue() {
        counter++;
        return RawObjectCommand.u32(counter);
    }

    /** CreatePrimary RSA-2048 with a template derived before: the memo answers. Then FlushContext. */
    @Benchmark
    public byte[] createPrimaryRsa2048Memoized() {
        return flushAfter(tpm.execute(rsaMemoized));
    }

    /** CreatePrimary RSA-2048 with a new unique value each time: a prime search. Then FlushContext. */
    @Benchmark
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public byte[] createPrimaryRsa2048Fresh() {
        return flushAfter(tpm.execute(RawObjectCommand.createPrimaryRsa2048(uniqueValue())));
    }

    /** CreatePrimary ECC P-256 with a new unique value each time. Then FlushContext. */
    @Benchmark
    public byte[] createPrimaryEccP256Fresh() {
        return flushAfter(tpm.execute(RawObjectCommand.createPrimaryEccP256(uniqueValue())));
    }

    /** Load of a sealed data object under the RSA-2048 primary (HMAC check, AES-CFB). Then FlushContext. */
    @Benchmark
    public byte[] loadSealed() {
        return flushAfter(tpm.execute(load));
    }

    /** ContextSave of the RSA-2048 primary and ContextLoad of the result. Then FlushContext. */
    @Benchmark
    public byte[] contextSaveAndLoad() {
        return flushAfter(tpm.execute(RawObjectCommand.contextLoadFromSaveResponse(tpm.execute(contextSave))));
    }
}
