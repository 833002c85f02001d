package org.jswtpm.crb;

import static org.jswtpm.crb.CrbRegisters.CTRL_CMD_HADDR;
import static org.jswtpm.crb.CrbRegisters.CTRL_CMD_LADDR;
import static org.jswtpm.crb.CrbRegisters.CTRL_CMD_SIZE;
import static org.jswtpm.crb.CrbRegisters.CTRL_REQ;
import static org.jswtpm.crb.CrbRegisters.CTRL_RSP_ADDR;
import static org.jswtpm.crb.CrbRegisters.CTRL_RSP_SIZE;
import static org.jswtpm.crb.CrbRegisters.CTRL_START;
import static org.jswtpm.crb.CrbRegisters.CTRL_STS;
import static org.jswtpm.crb.CrbRegisters.DATA_BUFFER;
import static org.jswtpm.crb.CrbRegisters.LOCALITY_STRIDE;
import static org.jswtpm.crb.CrbRegisters.LOC_CTRL;
import static org.jswtpm.crb.CrbRegisters.LOC_STATE;
import static org.jswtpm.crb.CrbRegisters.LOC_STS;

import org.jswtpm.crb.CrbRegisters.CtrlReq;
import org.jswtpm.crb.CrbRegisters.CtrlStart;
import org.jswtpm.crb.CrbRegisters.CtrlSts;
import org.jswtpm.crb.CrbRegisters.LocCtrl;
import org.jswtpm.crb.CrbRegisters.LocState;
import org.jswtpm.crb.CrbRegisters.LocSts;

/**
 * Test drivers that talk to a {@link CrbInterface} the way real guest drivers do, written from their
 * documented behaviour: the Linux kernel's tpm_crb, EDK2's Tpm2Ptp CRB path and SeaBIOS's crb code. Each
 * throws {@link AssertionError} when the device does not behave as the driver requires.
 */
final class CrbDrivers {
    private static final long TIMEOUT_NANOS = 10_000_000_000L;

    private CrbDrivers() {
    }

    /** A guest driver: send one command at its locality and return the response. */
    abstract static class Driver {
        final CrbInterface crb;
        final int locality;

        Driver(CrbInterface crb, int locality) {
            this.crb = crb;
            this.locality = locality;
        }

        abstract byte[] transmit(byte[] command);

        long reg(int offset) {
            return (long) locality * LOCALITY_STRIDE + offset;
        }

        int read32(int offset) {
            return (int) crb.mmioRead(reg(offset), 4);
        }

        void write32(int offset, int value) {
            crb.mmioWrite(reg(offset), 4, value & 0xFFFF_FFFFL);
        }

        void waitUntil(int offset, int mask, int value) {
            long deadline = System.nanoTime() + TIMEOUT_NANOS;
            while (System.nanoTime() - deadline < 0) {
                if ((read32(offset) & mask) == value) {
                    return;
                }
                Thread.onSpinWait();
            }
            throw new AssertionError(String.format("timeout: (reg %x & %x) != %x", offset, mask, value));
        }

        /** Copies bytes into the region at {@code offset}, four at a time then single bytes (memcpy_toio). */
        void copyTo(long offset, byte[] bytes) {
            int i = 0;
            for (; i + 4 <= bytes.length; i += 4) {
                long v = (bytes[i] & 0xFFL) | (bytes[i + 1] & 0xFFL) << 8 | (bytes[i + 2] & 0xFFL) << 16
                        | (bytes[i + 3] & 0xFFL) << 24;
                crb.mmioWrite(offset + i, 4, v);
            }
            for (; i < bytes.length; i++) {
                crb.mmioWrite(offset + i, 1, bytes[i] & 0xFF);
            }
        }

        byte[] copyFrom(long offset, int count) {
            byte[] out = new byte[count];
            for (int i = 0; i < count; i++) {
                out[i] = (byte) crb.mmioRead(offset + i, 1);
            }
            return out;
        }

        static int responseSize(byte[] header) {
            return ((header[2] & 0xFF) << 24) | ((header[3] & 0xFF) << 16) | ((header[4] & 0xFF) << 8)
                    | (header[5] & 0xFF);
        }

        static byte[] concat(byte[] a, byte[] b) {
            byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
            System.arraycopy(b, 0, out, a.length, b.length);
            return out;
        }
    }

