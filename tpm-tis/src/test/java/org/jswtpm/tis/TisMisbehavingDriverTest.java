package org.jswtpm.tis;

import org.jswtpm.core.testing.EchoTpm;
import org.jswtpm.core.testing.RawCommands;

import static org.jswtpm.tis.TisTestSupport.at;
import static org.jswtpm.tis.TisTestSupport.has;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.jswtpm.tis.TisRegisters.Access;
import org.jswtpm.tis.TisRegisters.Sts;
import org.junit.jupiter.api.Test;

/** Drivers that break the protocol: the model behaves as the PTP describes and never throws. */
class TisMisbehavingDriverTest {
    private final EchoTpm tpm = new EchoTpm();
    private final TisInterface tis = new TisInterface(tpm);
    private final TisTestSupport regs = new TisTestSupport(tis);

    @Test
    void bytesBeyondTheAnnouncedSizeAreDroppedAndExpectStaysClear() {
        byte[] command = RawCommands.getRandom(16);
        byte[] tooLong = Arrays.copyOf(command, command.length + 20);
        Arrays.fill(tooLong, command.length, tooLong.length, (byte) 0xEE);
        regs.writeAccess(0, Access.REQUEST_USE);
        regs.writeSts(0, Sts.COMMAND_READY);
        regs.writeFifo(0, tooLong);
        long sts = regs.sts(0);
        assertFalse(has(sts, Sts.EXPECT));
        assertEquals(0, (sts >> 8) & 0xFFFF, "no room announced once the command is complete");
        regs.writeSts(0, Sts.TPM_GO);
        assertArrayEquals(EchoTpm.responseFor(0, command), regs.readFifo(0, EchoTpm.responseFor(0, command).length));
    }

    @Test
    void tpmGoWhileExpectIsSetIsIgnored() {
        byte[] command = RawCommands.getRandom(16);
        regs.writeAccess(0, Access.REQUEST_USE);
        regs.writeSts(0, Sts.COMMAND_READY);
        regs.writeFifo(0, Arrays.copyOf(command, 7));
        assertTrue(has(regs.sts(0), Sts.EXPECT | Sts.STS_VALID));
        regs.writeSts(0, Sts.TPM_GO);
        assertEquals(TisState.RECEPTION, tis.state());
        assertEquals(0, tpm.executed);
        regs.writeFifo(0, Arrays.copyOfRange(command, 7, command.length));
        regs.writeSts(0, Sts.TPM_GO);
        assertEquals(1, tpm.executed);
        assertTrue(has(regs.sts(0), Sts.DATA_AVAIL));
    }

    @Test
    void aDeclaredSizeBelowTheHeaderStillEndsReceptionAfterTheHeader() {
        byte[] bogus = RawCommands.hex("80010000000400000144");
        regs.writeAccess(0, Access.REQUEST_USE);
        regs.writeSts(0, Sts.COMMAND_READY);
        regs.writeFifo(0, Arrays.copyOf(bogus, 9));
        assertTrue(has(regs.sts(0), Sts.EXPECT));
        regs.writeFifo(0, new byte[] {bogus[9]});
        assertFalse(has(regs.sts(0), Sts.EXPECT));
    }

    @Test
    void readingPastTheResponseGivesAllOnesAndClearsDataAvail() {
        byte[] command = RawCommands.getRandom(4);
        byte[] expected = EchoTpm.responseFor(0, command);
        regs.sendCommand(0, command);
        assertArrayEquals(expected, regs.readFifo(0, expected.length));
        assertFalse(has(regs.sts(0), Sts.DATA_AVAIL));
        assertTrue(has(regs.sts(0), Sts.STS_VALID));
        assertEquals(0xFFL, tis.mmioRead(TisRegisters.DATA_FIFO, 1));
        assertEquals(0xFFFF_FFFFL, tis.mmioRead(TisRegisters.DATA_FIFO, 4));
    }

