package org.jswtpm.tis;

import org.jswtpm.core.ptp.MmioRegion;
import org.jswtpm.core.ptp.LocalityArbiter;
import org.jswtpm.core.ptp.InterruptLine;

import static org.jswtpm.tis.TisRegisters.ACCESS;
import static org.jswtpm.tis.TisRegisters.DID_VID;
import static org.jswtpm.tis.TisRegisters.HASH_END;
import static org.jswtpm.tis.TisRegisters.HASH_START;
import static org.jswtpm.tis.TisRegisters.INTERFACE_ID;
import static org.jswtpm.tis.TisRegisters.INTF_CAPABILITY;
import static org.jswtpm.tis.TisRegisters.INT_ENABLE;
import static org.jswtpm.tis.TisRegisters.INT_STATUS;
import static org.jswtpm.tis.TisRegisters.INT_VECTOR;
import static org.jswtpm.tis.TisRegisters.LOCALITY_COUNT;
import static org.jswtpm.tis.TisRegisters.LOCALITY_STRIDE;
import static org.jswtpm.tis.TisRegisters.REGION_SIZE;
import static org.jswtpm.tis.TisRegisters.RID;
import static org.jswtpm.tis.TisRegisters.STS;

import java.util.Objects;
import java.util.concurrent.Executor;
import org.jswtpm.core.Tpm;
import org.jswtpm.tis.TisRegisters.Access;
import org.jswtpm.tis.TisRegisters.IntfCapability;
import org.jswtpm.tis.TisRegisters.InterfaceId;
import org.jswtpm.tis.TisRegisters.Interrupt;
import org.jswtpm.tis.TisRegisters.Sts;

/**
 * The FIFO (TIS) register interface of the TCG PC Client Platform TPM Profile (PTP), "FIFO Interface"
 * chapter, as an in-process device model over a {@link Tpm}: five locality pages at a 0x1000 stride, each
 * with TPM_ACCESS, the interrupt registers, TPM_STS, the data FIFOs, TPM_INTERFACE_ID, TPM_DID_VID and
 * TPM_RID, and at locality 4 the TPM_HASH_START / TPM_HASH_DATA / TPM_HASH_END registers of the
 * dynamic root of trust. A virtual-machine monitor forwards the guest's MMIO accesses to
 * {@link #mmioRead(long, int)} and {@link #mmioWrite(long, int, long)}; offsets are relative to the
 * start of the region (0xFED40000 on a PC).
 *
 * <pre>{@code
 * Tpm tpm = Tpm2.builder().build();
 * TisInterface tis = new TisInterface(tpm, commandThread, irq::setLevel, TpmFamily.TPM_2_0);
 * // in the VMM's MMIO handler for 0xFED40000..0xFED44FFF:
 * long value = tis.mmioRead(address - 0xFED40000L, size);
 * tis.mmioWrite(address - 0xFED40000L, size, value);
 * }</pre>
 *
 * <p>Registers are little-endian; accesses of 1, 2 and 4 bytes are supported at any offset. An access of
 * another size, or one that leaves its locality page, reads all ones and is ignored on write. Bytes that
 * no register implements read 0xFF, as on hardware, and writes to them are dropped. Registers other than
 * TPM_ACCESS and the read-only identification registers ignore writes from a locality that is not
 * active, and TPM_STS and the FIFOs read all ones there. Neither method ever throws.
 *
 * <p>Locality 4 is reserved for the platform's hardware (the CPU's locality-4 cycles during a dynamic
 * launch): a virtual-machine monitor must not forward a guest's accesses to page 4 as such. The model
 * accepts them, because its caller is the platform.
 *
 * <p>Commands run on the {@link Executor} given at construction (by default, synchronously inside the
 * tpmGo write); completion shows as TPM_STS.dataAvail and, when enabled, as an interrupt on the
 * {@link InterruptLine}. All methods are thread-safe.
 */
