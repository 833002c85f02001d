package org.jswtpm.crb;

import org.jswtpm.core.testing.EchoTpm;

import org.jswtpm.core.ptp.InterruptLine;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** Identification, reset values, unimplemented registers and the never-throw contract. */
class CrbIdentificationTest {
    private final EchoTpm tpm = new EchoTpm();
    private final CrbInterface crb = new CrbInterface(tpm);

    @Test
    void interfaceIdAnnouncesAnActiveCrbWithFiveLocalities() {
        long low = crb.mmioRead(CrbRegisters.INTERFACE_ID, 4);
        assertEquals(1, low & 0xF, "InterfaceType CRB");
        assertEquals(1, (low >> 4) & 0xF, "InterfaceVersion CRB");
        assertEquals(1, (low >> 8) & 1, "CapLocality");
        assertEquals(0, (low >> 9) & 1, "no idle bypass");
        assertEquals(3, (low >> 11) & 3, "64-byte transfers");
        assertEquals(0, (low >> 13) & 1, "CapFIFO");
        assertEquals(1, (low >> 14) & 1, "CapCRB");
        assertEquals(1, (low >> 17) & 3, "InterfaceSelector CRB");
        assertEquals(1, (low >> 24) & 0xFF, "RID");
        assertEquals(0x0001_4A53L, crb.mmioRead(CrbRegisters.INTERFACE_ID + 4, 4), "DID and VID");
        assertEquals(0x4A53L, crb.mmioRead(CrbRegisters.INTERFACE_ID + 4, 2));
        assertEquals(low, crb.mmioRead(0x3000 + CrbRegisters.INTERFACE_ID, 4), "same in every page");
    }

    @Test
    void resetValues() {
        assertEquals(0x81L, crb.mmioRead(CrbRegisters.LOC_STATE, 4), "valid, not established, nobody assigned");
        assertEquals(0L, crb.mmioRead(CrbRegisters.LOC_STS, 4));
        assertEquals(CrbState.IDLE, crb.state());
        // the control area is visible once the locality is active
        crb.mmioWrite(CrbRegisters.LOC_CTRL, 4, CrbRegisters.LocCtrl.REQUEST_ACCESS);
        assertEquals(0x83L, crb.mmioRead(CrbRegisters.LOC_STATE, 4));
        assertEquals(2L, crb.mmioRead(CrbRegisters.CTRL_STS, 4), "tpmIdle");
        assertEquals(0L, crb.mmioRead(CrbRegisters.CTRL_REQ, 4));
        assertEquals(0L, crb.mmioRead(CrbRegisters.CTRL_START, 4));
        assertEquals(0xF80L, crb.mmioRead(CrbRegisters.CTRL_CMD_SIZE, 4));
        assertEquals(0xF80L, crb.mmioRead(CrbRegisters.CTRL_RSP_SIZE, 4));
        assertEquals(0xFED4_0080L, crb.mmioRead(CrbRegisters.CTRL_CMD_LADDR, 4));
        assertEquals(0L, crb.mmioRead(CrbRegisters.CTRL_CMD_HADDR, 4));
        assertEquals(0xFED4_0080L, crb.mmioRead(CrbRegisters.CTRL_RSP_ADDR, 4));
        assertEquals(0L, crb.mmioRead(CrbRegisters.CTRL_RSP_ADDR + 4, 4));
        assertEquals(0L, crb.mmioRead(CrbRegisters.CTRL_EXT, 4));
    }

    @Test
    void eachLocalityPointsAtTheBufferInItsOwnPageAtTheConfiguredBase() {
        CrbInterface high = new CrbInterface(tpm, Runnable::run, InterruptLine.NONE, 0x1_2340_0000L);
        high.mmioWrite(0x2000 + CrbRegisters.LOC_CTRL, 4, CrbRegisters.LocCtrl.REQUEST_ACCESS);
        assertEquals(0x2340_2080L, high.mmioRead(0x2000 + CrbRegisters.CTRL_CMD_LADDR, 4));
        assertEquals(0x1L, high.mmioRead(0x2000 + CrbRegisters.CTRL_CMD_HADDR, 4));
        assertEquals(0x1L, high.mmioRead(0x2000 + CrbRegisters.CTRL_RSP_ADDR + 4, 4));
    }

