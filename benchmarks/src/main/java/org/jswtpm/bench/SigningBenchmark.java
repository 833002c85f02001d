package org.jswtpm.bench;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
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
 * TPM2_Sign in process with a loaded unrestricted key: RSA-2048 RSASSA-SHA256 and ECC NIST P-256
 * ECDSA-SHA256, a SHA-256 digest, the key's own scheme, an empty password session.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class SigningBenchmark {
    private Tpm tpm;
    private byte[] signRsa;
    private byte[] signEcc;

    @Setup(Level.Trial)
    public void startTpm() throws StateFormatException, NoSuchAlgorithmException {
        tpm = Tpm2.builder().deterministicSeed("jswtpm signing benchmark".getBytes(StandardCharsets.US_ASCII)).build();
        RawCommand.requireSuccess("TPM2_Startup", tpm.execute(RawCommand.startupClear()));
        int rsa = RawObjectCommand.responseHandle(RawCommand.requireSuccess("TPM2_CreatePrimary RSA",
                tpm.execute(RawObjectCommand.createPrimaryRsaSigner())));
        int ecc = RawObjectCommand.responseHandle(RawCommand.requireSuccess("TPM2_CreatePrimary ECC",
                tpm.execute(RawObjectCommand.createPrimaryEccSigner())));
        byte[] digest = MessageDigest.getInstance("SHA-256").digest("benchmark".getBytes(StandardCharsets.US_ASCII));
        signRsa = RawObjectCommand.sign(rsa, digest);
        signEcc = RawObjectCommand.sign(ecc, digest);
        RawCommand.requireSuccess("TPM2_Sign RSA", tpm.execute(signRsa));
        RawCommand.requireSuccess("TPM2_Sign ECC", tpm.execute(signEcc));
    }

    @Benchmark
    public byte[] signRsa2048Rsassa() {
        return tpm.execute(signRsa);
    }

    @Benchmark
    public byte[] signEccP256Ecdsa() {
        return tpm.execute(signEcc);
    }
}