    /**
     * Linux tpm_crb: request the locality and wait for locAssigned with tpmRegValidSts, cmdReady and wait
     * for CTRL_REQ to clear, copy the command, Start, poll until Start clears, check tpmSts, read 8 bytes
     * of header then the rest, goIdle, relinquish and wait for locAssigned to clear.
     */
    static final class Linux extends Driver {
        Linux(CrbInterface crb, int locality) {
            super(crb, locality);
        }

        @Override
        byte[] transmit(byte[] command) {
            write32(LOC_CTRL, LocCtrl.REQUEST_ACCESS);
            waitUntil(LOC_STATE, LocState.LOC_ASSIGNED | LocState.TPM_REG_VALID_STS,
                    LocState.LOC_ASSIGNED | LocState.TPM_REG_VALID_STS);
            write32(CTRL_REQ, CtrlReq.CMD_READY);
            waitUntil(CTRL_REQ, CtrlReq.CMD_READY, 0);
            long buffer = (read32(CTRL_CMD_LADDR) & 0xFFFF_FFFFL) | ((long) read32(CTRL_CMD_HADDR) << 32);
            if (buffer != CrbInterface.DEFAULT_BASE_ADDRESS + reg(DATA_BUFFER)) {
                throw new AssertionError("command buffer not in the region: " + Long.toHexString(buffer));
            }
            if (read32(CTRL_CMD_SIZE) < command.length) {
                throw new AssertionError("command buffer too small");
            }
            copyTo(reg(DATA_BUFFER), command);
            write32(CTRL_START, CtrlStart.START);
            waitUntil(CTRL_START, CtrlStart.START, 0);
            if ((read32(CTRL_STS) & CtrlSts.TPM_STS) != 0) {
                throw new AssertionError("tpmSts: TPM in error");
            }
            byte[] header = copyFrom(reg(DATA_BUFFER), 8);
            int size = responseSize(header);
            byte[] response = concat(header, copyFrom(reg(DATA_BUFFER) + 8, size - 8));
            write32(CTRL_REQ, CtrlReq.GO_IDLE);
            waitUntil(CTRL_REQ, CtrlReq.GO_IDLE, 0);
            write32(LOC_CTRL, LocCtrl.RELINQUISH);
            waitUntil(LOC_STATE, LocState.LOC_ASSIGNED, 0);
            return response;
        }
    }

    /**
     * EDK2 Tpm2Ptp CRB: check tpmRegValidSts, request the locality and wait for Granted, leave Idle if
     * tpmIdle, write the command and then the buffer address and size registers, Start, poll Start, read
     * the header and then the rest, goIdle and wait for tpmIdle. It keeps its locality.
     */
    static final class Edk2 extends Driver {
        Edk2(CrbInterface crb, int locality) {
            super(crb, locality);
        }

        @Override
        byte[] transmit(byte[] command) {
            if ((read32(LOC_STATE) & LocState.TPM_REG_VALID_STS) == 0) {
                throw new AssertionError("TPM_LOC_STATE not valid");
            }
            if ((read32(LOC_STS) & LocSts.GRANTED) == 0) {
                write32(LOC_CTRL, LocCtrl.REQUEST_ACCESS);
                waitUntil(LOC_STS, LocSts.GRANTED, LocSts.GRANTED);
            }
            if ((read32(CTRL_STS) & CtrlSts.TPM_IDLE) != 0) {
                write32(CTRL_REQ, CtrlReq.CMD_READY);
                waitUntil(CTRL_REQ, CtrlReq.CMD_READY, 0);
                waitUntil(CTRL_STS, CtrlSts.TPM_IDLE, 0);
            }
            long buffer = CrbInterface.DEFAULT_BASE_ADDRESS + reg(DATA_BUFFER);
            for (int i = 0; i < command.length; i++) {
                crb.mmioWrite(reg(DATA_BUFFER) + i, 1, command[i] & 0xFF);
            }
            write32(CTRL_CMD_HADDR, (int) (buffer >>> 32));
            write32(CTRL_CMD_LADDR, (int) buffer);
            write32(CTRL_CMD_SIZE, CrbRegisters.DATA_BUFFER_SIZE);
            write32(CTRL_RSP_ADDR, (int) buffer);
            write32(CTRL_RSP_ADDR + 4, (int) (buffer >>> 32));
            write32(CTRL_RSP_SIZE, CrbRegisters.DATA_BUFFER_SIZE);
            write32(CTRL_START, CtrlStart.START);
            waitUntil(CTRL_START, CtrlStart.START, 0);
            byte[] header = copyFrom(reg(DATA_BUFFER), 10);
            byte[] response = concat(header, copyFrom(reg(DATA_BUFFER) + 10, responseSize(header) - 10));
            write32(CTRL_REQ, CtrlReq.GO_IDLE);
            waitUntil(CTRL_STS, CtrlSts.TPM_IDLE, CtrlSts.TPM_IDLE);
            return response;
        }
    }

