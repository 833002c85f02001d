package org.jswtpm.swtpm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.net.Socket;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The data channel over a real loopback socket: framing, forms, connection handling. */
class DataChannelSocketTest {
    private static final String READ_CLOCK = "80010000000a00000181";
    private static final String OK_AT_0 = "80010000000b0000000000";

    private final FakeTpm tpm = new FakeTpm();
    private TestServer server;

    @AfterEach
    void close() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void notRunningAnswersTpmRcFailure() throws Exception {
        server = TestServer.stopped(tpm);
        assertEquals("80010000000a00000101", server.data(READ_CLOCK));
    }

    @Test
    void newConnectionPerCommand() throws Exception {
        server = TestServer.running(tpm);
        for (int i = 0; i < 5; i++) {
            try (Socket s = server.connect(server.server.dataPort())) {
                assertEquals(OK_AT_0, TestServer.exchange(s, READ_CLOCK, 11));
            }
        }
    }

    @Test
    void persistentConnection() throws Exception {
        server = TestServer.running(tpm);
        try (Socket s = server.connect(server.server.dataPort())) {
            for (int i = 0; i < 5; i++) {
                assertEquals(OK_AT_0, TestServer.exchange(s, READ_CLOCK, 11));
            }
        }
    }

    @Test
    void commandSplitOverSeveralWrites() throws Exception {
        server = TestServer.running(tpm);
        try (Socket s = server.connect(server.server.dataPort())) {
            s.getOutputStream().write(TestServer.HEX.parseHex("8001"));
            s.getOutputStream().flush();
            Thread.sleep(50);
            s.getOutputStream().write(TestServer.HEX.parseHex("0000000c0000"));
            s.getOutputStream().flush();
            Thread.sleep(50);
            assertEquals(OK_AT_0, TestServer.exchange(s, "017b0008", 11));
        }
        assertEquals("80010000000c0000017b0008", TestServer.HEX.formatHex(tpm.commands.get(1)));
    }

    @Test
    void prefixedFormSetsLocalityAndWrapsResponse() throws Exception {
        server = TestServer.running(tpm);
        assertEquals("0000000b" + "80010000000b0000000002" + "00000000",
                server.data("00000008 02 0000000a" + READ_CLOCK));
        assertEquals(2, server.device.locality());
    }

    @Test
    void disconnectClosesAfterEachResponse() throws Exception {
        server = new TestServer(tpm, SwtpmOptions.forLoopback(true).withConnection(true, false, false));
        try (Socket s = server.connect(server.server.dataPort())) {
            assertEquals(OK_AT_0, TestServer.exchange(s, READ_CLOCK, 11));
            assertEquals(-1, s.getInputStream().read());
        }
    }

    @Test
    void sizeFieldBelowHeaderGetsCommandSizeAndClose() throws Exception {
        server = TestServer.running(tpm);
        assertEquals("80010000000a00000142", server.data("800100000005000001810000"));
        assertNextClientServed();
    }

    @Test
    void oversizeCommandGetsCommandSizeAndClose() throws Exception {
        server = TestServer.running(tpm);
        assertEquals("80010000000a00000142", server.data("80010000100a00000181"));
        assertEquals("80010000000a00000142", server.data("00000008 00 0000100a"));
        assertNextClientServed();
    }

    @Test
    void truncatedHeaderThenCloseGetsNothing() throws Exception {
        server = TestServer.running(tpm);
        assertEquals("", server.data("800100"));
        assertEquals("", server.data("8001000000"));
        assertNextClientServed();
    }

    @Test
    void sizeLargerThanBytesSentTimesOutAndCloses() throws Exception {
        server = TestServer.running(tpm);
        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
            try (Socket s = server.connect(server.server.dataPort())) {
                s.setSoTimeout(4000);
                s.getOutputStream().write(TestServer.HEX.parseHex("80010000002000000181"));
                assertEquals(-1, s.getInputStream().read());
            }
        });
        assertNextClientServed();
    }

    @Test
    void garbageWithPlausibleSizeIsPassedToTheTpm() throws Exception {
        server = TestServer.running(tpm);
        assertEquals(OK_AT_0, server.data("12340000000aabcdef01"));
        assertNextClientServed();
    }

    @Test
    void terminateExitsWhenTheDataClientHangsUp() throws Exception {
        server = new TestServer(tpm, SwtpmOptions.forLoopback(true).withConnection(false, true, false));
        try (Socket s = server.connect(server.server.dataPort())) {
            assertEquals(OK_AT_0, TestServer.exchange(s, READ_CLOCK, 11));
            assertFalse(server.server.exitRequested());
        }
        assertTimeoutPreemptively(Duration.ofSeconds(3), () -> server.server.awaitExitRequest());
    }

    @Test
    void ctrlTerminateExitsWhenTheControlClientHangsUp() throws Exception {
        server = new TestServer(tpm, SwtpmOptions.forLoopback(true).withConnection(false, false, true));
        assertEquals("00000000", server.ctrl("0000000f").substring(0, 8));
        assertTimeoutPreemptively(Duration.ofSeconds(3), () -> server.server.awaitExitRequest());
    }

    private void assertNextClientServed() throws Exception {
        try (Socket s = server.connect(server.server.dataPort())) {
            assertEquals(OK_AT_0, TestServer.exchange(s, READ_CLOCK, 11));
        }
    }

    /** Control-port garbage never kills the server; truncated requests are closed without a reply. */
    @Test
    void controlGarbageAndTruncatedRequests() throws Exception {
        server = TestServer.running(tpm);
        byte[] garbage = new byte[6000];
        new java.util.Random(1).nextBytes(garbage);
        garbage[0] = 0x7f;
        try (Socket s = server.connect(server.server.ctrlPort())) {
            s.getOutputStream().write(garbage);
            s.shutdownOutput();
            byte[] reply = s.getInputStream().readAllBytes();
            assertTrue(reply.length >= 4);
            assertEquals("0000000a", TestServer.HEX.formatHex(reply, 0, 4));
        }
        assertEquals("", server.ctrl("000000"));
        assertTimeoutPreemptively(Duration.ofSeconds(3), () -> {
            try (Socket s = server.connect(server.server.ctrlPort())) {
                s.getOutputStream().write(TestServer.HEX.parseHex("00000002"));
                long start = System.nanoTime();
                InputStream in = s.getInputStream();
                assertEquals(-1, in.read());
                assertTrue(System.nanoTime() - start >= 400_000_000L);
            }
        });
        assertEquals("000000000001ecff", server.ctrl("00000001"));
    }
}