public final class TisInterface {
    /** The default vendor id in TPM_DID_VID bits 15:0 ("JS"); not a TCG-assigned vendor id. */
    public static final int DEFAULT_VENDOR_ID = 0x4A53;
    /** The default device id in TPM_DID_VID bits 31:16. */
    public static final int DEFAULT_DEVICE_ID = 0x0001;
    /** The default revision id in TPM_RID. */
    public static final int DEFAULT_REVISION_ID = 0x01;

    private static final long ALL_ONES = 0xFFFF_FFFFL;

    private final Tpm tpm;
    private final TpmFamily family;
    private final TisInterrupts interrupts;
    private final FifoStateMachine fifo;
    private LocalityArbiter arbiter = new LocalityArbiter(LOCALITY_COUNT);
    private boolean hashSequence;

    /** A TPM 2.0 FIFO interface executing commands synchronously, with no interrupt line. */
    public TisInterface(Tpm tpm) {
        this(tpm, Runnable::run);
    }

    /** A TPM 2.0 FIFO interface executing commands on {@code executor}, with no interrupt line. */
    public TisInterface(Tpm tpm, Executor executor) {
        this(tpm, executor, InterruptLine.NONE, TpmFamily.TPM_2_0);
    }

    /**
     * @param tpm the TPM commands go to
     * @param executor runs each command; {@code Runnable::run} executes inside the tpmGo write
     * @param interruptLine receives the interrupt level
     * @param family the family announced in TPM_STS, TPM_INTF_CAPABILITY and TPM_INTERFACE_ID
     */
    public TisInterface(Tpm tpm, Executor executor, InterruptLine interruptLine, TpmFamily family) {
        this.tpm = Objects.requireNonNull(tpm, "tpm");
        this.family = Objects.requireNonNull(family, "family");
        this.interrupts = new TisInterrupts(Objects.requireNonNull(interruptLine, "interruptLine"));
        this.fifo = new FifoStateMachine(tpm, Objects.requireNonNull(executor, "executor"), this, new Events());
    }

    /**
     * Reads {@code size} (1, 2 or 4) bytes at {@code offset} in the region, little-endian. Never throws.
     *
     * @return the value, or all ones for an access no register answers
     */
    public synchronized long mmioRead(long offset, int size) {
        if (!MmioRegion.isValidAccess(offset, size)) {
            return ALL_ONES;
        }
        int locality = MmioRegion.locality(offset);
        int reg = MmioRegion.register(offset);
        if (TisRegisterMap.isFifo(reg)) {
            int n = TisRegisterMap.fifoBytes(reg, size);
            long data = arbiter.isActive(locality) ? fifo.read(n) : MmioRegion.allOnes(n);
            return data | (MmioRegion.allOnes(size) & ~MmioRegion.allOnes(n));
        }
        int base = TisRegisterMap.registerBase(locality, reg);
        if (base >= 0 && reg + size <= base + TisRegisterMap.registerLength(base)) {
            return (readRegister(locality, base) >>> (8 * (reg - base))) & MmioRegion.allOnes(size);
        }
        long value = 0;
        for (int i = 0; i < size; i++) {
            value |= (long) readByte(locality, reg + i) << (8 * i);
        }
        return value;
    }

    /**
     * Writes the low {@code size} (1, 2 or 4) bytes of {@code value} at {@code offset}, little-endian.
     * Bytes that fall beyond the register the access starts in are dropped; TPM_HASH_START and
     * TPM_HASH_END are decoded only at their first byte (PTP 1.05 r14, Table 19). Never throws.
     */
    public synchronized void mmioWrite(long offset, int size, long value) {
        if (!MmioRegion.isValidAccess(offset, size)) {
            return;
        }
        int locality = MmioRegion.locality(offset);
        int reg = MmioRegion.register(offset);
        if (TisRegisterMap.isFifo(reg)) {
            writeFifo(locality, TisRegisterMap.fifoBytes(reg, size), value);
            return;
        }
        int base = TisRegisterMap.registerBase(locality, reg);
        if (base < 0 || (TisRegisterMap.isHashRegister(base) && reg != base)) {
            return;
        }
        int shift = 8 * (reg - base);
        long registerMask = MmioRegion.allOnes(TisRegisterMap.registerLength(base));
        int mask = (int) ((MmioRegion.allOnes(size) << shift) & registerMask);
        writeRegister(locality, base, (int) (value << shift) & mask, mask);
    }

