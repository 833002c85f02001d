package org.jswtpm.bench;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
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
 * An HMAC-session round trip with parameter encryption, in process: TPM2_GetRandom(32) carried by an
 * unbound, unsalted HMAC session (SHA-256, AES-128-CFB) with continueSession and encrypt set. Each
 * operation computes the command HMAC over cpHash and the rolling nonces (TCG TPM 2.0 Part 1, 19.6),
 * sends the command, and takes the new nonceTPM from the response; the TPM checks the HMAC, encrypts
 * the random bytes and computes the response HMAC. The session key of such a session is empty.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class SessionBenchmark {
    private static final int ATTRIBUTES = 0x41; // continueSession | encrypt
    private Tpm tpm;
    private int session;
    private byte[] nonceCaller;
    private byte[] nonceTpm;
    private byte[] cpHash;
    private Mac hmac;

    @Setup(Level.Trial)
    public void startSession() throws StateFormatException, GeneralSecurityException {
        tpm = Tpm2.builder().deterministicSeed("jswtpm session benchmark".getBytes(StandardCharsets.US_ASCII)).build();
        RawCommand.requireSuccess("TPM2_Startup", tpm.execute(RawCommand.startupClear()));
        nonceCaller = new byte[16];
        Arrays.fill(nonceCaller, (byte) 0x11);
        byte[] start = RawCommand.build(0x176, new int[] {0x40000007, 0x40000007}, false,
                RawCommand.concat(RawCommand.u16(16), nonceCaller, RawCommand.u16(0), new byte[] {0x00},
                        RawCommand.u16(0x0006), RawCommand.u16(128), RawCommand.u16(0x0043), RawCommand.u16(0x000B)));
        byte[] started = RawCommand.requireSuccess("TPM2_StartAuthSession", tpm.execute(start));
        session = RawCommand.readU32(started, 10);
        nonceTpm = Arrays.copyOfRange(started, 16, 16 + ((started[14] & 0xFF) << 8 | (started[15] & 0xFF)));
        cpHash = MessageDigest.getInstance("SHA-256").digest(RawCommand.concat(RawCommand.u32(0x17B), RawCommand.u16(32)));
        hmac = Mac.getInstance("HmacSHA256");
        hmac.init(new SecretKeySpec(new byte[1], "HmacSHA256")); // an empty key, zero-padded as HMAC does
        RawCommand.requireSuccess("TPM2_GetRandom in an HMAC session", roundTrip());
    }

    @Benchmark
    public byte[] getRandomEncrypted() {
        return roundTrip();
    }

    private byte[] roundTrip() {
        hmac.update(cpHash);
        hmac.update(nonceCaller);
        hmac.update(nonceTpm);
        hmac.update((byte) ATTRIBUTES);
        byte[] auth = hmac.doFinal();
        byte[] area = RawCommand.concat(RawCommand.u32(session), RawCommand.u16(nonceCaller.length), nonceCaller,
                new byte[] {(byte) ATTRIBUTES}, RawCommand.u16(auth.length), auth);
        byte[] command = RawCommand.concat(RawCommand.u16(0x8002), RawCommand.u32(0), RawCommand.u32(0x17B),
                RawCommand.u32(area.length), area, RawCommand.u16(32));
        System.arraycopy(RawCommand.u32(command.length), 0, command, 2, 4);
        byte[] response = tpm.execute(command);
        if (RawCommand.responseCode(response) != 0) {
            throw new IllegalStateException("TPM2_GetRandom in the session failed: " + RawCommand.responseCode(response));
        }
        int at = 14 + RawCommand.readU32(response, 10);
        int size = (response[at] & 0xFF) << 8 | (response[at + 1] & 0xFF);
        nonceTpm = Arrays.copyOfRange(response, at + 2, at + 2 + size);
        return response;
    }
}
