package org.jswtpm.swtpm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;

/**
 * What QEMU's {@code tpm-emulator} backend sends to swtpm, from backend creation to destruction (fact
 * sheet §3.1–3.3, §3.5), with a TPM 2 guest's first commands in between; every answer is asserted.
 * Shared by the in-JVM test and the test against {@code bin/swtpm}.
 */
final class QemuSequence {
    static final String OK = "00000000";
    /** PTM_CAP_* bits QEMU requires of a TPM 2 emulator (tpm_emulator.c). */
    static final long REQUIRED_TPM2_CAPS = 0x1 | 0x2 | 0x4 | 0x8 | 0x80 | 0x400 | 0x1000 | 0x2000;
    /** tpm-crb's buffer size. */
    static final int CRB_BUFFER = 3968;

    private QemuSequence() {
    }

    /** Drives the control socket at {@code ctrlSocket} like QEMU, ending with CMD_SHUTDOWN. */
    static void run(Path ctrlSocket) throws IOException {
        try (TestClient ctrl = TestClient.unix(ctrlSocket)) {
            int[] pair = UnixFds.socketPair();
            try {
                ctrl.sendWithFd("00000010", pair[1]);
            } finally {
                UnixFds.closeQuietly(pair[1]);
            }
            assertEquals(OK, ctrl.read(4), "SET_DATAFD");
            try (TestClient data = TestClient.fd(pair[0])) {
                backendCreation(ctrl, data);
                deviceReset(ctrl);
                guest(ctrl, data);
                assertEquals(OK, ctrl.exchange("00000003", 4), "SHUTDOWN");
            }
        }
    }

    /** §3.1: version probe (TPM2_ReadClock before INIT) and the capability check. */
    private static void backendCreation(TestClient ctrl, TestClient data) throws IOException {
        assertEquals("80010000000a00000101", data.tpm("80010000000a00000181"), "version probe");
        long caps = Long.parseUnsignedLong(ctrl.exchange("00000001", 8), 16);
        assertEquals(REQUIRED_TPM2_CAPS, caps & REQUIRED_TPM2_CAPS,
                "capabilities " + Long.toHexString(caps) + " lack bits QEMU requires");
    }

    /** §3.2: STOP, SET_BUFFERSIZE(0), STOP, SET_BUFFERSIZE(n), INIT(0). */
    private static void deviceReset(TestClient ctrl) throws IOException {
        assertEquals(OK, ctrl.exchange("0000000e", 4), "STOP");
        assertEquals("00000000" + "00001000" + "00000af8" + "00001000", ctrl.exchange("00000011 00000000", 16));
        assertEquals(OK, ctrl.exchange("0000000e", 4), "STOP");
        assertEquals(String.format("00000000%08x00000af800001000", CRB_BUFFER),
                ctrl.exchange(String.format("00000011 %08x", CRB_BUFFER), 16));
        assertEquals(OK, ctrl.exchange("00000002 00000000", 4), "INIT");
    }

    /** §3.3: SET_LOCALITY in QEMU's padded 8-byte form, then guest commands and GET_TPMESTABLISHED. */
    private static void guest(TestClient ctrl, TestClient data) throws IOException {
        assertEquals(OK, ctrl.exchange("00000005 00000000", 4), "SET_LOCALITY 0 (padded)");
        assertEquals("80010000000a00000000", data.tpm("80010000000c000001440000"), "TPM2_Startup(CLEAR)");
        String random = data.tpm("80010000000c0000017b0010");
        assertTrue(random.startsWith("80010000001c00000000" + "0010"), "TPM2_GetRandom(16): " + random);
        assertEquals("0000000000000000", ctrl.exchange("00000004", 8), "GET_TPMESTABLISHED");
    }
}
