package org.jswtpm.crb;

import org.jswtpm.core.testing.EchoTpm;
import org.jswtpm.core.testing.RawCommands;

import static org.jswtpm.crb.CrbTestSupport.at;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.jswtpm.crb.CrbRegisters.CtrlReq;
import org.jswtpm.crb.CrbRegisters.CtrlStart;
import org.jswtpm.crb.CrbRegisters.LocCtrl;
import org.jswtpm.crb.CrbRegisters.LocSts;
import org.junit.jupiter.api.Test;

/** Locality arbitration through TPM_LOC_CTRL_x, TPM_LOC_STATE_x and TPM_LOC_STS_x. */
class CrbLocalityTest {
    private final EchoTpm tpm = new EchoTpm();
    private final CrbInterface crb = new CrbInterface(tpm);
    private final CrbTestSupport regs = new CrbTestSupport(crb);

    private int activeLocality() {
        long state = regs.read(0, CrbRegisters.LOC_STATE);
        return (state & CrbRegisters.LocState.LOC_ASSIGNED) == 0 ? -1 : (int) (state >> 2) & 7;
    }

    @Test
    void requestsQueueAndTheHighestPendingLocalityFollowsARelinquish() {
        regs.write(1, CrbRegisters.LOC_CTRL, LocCtrl.REQUEST_ACCESS);
        regs.write(0, CrbRegisters.LOC_CTRL, LocCtrl.REQUEST_ACCESS);
        regs.write(2, CrbRegisters.LOC_CTRL, LocCtrl.REQUEST_ACCESS);
        assertEquals(1, activeLocality());
        assertEquals(LocSts.GRANTED, regs.read(1, CrbRegisters.LOC_STS));
        assertEquals(0, regs.read(2, CrbRegisters.LOC_STS));
        regs.write(1, CrbRegisters.LOC_CTRL, LocCtrl.RELINQUISH);
        assertEquals(2, activeLocality());
        regs.write(2, CrbRegisters.LOC_CTRL, LocCtrl.RELINQUISH);
        assertEquals(0, activeLocality());
        regs.write(0, CrbRegisters.LOC_CTRL, LocCtrl.RELINQUISH);
        assertEquals(-1, activeLocality());
    }

    @Test
    void loc_stateReadsTheSameFromEveryPage() {
        regs.write(3, CrbRegisters.LOC_CTRL, LocCtrl.REQUEST_ACCESS);
        for (int l = 0; l < 5; l++) {
            assertEquals(0x80L | 0x02 | (3 << 2) | 0x01, regs.read(l, CrbRegisters.LOC_STATE));
        }
    }

    @Test
    void seizeByAHigherLocalityAbortsTheCommandAndMarksTheLoser() {
        java.util.ArrayDeque<Runnable> queue = new java.util.ArrayDeque<>();
        CrbInterface async = new CrbInterface(tpm, queue::add);
        CrbTestSupport r = new CrbTestSupport(async);
        r.sendCommand(0, RawCommands.getRandom(8));
        assertEquals(CtrlStart.START, r.read(0, CrbRegisters.CTRL_START));
        r.write(1, CrbRegisters.LOC_CTRL, LocCtrl.SEIZE);
        assertEquals(LocSts.BEEN_SEIZED, r.read(0, CrbRegisters.LOC_STS));
        assertEquals(LocSts.GRANTED, r.read(1, CrbRegisters.LOC_STS));
        assertEquals(1, tpm.cancels);
        queue.remove().run();
        assertEquals(0L, r.read(1, CrbRegisters.CTRL_START));
        assertEquals(CrbState.IDLE, async.state());
        assertArrayEquals(RawCommands.getRandom(8), r.readBuffer(1, 12), "the dropped response never reached the buffer");
        // beenSeized clears on the loser's next requestAccess
        r.write(0, CrbRegisters.LOC_CTRL, LocCtrl.REQUEST_ACCESS);
        assertEquals(0L, r.read(0, CrbRegisters.LOC_STS) & LocSts.BEEN_SEIZED);
    }

