package org.jswtpm.tis;

import org.jswtpm.core.testing.RawCommands;

import static org.jswtpm.tis.TisTestSupport.at;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BiFunction;
import org.jswtpm.core.Tpm;
import org.jswtpm.core.testing.TestTpm;
import org.junit.jupiter.api.Test;

/**
 * Real commands on the real engine through the FIFO interface: every response equals what a twin TPM,
 * built from the same deterministic seed, returns from {@link Tpm#execute(int, byte[])} directly.
 */
class TisEngineTest {
    private static final List<BiFunction<TisInterface, Integer, TisDrivers.Driver>> DRIVERS = List.of(
            TisDrivers.Linux::new, TisDrivers.Edk2::new, TisDrivers.SeaBios::new);

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
        for (var driverFactory : DRIVERS) {
            Tpm device = TestTpm.fresh();
            Tpm twin = TestTpm.fresh();
            TisInterface tis = new TisInterface(device);
            TisDrivers.Driver driver = driverFactory.apply(tis, 0);
            for (byte[] command : SESSION) {
                byte[] viaRegisters = driver.transmit(command);
                assertArrayEquals(twin.execute(0, command), viaRegisters);
            }
        }
    }

    @Test
    void theSessionReallyRanOnTheEngine() {
        Tpm device = TestTpm.fresh();
        TisDrivers.Driver driver = new TisDrivers.Linux(new TisInterface(device), 0);
        assertEquals(0, RawCommands.responseCode(driver.transmit(RawCommands.startupClear())));
        byte[] random = driver.transmit(RawCommands.getRandom(32));
        assertEquals(0, RawCommands.responseCode(random));
        assertEquals(10 + 2 + 32, random.length);
        assertEquals(0, RawCommands.responseCode(driver.transmit(RawCommands.pcrExtendSha256(16))), "PCR_Extend");
        assertEquals(0, RawCommands.responseCode(driver.transmit(RawCommands.hashAbcSha256())), "Hash");
        assertEquals(0, RawCommands.responseCode(driver.transmit(RawCommands.pcrReadSha256())), "PCR_Read");
        assertEquals(0, RawCommands.responseCode(driver.transmit(RawCommands.createPrimaryEccP256())), "CreatePrimary");
        assertEquals(0, RawCommands.responseCode(driver.transmit(RawCommands.getCapabilityManufacturer())), "GetCapability");
        assertNotEquals(0, RawCommands.responseCode(driver.transmit(RawCommands.startupClear())), "second Startup fails");
    }

    @Test
    void commandsCarryTheLocalityTheyWereSentFrom() {
        Tpm device = TestTpm.fresh();
        Tpm twin = TestTpm.fresh();
        TisInterface tis = new TisInterface(device);
        for (int locality = 0; locality < 5; locality++) {
            TisDrivers.Driver driver = new TisDrivers.Linux(tis, locality);
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
            TisInterface tis = new TisInterface(device, pool);
            for (var driverFactory : DRIVERS) {
                TisDrivers.Driver driver = driverFactory.apply(tis, 1);
                for (byte[] command : SESSION) {
                    assertArrayEquals(twin.execute(1, command), driver.transmit(command));
                }
                tis.mmioWrite(at(1, TisRegisters.ACCESS), 1, TisRegisters.Access.ACTIVE_LOCALITY);
            }
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void dynamicRootOfTrustThroughLocality4MatchesTheEngineHashSequence() {
        Tpm device = TestTpm.fresh();
        Tpm twin = TestTpm.fresh();
        TisInterface tis = new TisInterface(device);
        TisDrivers.Driver driver = new TisDrivers.Linux(tis, 0);
        assertArrayEquals(twin.execute(0, RawCommands.startupClear()), driver.transmit(RawCommands.startupClear()));

        tis.mmioWrite(at(4, TisRegisters.HASH_START), 1, 0);
        tis.mmioWrite(at(4, TisRegisters.DATA_FIFO), 4, 0x6463_6261L);
        tis.mmioWrite(at(4, TisRegisters.DATA_FIFO), 1, 0x65);
        tis.mmioWrite(at(4, TisRegisters.HASH_END), 1, 0);
        tis.mmioWrite(at(4, TisRegisters.ACCESS), 1, TisRegisters.Access.ACTIVE_LOCALITY);
        twin.hashStart();
        twin.hashData(new byte[] {'a', 'b', 'c', 'd'});
        twin.hashData(new byte[] {'e'});
        twin.hashEnd();

        byte[] pcr17 = driver.transmit(RawCommands.pcrReadSha256Pcr17());
        assertArrayEquals(twin.execute(0, RawCommands.pcrReadSha256Pcr17()), pcr17);
        assertEquals(0, RawCommands.responseCode(pcr17));
        assertFalse((tis.mmioRead(TisRegisters.ACCESS, 1) & TisRegisters.Access.TPM_ESTABLISHMENT) != 0,
                "tpmEstablishment reads 0 after _TPM_Hash_Start");
    }

    @Test
    void anInterruptDrivenDriverWakesOnDataAvail() throws Exception {
        ExecutorService pool = Executors.newSingleThreadExecutor();
        java.util.concurrent.Semaphore irq = new java.util.concurrent.Semaphore(0);
        try {
            Tpm device = TestTpm.fresh();
            Tpm twin = TestTpm.fresh();
            TisInterface tis = new TisInterface(device, pool, up -> {
                if (up) {
                    irq.release();
                }
            }, TpmFamily.TPM_2_0);
            TisTestSupport regs = new TisTestSupport(tis);
            regs.writeAccess(0, TisRegisters.Access.REQUEST_USE);
            tis.mmioWrite(TisRegisters.INT_ENABLE, 4,
                    TisRegisters.Interrupt.GLOBAL_INT_ENABLE | TisRegisters.Interrupt.DATA_AVAIL | 0x08);
            for (byte[] command : SESSION) {
                regs.writeSts(0, TisRegisters.Sts.COMMAND_READY);
                regs.writeFifo(0, command);
                regs.writeSts(0, TisRegisters.Sts.TPM_GO);
                org.junit.jupiter.api.Assertions.assertTrue(irq.tryAcquire(10, java.util.concurrent.TimeUnit.SECONDS));
                // the interrupt service routine: read and acknowledge the cause
                long cause = tis.mmioRead(TisRegisters.INT_STATUS, 4);
                assertEquals(TisRegisters.Interrupt.DATA_AVAIL, cause);
                tis.mmioWrite(TisRegisters.INT_STATUS, 4, cause);
                byte[] expected = twin.execute(0, command);
                assertArrayEquals(expected, regs.readFifo(0, expected.length));
            }
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void twoLocalitiesTakingTurnsFromTwoThreadsNeverMixTheirCommands() throws Exception {
        Tpm device = TestTpm.fresh();
        TisInterface tis = new TisInterface(device, Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r);
            t.setDaemon(true);
            return t;
        }));
        assertEquals(0, RawCommands.responseCode(new TisDrivers.Linux(tis, 0).transmit(RawCommands.startupClear())));
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            List<java.util.concurrent.Future<Integer>> results = new java.util.ArrayList<>();
            for (int locality : new int[] {0, 2}) {
                results.add(threads.submit(() -> {
                    TisDrivers.Driver driver = new TisDrivers.Linux(tis, locality);
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
