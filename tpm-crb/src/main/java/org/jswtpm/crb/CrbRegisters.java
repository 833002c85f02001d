package org.jswtpm.crb;

import org.jswtpm.core.ptp.MmioRegion;

/**
 * Offsets and bit positions of the Command Response Buffer (CRB) register space, from the TCG PC Client
 * Platform TPM Profile (PTP) specification for TPM 2.0, "CRB Interface" chapter: the CRB register-space
 * table and one table per register. Each locality has its own 4 KiB page (locality {@code l} at
 * {@code l * 0x1000}); the offsets below are relative to the start of that page.
 *
 * <p>Names follow the specification: {@code TPM_CRB_CTRL_START_x} is {@link #CTRL_START}, its Start bit
 * {@link CtrlStart#START}.
 */
public final class CrbRegisters {
    /** Size of one locality's register page. */
    public static final int LOCALITY_STRIDE = MmioRegion.LOCALITY_STRIDE;
    /** Localities 0 to 4. */
    public static final int LOCALITY_COUNT = MmioRegion.LOCALITY_COUNT;
    /** The whole region: five locality pages (the platform maps it at 0xFED40000). */
    public static final int REGION_SIZE = MmioRegion.REGION_SIZE;

    /** TPM_LOC_STATE_x (4 bytes, read-only): the same in every page. */
    public static final int LOC_STATE = 0x00;
    /** TPM_LOC_CTRL_x (4 bytes, write-only): requestAccess, relinquish, seize, resetEstablishmentBit. */
    public static final int LOC_CTRL = 0x08;
    /** TPM_LOC_STS_x (4 bytes, read-only): Granted, beenSeized for this page's locality. */
    public static final int LOC_STS = 0x0C;
    /** TPM_INTERFACE_ID_x (8 bytes, read-only here): interface type and capabilities, RID, VID, DID. */
    public static final int INTERFACE_ID = 0x30;
    /** TPM_CRB_CTRL_EXT_x (8 bytes): extension control; no extension is active in this model. */
    public static final int CTRL_EXT = 0x38;
    /** TPM_CRB_CTRL_REQ_x (4 bytes): cmdReady, goIdle requests; bits read 1 until served. */
    public static final int CTRL_REQ = 0x40;
    /** TPM_CRB_CTRL_STS_x (4 bytes, read-only): tpmSts (fatal error), tpmIdle. */
    public static final int CTRL_STS = 0x44;
    /** TPM_CRB_CTRL_CANCEL_x (4 bytes): software writes 1 to cancel the executing command, 0 to clear. */
    public static final int CTRL_CANCEL = 0x48;
    /** TPM_CRB_CTRL_START_x (4 bytes): software writes 1 to execute; the TPM clears it on completion. */
    public static final int CTRL_START = 0x4C;
    /** TPM_CRB_INT_ENABLE_x (4 bytes). */
    public static final int INT_ENABLE = 0x50;
    /** TPM_CRB_INT_STS_x (4 bytes): write 1 to clear. */
    public static final int INT_STS = 0x54;
    /** TPM_CRB_CTRL_CMD_SIZE_x (4 bytes): size of the command buffer. */
    public static final int CTRL_CMD_SIZE = 0x58;
    /** TPM_CRB_CTRL_CMD_LADDR_x (4 bytes): low 32 bits of the command buffer's physical address. */
    public static final int CTRL_CMD_LADDR = 0x5C;
    /** TPM_CRB_CTRL_CMD_HADDR_x (4 bytes): high 32 bits of the command buffer's physical address. */
    public static final int CTRL_CMD_HADDR = 0x60;
    /** TPM_CRB_CTRL_RSP_SIZE_x (4 bytes): size of the response buffer. */
    public static final int CTRL_RSP_SIZE = 0x64;
    /** TPM_CRB_CTRL_RSP_ADDR_x (8 bytes): physical address of the response buffer. */
    public static final int CTRL_RSP_ADDR = 0x68;
    /** TPM_CRB_DATA_BUFFER_x: command and response buffer, up to the end of the page. */
    public static final int DATA_BUFFER = 0x80;
    /** Size of the data buffer: 0x80 to 0xFFF. */
    public static final int DATA_BUFFER_SIZE = LOCALITY_STRIDE - DATA_BUFFER;

    private CrbRegisters() {
    }

    /** Bits of TPM_LOC_STATE_x. */
    public static final class LocState {
        /** Reads 1 while no {@code _TPM_Hash_Start} has set the tpmEstablished flag (as QEMU reads it). */
        public static final int TPM_ESTABLISHED = 1;
        /** Some locality is active. */
        public static final int LOC_ASSIGNED = 1 << 1;
        /** activeLocality, bits 4:2. */
        public static final int ACTIVE_LOCALITY_SHIFT = 2;
        /** The other bits are valid. */
        public static final int TPM_REG_VALID_STS = 1 << 7;