    @Test
    void seizeByALowerLocalityIsIgnored() {
        regs.write(2, CrbRegisters.LOC_CTRL, LocCtrl.REQUEST_ACCESS);
        regs.write(1, CrbRegisters.LOC_CTRL, LocCtrl.SEIZE);
        assertEquals(2, activeLocality());
        assertEquals(0L, regs.read(2, CrbRegisters.LOC_STS) & LocSts.BEEN_SEIZED);
    }

    @Test
    void anInactiveLocalityCannotReachTheControlAreaOrTheBuffer() {
        regs.write(0, CrbRegisters.LOC_CTRL, LocCtrl.REQUEST_ACCESS);
        regs.write(0, CrbRegisters.CTRL_REQ, CtrlReq.CMD_READY);
        byte[] command = RawCommands.getRandom(8);
        regs.writeBuffer(0, command);
        assertEquals(0xFFFF_FFFFL, regs.read(1, CrbRegisters.CTRL_STS));
        assertEquals(0xFFFF_FFFFL, regs.read(1, CrbRegisters.CTRL_CMD_LADDR));
        assertEquals(0xFFFF_FFFFL, regs.read(1, CrbRegisters.DATA_BUFFER));
        regs.writeBuffer(1, new byte[] {1, 2, 3, 4, 5, 6});
        regs.write(1, CrbRegisters.CTRL_START, CtrlStart.START);
        regs.write(1, CrbRegisters.CTRL_REQ, CtrlReq.GO_IDLE);
        regs.write(1, CrbRegisters.INT_ENABLE, 0x8000_000FL);
        assertEquals(0, tpm.executed);
        assertEquals(CrbState.READY, crb.state());
        assertEquals(0L, regs.read(0, CrbRegisters.INT_ENABLE));
        assertArrayEquals(command, regs.readBuffer(0, command.length), "the active locality's command is intact");
    }

    @Test
    void resetEstablishmentBitIsHonouredOnlyFromLocality3And4() {
        tpm.hashStart();
        assertEquals(0L, regs.read(0, CrbRegisters.LOC_STATE) & CrbRegisters.LocState.TPM_ESTABLISHED);
        for (int l = 0; l < 3; l++) {
            regs.write(l, CrbRegisters.LOC_CTRL, LocCtrl.RESET_ESTABLISHMENT_BIT);
            assertTrue(tpm.isTpmEstablished(), "locality " + l);
        }
        regs.write(4, CrbRegisters.LOC_CTRL, LocCtrl.RESET_ESTABLISHMENT_BIT);
        assertFalse(tpm.isTpmEstablished());
        assertEquals(1L, regs.read(0, CrbRegisters.LOC_STATE) & CrbRegisters.LocState.TPM_ESTABLISHED);
    }

    @Test
    void locality4RunsCommandsLikeAnyOther() {
        regs.sendCommand(4, RawCommands.getRandom(8));
        assertEquals(4, tpm.lastLocality);
        assertArrayEquals(EchoTpm.responseFor(4, RawCommands.getRandom(8)), regs.readBuffer(4, 13));
        assertEquals(0xFFFF_FFFFL, regs.read(0, CrbRegisters.DATA_BUFFER), "locality 0 sees nothing");
        assertEquals(0xFFFF_FFFFL, crb.mmioRead(at(4, 0x20), 4), "CRB has no hash registers");
    }

    @Test
    void aSeizeWriteIgnoresRequestAccessAndRelinquishInTheSameWrite() {
        regs.write(0, CrbRegisters.LOC_CTRL, LocCtrl.REQUEST_ACCESS);
        regs.write(2, CrbRegisters.LOC_CTRL, LocCtrl.SEIZE | LocCtrl.RELINQUISH | LocCtrl.REQUEST_ACCESS);
        assertEquals(2, activeLocality());
        assertEquals(LocSts.BEEN_SEIZED, regs.read(0, CrbRegisters.LOC_STS));
    }
}
