package org.jswtpm.swtpm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import org.jswtpm.core.Tpm;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The data channel over real sockets: framing, forms, connection handling. The same body runs over
 * loopback TCP ({@link DataChannelTcpTest}) and Unix sockets ({@link DataChannelUnixTest}).
 */
@Timeout(60)
abstract class DataChannelContract {
    private static final String READ_CLOCK = "80010000000a00000181";
    private static final String OK_AT_0 = "80010000000b0000000000";

    private final FakeTpm tpm = new FakeTpm();
    private TestServer server;
    @TempDir
    Path dir;

    /** What carries the channels. */
    abstract TestServer.Transport transport();

    /** GET_CAPABILITY's 8 response bytes in hex. */
    abstract String capabilities();

    private TestServer serverWith(Tpm t, SwtpmOptions options) throws Exception {
        return new TestServer(t, options, transport(), dir);
    }

    @AfterEach
    void close() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void notRunningAnswersTpmRcFailure() throws Exception {
        server = serverWith(tpm, SwtpmOptions.forLoopback(false));
        assertEquals("80010000000a00000101", server.data(READ_CLOCK));
    }

    private static SwtpmOptions locality(boolean reject4, boolean allow) {
        SwtpmOptions o = SwtpmOptions.forLoopback(true);
        return new SwtpmOptions(o.tpm2(), o.dataPort(), o.dataBindAddress(), o.disconnect(), o.ctrlPort(),
                o.ctrlBindAddress(), o.ctrlTerminate(), o.terminate(), o.stateDir(), o.stateFileMode(),
                o.stateLock(), o.notNeedInit(), o.startup(), o.disableAutoShutdown(), reject4, o.pidFile(), o.log(),
                allow);
    }

    private static final String SET_LOCALITY = "80010000000b20001000";

    @Test
    void inBandSetLocalityWithAllowSetLocality() throws Exception {
        server = serverWith(tpm, locality(true, true));
        try (TestClient s = server.dataClient()) {
            assertEquals("80010000000a00000000", s.exchange(SET_LOCALITY + "03", 10));
            assertEquals("80010000000b0000000003", s.exchange(READ_CLOCK, 11));
            assertEquals("80010000000a00000107", s.exchange(SET_LOCALITY + "05", 10));
            assertEquals("80010000000a00000107", s.exchange(SET_LOCALITY + "04", 10)); // reject-locality-4
            assertEquals("80010000000a0000009a", s.exchange("80010000000a20001000", 10)); // no locality byte
            assertEquals("80010000000b0000000003", s.exchange(READ_CLOCK, 11));
            assertEquals("80010000000a00000000", s.exchange(SET_LOCALITY + "00", 10));
            assertEquals(OK_AT_0, s.exchange(READ_CLOCK, 11));
        }
        assertTrue(tpm.commands.stream().noneMatch(c -> c.length >= 10 && TpmDevice.readInt(c, 6) == 0x20001000));
        server.close();
        server = serverWith(new FakeTpm(), locality(false, true));
        try (TestClient s = server.dataClient()) {
            assertEquals("80010000000a00000000", s.exchange(SET_LOCALITY + "04", 10));
            assertEquals("80010000000b0000000004", s.exchange(READ_CLOCK, 11));
        }
    }

    @Test
    void inBandSetLocalityWithoutTheOptionIsAFatalError() throws Exception {
        server = serverWith(tpm, locality(false, false));
        try (TestClient s = server.dataClient()) {
            assertEquals("80010000000a00000101", s.exchange(SET_LOCALITY + "03", 10));
            assertEquals(OK_AT_0, s.exchange(READ_CLOCK, 11));
        }
    }

    @Test
    void newConnectionPerCommand() throws Exception {
        server = serverWith(tpm, SwtpmOptions.forLoopback(true));
        for (int i = 0; i < 5; i++) {
            try (TestClient s = server.dataClient()) {
                assertEquals(OK_AT_0, s.exchange(READ_CLOCK, 11));
            }
        }
    }

    @Test
    void persistentConnection() throws Exception {
        server = serverWith(tpm, SwtpmOptions.forLoopback(true));
        try (TestClient s = server.dataClient()) {
            for (int i = 0; i < 5; i++) {
                assertEquals(OK_AT_0, s.exchange(READ_CLOCK, 11));
            }
        }
    }

    @Test
    void commandSplitOverSeveralWrites() throws Exception {
        server = serverWith(tpm, SwtpmOptions.forLoopback(true));
        try (TestClient s = server.dataClient()) {
            s.send("8001");
            Thread.sleep(50);
            s.send("0000000c0000");
            Thread.sleep(50);
            assertEquals(OK_AT_0, s.exchange("017b0008", 11));
        }
        assertEquals("80010000000c0000017b0008", TestServer.HEX.formatHex(tpm.commands.get(1)));
    }

