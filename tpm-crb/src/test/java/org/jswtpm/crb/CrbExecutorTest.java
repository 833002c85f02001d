package org.jswtpm.crb;

import org.jswtpm.core.testing.EchoTpm;
import org.jswtpm.core.testing.RawCommands;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.jswtpm.crb.CrbRegisters.CtrlReq;
import org.jswtpm.crb.CrbRegisters.Interrupt;
import org.jswtpm.crb.CrbRegisters.LocCtrl;
import org.junit.jupiter.api.Test;

/** Commands on an executor: completion seen as Start clearing and as the start interrupt. */
class CrbExecutorTest {
    private final EchoTpm tpm = new EchoTpm();
    private final ArrayDeque<Runnable> queue = new ArrayDeque<>();
    private final List<Boolean> line = new ArrayList<>();
    private final CrbInterface crb = new CrbInterface(tpm, queue::add, line::add, CrbInterface.DEFAULT_BASE_ADDRESS);
    private final CrbTestSupport regs = new CrbTestSupport(crb);

    @Test
    void startStaysSetUntilTheExecutorHasRunTheCommand() {
        byte[] command = RawCommands.getRandom(8);
        regs.sendCommand(0, command);
        assertEquals(1L, regs.read(0, CrbRegisters.CTRL_START));
        assertEquals(0, tpm.executed);
        queue.remove().run();
        assertEquals(0L, regs.read(0, CrbRegisters.CTRL_START));
        assertArrayEquals(EchoTpm.responseFor(0, command), regs.readBuffer(0, 13));
    }

    @Test
    void interruptsFollowLocalityChangeCmdReadyStartAndEstablishmentClear() {
        regs.write(0, CrbRegisters.LOC_CTRL, LocCtrl.REQUEST_ACCESS);
        regs.write(0, CrbRegisters.INT_ENABLE, Interrupt.GLOBAL_ENABLE | Interrupt.SUPPORTED);
        regs.write(0, CrbRegisters.CTRL_REQ, CtrlReq.CMD_READY);
        assertEquals(List.of(true), line);
        assertEquals((long) Interrupt.CMD_READY, regs.read(0, CrbRegisters.INT_STS));
        regs.write(0, CrbRegisters.INT_STS, Interrupt.CMD_READY);
        assertEquals(List.of(true, false), line);

        regs.writeBuffer(0, RawCommands.getRandom(8));
        regs.write(0, CrbRegisters.CTRL_START, 1);
        assertEquals(List.of(true, false), line);
        queue.remove().run();
        assertEquals(List.of(true, false, true), line);
        assertEquals((long) Interrupt.START, regs.read(0, CrbRegisters.INT_STS));
        regs.write(0, CrbRegisters.INT_STS, 0xFFFF_FFFFL);
        assertEquals(false, line.get(line.size() - 1));

        regs.write(3, CrbRegisters.LOC_CTRL, LocCtrl.SEIZE);
        assertEquals((long) Interrupt.LOCALITY_CHANGE, regs.read(3, CrbRegisters.INT_STS));
        regs.write(3, CrbRegisters.INT_STS, Interrupt.LOCALITY_CHANGE);
        tpm.hashStart();
        regs.write(3, CrbRegisters.LOC_CTRL, LocCtrl.RESET_ESTABLISHMENT_BIT);
        assertEquals((long) Interrupt.ESTABLISHMENT_CLEAR, regs.read(3, CrbRegisters.INT_STS));
    }

    @Test
    void withoutGlobalEnableNothingIsRaised() {
        regs.write(0, CrbRegisters.LOC_CTRL, LocCtrl.REQUEST_ACCESS);
        regs.write(0, CrbRegisters.INT_ENABLE, Interrupt.SUPPORTED);
        regs.write(0, CrbRegisters.CTRL_REQ, CtrlReq.CMD_READY);
        assertEquals(List.of(), line);
        assertEquals(0L, regs.read(0, CrbRegisters.INT_STS));
    }

    @Test
    void relinquishDuringExecutionDropsTheResponse() {
        regs.sendCommand(0, RawCommands.getRandom(8));
        regs.write(0, CrbRegisters.LOC_CTRL, LocCtrl.RELINQUISH);
        assertEquals(1, tpm.cancels);
        queue.remove().run();
        regs.write(0, CrbRegisters.LOC_CTRL, LocCtrl.REQUEST_ACCESS);
        assertEquals(0L, regs.read(0, CrbRegisters.CTRL_START));
        assertArrayEquals(RawCommands.getRandom(8), regs.readBuffer(0, 12), "the buffer still holds the command");
    }

    @Test
    void aThreadPoolCompletesCommandsWhileTheDriverPolls() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            EchoTpm slow = new EchoTpm();
            slow.gate = new CountDownLatch(1);
            CountDownLatch irq = new CountDownLatch(1);
            CrbInterface async = new CrbInterface(slow, pool, up -> {
                if (up) {
                    irq.countDown();
                }
            }, CrbInterface.DEFAULT_BASE_ADDRESS);
            CrbTestSupport r = new CrbTestSupport(async);
            r.write(0, CrbRegisters.LOC_CTRL, LocCtrl.REQUEST_ACCESS);
            r.write(0, CrbRegisters.INT_ENABLE, Interrupt.GLOBAL_ENABLE | Interrupt.START);
            byte[] command = RawCommands.getRandom(8);
            r.write(0, CrbRegisters.CTRL_REQ, CtrlReq.CMD_READY);
            r.writeBuffer(0, command);
            r.write(0, CrbRegisters.CTRL_START, 1);
            assertEquals(1L, r.read(0, CrbRegisters.CTRL_START), "held by the gate");
            slow.gate.countDown();
            assertTrue(irq.await(10, TimeUnit.SECONDS));
            assertEquals(0L, r.read(0, CrbRegisters.CTRL_START));
            assertArrayEquals(EchoTpm.responseFor(0, command), r.readBuffer(0, 13));
            r.write(0, CrbRegisters.LOC_CTRL, LocCtrl.RELINQUISH);
            assertArrayEquals(EchoTpm.responseFor(2, command), new CrbDrivers.Linux(async, 2).transmit(command));
        } finally {
            pool.shutdown();
        }
    }
}
