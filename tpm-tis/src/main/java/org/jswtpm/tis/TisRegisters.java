package org.jswtpm.tis;

import org.jswtpm.core.ptp.MmioRegion;

/**
 * Offsets and bit positions of the FIFO (TIS) register space, from the TCG PC Client Platform TPM
 * Profile (PTP) specification for TPM 2.0, "FIFO Interface" chapter: the register-space table (Table 19
 * in PTP 1.05 r14) and one table per register. Each locality has its own 4 KiB page; the register
 * offsets below are relative to the start of that page.
 *
 * <p>Names follow the specification: {@code TPM_ACCESS_x} is {@link #ACCESS}, its {@code activeLocality}
 * bit is {@link Access#ACTIVE_LOCALITY}.
 */
public final class TisRegisters {
    /** Size of one locality's register page; locality {@code l} starts at {@code l * 0x1000}. */
    public static final int LOCALITY_STRIDE = MmioRegion.LOCALITY_STRIDE;
    /** Localities 0 to 4. */
    public static final int LOCALITY_COUNT = MmioRegion.LOCALITY_COUNT;
    /** The whole region: five locality pages, 0x0000 to 0x4FFF (the platform maps it at 0xFED40000). */
    public static final int REGION_SIZE = MmioRegion.REGION_SIZE;

    /** TPM_ACCESS_x (1 byte): locality arbitration. */
    public static final int ACCESS = 0x000;
    /** TPM_INT_ENABLE_x (4 bytes). */
    public static final int INT_ENABLE = 0x008;
    /** TPM_INT_VECTOR_x (1 byte): SIRQ vector, bits 3:0. */
    public static final int INT_VECTOR = 0x00C;
    /** TPM_INT_STATUS_x (4 bytes): write 1 to clear. */
    public static final int INT_STATUS = 0x010;
    /** TPM_INTF_CAPABILITY_x (4 bytes, read-only). */
    public static final int INTF_CAPABILITY = 0x014;
    /** TPM_STS_x (4 bytes): status, burstCount, family. */
    public static final int STS = 0x018;
    /** TPM_HASH_END (locality 4 only, write-only, 4 bytes): {@code _TPM_Hash_End}. */
    public static final int HASH_END = 0x020;
    /** TPM_DATA_FIFO_x (1 to 4 bytes); at locality 4 during a hash sequence, TPM_HASH_DATA. */
    public static final int DATA_FIFO = 0x024;
    /** TPM_HASH_START (locality 4 only, write-only, 8 bytes): {@code _TPM_Hash_Start}. */
    public static final int HASH_START = 0x028;
    /** TPM_INTERFACE_ID_x (4 bytes, read-only in this model). */
    public static final int INTERFACE_ID = 0x030;
    /** TPM_XDATA_FIFO_x: the extended data FIFO window for transfers of up to 64 bytes. */
    public static final int XDATA_FIFO = 0x080;
    /** Last byte of the extended data FIFO window. */
    public static final int XDATA_FIFO_END = 0x0BF;
    /** TPM_DID_VID_x (4 bytes): vendor id in bits 15:0, device id in bits 31:16. */
    public static final int DID_VID = 0xF00;
    /** TPM_RID_x (1 byte): revision id. */
    public static final int RID = 0xF04;

    private TisRegisters() {
    }

    /** Bits of TPM_ACCESS_x (PTP, FIFO interface, "TPM_ACCESS_x" register table). */
    public static final class Access {
        /** Reads 1 while no {@code _TPM_Hash_Start} has set the TPM's tpmEstablished flag (as QEMU reads it). */
        public static final int TPM_ESTABLISHMENT = 1;
        /** Write 1: ask for the TPM. Reads 1 while this locality's request is pending. */
        public static final int REQUEST_USE = 1 << 1;
        /** Reads 1 when another locality has a request pending. */
        public static final int PENDING_REQUEST = 1 << 2;
        /** Write 1: take the TPM from a lower active locality. */
        public static final int SEIZE = 1 << 3;
        /** Reads 1 after a higher locality seized the TPM from this one; write 1 to clear. */
        public static final int BEEN_SEIZED = 1 << 4;
        /** Reads 1 when this locality is active; write 1 to relinquish (or withdraw a pending request). */
        public static final int ACTIVE_LOCALITY = 1 << 5;
        /** Reads 1: the other bits of this register are valid. */
        public static final int TPM_REG_VALID_STS = 1 << 7;

        private Access() {
        }
    }

