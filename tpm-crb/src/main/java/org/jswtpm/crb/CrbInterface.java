package org.jswtpm.crb;

import org.jswtpm.core.ptp.MmioRegion;
import org.jswtpm.core.ptp.LocalityArbiter;
import org.jswtpm.core.ptp.InterruptLine;

import static org.jswtpm.crb.CrbRegisters.CTRL_CANCEL;
import static org.jswtpm.crb.CrbRegisters.CTRL_EXT;
import static org.jswtpm.crb.CrbRegisters.CTRL_REQ;
import static org.jswtpm.crb.CrbRegisters.CTRL_START;
import static org.jswtpm.crb.CrbRegisters.CTRL_STS;
import static org.jswtpm.crb.CrbRegisters.DATA_BUFFER;
import static org.jswtpm.crb.CrbRegisters.INTERFACE_ID;
import static org.jswtpm.crb.CrbRegisters.INT_ENABLE;
import static org.jswtpm.crb.CrbRegisters.INT_STS;
import static org.jswtpm.crb.CrbRegisters.LOCALITY_COUNT;
import static org.jswtpm.crb.CrbRegisters.LOCALITY_STRIDE;
import static org.jswtpm.crb.CrbRegisters.LOC_CTRL;
import static org.jswtpm.crb.CrbRegisters.LOC_STATE;
import static org.jswtpm.crb.CrbRegisters.LOC_STS;
import static org.jswtpm.crb.CrbRegisters.REGION_SIZE;

import java.util.Objects;
import java.util.concurrent.Executor;
import org.jswtpm.core.Tpm;
import org.jswtpm.crb.CrbRegisters.CtrlStart;
import org.jswtpm.crb.CrbRegisters.InterfaceId;
import org.jswtpm.crb.CrbRegisters.Interrupt;
import org.jswtpm.crb.CrbRegisters.LocCtrl;
import org.jswtpm.crb.CrbRegisters.LocState;
import org.jswtpm.crb.CrbRegisters.LocSts;

/**
 * The Command Response Buffer (CRB) register interface of the TCG PC Client Platform TPM Profile (PTP),
 * "CRB Interface" chapter, as an in-process device model over a {@link Tpm}: five locality pages at a
 * 0x1000 stride, each with TPM_LOC_STATE, TPM_LOC_CTRL, TPM_LOC_STS, TPM_INTERFACE_ID, the control area
 * (TPM_CRB_CTRL_EXT, _REQ, _STS, _CANCEL, _START, the interrupt registers, and the command and response
 * buffer sizes and addresses) and the data buffer from 0x80 to the end of the page. A virtual-machine
 * monitor forwards the guest's MMIO accesses to {@link #mmioRead(long, int)} and
 * {@link #mmioWrite(long, int, long)}; offsets are relative to the start of the region.
 *
 * <pre>{@code
 * Tpm tpm = Tpm2.builder().build();
 * CrbInterface crb = new CrbInterface(tpm, commandThread, irq::setLevel, CrbInterface.DEFAULT_BASE_ADDRESS);
 * // in the VMM's MMIO handler for 0xFED40000..0xFED44FFF (the ACPI TPM2 table's control area is
 * // 0xFED40040, start method 7, "Command Response Buffer"):
 * long value = crb.mmioRead(address - 0xFED40000L, size);
 * crb.mmioWrite(address - 0xFED40000L, size, value);
 * }</pre>
 *
 * <p>There is one data buffer, visible in the page of whichever locality is active; the command and
 * response buffer address registers of locality {@code l} point at it within page {@code l} of the region
 * as mapped at the base address given at construction. Software may write other addresses there (EDK2
 * writes the same ones back); they read back, but commands are always taken from and responses written to
 * the data buffer inside the region.
 *
 * <p>Accesses of 1, 2 and 4 bytes are supported, little-endian; other sizes, and accesses that leave
 * their locality page, read all ones and are ignored on write. Offsets no register implements read all
 * ones. The control area and data buffer read all ones from a locality that is not active, and ignore its
 * writes. Neither method ever throws.
 *
 * <p>Commands run on the {@link Executor} given at construction (by default synchronously, inside the
 * Start write); completion shows as TPM_CRB_CTRL_START.Start clearing and, when enabled, as an interrupt.
 * Start in the Idle state is ignored (the interface announces no idle bypass). All methods are
 * thread-safe.
 */
