package org.jswtpm.crb;

import org.jswtpm.core.testing.RawCommands;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.jswtpm.core.Tpm;
import org.jswtpm.core.testing.TestTpm;
import org.junit.jupiter.api.Test;

/**
 * Real commands on the real engine through the CRB interface: every response equals what a twin TPM,
 * built from the same deterministic seed, returns from {@link Tpm#execute(int, byte[])} directly.
 */
class CrbEngineTest {
    private static final List<byte[]> SESSION = List.of(
            RawCommands.startupClear(),
            RawCommands.getRandom(32),
            RawCommands.pcrExtendSha256(16),
            RawCommands.pcrReadSha256(),
            RawCommands.getRandom(48),
            RawCommands.hashAbcSha256(),
            RawCommands.getCapabilityManufacturer(),
            RawCommands.createPrimaryEccP256(),
            RawCommands.startupClear());

    @Test
    void everyDriverSeesExactlyWhatDirectExecuteReturns() {
        for (var driverFactory : CrbDriverFlowTest.DRIVERS) {
            Tpm device = TestTpm.fresh();
            Tpm twin = TestTpm.fresh();
            CrbDrivers.Driver driver = driverFactory.apply(new CrbInterface(device), 0);
            for (byte[] command : SESSION) {
                assertArrayEquals(twin.execute(0, command), driver.transmit(command));
            }
        }
    }

    @Test
    void theSessionReallyRanOnTheEngine() {
        CrbDrivers.Driver driver = new CrbDrivers.Linux(new CrbInterface(TestTpm.fresh()), 0);
        assertEquals(0, RawCommands.responseCode(driver.transmit(RawCommands.startupClear())));
        byte[] random = driver.transmit(RawCommands.getRandom(32));
        assertEquals(0, RawCommands.responseCode(random));
        assertEquals(10 + 2 + 32, random.length);
        assertEquals(0, RawCommands.responseCode(driver.transmit(RawCommands.pcrExtendSha256(16))), "PCR_Extend");
        assertEquals(0, RawCommands.responseCode(driver.transmit(RawCommands.hashAbcSha256())), "Hash");
        assertEquals(0, RawCommands.responseCode(driver.transmit(RawCommands.pcrReadSha256())), "PCR_Read");
        assertEquals(0, RawCommands.responseCode(driver.transmit(RawCommands.createPrimaryEccP256())), "CreatePrimary");
        assertEquals(0, RawCommands.responseCode(driver.transmit(RawCommands.getCapabilityManufacturer())));
        assertNotEquals(0, RawCommands.responseCode(driver.transmit(RawCommands.startupClear())), "second Startup fails");
    }

    @Test
    void commandsCarryTheLocalityTheyWereSentFrom() {
        Tpm device = TestTpm.fresh();
        Tpm twin = TestTpm.fresh();
        CrbInterface crb = new CrbInterface(device);
        for (int locality = 0; locality < 5; locality++) {
            CrbDrivers.Driver driver = new CrbDrivers.Linux(crb, locality);
            for (byte[] command : List.of(RawCommands.startupClear(), RawCommands.pcrExtendSha256(16),
                    RawCommands.pcrExtendSha256(23), RawCommands.pcrReadSha256())) {
                assertArrayEquals(twin.execute(locality, command), driver.transmit(command), "locality " + locality);
            }
        }
    }

    @Test
    void theExecutorPathGivesTheSameBytes() {
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Tpm device = TestTpm.fresh();
            Tpm twin = TestTpm.fresh();
            CrbInterface crb = new CrbInterface(device, pool);
            for (var driverFactory : CrbDriverFlowTest.DRIVERS) {
                CrbDrivers.Driver driver = driverFactory.apply(crb, 0);
                for (byte[] command : SESSION) {
                    assertArrayEquals(twin.execute(0, command), driver.transmit(command));
                }
            }
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void anInterruptDrivenDriverWakesOnStartCompletion() throws Exception {
        ExecutorService pool = Executors.newSingleThreadExecutor();
        java.util.concurrent.Semaphore irq = new java.util.concurrent.Semaphore(0);
        try {
            Tpm device = TestTpm.fresh();
            Tpm twin = TestTpm.fresh();
            CrbInterface crb = new CrbInterface(device, pool, up -> {
                if (up) {
                    irq.release();
                }
            }, CrbInterface.DEFAULT_BASE_ADDRESS);
            CrbTestSupport regs = new CrbTestSupport(crb);
            regs.write(0, CrbRegisters.LOC_CTRL, CrbRegisters.LocCtrl.REQUEST_ACCESS);
            regs.write(0, CrbRegisters.INT_ENABLE, CrbRegisters.Interrupt.GLOBAL_ENABLE | CrbRegisters.Interrupt.START);
            regs.write(0, CrbRegisters.CTRL_REQ, CrbRegisters.CtrlReq.CMD_READY);
            for (byte[] command : SESSION) {
                regs.writeBuffer(0, command);
                regs.write(0, CrbRegisters.CTRL_START, CrbRegisters.CtrlStart.START);
                org.junit.jupiter.api.Assertions.assertTrue(irq.tryAcquire(10, java.util.concurrent.TimeUnit.SECONDS));
                long cause = regs.read(0, CrbRegisters.INT_STS);
                assertEquals(CrbRegisters.Interrupt.START, cause);
                regs.write(0, CrbRegisters.INT_STS, cause);
                assertEquals(0L, regs.read(0, CrbRegisters.CTRL_START));
                byte[] expected = twin.execute(0, command);
                assertArrayEquals(expected, regs.readBuffer(0, expected.length));
            }
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void twoLocalitiesTakingTurnsFromTwoThreadsNeverMixTheirCommands() throws Exception {
        Tpm device = TestTpm.fresh();
        CrbInterface crb = new CrbInterface(device, Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r);
            t.setDaemon(true);
            return t;
        }));
        assertEquals(0, RawCommands.responseCode(new CrbDrivers.Linux(crb, 0).transmit(RawCommands.startupClear())));
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            List<java.util.concurrent.Future<Integer>> results = new java.util.ArrayList<>();
            for (int locality : new int[] {0, 3}) {
                results.add(threads.submit(() -> {
                    CrbDrivers.Driver driver = new CrbDrivers.SharedLocality(crb, locality);
                    int ok = 0;
                    for (int i = 0; i < 40; i++) {
                        int bytes = 1 + (i + locality) % 48;
                        byte[] response = driver.transmit(RawCommands.getRandom(bytes));
                        if (RawCommands.responseCode(response) == 0 && response.length == 12 + bytes) {
                            ok++;
                        }
                    }
                    return ok;
                }));
            }
            for (var result : results) {
                assertEquals(40, result.get(60, java.util.concurrent.TimeUnit.SECONDS));
            }
        } finally {
            threads.shutdown();
        }
    }
}