    @Test
    void responseRetryRestartsTheResponse() {
        byte[] command = RawCommands.getRandom(4);
        byte[] expected = EchoTpm.responseFor(0, command);
        regs.sendCommand(0, command);
        regs.readFifo(0, 7);
        regs.writeSts(0, Sts.RESPONSE_RETRY);
        assertArrayEquals(expected, regs.readFifo(0, expected.length));
        assertEquals(1, tpm.executed, "retry re-reads, it does not re-execute");
    }

    @Test
    void commandReadyDuringReceptionAbortsAndStartsOver() {
        regs.sendCommandWithoutGo(0);
        regs.writeSts(0, Sts.COMMAND_READY);
        assertEquals(TisState.READY, tis.state());
        assertFalse(has(regs.sts(0), Sts.EXPECT));
        byte[] command = RawCommands.getRandom(2);
        regs.writeFifo(0, command);
        regs.writeSts(0, Sts.TPM_GO);
        assertArrayEquals(EchoTpm.responseFor(0, command), regs.readFifo(0, EchoTpm.responseFor(0, command).length));
    }

    @Test
    void commandReadyDuringCompletionDiscardsTheResponse() {
        regs.sendCommand(0, RawCommands.getRandom(4));
        regs.writeSts(0, Sts.COMMAND_READY);
        long sts = regs.sts(0);
        assertTrue(has(sts, Sts.COMMAND_READY));
        assertFalse(has(sts, Sts.DATA_AVAIL));
        assertEquals(0xFFL, tis.mmioRead(TisRegisters.DATA_FIFO, 1));
    }

    @Test
    void writesToTheFifoOutsideReadyAndReceptionAreDropped() {
        regs.writeAccess(0, Access.REQUEST_USE);
        regs.writeFifo(0, RawCommands.getRandom(4));
        assertEquals(TisState.IDLE, tis.state(), "Idle: commandReady was never written");
        regs.sendCommand(0, RawCommands.getRandom(4));
        regs.writeFifo(0, RawCommands.getRandom(8));
        assertEquals(TisState.COMPLETION, tis.state());
        assertArrayEquals(EchoTpm.responseFor(0, RawCommands.getRandom(4)), regs.readFifo(0, 13));
    }

    @Test
    void mixedAccessSizesSeeOneConsistentRegisterFile() {
        regs.writeAccess(0, Access.REQUEST_USE);
        tis.mmioWrite(TisRegisters.STS, 1, Sts.COMMAND_READY);
        long sts = regs.sts(0);
        for (int i = 0; i < 4; i++) {
            assertEquals((sts >> (8 * i)) & 0xFF, tis.mmioRead(TisRegisters.STS + i, 1));
        }
        assertEquals((sts >> 8) & 0xFFFF, tis.mmioRead(TisRegisters.STS + 1, 2));
        assertEquals(sts & 0xFFFF, tis.mmioRead(TisRegisters.STS, 2));
        assertEquals(sts >>> 16, tis.mmioRead(TisRegisters.STS + 2, 2));
        // a 4-byte read that straddles STS and the reserved bytes after it
        assertEquals(0xFFFF_0000L | (sts >>> 16), tis.mmioRead(TisRegisters.STS + 2, 4));

        // the command in 4-, 2- and 1-byte FIFO writes, partly through the XDATA window
        byte[] command = RawCommands.pcrExtendSha256(16);
        int i = 0;
        int[] widths = {4, 2, 1};
        while (i < command.length) {
            int width = Math.min(widths[i % 3], command.length - i);
            width = width == 3 ? 2 : width;
            long value = 0;
            for (int b = 0; b < width; b++) {
                value |= (command[i + b] & 0xFFL) << (8 * b);
            }
            int reg = i % 2 == 0 ? TisRegisters.DATA_FIFO : TisRegisters.XDATA_FIFO + 0x10;
            tis.mmioWrite(reg, width, value);
            i += width;
        }
        assertFalse(has(regs.sts(0), Sts.EXPECT));
        tis.mmioWrite(TisRegisters.STS, 1, Sts.TPM_GO);
        byte[] expected = EchoTpm.responseFor(0, command);
        byte[] got = new byte[expected.length];
        for (int r = 0; r < got.length; r += 4) {
            long v = tis.mmioRead(TisRegisters.XDATA_FIFO, 4);
            for (int b = 0; b < 4 && r + b < got.length; b++) {
                got[r + b] = (byte) (v >>> (8 * b));
            }
        }
        assertArrayEquals(expected, got);
    }