    /**
     * Platform reset: no locality active, no command in progress, interrupts disabled and cleared. The
     * TPM itself is not touched (the platform calls {@link Tpm#init()} as it needs).
     */
    public synchronized void reset() {
        fifo.abort();
        arbiter = new LocalityArbiter(LOCALITY_COUNT);
        hashSequence = false;
        interrupts.reset();
    }

    /** The state of the command path, for diagnostics; software observes it through TPM_STS. */
    public synchronized TisState state() {
        return fifo.state();
    }



    private int readByte(int locality, int reg) {
        int base = TisRegisterMap.registerBase(locality, reg);
        if (base < 0) {
            return 0xFF;
        }
        return (int) (readRegister(locality, base) >>> (8 * (reg - base))) & 0xFF;
    }

    private long readRegister(int locality, int base) {
        switch (base) {
            case ACCESS:
                return access(locality);
            case INT_ENABLE:
                return interrupts.enable(locality) & ALL_ONES;
            case INT_VECTOR:
                return interrupts.vector(locality);
            case INT_STATUS:
                return interrupts.status(locality);
            case INTF_CAPABILITY:
                return intfCapability();
            case STS:
                return arbiter.isActive(locality) ? sts() : ALL_ONES;
            case INTERFACE_ID:
                return interfaceId();
            case DID_VID:
                return ((long) DEFAULT_DEVICE_ID << 16) | DEFAULT_VENDOR_ID;
            case RID:
                return DEFAULT_REVISION_ID;
            default:
                return -1L;
        }
    }

    private void writeRegister(int locality, int base, int bits, int mask) {
        if (base == ACCESS) {
            writeAccess(locality, bits);
            return;
        }
        if (base == HASH_START) {
            hashStart();
            return;
        }
        if (base == HASH_END) {
            hashEnd();
            return;
        }
        if (!arbiter.isActive(locality)) {
            return;
        }
        switch (base) {
            case INT_ENABLE:
                interrupts.writeEnable(locality, bits, mask);
                break;
            case INT_VECTOR:
                interrupts.writeVector(locality, bits);
                break;
            case INT_STATUS:
                interrupts.clearStatus(locality, bits);
                break;
            case STS:
                writeSts(locality, bits);
                break;
            default:
                break;
        }
    }

    /** TPM_ACCESS_x as read from {@code locality}. */
    private int access(int locality) {
        int value = Access.TPM_REG_VALID_STS;
        if (!tpm.isTpmEstablished()) {
            value |= Access.TPM_ESTABLISHMENT;
        }
        if (arbiter.isActive(locality)) {
            value |= Access.ACTIVE_LOCALITY;
        }
        if (arbiter.isRequesting(locality)) {
            value |= Access.REQUEST_USE;
        }
        if (arbiter.isRequestPendingExcept(locality)) {
            value |= Access.PENDING_REQUEST;
        }
        if (arbiter.beenSeized(locality)) {
            value |= Access.BEEN_SEIZED;
        }
        return value;
    }

    /**
     * TPM_ACCESS_x written. Software writes one bit at a time; a write that sets Seize ignores
     * requestUse and activeLocality in the same byte.
     */
    private void writeAccess(int locality, int bits) {
        if ((bits & Access.SEIZE) != 0) {
            bits &= ~(Access.REQUEST_USE | Access.ACTIVE_LOCALITY);
        }
        if ((bits & Access.BEEN_SEIZED) != 0) {
            arbiter.clearBeenSeized(locality);
        }
        boolean changed = false;
        if ((bits & Access.ACTIVE_LOCALITY) != 0) {
            changed |= arbiter.relinquish(locality);
        }
        if ((bits & Access.SEIZE) != 0) {
            changed |= arbiter.seize(locality);
        }
        if ((bits & Access.REQUEST_USE) != 0) {
            changed |= arbiter.request(locality);
        }
        if (changed) {
            localityChanged();
        }
    }

