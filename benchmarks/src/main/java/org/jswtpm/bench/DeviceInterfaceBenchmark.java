package org.jswtpm.bench;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.jswtpm.core.StateFormatException;
import org.jswtpm.core.Tpm;
import org.jswtpm.core.Tpm2;
import org.jswtpm.crb.CrbInterface;
import org.jswtpm.crb.CrbRegisters;
import org.jswtpm.tis.TisInterface;
import org.jswtpm.tis.TisRegisters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * TPM2_GetRandom(32) through the register interfaces a guest sees, against the direct
 * {@link Tpm#execute(byte[])} call: what the FIFO (TIS) and CRB device models cost on top of the engine.
 * Each interface executes synchronously and drives its own TPM (same deterministic seed).
 *
 * <ul>
 *   <li>{@link #direct()}: {@code Tpm.execute}.</li>
 *   <li>{@link #tisByteAccess()}: the FIFO as Linux's tpm_tis drives it, one byte per access: commandReady,
 *       12 FIFO writes honouring burstCount, a stsValid/Expect check, tpmGo, dataAvail poll, 44 FIFO reads,
 *       commandReady. Locality 0 is requested once in setup.</li>
 *   <li>{@link #tisDwordAccess()}: the same with 4-byte FIFO accesses.</li>
 *   <li>{@link #crb()}: CRB as Linux's tpm_crb drives it: cmdReady, the command in 4-byte writes, Start,
 *       a poll of Start, the response in 4-byte reads, goIdle. Locality 0 is requested once in setup.</li>
 * </ul>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class DeviceInterfaceBenchmark {
    private static final int RESPONSE_LENGTH = 10 + 2 + 32;

    private Tpm tpm;
    private TisInterface tis;
    private CrbInterface crb;
    private byte[] getRandom32;

    @Setup(Level.Trial)
    public void start() throws StateFormatException {
        getRandom32 = RawCommand.getRandom(32);
        tpm = startedTpm();
        tis = new TisInterface(startedTpm());
        crb = new CrbInterface(startedTpm());
        tis.mmioWrite(TisRegisters.ACCESS, 1, TisRegisters.Access.REQUEST_USE);
        crb.mmioWrite(CrbRegisters.LOC_CTRL, 4, CrbRegisters.LocCtrl.REQUEST_ACCESS);
        // every path must return a successful response of the right length before it is timed
        for (byte[] response : new byte[][] {direct(), tisByteAccess(), tisDwordAccess(), crb()}) {
            RawCommand.requireSuccess("TPM2_GetRandom", response);
            if (response.length != RESPONSE_LENGTH) {
                throw new IllegalStateException("response of " + response.length + " bytes");
            }
        }
    }

    private static Tpm startedTpm() throws StateFormatException {
        Tpm t = Tpm2.builder().deterministicSeed("jswtpm benchmark".getBytes(StandardCharsets.US_ASCII)).build();
        RawCommand.requireSuccess("TPM2_Startup", t.execute(RawCommand.startupClear()));
        return t;
    }

    /** TPM2_GetRandom(32) by {@code Tpm.execute}. */
    @Benchmark
    public byte[] direct() {
        return tpm.execute(getRandom32);
    }

    /** TPM2_GetRandom(32) through TIS registers, one byte per access. */
    @Benchmark
    public byte[] tisByteAccess() {
        tis.mmioWrite(TisRegisters.STS, 1, TisRegisters.Sts.COMMAND_READY);
        int sent = 0;
        while (sent < getRandom32.length) {
            int burst = burstCount();
            for (int i = 0; i < burst && sent < getRandom32.length; i++) {
                tis.mmioWrite(TisRegisters.DATA_FIFO, 1, getRandom32[sent++] & 0xFF);
            }
        }
        requireSts(TisRegisters.Sts.STS_VALID, TisRegisters.Sts.EXPECT);
        tis.mmioWrite(TisRegisters.STS, 1, TisRegisters.Sts.TPM_GO);
        requireSts(TisRegisters.Sts.STS_VALID | TisRegisters.Sts.DATA_AVAIL, 0);
        byte[] response = new byte[RESPONSE_LENGTH];
        for (int i = 0; i < response.length; i++) {
            response[i] = (byte) tis.mmioRead(TisRegisters.DATA_FIFO, 1);
        }
        tis.mmioWrite(TisRegisters.STS, 1, TisRegisters.Sts.COMMAND_READY);
        return response;
    }

    /** TPM2_GetRandom(32) through TIS registers, four bytes per FIFO access. */
    @Benchmark
    public byte[] tisDwordAccess() {
        tis.mmioWrite(TisRegisters.STS, 1, TisRegisters.Sts.COMMAND_READY);
        for (int i = 0; i < getRandom32.length; i += 4) {
            tis.mmioWrite(TisRegisters.DATA_FIFO, 4, littleEndian(getRandom32, i));
        }
        requireSts(TisRegisters.Sts.STS_VALID, TisRegisters.Sts.EXPECT);
        tis.mmioWrite(TisRegisters.STS, 1, TisRegisters.Sts.TPM_GO);
        requireSts(TisRegisters.Sts.STS_VALID | TisRegisters.Sts.DATA_AVAIL, 0);
        byte[] response = new byte[RESPONSE_LENGTH];
        for (int i = 0; i < response.length; i += 4) {
            putLittleEndian(response, i, tis.mmioRead(TisRegisters.DATA_FIFO, 4));
        }
        tis.mmioWrite(TisRegisters.STS, 1, TisRegisters.Sts.COMMAND_READY);
        return response;
    }

    /** TPM2_GetRandom(32) through CRB registers, four bytes per buffer access. */
    @Benchmark
    public byte[] crb() {
        crb.mmioWrite(CrbRegisters.CTRL_REQ, 4, CrbRegisters.CtrlReq.CMD_READY);
        for (int i = 0; i < getRandom32.length; i += 4) {
            crb.mmioWrite(CrbRegisters.DATA_BUFFER + i, 4, littleEndian(getRandom32, i));
        }
        crb.mmioWrite(CrbRegisters.CTRL_START, 4, CrbRegisters.CtrlStart.START);
        if ((crb.mmioRead(CrbRegisters.CTRL_START, 4) & CrbRegisters.CtrlStart.START) != 0) {
            throw new IllegalStateException("synchronous CRB still started");
        }
        byte[] response = new byte[RESPONSE_LENGTH];
        for (int i = 0; i < response.length; i += 4) {
            putLittleEndian(response, i, crb.mmioRead(CrbRegisters.DATA_BUFFER + i, 4));
        }
        crb.mmioWrite(CrbRegisters.CTRL_REQ, 4, CrbRegisters.CtrlReq.GO_IDLE);
        return response;
    }

    private int burstCount() {
        return (int) tis.mmioRead(TisRegisters.STS + 1, 2);
    }

    private void requireSts(int set, int clear) {
        int sts = (int) tis.mmioRead(TisRegisters.STS, 1);
        if ((sts & set) != set || (sts & clear) != 0) {
            throw new IllegalStateException("TPM_STS " + Integer.toHexString(sts));
        }
    }

    private static long littleEndian(byte[] b, int at) {
        long v = 0;
        for (int i = 0; i < 4 && at + i < b.length; i++) {
            v |= (b[at + i] & 0xFFL) << (8 * i);
        }
        return v;
    }

    private static void putLittleEndian(byte[] b, int at, long v) {
        for (int i = 0; i < 4 && at + i < b.length; i++) {
            b[at + i] = (byte) (v >>> (8 * i));
        }
    }
}