    /**
     * SeaBIOS crb: check the interface id, take the buffer addresses from the control area and address
     * the buffer through them, cmdReady, write, Start, poll Start, read the response in 16-bit words,
     * goIdle, relinquish.
     */
    static final class SeaBios extends Driver {
        SeaBios(CrbInterface crb, int locality) {
            super(crb, locality);
        }

        @Override
        byte[] transmit(byte[] command) {
            long id = crb.mmioRead(CrbRegisters.INTERFACE_ID, 4);
            if ((id & 0xF) != 1 || ((id >> 4) & 0xF) != 1) {
                throw new AssertionError("not a CRB interface: " + Long.toHexString(id));
            }
            write32(LOC_CTRL, LocCtrl.REQUEST_ACCESS);
            waitUntil(LOC_STS, LocSts.GRANTED, LocSts.GRANTED);
            long cmd = (read32(CTRL_CMD_LADDR) & 0xFFFF_FFFFL) - CrbInterface.DEFAULT_BASE_ADDRESS;
            long rsp = (read32(CTRL_RSP_ADDR) & 0xFFFF_FFFFL) - CrbInterface.DEFAULT_BASE_ADDRESS;
            write32(CTRL_REQ, CtrlReq.CMD_READY);
            waitUntil(CTRL_REQ, CtrlReq.CMD_READY, 0);
            for (int i = 0; i < command.length; i++) {
                crb.mmioWrite(cmd + i, 1, command[i] & 0xFF);
            }
            write32(CTRL_START, CtrlStart.START);
            waitUntil(CTRL_START, CtrlStart.START, 0);
            byte[] header = new byte[10];
            for (int i = 0; i < 10; i += 2) {
                long w = crb.mmioRead(rsp + i, 2);
                header[i] = (byte) w;
                header[i + 1] = (byte) (w >>> 8);
            }
            byte[] response = concat(header, copyFrom(rsp + 10, responseSize(header) - 10));
            write32(CTRL_REQ, CtrlReq.GO_IDLE);
            write32(LOC_CTRL, LocCtrl.RELINQUISH);
            return response;
        }
    }

    /**
     * The Linux flow for a platform where several localities share the TPM: it waits for its own
     * TPM_LOC_STS.Granted rather than the global TPM_LOC_STATE.locAssigned, which only tells a driver
     * that it holds the TPM when it is the TPM's only user (as Linux assumes), and it does not wait for
     * locAssigned to clear after relinquishing, since a pending locality is granted at once.
     */
    static final class SharedLocality extends Driver {
        SharedLocality(CrbInterface crb, int locality) {
            super(crb, locality);
        }

        @Override
        byte[] transmit(byte[] command) {
            write32(LOC_CTRL, LocCtrl.REQUEST_ACCESS);
            waitUntil(LOC_STS, LocSts.GRANTED, LocSts.GRANTED);
            write32(CTRL_REQ, CtrlReq.CMD_READY);
            waitUntil(CTRL_REQ, CtrlReq.CMD_READY, 0);
            copyTo(reg(DATA_BUFFER), command);
            write32(CTRL_START, CtrlStart.START);
            waitUntil(CTRL_START, CtrlStart.START, 0);
            byte[] header = copyFrom(reg(DATA_BUFFER), 10);
            byte[] response = concat(header, copyFrom(reg(DATA_BUFFER) + 10, responseSize(header) - 10));
            write32(CTRL_REQ, CtrlReq.GO_IDLE);
            write32(LOC_CTRL, LocCtrl.RELINQUISH);
            return response;
        }
    }
}
