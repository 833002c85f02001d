package org.jswtpm.crb;

import org.jswtpm.crb.CrbRegisters.CtrlReq;
import org.jswtpm.crb.CrbRegisters.CtrlStart;
import org.jswtpm.crb.CrbRegisters.LocCtrl;

/** Register shorthands for tests that drive a {@link CrbInterface} step by step. */
final class CrbTestSupport {
    private final CrbInterface crb;

    CrbTestSupport(CrbInterface crb) {
        this.crb = crb;
    }

    static long at(int locality, int reg) {
        return locality * 0x1000L + reg;
    }

    long read(int locality, int reg) {
        return crb.mmioRead(at(locality, reg), 4);
    }

    void write(int locality, int reg, long value) {
        crb.mmioWrite(at(locality, reg), 4, value);
    }

    void writeBuffer(int locality, byte[] bytes) {
        for (int i = 0; i < bytes.length; i++) {
            crb.mmioWrite(at(locality, CrbRegisters.DATA_BUFFER + i), 1, bytes[i] & 0xFF);
        }
    }

    byte[] readBuffer(int locality, int count) {
        byte[] out = new byte[count];
        for (int i = 0; i < count; i++) {
            out[i] = (byte) crb.mmioRead(at(locality, CrbRegisters.DATA_BUFFER + i), 1);
        }
        return out;
    }

    /** requestAccess, cmdReady, write the command, Start. */
    void sendCommand(int locality, byte[] command) {
        write(locality, CrbRegisters.LOC_CTRL, LocCtrl.REQUEST_ACCESS);
        write(locality, CrbRegisters.CTRL_REQ, CtrlReq.CMD_READY);
        writeBuffer(locality, command);
        write(locality, CrbRegisters.CTRL_START, CtrlStart.START);
    }
}