    @Test
    void aOneByteWriteToTheTopByteOfStsReachesCommandCancel() {
        tpm.gate = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newSingleThreadExecutor();
        try {
            TisInterface async = new TisInterface(tpm, pool);
            TisTestSupport r = new TisTestSupport(async);
            r.sendCommand(0, RawCommands.getRandom(4));
            async.mmioWrite(at(0, TisRegisters.STS + 3), 1, Sts.COMMAND_CANCEL >>> 24);
            assertEquals(1, tpm.cancels);
        } finally {
            tpm.gate.countDown();
            pool.shutdown();
        }
    }

    @Test
    void partialWritesToIntEnableKeepTheOtherBytes() {
        regs.writeAccess(0, Access.REQUEST_USE);
        tis.mmioWrite(TisRegisters.INT_ENABLE, 1, 0x81);
        tis.mmioWrite(TisRegisters.INT_ENABLE + 3, 1, 0x80);
        assertEquals(0x8000_0081L, tis.mmioRead(TisRegisters.INT_ENABLE, 4));
        tis.mmioWrite(TisRegisters.INT_ENABLE, 2, 0x0004);
        assertEquals(0x8000_0004L, tis.mmioRead(TisRegisters.INT_ENABLE, 4));
    }

    @Test
    void fifoAccessesThatRunPastTheFifoWindowAreCutAtItsEnd() {
        byte[] command = RawCommands.getRandom(4);
        regs.writeAccess(0, Access.REQUEST_USE);
        regs.writeSts(0, Sts.COMMAND_READY);
        // a 4-byte write at DATA_FIFO + 2 carries only two FIFO bytes
        tis.mmioWrite(TisRegisters.DATA_FIFO + 2, 4, (command[0] & 0xFF) | (command[1] & 0xFF) << 8 | 0xEEEE_0000L);
        regs.writeFifo(0, Arrays.copyOfRange(command, 2, command.length));
        assertFalse(has(regs.sts(0), Sts.EXPECT));
        regs.writeSts(0, Sts.TPM_GO);
        byte[] expected = EchoTpm.responseFor(0, command);
        long v = tis.mmioRead(TisRegisters.XDATA_FIFO_END - 1, 4);
        assertEquals(0xFFFF_0000L | (expected[1] & 0xFF) << 8 | (expected[0] & 0xFF), v);
        assertArrayEquals(Arrays.copyOfRange(expected, 2, expected.length), regs.readFifo(0, expected.length - 2));
    }

    @Test
    void hashStartIsDecodedOnlyAtItsFirstByte() {
        for (int i = 1; i < 8; i++) {
            tis.mmioWrite(at(4, TisRegisters.HASH_START + i), 1, 0);
        }
        tis.mmioWrite(at(4, TisRegisters.HASH_END + 1), 1, 0);
        assertEquals(0, tpm.hashStarts);
        tis.mmioWrite(at(4, TisRegisters.HASH_START), 4, 0);
        assertEquals(1, tpm.hashStarts);
    }

    @Test
    void aTpmThatBreaksItsNoThrowPromiseStillYieldsAFailureResponse() {
        EchoTpm broken = new EchoTpm() {
            @Override
            public byte[] execute(int locality, byte[] command) {
                throw new IllegalStateException("broken engine");
            }
        };
        byte[] response = new TisDrivers.Linux(new TisInterface(broken), 0).transmit(RawCommands.getRandom(8));
        assertArrayEquals(RawCommands.hex("80010000000a00000101"), response);
    }
}
