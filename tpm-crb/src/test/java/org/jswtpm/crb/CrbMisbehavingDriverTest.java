package org.jswtpm.crb;

import org.jswtpm.core.testing.EchoTpm;
import org.jswtpm.core.testing.RawCommands;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import org.jswtpm.crb.CrbRegisters.CtrlReq;
import org.jswtpm.crb.CrbRegisters.CtrlStart;
import org.jswtpm.crb.CrbRegisters.LocCtrl;
import org.junit.jupiter.api.Test;

/** Drivers that break the CRB protocol: the model behaves as the PTP describes and never throws. */
class CrbMisbehavingDriverTest {
    private final EchoTpm tpm = new EchoTpm();
    private final CrbInterface crb = new CrbInterface(tpm);
    private final CrbTestSupport regs = new CrbTestSupport(crb);

    @Test
    void startWhileIdleIsIgnored() {
        regs.write(0, CrbRegisters.LOC_CTRL, LocCtrl.REQUEST_ACCESS);
        regs.writeBuffer(0, RawCommands.getRandom(8));
        regs.write(0, CrbRegisters.CTRL_START, CtrlStart.START);
        assertEquals(0, tpm.executed);
        assertEquals(0L, regs.read(0, CrbRegisters.CTRL_START));
        assertArrayEquals(RawCommands.getRandom(8), regs.readBuffer(0, 12), "the buffer still holds the command");
    }

    @Test
    void bytesBeyondTheAnnouncedSizeAreNotPartOfTheCommand() {
        byte[] command = RawCommands.getRandom(8);
        byte[] padded = Arrays.copyOf(command, 100);
        Arrays.fill(padded, command.length, padded.length, (byte) 0xEE);
        regs.sendCommand(0, padded);
        assertArrayEquals(EchoTpm.responseFor(0, command), regs.readBuffer(0, 13));
    }

    @Test
    void anAnnouncedSizeBeyondTheBufferIsCutAtTheBuffer() {
        byte[] header = RawCommands.hex("8001" + "00010000" + "0000017b");
        regs.sendCommand(0, header);
        assertEquals(1, tpm.executed);
        byte[] response = regs.readBuffer(0, 16);
        assertEquals((byte) 0x80, response[0]);
        assertEquals(0L, regs.read(0, CrbRegisters.CTRL_START));
    }

    @Test
    void readingPastTheResponseGivesZeroesNotTheOldCommand() {
        byte[] command = RawCommands.pcrExtendSha256(16);
        regs.sendCommand(0, command);
        int length = EchoTpm.responseFor(0, command).length;
        byte[] tail = regs.readBuffer(0, length + 64);
        for (int i = length; i < tail.length; i++) {
            assertEquals(0, tail[i], "byte " + i);
        }
    }

    @Test
    void cancelWhileStartedReachesTheTpmAndReadsBackUntilCleared() {
        java.util.ArrayDeque<Runnable> queue = new java.util.ArrayDeque<>();
        CrbInterface async = new CrbInterface(tpm, queue::add);
        CrbTestSupport r = new CrbTestSupport(async);
        r.sendCommand(0, RawCommands.getRandom(8));
        r.write(0, CrbRegisters.CTRL_CANCEL, 1);
        assertEquals(1, tpm.cancels);
        assertEquals(1L, r.read(0, CrbRegisters.CTRL_CANCEL));
        queue.remove().run();
        assertEquals(0L, r.read(0, CrbRegisters.CTRL_START), "the command still completes");
        r.write(0, CrbRegisters.CTRL_CANCEL, 0);
        assertEquals(0L, r.read(0, CrbRegisters.CTRL_CANCEL));
        r.write(0, CrbRegisters.CTRL_CANCEL, 1);
        assertEquals(1, tpm.cancels, "cancel with nothing started does not reach the TPM");
    }

    @Test
    void startWhileStartedAndBufferWritesDuringExecutionAreIgnored() {
        java.util.ArrayDeque<Runnable> queue = new java.util.ArrayDeque<>();
        CrbInterface async = new CrbInterface(tpm, queue::add);
        CrbTestSupport r = new CrbTestSupport(async);
        byte[] command = RawCommands.getRandom(8);
        r.sendCommand(0, command);
        r.write(0, CrbRegisters.CTRL_START, CtrlStart.START);
        r.writeBuffer(0, RawCommands.getRandom(2));
        r.write(0, CrbRegisters.CTRL_REQ, CtrlReq.GO_IDLE);
        assertEquals(1, queue.size());
        assertEquals(CrbState.READY, async.state(), "goIdle while started is ignored");
        queue.remove().run();
        assertArrayEquals(EchoTpm.responseFor(0, command), r.readBuffer(0, 13));
    }

