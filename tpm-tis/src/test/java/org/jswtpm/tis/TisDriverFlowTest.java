package org.jswtpm.tis;

import org.jswtpm.core.testing.EchoTpm;
import org.jswtpm.core.testing.RawCommands;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;

/** The three guest drivers against the register model, with a stand-in TPM. */
class TisDriverFlowTest {
    private static final List<BiFunction<TisInterface, Integer, TisDrivers.Driver>> DRIVERS = List.of(
            TisDrivers.Linux::new, TisDrivers.Edk2::new, TisDrivers.SeaBios::new);

    @Test
    void everyDriverGetsTheTpmResponseAtEveryLocality() {
        byte[][] commands = {RawCommands.startupClear(), RawCommands.getRandom(32), RawCommands.pcrExtendSha256(16),
            RawCommands.getCapabilityManufacturer(), new byte[200]};
        commands[4][5] = (byte) 200;
        for (var driver : DRIVERS) {
            EchoTpm tpm = new EchoTpm();
            TisInterface tis = new TisInterface(tpm);
            for (int locality = 0; locality < 4; locality++) {
                TisDrivers.Driver d = driver.apply(tis, locality);
                for (byte[] command : commands) {
                    byte[] response = d.transmit(command);
                    assertArrayEquals(EchoTpm.responseFor(locality, command), response);
                    assertEquals(locality, tpm.lastLocality);
                }
                // EDK2 keeps its locality; the next driver instance must get it anyway
                tis.mmioWrite(locality * 0x1000L, 1, TisRegisters.Access.ACTIVE_LOCALITY);
            }
            assertEquals(4 * commands.length, tpm.executed);
        }
    }

    @Test
    void relinquishingAfterTheLinuxFlowReturnsTheTpmToIdle() {
        EchoTpm tpm = new EchoTpm();
        TisInterface tis = new TisInterface(tpm);
        new TisDrivers.Linux(tis, 0).transmit(RawCommands.getRandom(8));
        assertEquals(TisState.IDLE, tis.state(), "locality change aborts to Idle");
        assertEquals(0, tis.mmioRead(TisRegisters.ACCESS, 1) & TisRegisters.Access.ACTIVE_LOCALITY);
        assertEquals(0xFFFF_FFFFL, tis.mmioRead(TisRegisters.STS, 4), "STS of an inactive locality");
    }
}