        private LocState() {
        }
    }

    /** Bits of TPM_LOC_CTRL_x. */
    public static final class LocCtrl {
        /** Ask for the TPM; granted at once when no locality is active, otherwise left pending. */
        public static final int REQUEST_ACCESS = 1;
        /** The active locality is done with the TPM (a pending locality withdraws its request). */
        public static final int RELINQUISH = 1 << 1;
        /** Take the TPM from a lower active locality. */
        public static final int SEIZE = 1 << 2;
        /** Clears the tpmEstablished flag; honoured from localities 3 and 4 only. */
        public static final int RESET_ESTABLISHMENT_BIT = 1 << 3;

        private LocCtrl() {
        }
    }

    /** Bits of TPM_LOC_STS_x. */
    public static final class LocSts {
        /** This locality is the active one. */
        public static final int GRANTED = 1;
        /** A higher locality seized the TPM from this one; cleared by this locality's next requestAccess. */
        public static final int BEEN_SEIZED = 1 << 1;

        private LocSts() {
        }
    }

    /** Bits of TPM_CRB_CTRL_REQ_x. */
    public static final class CtrlReq {
        /** Leave Idle: the TPM gets ready to receive a command. */
        public static final int CMD_READY = 1;
        /** Enter Idle. */
        public static final int GO_IDLE = 1 << 1;

        private CtrlReq() {
        }
    }

    /** Bits of TPM_CRB_CTRL_STS_x. */
    public static final class CtrlSts {
        /** tpmSts: the TPM is in a fatal error state (here: not running). */
        public static final int TPM_STS = 1;
        /** tpmIdle: the TPM is in the Idle state. */
        public static final int TPM_IDLE = 1 << 1;

        private CtrlSts() {
        }
    }

    /** Bits of TPM_CRB_CTRL_START_x and TPM_CRB_CTRL_CANCEL_x. */
    public static final class CtrlStart {
        /** Start (in CTRL_START), Cancel (in CTRL_CANCEL). */
        public static final int START = 1;

        private CtrlStart() {
        }
    }

    /** Bits shared by TPM_CRB_INT_ENABLE_x and TPM_CRB_INT_STS_x. */
    public static final class Interrupt {
        /** Start was cleared: the command completed. */
        public static final int START = 1;
        /** The TPM left Idle after cmdReady. */
        public static final int CMD_READY = 1 << 1;
        /** The tpmEstablished flag was cleared. */
        public static final int ESTABLISHMENT_CLEAR = 1 << 2;
        /** The active locality changed. */
        public static final int LOCALITY_CHANGE = 1 << 3;
        /** globalInterrupt enable, TPM_CRB_INT_ENABLE bit 31. */
        public static final int GLOBAL_ENABLE = 1 << 31;
        /** The interrupt sources this model raises. */
        public static final int SUPPORTED = START | CMD_READY | ESTABLISHMENT_CLEAR | LOCALITY_CHANGE;

        private Interrupt() {
        }
    }

    /** Fields of TPM_INTERFACE_ID_x as the CRB interface reports it. */
    public static final class InterfaceId {
        /** InterfaceType (bits 3:0) = 0001b: CRB interface active. */
        public static final int INTERFACE_TYPE_CRB = 1;
        /** InterfaceVersion (bits 7:4) = 0001b: CRB. */
        public static final int INTERFACE_VERSION_CRB = 1 << 4;
        /** CapLocality: five localities. */
        public static final int CAP_LOCALITY = 1 << 8;
        /** CapCRBIdleBypass: 0 here, Idle must be left with cmdReady. */
        public static final int CAP_CRB_IDLE_BYPASS = 1 << 9;
        /** CapDataXferSizeSupport (bits 12:11) = 11b: 64-byte transfers. */
        public static final int CAP_DATA_XFER_64 = 3 << 11;
        /** CapFIFO: 0 here, no FIFO interface. */
        public static final int CAP_FIFO = 1 << 13;
        /** CapCRB: the CRB interface is supported. */
        public static final int CAP_CRB = 1 << 14;
        /** InterfaceSelector (bits 18:17) = 01b: CRB selected. */
        public static final int INTERFACE_SELECTOR_CRB = 1 << 17;
        /** IntfSelLock: the selector is locked. */
        public static final int INTF_SEL_LOCK = 1 << 19;
        /** Bit position of RID (bits 31:24). */
        public static final int RID_SHIFT = 24;
        /** Bit position of VID (bits 47:32, the low half of the word at 0x34). */
        public static final int VID_SHIFT = 32;
        /** Bit position of DID (bits 63:48, the high half of the word at 0x34). */
        public static final int DID_SHIFT = 48;

        private InterfaceId() {
        }
    }
}
