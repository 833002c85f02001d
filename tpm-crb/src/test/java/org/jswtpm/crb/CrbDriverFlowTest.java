package org.jswtpm.crb;

import org.jswtpm.core.testing.EchoTpm;
import org.jswtpm.core.testing.RawCommands;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;

/** The three guest drivers against the CRB model, with a stand-in TPM. */
class CrbDriverFlowTest {
    static final List<BiFunction<CrbInterface, Integer, CrbDrivers.Driver>> DRIVERS = List.of(
            CrbDrivers.Linux::new, CrbDrivers.Edk2::new, CrbDrivers.SeaBios::new);

    @Test
    void everyDriverGetsTheTpmResponseAtEveryLocality() {
        byte[] big = new byte[3000];
        big[4] = (byte) (3000 >> 8);
        big[5] = (byte) 3000;
        byte[][] commands = {RawCommands.startupClear(), RawCommands.getRandom(32), RawCommands.pcrExtendSha256(16), big};
        for (var driver : DRIVERS) {
            EchoTpm tpm = new EchoTpm();
            CrbInterface crb = new CrbInterface(tpm);
            for (int locality = 0; locality < 5; locality++) {
                CrbDrivers.Driver d = driver.apply(crb, locality);
                for (byte[] command : commands) {
                    assertArrayEquals(EchoTpm.responseFor(locality, command), d.transmit(command));
                    assertEquals(locality, tpm.lastLocality);
                }
                crb.mmioWrite(locality * 0x1000L + CrbRegisters.LOC_CTRL, 4, CrbRegisters.LocCtrl.RELINQUISH);
            }
            assertEquals(5 * commands.length, tpm.executed);
        }
    }

    @Test
    void afterTheLinuxFlowTheTpmIsIdleAndNoLocalityIsAssigned() {
        CrbInterface crb = new CrbInterface(new EchoTpm());
        new CrbDrivers.Linux(crb, 0).transmit(RawCommands.getRandom(8));
        assertEquals(CrbState.IDLE, crb.state());
        assertEquals(0x81L, crb.mmioRead(CrbRegisters.LOC_STATE, 4));
    }
}
