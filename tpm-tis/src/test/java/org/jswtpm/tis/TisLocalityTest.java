package org.jswtpm.tis;

import org.jswtpm.core.testing.EchoTpm;
import org.jswtpm.core.testing.RawCommands;

import static org.jswtpm.tis.TisTestSupport.at;
import static org.jswtpm.tis.TisTestSupport.has;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.jswtpm.tis.TisRegisters.Access;
import org.jswtpm.tis.TisRegisters.Sts;
import org.junit.jupiter.api.Test;

/** Locality arbitration through TPM_ACCESS_x: request, pending, relinquish, seize, and the rules for locality 4. */
class TisLocalityTest {
    private final EchoTpm tpm = new EchoTpm();
    private final TisInterface tis = new TisInterface(tpm);
    private final TisTestSupport regs = new TisTestSupport(tis);

    @Test
    void noLocalityIsActiveAfterReset() {
        for (int l = 0; l < 5; l++) {
            assertEquals(Access.TPM_REG_VALID_STS | Access.TPM_ESTABLISHMENT, regs.access(l));
        }
    }

    @Test
    void requestIsGrantedAtOnceWhenNoLocalityIsActive() {
        regs.writeAccess(2, Access.REQUEST_USE);
        assertTrue(has(regs.access(2), Access.ACTIVE_LOCALITY));
        assertFalse(has(regs.access(2), Access.REQUEST_USE));
        assertFalse(has(regs.access(0), Access.ACTIVE_LOCALITY));
    }

    @Test
    void secondRequestStaysPendingUntilTheActiveLocalityRelinquishes() {
        regs.writeAccess(0, Access.REQUEST_USE);
        regs.writeAccess(1, Access.REQUEST_USE);
        regs.writeAccess(3, Access.REQUEST_USE);
        assertTrue(has(regs.access(0), Access.ACTIVE_LOCALITY | Access.PENDING_REQUEST));
        assertEquals(Access.REQUEST_USE, regs.access(1) & (Access.REQUEST_USE | Access.ACTIVE_LOCALITY));
        assertTrue(has(regs.access(1), Access.PENDING_REQUEST), "locality 3 is also waiting");

        regs.writeAccess(0, Access.ACTIVE_LOCALITY);
        assertTrue(has(regs.access(3), Access.ACTIVE_LOCALITY), "highest pending locality wins");
        assertTrue(has(regs.access(3), Access.PENDING_REQUEST), "locality 1 still waits");
        regs.writeAccess(3, Access.ACTIVE_LOCALITY);
        assertTrue(has(regs.access(1), Access.ACTIVE_LOCALITY));
        assertFalse(has(regs.access(1), Access.PENDING_REQUEST));
    }

    @Test
    void aLocalityWithdrawsItsPendingRequestByWritingActiveLocality() {
        regs.writeAccess(0, Access.REQUEST_USE);
        regs.writeAccess(2, Access.REQUEST_USE);
        regs.writeAccess(2, Access.ACTIVE_LOCALITY);
        assertFalse(has(regs.access(2), Access.REQUEST_USE));
        assertFalse(has(regs.access(0), Access.PENDING_REQUEST));
        assertTrue(has(regs.access(0), Access.ACTIVE_LOCALITY), "withdrawal does not disturb the active locality");
    }

    @Test
    void higherLocalitySeizesAndTheLoserReadsBeenSeizedUntilItClearsIt() {
        regs.sendCommandWithoutGo(0);
        regs.writeAccess(2, Access.SEIZE);
        assertTrue(has(regs.access(2), Access.ACTIVE_LOCALITY));
        assertTrue(has(regs.access(0), Access.BEEN_SEIZED));
        assertFalse(has(regs.access(0), Access.ACTIVE_LOCALITY));
        assertEquals(TisState.IDLE, tis.state(), "the seized locality's command is aborted");
        regs.writeAccess(0, Access.BEEN_SEIZED);
        assertFalse(has(regs.access(0), Access.BEEN_SEIZED));
    }

    @Test
    void seizeFromAnEqualOrLowerLocalityIsIgnored() {
        regs.writeAccess(2, Access.REQUEST_USE);
        regs.writeAccess(1, Access.SEIZE);
        regs.writeAccess(2, Access.SEIZE);
        assertTrue(has(regs.access(2), Access.ACTIVE_LOCALITY));
        assertFalse(has(regs.access(2), Access.BEEN_SEIZED));
        assertFalse(has(regs.access(1), Access.ACTIVE_LOCALITY));
    }

    @Test
    void inactiveLocalityCannotSeeOrTouchTheCommandPath() {
        regs.writeAccess(0, Access.REQUEST_USE);
        regs.writeSts(0, Sts.COMMAND_READY);
        assertEquals(0xFFFF_FFFFL, regs.sts(1));
        assertEquals(0xFFL, tis.mmioRead(at(1, TisRegisters.DATA_FIFO), 1));
        regs.writeFifo(1, RawCommands.getRandom(8));
        regs.writeSts(1, Sts.TPM_GO);
        regs.writeSts(1, Sts.COMMAND_READY);
        tis.mmioWrite(at(1, TisRegisters.INT_ENABLE), 4, 0x8000_0087L);
        assertEquals(TisState.READY, tis.state(), "nothing written from locality 1 reached the FIFO");
        assertEquals(0, tpm.executed);
        assertEquals(0x08L, tis.mmioRead(at(1, TisRegisters.INT_ENABLE), 4), "default typePolarity only");
    }

