package org.jswtpm.tis;

import org.jswtpm.core.testing.EchoTpm;
import org.jswtpm.core.testing.RawCommands;

import org.jswtpm.core.ptp.InterruptLine;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** Identification and unimplemented registers, and the never-throw contract of the MMIO entry points. */
class TisIdentificationTest {
    private final EchoTpm tpm = new EchoTpm();
    private final TisInterface tis = new TisInterface(tpm);

    @Test
    void identificationRegistersAnnounceAPtpFifoForTpm20() {
        assertEquals(0x0001_4A53L, tis.mmioRead(TisRegisters.DID_VID, 4));
        assertEquals(0x4A53L, tis.mmioRead(TisRegisters.DID_VID, 2));
        assertEquals(0x01L, tis.mmioRead(TisRegisters.RID, 1));
        long id = tis.mmioRead(TisRegisters.INTERFACE_ID, 4);
        assertEquals(0x0, id & 0xF, "InterfaceType FIFO");
        assertEquals(0x0, (id >> 4) & 0xF, "InterfaceVersion FIFO");
        assertEquals(1, (id >> 8) & 1, "CapLocality");
        assertEquals(1, (id >> 13) & 1, "CapFIFO");
        assertEquals(0, (id >> 14) & 1, "CapCRB");
        long caps = tis.mmioRead(TisRegisters.INTF_CAPABILITY, 4);
        assertEquals(3, (caps >> 28) & 7, "InterfaceVersion TIS 1.3 for TPM 2.0");
        assertEquals(3, (caps >> 9) & 3, "64-byte transfers");
        assertEquals(0, (caps >> 8) & 1, "dynamic burst count");
        assertEquals(0x87, caps & 0x87, "dataAvail, stsValid, localityChange, commandReady interrupts");
        assertEquals(0x10, caps & 0x10, "InterruptLevelLow");
        // identification registers read the same from every locality
        for (int l = 1; l < 5; l++) {
            assertEquals(tis.mmioRead(TisRegisters.DID_VID, 4), tis.mmioRead(l * 0x1000L + TisRegisters.DID_VID, 4));
        }
    }

    @Test
    void familyBitsFollowTheConfiguredFamily() {
        tis.mmioWrite(TisRegisters.ACCESS, 1, TisRegisters.Access.REQUEST_USE);
        assertEquals(1, (tis.mmioRead(TisRegisters.STS, 4) >> 26) & 3);
        TisInterface tis12 = new TisInterface(tpm, Runnable::run, InterruptLine.NONE, TpmFamily.TPM_1_2);
        tis12.mmioWrite(TisRegisters.ACCESS, 1, TisRegisters.Access.REQUEST_USE);
        assertEquals(0, (tis12.mmioRead(TisRegisters.STS, 4) >> 26) & 3);
        assertEquals(0xF, tis12.mmioRead(TisRegisters.INTERFACE_ID, 4) & 0xF, "TIS 1.3 legacy interface");
        assertEquals(2, (tis12.mmioRead(TisRegisters.INTF_CAPABILITY, 4) >> 28) & 7);
    }

    @Test
    void unimplementedRegistersReadAllOnes() {
        long[] offsets = {0x04, 0x1C, 0x2C, 0x34, 0x40, 0x7C, 0xC0, 0xF08, 0xF90, 0xFFC, 0x1040, 0x4F00 + 0x10};
        for (long offset : offsets) {
            assertEquals(0xFFL, tis.mmioRead(offset, 1), () -> "offset " + Long.toHexString(offset));
            assertEquals(0xFFFFL, tis.mmioRead(offset, 2), () -> "offset " + Long.toHexString(offset));
            assertEquals(0xFFFF_FFFFL, tis.mmioRead(offset, 4), () -> "offset " + Long.toHexString(offset));
        }
        // reserved bytes next to one-byte registers
        assertEquals(0xFFFF_FF00L, tis.mmioRead(TisRegisters.INT_VECTOR, 4) & 0xFFFF_FF00L);
        assertEquals(0xFFFF_FF01L, tis.mmioRead(TisRegisters.RID, 4));
        // the hash registers exist only at locality 4, and are write-only there
        assertEquals(0xFFFF_FFFFL, tis.mmioRead(TisRegisters.HASH_START, 4));
        assertEquals(0xFFFF_FFFFL, tis.mmioRead(0x4000 + TisRegisters.HASH_END, 4));
    }

    @Test
    void badSizesAndOffsetsReadAllOnesAndWritesAreIgnored() {
        tis.mmioWrite(TisRegisters.ACCESS, 1, TisRegisters.Access.REQUEST_USE);
        long before = tis.mmioRead(TisRegisters.STS, 4);
        for (int size : new int[] {0, 3, 5, 8, -1, Integer.MAX_VALUE}) {
            assertEquals(0xFFFF_FFFFL, tis.mmioRead(TisRegisters.STS, size));
            tis.mmioWrite(TisRegisters.STS, size, TisRegisters.Sts.COMMAND_READY);
        }
        for (long offset : new long[] {-1, -4096, 0x5000, 0x4FFF, Long.MAX_VALUE, Long.MIN_VALUE, 0x0FFE}) {
            assertEquals(0xFFFF_FFFFL, tis.mmioRead(offset, 4), () -> Long.toHexString(offset));
            tis.mmioWrite(offset, 4, TisRegisters.Sts.COMMAND_READY);
        }
        assertEquals(before, tis.mmioRead(TisRegisters.STS, 4));
        assertEquals(TisState.IDLE, tis.state());
    }

    @Test
    void randomAccessesNeverThrowAndKeepRegistersConsistent() {
        Random random = new Random(7);
        int[] sizes = {1, 2, 4, 0, 3, 8};
        assertDoesNotThrow(() -> {
            for (int i = 0; i < 200_000; i++) {
                long offset = random.nextInt(0x5100) - 0x80;
                int size = sizes[random.nextInt(sizes.length)];
                if (random.nextBoolean()) {
                    tis.mmioRead(offset, size);
                } else {
                    tis.mmioWrite(offset, size, random.nextLong());
                }
            }
        });
        // whatever happened, the identification registers and TPM_ACCESS validity are intact
        assertEquals(0x0001_4A53L, tis.mmioRead(TisRegisters.DID_VID, 4));
        for (int l = 0; l < 5; l++) {
            assertEquals(0x80, tis.mmioRead(l * 0x1000L, 1) & 0x80);
        }
    }

    @Test
    void aTpm12InterfaceIgnoresTheTpm20OnlyStsBits() {
        TisInterface tis12 = new TisInterface(tpm, task -> { }, InterruptLine.NONE, TpmFamily.TPM_1_2);
        TisTestSupport regs = new TisTestSupport(tis12);
        tpm.hashStart();
        regs.sendCommand(3, RawCommands.getRandom(4));
        regs.writeSts(3, TisRegisters.Sts.COMMAND_CANCEL | TisRegisters.Sts.RESET_ESTABLISHMENT_BIT);
        assertEquals(0, tpm.cancels);
        assertEquals(true, tpm.isTpmEstablished());
        assertEquals(0, regs.sts(3) & TisRegisters.Sts.SELF_TEST_DONE);
    }
}
