package org.jswtpm.tis;

import org.jswtpm.core.testing.RawCommands;

import static org.jswtpm.tis.TisRegisters.ACCESS;
import static org.jswtpm.tis.TisRegisters.DATA_FIFO;
import static org.jswtpm.tis.TisRegisters.STS;

import org.jswtpm.tis.TisRegisters.Sts;

/** Register shorthands for tests that drive a {@link TisInterface} step by step. */
final class TisTestSupport {
    private final TisInterface tis;

    TisTestSupport(TisInterface tis) {
        this.tis = tis;
    }

    static long at(int locality, int reg) {
        return locality * 0x1000L + reg;
    }

    int access(int locality) {
        return (int) tis.mmioRead(at(locality, ACCESS), 1);
    }

    void writeAccess(int locality, int bits) {
        tis.mmioWrite(at(locality, ACCESS), 1, bits);
    }

    long sts(int locality) {
        return tis.mmioRead(at(locality, STS), 4);
    }

    void writeSts(int locality, int bits) {
        tis.mmioWrite(at(locality, STS), 4, bits);
    }

    /** Writes {@code bytes} one at a time to the FIFO of {@code locality}. */
    void writeFifo(int locality, byte[] bytes) {
        for (byte b : bytes) {
            tis.mmioWrite(at(locality, DATA_FIFO), 1, b & 0xFF);
        }
    }

    byte[] readFifo(int locality, int count) {
        byte[] out = new byte[count];
        for (int i = 0; i < count; i++) {
            out[i] = (byte) tis.mmioRead(at(locality, DATA_FIFO), 1);
        }
        return out;
    }

    /** Request use, commandReady, write the whole command, tpmGo. */
    void sendCommand(int locality, byte[] command) {
        writeAccess(locality, TisRegisters.Access.REQUEST_USE);
        writeSts(locality, Sts.COMMAND_READY);
        writeFifo(locality, command);
        writeSts(locality, Sts.TPM_GO);
    }

    /** Request use, commandReady and write the whole command, without tpmGo. */
    void sendCommandWithoutGo(int locality) {
        writeAccess(locality, TisRegisters.Access.REQUEST_USE);
        writeSts(locality, Sts.COMMAND_READY);
        writeFifo(locality, RawCommands.getRandom(8));
    }

    static boolean has(long value, int bits) {
        return (value & bits) == bits;
    }
}