    /** Bits of TPM_STS_x (PTP, FIFO interface, "TPM_STS_x" register table). */
    public static final class Sts {
        /** Write 1 in Completion: the FIFO restarts at the first response byte. */
        public static final int RESPONSE_RETRY = 1 << 1;
        /** Reads 1: self tests done (TPM 2.0 family). */
        public static final int SELF_TEST_DONE = 1 << 2;
        /** Reads 1 while the TPM expects more command bytes. */
        public static final int EXPECT = 1 << 3;
        /** Reads 1 while response bytes are left to read. */
        public static final int DATA_AVAIL = 1 << 4;
        /** Write 1 after the whole command is written: execute it. */
        public static final int TPM_GO = 1 << 5;
        /** Reads 1 in the Ready state; write 1 to enter it (aborting whatever is in progress). */
        public static final int COMMAND_READY = 1 << 6;
        /** Reads 1: Expect and dataAvail are valid. */
        public static final int STS_VALID = 1 << 7;
        /** Bit position of burstCount (bits 23:8). */
        public static final int BURST_COUNT_SHIFT = 8;
        /** Mask of burstCount after shifting. */
        public static final int BURST_COUNT_MASK = 0xFFFF;
        /** Write 1 during Execution: cancel the command (TPM 2.0 family). */
        public static final int COMMAND_CANCEL = 1 << 24;
        /** Write 1 from locality 3 or 4: clear the tpmEstablished flag (TPM 2.0 family). */
        public static final int RESET_ESTABLISHMENT_BIT = 1 << 25;
        /** Bit position of tpmFamily (bits 27:26): 00 TPM 1.2, 01 TPM 2.0. */
        public static final int TPM_FAMILY_SHIFT = 26;

        private Sts() {
        }
    }

    /** Bits shared by TPM_INT_ENABLE_x and TPM_INT_STATUS_x (PTP, FIFO interface, interrupt registers). */
    public static final class Interrupt {
        /** dataAvail became 1. */
        public static final int DATA_AVAIL = 1;
        /** stsValid became 1. */
        public static final int STS_VALID = 1 << 1;
        /** The active locality changed. */
        public static final int LOCALITY_CHANGE = 1 << 2;
        /** typePolarity, bits 4:3 of TPM_INT_ENABLE (01 = low level, the mandatory mode). */
        public static final int TYPE_POLARITY_MASK = 3 << 3;
        /** commandReady became 1. */
        public static final int COMMAND_READY = 1 << 7;
        /** globalIntEnable, TPM_INT_ENABLE bit 31. */
        public static final int GLOBAL_INT_ENABLE = 1 << 31;
        /** The interrupt sources this model raises. */
        public static final int SUPPORTED = DATA_AVAIL | STS_VALID | LOCALITY_CHANGE | COMMAND_READY;

        private Interrupt() {
        }
    }

    /** Bits of TPM_INTF_CAPABILITY_x (PTP, FIFO interface, "TPM_INTF_CAPABILITY_x" register table). */
    public static final class IntfCapability {
        /** InterruptLevelLow support (mandatory). */
        public static final int INTERRUPT_LEVEL_LOW = 1 << 4;
        /** burstCountStatic: 0 here, the burst count is dynamic. */
        public static final int BURST_COUNT_STATIC = 1 << 8;
        /** DataTransferSizeSupport = 11b: transfers of up to 64 bytes. */
        public static final int DATA_TRANSFER_64_BYTES = 3 << 9;
        /** InterfaceVersion (bits 30:28) = 010b: TIS 1.3, for a TPM 1.2. */
        public static final int INTERFACE_VERSION_TIS_1_3 = 2 << 28;
        /** InterfaceVersion (bits 30:28) = 011b: TIS 1.3 for TPM 2.0 (the PTP FIFO). */
        public static final int INTERFACE_VERSION_TIS_1_3_TPM_2_0 = 3 << 28;

        private IntfCapability() {
        }
    }

    /** Fields of TPM_INTERFACE_ID_x (PTP, "TPM_INTERFACE_ID_x" register table, shared with CRB). */
    public static final class InterfaceId {
        /** InterfaceType (bits 3:0) = 0000b: FIFO interface for TPM 2.0. */
        public static final int INTERFACE_TYPE_FIFO = 0x0;
        /** InterfaceType = 1111b: TIS 1.3 legacy (TPM 1.2); the rest of the register is don't-care. */
        public static final int INTERFACE_TYPE_TIS_1_3 = 0xF;
        /** CapLocality: all five localities are supported. */
        public static final int CAP_LOCALITY = 1 << 8;
        /** CapFIFO: the FIFO interface is supported. */
        public static final int CAP_FIFO = 1 << 13;
        /** IntfSelLock: InterfaceSelector is locked. */
        public static final int INTF_SEL_LOCK = 1 << 19;
        /** Bit position of RID (bits 31:24). */
        public static final int RID_SHIFT = 24;

        private InterfaceId() {
        }
    }
}