    @Test
    void writingZeroToStartDoesNotStopACommand() {
        java.util.ArrayDeque<Runnable> queue = new java.util.ArrayDeque<>();
        CrbInterface async = new CrbInterface(tpm, queue::add);
        CrbTestSupport r = new CrbTestSupport(async);
        r.sendCommand(0, RawCommands.getRandom(8));
        r.write(0, CrbRegisters.CTRL_START, 0);
        assertEquals(1L, r.read(0, CrbRegisters.CTRL_START));
    }

    @Test
    void cmdReadyAndGoIdleTogetherAreIgnored() {
        regs.write(0, CrbRegisters.LOC_CTRL, LocCtrl.REQUEST_ACCESS);
        regs.write(0, CrbRegisters.CTRL_REQ, CtrlReq.CMD_READY | CtrlReq.GO_IDLE);
        assertEquals(CrbState.IDLE, crb.state());
        assertEquals(2L, regs.read(0, CrbRegisters.CTRL_STS));
    }

    @Test
    void mixedAccessSizesSeeOneConsistentRegisterFile() {
        regs.write(0, CrbRegisters.LOC_CTRL, LocCtrl.REQUEST_ACCESS);
        crb.mmioWrite(CrbRegisters.CTRL_REQ, 1, CtrlReq.CMD_READY);
        long laddr = regs.read(0, CrbRegisters.CTRL_CMD_LADDR);
        for (int i = 0; i < 4; i++) {
            assertEquals((laddr >> (8 * i)) & 0xFF, crb.mmioRead(CrbRegisters.CTRL_CMD_LADDR + i, 1));
        }
        assertEquals(laddr >>> 16, crb.mmioRead(CrbRegisters.CTRL_CMD_LADDR + 2, 2));
        // a 4-byte read straddling CMD_SIZE and CMD_LADDR
        assertEquals((0xF80L >>> 16) | ((laddr & 0xFFFF) << 16), crb.mmioRead(CrbRegisters.CTRL_CMD_SIZE + 2, 4));
        // writing the address back byte by byte changes nothing
        for (int i = 0; i < 4; i++) {
            crb.mmioWrite(CrbRegisters.CTRL_CMD_LADDR + i, 1, (laddr >> (8 * i)) & 0xFF);
        }
        assertEquals(laddr, regs.read(0, CrbRegisters.CTRL_CMD_LADDR));
        crb.mmioWrite(CrbRegisters.CTRL_CMD_LADDR + 2, 2, 0x1234);
        assertEquals((laddr & 0xFFFF) | 0x1234_0000L, regs.read(0, CrbRegisters.CTRL_CMD_LADDR));

        byte[] command = RawCommands.pcrExtendSha256(16);
        for (int i = 0; i < command.length; ) {
            int width = command.length - i >= 4 ? 4 : command.length - i >= 2 ? 2 : 1;
            long v = 0;
            for (int b = 0; b < width; b++) {
                v |= (command[i + b] & 0xFFL) << (8 * b);
            }
            crb.mmioWrite(CrbRegisters.DATA_BUFFER + i, width, v);
            i += width;
        }
        crb.mmioWrite(CrbRegisters.CTRL_START, 1, 1);
        byte[] expected = EchoTpm.responseFor(0, command);
        byte[] got = new byte[expected.length];
        for (int i = 0; i < got.length; i += 2) {
            long v = crb.mmioRead(CrbRegisters.DATA_BUFFER + i, 2);
            got[i] = (byte) v;
            if (i + 1 < got.length) {
                got[i + 1] = (byte) (v >> 8);
            }
        }
        assertArrayEquals(expected, got);
    }

    @Test
    void aTpmThatBreaksItsNoThrowPromiseStillYieldsAFailureResponse() {
        EchoTpm broken = new EchoTpm() {
            @Override
            public byte[] execute(int locality, byte[] command) {
                throw new IllegalStateException("broken engine");
            }
        };
        byte[] response = new CrbDrivers.Linux(new CrbInterface(broken), 0).transmit(RawCommands.getRandom(8));
        assertArrayEquals(RawCommands.hex("80010000000a00000101"), response);
    }
}
