package org.jswtpm.swtpm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Socket;
import org.jswtpm.core.testing.TestTpm;
import org.junit.jupiter.api.Test;

class InProcessSwtpmTest {
    @Test
    void servesARealTpmOnOsChosenPorts() throws Exception {
        try (InProcessSwtpm swtpm = InProcessSwtpm.start(TestTpm.fresh(), SwtpmOptions.forLoopback(true));
                Socket data = new Socket("127.0.0.1", swtpm.dataPort());
                Socket ctrl = new Socket("127.0.0.1", swtpm.ctrlPort())) {
            data.setSoTimeout(5000);
            ctrl.setSoTimeout(5000);
            assertTrue(TestServer.exchange(data, "80010000000c0000017b0008", 20).startsWith("800100000014000000000008"));
            assertEquals("00000000", TestServer.exchange(ctrl, "0000000a", 4));
            assertEquals("00000000", TestServer.exchange(ctrl, "00000002 00000001", 4));
            assertTrue(TestServer.exchange(data, "80010000000c0000017b0008", 20).startsWith("800100000014000000000008"));
        }
    }

    @Test
    void withoutNotNeedInitTheTpmIsStopped() throws Exception {
        try (InProcessSwtpm swtpm = InProcessSwtpm.start(TestTpm.fresh(), SwtpmOptions.forLoopback(false));
                Socket data = new Socket("127.0.0.1", swtpm.dataPort())) {
            data.setSoTimeout(5000);
            assertEquals("80010000000a00000101", TestServer.exchange(data, "80010000000a00000181", 10));
        }
    }
}
