package org.jswtpm.tis;

import org.jswtpm.core.testing.EchoTpm;
import org.jswtpm.core.testing.RawCommands;

import static org.jswtpm.tis.TisTestSupport.has;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.jswtpm.tis.TisRegisters.Access;
import org.jswtpm.tis.TisRegisters.Interrupt;
import org.jswtpm.tis.TisRegisters.Sts;
import org.junit.jupiter.api.Test;

/** Commands on an executor: completion seen through dataAvail and the interrupt line; aborts and cancels. */
class TisExecutorTest {
    private final EchoTpm tpm = new EchoTpm();
    private final ArrayDeque<Runnable> queue = new ArrayDeque<>();
    private final List<Boolean> line = new ArrayList<>();
    private final TisInterface tis = new TisInterface(tpm, queue::add, line::add, TpmFamily.TPM_2_0);
    private final TisTestSupport regs = new TisTestSupport(tis);

    @Test
    void dataAvailRisesOnlyWhenTheExecutorHasRunTheCommand() {
        byte[] command = RawCommands.getRandom(8);
        regs.sendCommand(0, command);
        assertEquals(TisState.EXECUTION, tis.state());
        long sts = regs.sts(0);
        assertTrue(has(sts, Sts.STS_VALID));
        assertFalse(has(sts, Sts.DATA_AVAIL));
        assertEquals(0, (sts >> 8) & 0xFFFF, "no burst during execution");
        assertEquals(0xFFL, tis.mmioRead(TisRegisters.DATA_FIFO, 1));
        queue.remove().run();
        assertTrue(has(regs.sts(0), Sts.DATA_AVAIL | Sts.STS_VALID));
        byte[] expected = EchoTpm.responseFor(0, command);
        assertArrayEquals(expected, regs.readFifo(0, expected.length));
    }

    @Test
    void interruptsFollowLocalityChangeCommandReadyAndDataAvail() {
        regs.writeAccess(0, Access.REQUEST_USE);
        tis.mmioWrite(TisRegisters.INT_VECTOR, 1, 5);
        tis.mmioWrite(TisRegisters.INT_ENABLE, 4, Interrupt.GLOBAL_INT_ENABLE | Interrupt.SUPPORTED | 0x08);
        assertEquals(List.of(), line);
        regs.writeSts(0, Sts.COMMAND_READY);
        assertEquals(List.of(true), line);
        assertEquals(Interrupt.COMMAND_READY, tis.mmioRead(TisRegisters.INT_STATUS, 4));
        tis.mmioWrite(TisRegisters.INT_STATUS, 4, Interrupt.COMMAND_READY);
        assertEquals(List.of(true, false), line);

        regs.writeFifo(0, RawCommands.getRandom(8));
        assertEquals(Interrupt.STS_VALID, tis.mmioRead(TisRegisters.INT_STATUS, 4), "Expect cleared");
        tis.mmioWrite(TisRegisters.INT_STATUS, 1, Interrupt.STS_VALID);
        regs.writeSts(0, Sts.TPM_GO);
        assertEquals(List.of(true, false, true, false), line);
        queue.remove().run();
        assertEquals(List.of(true, false, true, false, true), line);
        assertEquals(Interrupt.DATA_AVAIL | Interrupt.STS_VALID, tis.mmioRead(TisRegisters.INT_STATUS, 4));
        assertEquals(5L, tis.mmioRead(TisRegisters.INT_VECTOR, 1));
        tis.mmioWrite(TisRegisters.INT_STATUS, 4, 0xFFFF_FFFFL);
        assertEquals(0L, tis.mmioRead(TisRegisters.INT_STATUS, 4));
        assertEquals(false, line.get(line.size() - 1));
    }

    @Test
    void localityChangeInterruptGoesToTheNewlyActiveLocality() {
        regs.writeAccess(0, Access.REQUEST_USE);
        tis.mmioWrite(TisRegisters.INT_ENABLE, 4, Interrupt.GLOBAL_INT_ENABLE | Interrupt.LOCALITY_CHANGE);
        regs.writeAccess(0, Access.ACTIVE_LOCALITY);
        assertEquals(List.of(), line, "nobody is active to be told");
        regs.writeAccess(0, Access.REQUEST_USE);
        assertEquals(List.of(true), line);
        assertEquals(Interrupt.LOCALITY_CHANGE, tis.mmioRead(TisRegisters.INT_STATUS, 4));
    }