    @Test
    void unimplementedOffsetsReadAllOnes() {
        crb.mmioWrite(CrbRegisters.LOC_CTRL, 4, CrbRegisters.LocCtrl.REQUEST_ACCESS);
        for (long offset : new long[] {0x04, 0x10, 0x2C, 0x70, 0x7C, 0x1010}) {
            assertEquals(0xFFFF_FFFFL, crb.mmioRead(offset, 4), () -> Long.toHexString(offset));
            assertEquals(0xFFL, crb.mmioRead(offset + 1, 1), () -> Long.toHexString(offset));
        }
    }

    @Test
    void badSizesAndOffsetsReadAllOnesAndWritesAreIgnored() {
        for (int size : new int[] {0, 3, 5, 8, -2}) {
            assertEquals(0xFFFF_FFFFL, crb.mmioRead(CrbRegisters.LOC_STATE, size));
            crb.mmioWrite(CrbRegisters.LOC_CTRL, size, CrbRegisters.LocCtrl.REQUEST_ACCESS);
        }
        for (long offset : new long[] {-1, 0x5000, 0x4FFE, Long.MIN_VALUE, Long.MAX_VALUE, 0xFFE}) {
            assertEquals(0xFFFF_FFFFL, crb.mmioRead(offset, 4));
            crb.mmioWrite(offset, 4, CrbRegisters.LocCtrl.REQUEST_ACCESS);
        }
        assertEquals(0x81L, crb.mmioRead(CrbRegisters.LOC_STATE, 4), "no locality was assigned");
    }

    @Test
    void randomAccessesNeverThrow() {
        Random random = new Random(11);
        int[] sizes = {1, 2, 4, 0, 3, 8};
        assertDoesNotThrow(() -> {
            for (int i = 0; i < 200_000; i++) {
                long offset = random.nextInt(0x5100) - 0x80;
                int size = sizes[random.nextInt(sizes.length)];
                if (random.nextBoolean()) {
                    crb.mmioRead(offset, size);
                } else {
                    crb.mmioWrite(offset, size, random.nextLong());
                }
            }
        });
        assertEquals(0x80L, crb.mmioRead(CrbRegisters.LOC_STATE, 4) & 0x80);
        assertEquals(0x0001_4A53L, crb.mmioRead(CrbRegisters.INTERFACE_ID + 4, 4));
    }

    @Test
    void tpmStsReportsATpmThatIsNotRunning() {
        org.jswtpm.core.Tpm real = org.jswtpm.core.testing.TestTpm.fresh();
        CrbInterface device = new CrbInterface(real);
        device.mmioWrite(CrbRegisters.LOC_CTRL, 4, CrbRegisters.LocCtrl.REQUEST_ACCESS);
        assertEquals(0L, device.mmioRead(CrbRegisters.CTRL_STS, 4) & CrbRegisters.CtrlSts.TPM_STS);
        real.stop();
        assertEquals((long) CrbRegisters.CtrlSts.TPM_STS,
                device.mmioRead(CrbRegisters.CTRL_STS, 4) & CrbRegisters.CtrlSts.TPM_STS);
    }

    @Test
    void platformResetReturnsToTheResetValues() {
        crb.mmioWrite(0x2000 + CrbRegisters.LOC_CTRL, 4, CrbRegisters.LocCtrl.REQUEST_ACCESS);
        crb.mmioWrite(0x2000 + CrbRegisters.CTRL_REQ, 4, CrbRegisters.CtrlReq.CMD_READY);
        crb.mmioWrite(0x2000 + CrbRegisters.CTRL_CMD_LADDR, 4, 0x1000);
        crb.mmioWrite(0x2000 + CrbRegisters.INT_ENABLE, 4, 0x8000_000FL);
        crb.mmioWrite(0x2000 + CrbRegisters.CTRL_CANCEL, 4, 1);
        crb.reset();
        assertEquals(0x81L, crb.mmioRead(CrbRegisters.LOC_STATE, 4));
        assertEquals(CrbState.IDLE, crb.state());
        crb.mmioWrite(0x2000 + CrbRegisters.LOC_CTRL, 4, CrbRegisters.LocCtrl.REQUEST_ACCESS);
        assertEquals(0xFED4_2080L, crb.mmioRead(0x2000 + CrbRegisters.CTRL_CMD_LADDR, 4));
        assertEquals(0L, crb.mmioRead(0x2000 + CrbRegisters.INT_ENABLE, 4));
        assertEquals(0L, crb.mmioRead(0x2000 + CrbRegisters.CTRL_CANCEL, 4));
    }
}