public final class CrbInterface {
    /** Where a PC maps the TPM's registers. */
    public static final long DEFAULT_BASE_ADDRESS = 0xFED4_0000L;
    /** The default vendor id in TPM_INTERFACE_ID bits 47:32 ("JS"); not a TCG-assigned vendor id. */
    public static final int DEFAULT_VENDOR_ID = 0x4A53;
    /** The default device id in TPM_INTERFACE_ID bits 63:48. */
    public static final int DEFAULT_DEVICE_ID = 0x0001;
    /** The default revision id in TPM_INTERFACE_ID bits 31:24. */
    public static final int DEFAULT_REVISION_ID = 0x01;

    private static final long ALL_ONES = 0xFFFF_FFFFL;

    private final Tpm tpm;
    private final CrbInterrupts interrupts;
    private final BufferAddressRegisters addresses;
    private final CrbControlArea control;
    private LocalityArbiter arbiter = new LocalityArbiter(LOCALITY_COUNT);

    /** A CRB interface at {@link #DEFAULT_BASE_ADDRESS} executing commands synchronously. */
    public CrbInterface(Tpm tpm) {
        this(tpm, Runnable::run);
    }

    /** A CRB interface at {@link #DEFAULT_BASE_ADDRESS} executing commands on {@code executor}. */
    public CrbInterface(Tpm tpm, Executor executor) {
        this(tpm, executor, InterruptLine.NONE, DEFAULT_BASE_ADDRESS);
    }

    /**
     * @param tpm the TPM commands go to
     * @param executor runs each command; {@code Runnable::run} executes inside the Start write
     * @param interruptLine receives the interrupt level
     * @param baseAddress the physical address the region is mapped at, for the buffer address registers
     */
    public CrbInterface(Tpm tpm, Executor executor, InterruptLine interruptLine, long baseAddress) {
        this.tpm = Objects.requireNonNull(tpm, "tpm");
        this.interrupts = new CrbInterrupts(Objects.requireNonNull(interruptLine, "interruptLine"));
        this.addresses = new BufferAddressRegisters(baseAddress);
        this.control = new CrbControlArea(tpm, Objects.requireNonNull(executor, "executor"), this, new Events());
    }

    /** Reads {@code size} (1, 2 or 4) bytes at {@code offset}, little-endian; all ones where nothing answers. */
    public synchronized long mmioRead(long offset, int size) {
        if (!MmioRegion.isValidAccess(offset, size)) {
            return ALL_ONES;
        }
        int locality = MmioRegion.locality(offset);
        int reg = MmioRegion.register(offset);
        if (reg >= DATA_BUFFER) {
            return arbiter.isActive(locality) ? control.read(reg - DATA_BUFFER, size) : MmioRegion.allOnes(size);
        }
        int base = reg & ~3;
        if (reg + size <= base + 4) {
            return (readRegister(locality, base) >>> (8 * (reg - base))) & MmioRegion.allOnes(size);
        }
        long value = 0;
        for (int i = 0; i < size; i++) {
            int r = reg + i;
            value |= ((readRegister(locality, r & ~3) >>> (8 * (r & 3))) & 0xFF) << (8 * i);
        }
        return value;
    }

    /** Writes the low {@code size} (1, 2 or 4) bytes of {@code value} at {@code offset}, little-endian. */
    public synchronized void mmioWrite(long offset, int size, long value) {
        if (!MmioRegion.isValidAccess(offset, size)) {
            return;
        }
        int locality = MmioRegion.locality(offset);
        int reg = MmioRegion.register(offset);
        if (reg >= DATA_BUFFER) {
            if (arbiter.isActive(locality)) {
                control.write(reg - DATA_BUFFER, size, value);
            }
            return;
        }
        int base = reg & ~3;
        int shift = 8 * (reg - base);
        int mask = (int) ((MmioRegion.allOnes(size) << shift) & ALL_ONES);
        writeRegister(locality, base, (int) (value << shift) & mask, mask);
    }

    /** Platform reset: no locality, Idle, interrupts disabled and cleared, buffer addresses restored. */
    public synchronized void reset() {
        control.abort();
        control.writeCancel(0);
        arbiter = new LocalityArbiter(LOCALITY_COUNT);
        interrupts.reset();
        addresses.reset();
    }

    /** The Idle / Ready state, for diagnostics; software observes it through TPM_CRB_CTRL_STS.tpmIdle. */
    public synchronized CrbState state() {
        return control.state();
    }



    private static boolean isControlArea(int base) {
        return base >= CTRL_EXT && base < DATA_BUFFER;
    }