    private void localityChanged() {
        fifo.abort();
        raise(arbiter.active(), Interrupt.LOCALITY_CHANGE);
    }

    /** TPM_STS_x as read by the active locality. */
    private long sts() {
        int value = Sts.STS_VALID;
        if (fifo.state() == TisState.READY) {
            value |= Sts.COMMAND_READY;
        }
        if (fifo.expect()) {
            value |= Sts.EXPECT;
        }
        if (fifo.dataAvail()) {
            value |= Sts.DATA_AVAIL;
        }
        if (family == TpmFamily.TPM_2_0) {
            value |= Sts.SELF_TEST_DONE;
        }
        value |= fifo.burstCount() << Sts.BURST_COUNT_SHIFT;
        value |= family.stsBits() << Sts.TPM_FAMILY_SHIFT;
        return value & ALL_ONES;
    }

    private void writeSts(int locality, int bits) {
        if ((bits & Sts.COMMAND_READY) != 0) {
            fifo.commandReady();
            return;
        }
        if ((bits & Sts.TPM_GO) != 0) {
            fifo.go(locality);
        }
        if ((bits & Sts.RESPONSE_RETRY) != 0) {
            fifo.responseRetry();
        }
        if (family == TpmFamily.TPM_2_0 && (bits & Sts.COMMAND_CANCEL) != 0) {
            fifo.cancel();
        }
        if (family == TpmFamily.TPM_2_0 && (bits & Sts.RESET_ESTABLISHMENT_BIT) != 0) {
            tpm.resetTpmEstablished(locality);
        }
    }

    private void writeFifo(int locality, int size, long value) {
        if (!arbiter.isActive(locality)) {
            return;
        }
        if (locality == 4 && hashSequence) {
            byte[] data = new byte[size];
            for (int i = 0; i < size; i++) {
                data[i] = (byte) (value >>> (8 * i));
            }
            tpm.hashData(data);
            return;
        }
        fifo.write(value, size);
    }

    /** TPM_HASH_START: locality 4 takes the TPM from whoever has it and a measurement begins. */
    private void hashStart() {
        fifo.abort();
        if (arbiter.force(4)) {
            raise(4, Interrupt.LOCALITY_CHANGE);
        }
        hashSequence = true;
        tpm.hashStart();
    }

    /** TPM_HASH_END: ends the measurement begun by TPM_HASH_START; ignored outside one. */
    private void hashEnd() {
        if (hashSequence) {
            hashSequence = false;
            tpm.hashEnd();
        }
    }

    private int intfCapability() {
        int version = family == TpmFamily.TPM_2_0
                ? IntfCapability.INTERFACE_VERSION_TIS_1_3_TPM_2_0 : IntfCapability.INTERFACE_VERSION_TIS_1_3;
        return Interrupt.SUPPORTED | IntfCapability.INTERRUPT_LEVEL_LOW
                | IntfCapability.DATA_TRANSFER_64_BYTES | version;
    }

    private long interfaceId() {
        if (family == TpmFamily.TPM_1_2) {
            return ALL_ONES;
        }
        return InterfaceId.INTERFACE_TYPE_FIFO | InterfaceId.CAP_LOCALITY | InterfaceId.CAP_FIFO
                | InterfaceId.INTF_SEL_LOCK | ((long) DEFAULT_REVISION_ID << InterfaceId.RID_SHIFT);
    }

    private void raise(int locality, int source) {
        interrupts.raise(locality, source);
    }

    /** Routes state-machine events to the active locality's interrupt status. */
    private final class Events implements FifoStateMachine.Events {
        @Override
        public void commandReady() {
            raise(arbiter.active(), Interrupt.COMMAND_READY);
        }

        @Override
        public void receptionComplete() {
            raise(arbiter.active(), Interrupt.STS_VALID);
        }

        @Override
        public void dataAvailable() {
            raise(arbiter.active(), Interrupt.DATA_AVAIL | Interrupt.STS_VALID);
        }
    }
}
