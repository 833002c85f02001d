package org.jswtpm.swtpm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * CMD_SET_DATAFD as QEMU uses it (fact sheet §2.6, §3.1): a socket pair made here, one end sent over the
 * Unix control socket as SCM_RIGHTS, the other used as the data channel. The server has no other data
 * channel, as under libvirt.
 */
@Timeout(30)
class SetDataFdTest {
    private static final String OK = "00000000";
    private static final String NOT_RUNNING = "80010000000a00000101";
    private static final String READ_CLOCK = "80010000000a00000181";

    @TempDir
    Path dir;
    private final FakeTpm tpm = new FakeTpm();
    private TestServer server;

    @AfterEach
    void close() {
        if (server != null) {
            server.close();
        }
    }

    /** A server started with libvirt's channel options, {@code --terminate} if asked. */
    private TestServer libvirtLike(boolean terminate) throws Exception {
        String argv = "--ctrl type=unixio,path=" + dir.resolve("ctrl.sock") + ",mode=0600 --tpm2"
                + (terminate ? " --terminate" : "");
        SwtpmCommandLine.Parsed p = SwtpmCommandLine.parse(argv.split(" "), Map.of());
        server = new TestServer(tpm, p.options(), p.endpoints(), TestServer.Transport.UNIX, dir);
        return server;
    }

    /** Sends SET_DATAFD with a fresh socket pair's far end; returns the result and our end. */
    private static TestClient setDataFd(TestClient ctrl, String[] result) throws Exception {
        int[] pair = UnixFds.socketPair();
        try {
            ctrl.sendWithFd("00000010", pair[1]);
        } finally {
            UnixFds.closeQuietly(pair[1]);
        }
        result[0] = ctrl.read(4);
        return TestClient.fd(pair[0]);
    }

    @Test
    void passedDescriptorBecomesThePersistentDataChannel() throws Exception {
        libvirtLike(true);
        String[] result = new String[1];
        try (TestClient ctrl = server.ctrlClient(); TestClient data = setDataFd(ctrl, result)) {
            assertEquals(OK, result[0]);
            assertEquals(NOT_RUNNING, data.tpm(READ_CLOCK), "QEMU's version probe before INIT");
            assertEquals(OK, ctrl.exchange("00000002 00000000", 4));
            assertEquals("80010000000b0000000000", data.tpm("80010000000a0000017b"));
            assertEquals("80010000000b0000000000", data.tpm("80010000000a0000017b"));
        }
    }

    @Test
    void aSecondDescriptorIsRefusedWithIoErrorAndClosed() throws Exception {
        libvirtLike(false);
        String[] result = new String[1];
        try (TestClient ctrl = server.ctrlClient(); TestClient first = setDataFd(ctrl, result)) {
            assertEquals(OK, result[0]);
            try (TestClient second = setDataFd(ctrl, result)) {
                assertEquals("0000001f", result[0]);
                assertTrue(second.peerClosed(), "the refused descriptor is closed, not leaked");
            }
            assertEquals(NOT_RUNNING, first.tpm(READ_CLOCK));
        }
    }

    @Test
    void withoutDescriptorBadParameterAndTheServerGoesOn() throws Exception {
        libvirtLike(true);
        try (TestClient ctrl = server.ctrlClient()) {
            assertEquals("00000003", ctrl.exchange("00000010", 4));
            assertEquals("000000000001fcff", ctrl.exchange("00000001", 8));
            String[] result = new String[1];
            try (TestClient data = setDataFd(ctrl, result)) {
                assertEquals(OK, result[0]);
                assertEquals(NOT_RUNNING, data.tpm(READ_CLOCK));
                assertFalse(server.server.exitRequested());
            }
        }
    }

    @Test
    void aDescriptorSentWithAnotherCommandIsClosed() throws Exception {
        libvirtLike(false);
        int[] pair = UnixFds.socketPair();
        try (TestClient ctrl = server.ctrlClient(); TestClient ours = TestClient.fd(pair[0])) {
            ctrl.sendWithFd("00000001", pair[1]);
            UnixFds.closeQuietly(pair[1]);
            assertEquals("000000000001fcff", ctrl.read(8));
            assertTrue(ours.peerClosed());
        }
    }

    @Test
    void hangUpOfThePassedDescriptorEndsTheProcessWithTerminate() throws Exception {
        libvirtLike(true);
        String[] result = new String[1];
        try (TestClient ctrl = server.ctrlClient()) {
            setDataFd(ctrl, result).close();
            assertEquals(OK, result[0]);
            assertTrue(server.server.awaitExitRequest(10, TimeUnit.SECONDS));
        }
    }

    @Test
    void withoutTerminateAHungUpDescriptorCanBeReplaced() throws Exception {
        libvirtLike(false);
        String[] result = new String[1];
        try (TestClient ctrl = server.ctrlClient()) {
            setDataFd(ctrl, result).close();
            assertEquals(OK, result[0]);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            do {
                try (TestClient again = setDataFd(ctrl, result)) {
                    if (result[0].equals(OK)) {
                        assertEquals(NOT_RUNNING, again.tpm(READ_CLOCK));
                        break;
                    }
                }
                Thread.sleep(20);
            } while (System.nanoTime() < deadline);
            assertEquals(OK, result[0]);
            assertFalse(server.server.exitRequested());
        }
    }

    @Test
    void tcpControlChannelHasNoSetDataFd() throws Exception {
        server = TestServer.running(tpm);
        assertEquals("000000000001ecff", server.ctrl("00000001"));
        assertEquals("0000000a", server.ctrl("00000010"));
    }
}