    /** The 32-bit register at {@code base} as {@code locality} reads it. */
    private long readRegister(int locality, int base) {
        if (isControlArea(base) && !arbiter.isActive(locality)) {
            return ALL_ONES;
        }
        switch (base) {
            case LOC_STATE: return locState();
            case LOC_CTRL: return 0;
            case LOC_STS: return locSts(locality);
            case INTERFACE_ID: return interfaceId() & ALL_ONES;
            case INTERFACE_ID + 4: return interfaceId() >>> 32;
            case CTRL_EXT: case CTRL_EXT + 4: return 0;
            case CTRL_REQ: return 0;
            case CTRL_STS: return control.ctrlSts();
            case CTRL_CANCEL: return control.cancelRegister();
            case CTRL_START: return control.isStarted() ? CtrlStart.START : 0;
            case INT_ENABLE: return interrupts.enable() & ALL_ONES;
            case INT_STS: return interrupts.status();
            default: return BufferAddressRegisters.contains(base) ? addresses.read(locality, base) : ALL_ONES;
        }
    }

    private void writeRegister(int locality, int base, int bits, int mask) {
        if (base == LOC_CTRL) {
            writeLocCtrl(locality, bits);
            return;
        }
        if (!isControlArea(base) || !arbiter.isActive(locality)) {
            return;
        }
        switch (base) {
            case CTRL_REQ: control.request(bits); break;
            case CTRL_CANCEL:
                if ((mask & 0xFF) != 0) {
                    control.writeCancel(bits);
                }
                break;
            case CTRL_START:
                if ((bits & CtrlStart.START) != 0) {
                    control.start(locality);
                }
                break;
            case INT_ENABLE: interrupts.writeEnable(bits, mask); break;
            case INT_STS: interrupts.clearStatus(bits); break;
            default:
                if (BufferAddressRegisters.contains(base)) {
                    addresses.write(locality, base, bits, mask);
                }
                break;
        }
    }

    /** TPM_LOC_CTRL_x written; a write that sets Seize ignores requestAccess and relinquish in it. */
    private void writeLocCtrl(int locality, int bits) {
        if ((bits & LocCtrl.SEIZE) != 0) {
            bits &= ~(LocCtrl.REQUEST_ACCESS | LocCtrl.RELINQUISH);
        }
        boolean changed = false;
        if ((bits & LocCtrl.RELINQUISH) != 0) {
            changed |= arbiter.relinquish(locality);
        }
        if ((bits & LocCtrl.SEIZE) != 0) {
            changed |= arbiter.seize(locality);
        }
        if ((bits & LocCtrl.REQUEST_ACCESS) != 0) {
            arbiter.clearBeenSeized(locality);
            changed |= arbiter.request(locality);
        }
        if ((bits & LocCtrl.RESET_ESTABLISHMENT_BIT) != 0 && tpm.resetTpmEstablished(locality)) {
            raise(Interrupt.ESTABLISHMENT_CLEAR);
        }
        if (changed) {
            control.abort();
            if (arbiter.active() != LocalityArbiter.NONE) {
                raise(Interrupt.LOCALITY_CHANGE);
            }
        }
    }

    /** TPM_LOC_STATE_x: the same from every locality. */
    private long locState() {
        int value = LocState.TPM_REG_VALID_STS;
        if (!tpm.isTpmEstablished()) {
            value |= LocState.TPM_ESTABLISHED;
        }
        int active = arbiter.active();
        if (active != LocalityArbiter.NONE) {
            value |= LocState.LOC_ASSIGNED | (active << LocState.ACTIVE_LOCALITY_SHIFT);
        }
        return value;
    }

    private long locSts(int locality) {
        int value = arbiter.isActive(locality) ? LocSts.GRANTED : 0;
        return arbiter.beenSeized(locality) ? value | LocSts.BEEN_SEIZED : value;
    }

    private static long interfaceId() {
        return InterfaceId.INTERFACE_TYPE_CRB | InterfaceId.INTERFACE_VERSION_CRB | InterfaceId.CAP_LOCALITY
                | InterfaceId.CAP_DATA_XFER_64 | InterfaceId.CAP_CRB | InterfaceId.INTERFACE_SELECTOR_CRB
                | InterfaceId.INTF_SEL_LOCK | ((long) DEFAULT_REVISION_ID << InterfaceId.RID_SHIFT)
                | ((long) DEFAULT_VENDOR_ID << InterfaceId.VID_SHIFT)
                | ((long) DEFAULT_DEVICE_ID << InterfaceId.DID_SHIFT);
    }

    private void raise(int source) {
        interrupts.raise(source);
    }

    /** Routes control-area events to the interrupt status. */
    private final class Events implements CrbControlArea.Events {
        @Override
        public void commandReady() {
            raise(Interrupt.CMD_READY);
        }

        @Override
        public void started() {
            raise(Interrupt.START);
        }
    }
}