    @Test
    void hashStartAtLocality4SeizesTheTpmAndSetsEstablishment() {
        regs.sendCommandWithoutGo(0);
        assertTrue(has(regs.access(0), Access.TPM_ESTABLISHMENT));
        tis.mmioWrite(at(4, TisRegisters.HASH_START), 1, 0);
        assertEquals(1, tpm.hashStarts);
        assertTrue(has(regs.access(4), Access.ACTIVE_LOCALITY));
        assertTrue(has(regs.access(0), Access.BEEN_SEIZED));
        assertEquals(TisState.IDLE, tis.state());
        tis.mmioWrite(at(4, TisRegisters.DATA_FIFO), 4, 0x04030201L);
        tis.mmioWrite(at(4, TisRegisters.DATA_FIFO), 1, 0x05);
        tis.mmioWrite(at(4, TisRegisters.HASH_END), 1, 0);
        assertArrayEquals(new byte[] {1, 2, 3, 4, 5}, tpm.hashed.toByteArray());
        assertEquals(1, tpm.hashEnds);
        assertFalse(has(regs.access(0), Access.TPM_ESTABLISHMENT), "tpmEstablishment reads 0 once established");
        assertEquals(0, tpm.executed, "hash data is not a command");
    }

    @Test
    void hashRegistersOutsideLocality4AndHashEndOutsideASequenceAreIgnored() {
        for (int l = 0; l < 4; l++) {
            tis.mmioWrite(at(l, TisRegisters.HASH_START), 1, 0);
            tis.mmioWrite(at(l, TisRegisters.HASH_END), 1, 0);
        }
        tis.mmioWrite(at(4, TisRegisters.HASH_END), 1, 0);
        assertEquals(0, tpm.hashStarts);
        assertEquals(0, tpm.hashEnds);
        // after HASH_END, locality 4's FIFO is an ordinary command FIFO again
        tis.mmioWrite(at(4, TisRegisters.HASH_START), 1, 0);
        tis.mmioWrite(at(4, TisRegisters.HASH_END), 1, 0);
        regs.writeSts(4, Sts.COMMAND_READY);
        regs.writeFifo(4, RawCommands.getRandom(4));
        regs.writeSts(4, Sts.TPM_GO);
        assertEquals(4, tpm.lastLocality);
        assertEquals(0, tpm.hashed.size());
    }

    @Test
    void resetEstablishmentBitIsHonouredOnlyFromLocality3And4() {
        tis.mmioWrite(at(4, TisRegisters.HASH_START), 1, 0);
        tis.mmioWrite(at(4, TisRegisters.HASH_END), 1, 0);
        regs.writeAccess(4, Access.ACTIVE_LOCALITY);
        for (int l = 0; l < 3; l++) {
            regs.writeAccess(l, Access.REQUEST_USE);
            regs.writeSts(l, Sts.RESET_ESTABLISHMENT_BIT);
            regs.writeAccess(l, Access.ACTIVE_LOCALITY);
            assertTrue(tpm.isTpmEstablished(), "locality " + l);
        }
        regs.writeAccess(3, Access.REQUEST_USE);
        tis.mmioWrite(at(3, TisRegisters.STS + 3), 1, Sts.RESET_ESTABLISHMENT_BIT >>> 24);
        assertFalse(tpm.isTpmEstablished());
        assertTrue(has(regs.access(0), Access.TPM_ESTABLISHMENT));
    }

    @Test
    void aSeizeWriteIgnoresRequestUseAndRelinquishInTheSameByte() {
        regs.writeAccess(0, Access.REQUEST_USE);
        regs.writeAccess(2, Access.SEIZE | Access.ACTIVE_LOCALITY | Access.REQUEST_USE);
        assertTrue(has(regs.access(2), Access.ACTIVE_LOCALITY), "the seize took effect, the relinquish did not");
        assertTrue(has(regs.access(0), Access.BEEN_SEIZED));
    }

    @Test
    void platformResetReleasesEveryLocalityAndClearsInterrupts() {
        regs.sendCommand(1, RawCommands.getRandom(4));
        tis.mmioWrite(at(1, TisRegisters.INT_ENABLE), 4, 0x8000_0087L);
        regs.writeAccess(3, Access.REQUEST_USE);
        tis.reset();
        assertEquals(TisState.IDLE, tis.state());
        for (int l = 0; l < 5; l++) {
            assertEquals(Access.TPM_REG_VALID_STS | Access.TPM_ESTABLISHMENT, regs.access(l), "locality " + l);
            assertEquals(0x08L, tis.mmioRead(at(l, TisRegisters.INT_ENABLE), 4));
        }
    }
}