    @Test
    void disabledSourcesDoNotRaiseTheLine() {
        regs.writeAccess(0, Access.REQUEST_USE);
        tis.mmioWrite(TisRegisters.INT_ENABLE, 4, Interrupt.SUPPORTED);
        regs.sendCommand(0, RawCommands.getRandom(4));
        queue.remove().run();
        assertEquals(List.of(), line, "globalIntEnable is clear");
        assertEquals(0L, tis.mmioRead(TisRegisters.INT_STATUS, 4));
    }

    @Test
    void commandReadyDuringExecutionAbortsAndTheLateResponseIsDropped() {
        regs.sendCommand(0, RawCommands.getRandom(8));
        regs.writeSts(0, Sts.COMMAND_READY);
        assertEquals(1, tpm.cancels, "the TPM is asked to stop");
        assertEquals(TisState.READY, tis.state());
        queue.remove().run();
        assertEquals(TisState.READY, tis.state());
        assertFalse(has(regs.sts(0), Sts.DATA_AVAIL));
        // the next command works normally
        byte[] next = RawCommands.getRandom(2);
        regs.writeFifo(0, next);
        regs.writeSts(0, Sts.TPM_GO);
        queue.remove().run();
        assertArrayEquals(EchoTpm.responseFor(0, next), regs.readFifo(0, EchoTpm.responseFor(0, next).length));
    }

    @Test
    void commandCancelAsksTheTpmToStopAndTheResponseStillArrives() {
        byte[] command = RawCommands.getRandom(8);
        regs.sendCommand(0, command);
        regs.writeSts(0, Sts.COMMAND_CANCEL);
        assertEquals(1, tpm.cancels);
        assertEquals(TisState.EXECUTION, tis.state());
        queue.remove().run();
        assertTrue(has(regs.sts(0), Sts.DATA_AVAIL));
        regs.writeSts(0, Sts.COMMAND_CANCEL);
        assertEquals(1, tpm.cancels, "commandCancel outside Execution is ignored");
    }

    @Test
    void seizeDuringExecutionDropsTheResponse() {
        regs.sendCommand(0, RawCommands.getRandom(8));
        regs.writeAccess(3, Access.SEIZE);
        queue.remove().run();
        assertEquals(TisState.IDLE, tis.state());
        assertTrue(has(regs.access(0), Access.BEEN_SEIZED));
        regs.writeSts(3, Sts.COMMAND_READY);
        assertFalse(has(regs.sts(3), Sts.DATA_AVAIL));
    }

    @Test
    void aThreadPoolCompletesCommandsWhileTheDriverPolls() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            EchoTpm slow = new EchoTpm();
            slow.gate = new CountDownLatch(1);
            CountDownLatch irq = new CountDownLatch(1);
            TisInterface async = new TisInterface(slow, pool, up -> {
                if (up) {
                    irq.countDown();
                }
            }, TpmFamily.TPM_2_0);
            TisTestSupport r = new TisTestSupport(async);
            r.writeAccess(0, Access.REQUEST_USE);
            async.mmioWrite(TisRegisters.INT_ENABLE, 4, Interrupt.GLOBAL_INT_ENABLE | Interrupt.DATA_AVAIL);
            byte[] command = RawCommands.getRandom(8);
            r.writeSts(0, Sts.COMMAND_READY);
            r.writeFifo(0, command);
            r.writeSts(0, Sts.TPM_GO);
            assertFalse(has(r.sts(0), Sts.DATA_AVAIL), "held by the gate");
            slow.gate.countDown();
            assertTrue(irq.await(10, TimeUnit.SECONDS));
            assertTrue(has(r.sts(0), Sts.DATA_AVAIL));
            byte[] expected = EchoTpm.responseFor(0, command);
            assertArrayEquals(expected, new TisDrivers.Linux(async, 0).transmit(command), "and the Linux flow works too");
            byte[] first = r.readFifo(0, expected.length);
            assertEquals(0xFF, first[0] & 0xFF, "the Linux flow relinquished locality 0, so its FIFO reads all ones");
        } finally {
            pool.shutdown();
        }
    }
}