    @Test
    void prefixedFormSetsLocalityAndWrapsResponse() throws Exception {
        server = serverWith(tpm, SwtpmOptions.forLoopback(true));
        assertEquals("0000000b" + "80010000000b0000000002" + "00000000",
                server.data("00000008 02 0000000a" + READ_CLOCK));
        assertEquals(2, server.device.locality());
    }

    @Test
    void disconnectClosesAfterEachResponse() throws Exception {
        server = serverWith(tpm, SwtpmOptions.forLoopback(true).withConnection(true, false, false));
        try (TestClient s = server.dataClient()) {
            assertEquals(OK_AT_0, s.exchange(READ_CLOCK, 11));
            assertTrue(s.peerClosed());
        }
    }

    @Test
    void sizeFieldBelowHeaderGetsCommandSizeAndClose() throws Exception {
        server = serverWith(tpm, SwtpmOptions.forLoopback(true));
        assertEquals("80010000000a00000142", server.data("800100000005000001810000"));
        assertNextClientServed();
    }

    @Test
    void oversizeCommandGetsCommandSizeAndClose() throws Exception {
        server = serverWith(tpm, SwtpmOptions.forLoopback(true));
        assertEquals("80010000000a00000142", server.data("80010000100a00000181"));
        assertEquals("80010000000a00000142", server.data("00000008 00 0000100a"));
        assertNextClientServed();
    }

    @Test
    void truncatedHeaderThenCloseGetsNothing() throws Exception {
        server = serverWith(tpm, SwtpmOptions.forLoopback(true));
        assertEquals("", server.data("800100"));
        assertEquals("", server.data("8001000000"));
        assertNextClientServed();
    }

    @Test
    void sizeLargerThanBytesSentTimesOutAndCloses() throws Exception {
        server = serverWith(tpm, SwtpmOptions.forLoopback(true));
        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
            try (TestClient s = server.dataClient()) {
                s.send("80010000002000000181");
                assertTrue(s.peerClosed());
            }
        });
        assertNextClientServed();
    }

    @Test
    void garbageWithPlausibleSizeIsPassedToTheTpm() throws Exception {
        server = serverWith(tpm, SwtpmOptions.forLoopback(true));
        assertEquals(OK_AT_0, server.data("12340000000aabcdef01"));
        assertNextClientServed();
    }

    @Test
    void terminateExitsWhenTheDataClientHangsUp() throws Exception {
        server = serverWith(tpm, SwtpmOptions.forLoopback(true).withConnection(false, true, false));
        try (TestClient s = server.dataClient()) {
            assertEquals(OK_AT_0, s.exchange(READ_CLOCK, 11));
            assertFalse(server.server.exitRequested());
        }
        assertTimeoutPreemptively(Duration.ofSeconds(3), () -> server.server.awaitExitRequest());
    }

    @Test
    void ctrlTerminateExitsWhenTheControlClientHangsUp() throws Exception {
        server = serverWith(tpm, SwtpmOptions.forLoopback(true).withConnection(false, false, true));
        assertEquals("00000000", server.ctrl("0000000f").substring(0, 8));
        assertTimeoutPreemptively(Duration.ofSeconds(3), () -> server.server.awaitExitRequest());
    }

    private void assertNextClientServed() throws Exception {
        try (TestClient s = server.dataClient()) {
            assertEquals(OK_AT_0, s.exchange(READ_CLOCK, 11));
        }
    }

    /** Control-port garbage never kills the server; truncated requests are closed without a reply. */
    @Test
    void controlGarbageAndTruncatedRequests() throws Exception {
        server = serverWith(tpm, SwtpmOptions.forLoopback(true));
        byte[] garbage = new byte[6000];
        new java.util.Random(1).nextBytes(garbage);
        garbage[0] = 0x7f;
        try (TestClient s = server.ctrlClient()) {
            String reply = s.sendAndReadAll(TestServer.HEX.formatHex(garbage));
            assertTrue(reply.length() >= 8);
            assertEquals("0000000a", reply.substring(0, 8));
        }
        assertEquals("", server.ctrl("000000"));
        assertTimeoutPreemptively(Duration.ofSeconds(3), () -> {
            try (TestClient s = server.ctrlClient()) {
                s.send("00000002");
                long start = System.nanoTime();
                assertTrue(s.peerClosed());
                assertTrue(System.nanoTime() - start >= 400_000_000L);
            }
        });
        assertEquals(capabilities(), server.ctrl("00000001"));
    }
}
