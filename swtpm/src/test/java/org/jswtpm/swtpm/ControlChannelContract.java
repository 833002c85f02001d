package org.jswtpm.swtpm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HexFormat;
import org.jswtpm.core.Tpm;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every control command over real sockets, asserting swtpm's exact response bytes. The same body runs
 * over every transport ({@link ControlChannelTcpTest}, {@link ControlChannelUnixTest}); what differs is
 * only what the transport makes possible ({@link #capabilities()}, {@link #setDataFdWithoutDescriptor()}).
 */
@Timeout(30)
abstract class ControlChannelContract {
    private static final String OK = "00000000";
    private static final String BAD_PARAMETER = "00000003";
    private static final String BAD_ORDINAL = "0000000a";
    private static final String BAD_LOCALITY = "0000003d";

    private final FakeTpm tpm = new FakeTpm();
    private TestServer server;
    @TempDir
    Path dir;

    /** What carries the channels. */
    abstract TestServer.Transport transport();

    /** GET_CAPABILITY's 8 response bytes in hex. */
    abstract String capabilities();

    /** The response to SET_DATAFD sent without a descriptor. */
    abstract String setDataFdWithoutDescriptor();

    private TestServer serverWith(Tpm t, SwtpmOptions options) throws Exception {
        return new TestServer(t, options, transport(), dir);
    }

    private String expected(String response) {
        return response.replace(" ", "").replace("CAPS", capabilities())
                .replace("DATAFD", setDataFdWithoutDescriptor());
    }

    @AfterEach
    void close() {
        if (server != null) {
            server.close();
        }
    }

    private TestServer running() throws Exception {
        server = serverWith(tpm, SwtpmOptions.forLoopback(true));
        return server;
    }

    private TestServer stopped() throws Exception {
        server = serverWith(tpm, SwtpmOptions.forLoopback(false));
        return server;
    }

    @ParameterizedTest(name = "{0}: {1} -> {2}")
    @CsvSource({
        "GET_CAPABILITY, 00000001, CAPS",
        "GET_CAPABILITY padded, 00000001 00000000, CAPS",
        "INIT, 00000002 00000000, " + OK,
        "INIT delete-volatile, 00000002 00000001, " + OK,
        "INIT with surplus, 00000002 00000000 00000000, " + BAD_PARAMETER,
        "GET_TPMESTABLISHED, 00000004, 0000000000000000",
        "GET_TPMESTABLISHED with body, 00000004 00, " + BAD_PARAMETER,
        "SET_LOCALITY, 00000005 03, " + OK,
        "SET_LOCALITY padded, 00000005 03000000, " + OK,
        "SET_LOCALITY 4, 00000005 04, " + OK,
        "SET_LOCALITY 5, 00000005 05000000, " + BAD_LOCALITY,
        "HASH_START, 00000006, " + OK,
        "HASH_START with body, 00000006 00000000, " + BAD_PARAMETER,
        "HASH_DATA, 00000007 00000003 616263, " + OK,
        "HASH_DATA more bytes than length, 00000007 00000001 6162, " + BAD_PARAMETER,
        "HASH_END, 00000008, " + OK,
        "CANCEL_TPM_CMD, 00000009, " + OK,
        "CANCEL_TPM_CMD with body, 00000009 00, " + BAD_PARAMETER,
        "STORE_VOLATILE, 0000000a, " + OK,
        "RESET_TPMESTABLISHED 3, 0000000b 03, " + OK,
        "RESET_TPMESTABLISHED 3 padded, 0000000b 03000000, " + OK,
        "RESET_TPMESTABLISHED 0, 0000000b 00000000, " + BAD_LOCALITY,
        "RESET_TPMESTABLISHED 5, 0000000b 05, " + BAD_LOCALITY,
        "GET_STATEBLOB not implemented, 0000000c 00000001 00000001 00000000, " + BAD_ORDINAL,
        "SET_STATEBLOB not implemented, 0000000d 00000000 00000001 00000000, " + BAD_ORDINAL,
        "STOP, 0000000e, " + OK,
        "STOP with body, 0000000e 00000000, " + BAD_PARAMETER,
        "GET_CONFIG, 0000000f, 0000000000000000",
        "GET_CONFIG with body, 0000000f 00, " + BAD_PARAMETER,
        "SET_DATAFD without a descriptor, 00000010, DATAFD",
        "SET_BUFFERSIZE query, 00000011 00000000, 00000000000010000000 0af800001000",
        "SET_BUFFERSIZE while running, 00000011 00000bb8, " + BAD_ORDINAL,
        "SET_BUFFERSIZE short, 00000011 0000, " + BAD_PARAMETER,
        "GET_INFO short, 00000012 0000000000000001 00000000, " + BAD_PARAMETER,
        "GET_INFO offset beyond, 00000012 0000000000000000 00000002 00000000, " + BAD_PARAMETER,
        "GET_INFO no flags, 00000012 0000000000000000 00000000 00000000, 00000000 00000003 00000003 7b7d00",
        "GET_INFO chunk, 00000012 0000000000000000 00000001 00000000, 00000000 00000003 00000002 7d00",
        "LOCK_STORAGE, 00000013 0000012c, " + OK,
        "LOCK_STORAGE short, 00000013, " + BAD_PARAMETER,
        "unknown, 000000ff, " + BAD_ORDINAL,
        "unknown with body, 12345678 9abcdef0, " + BAD_ORDINAL,
    })
    void runningTpm(String name, String request, String response) throws Exception {
        assertEquals(expected(response), running().ctrl(request));
    }

    @ParameterizedTest(name = "{0}: {1} -> {2}")
    @CsvSource({
        "GET_TPMESTABLISHED, 00000004, " + BAD_ORDINAL,
        "HASH_START, 00000006, " + BAD_ORDINAL,
        "HASH_DATA, 00000007 00000001 61, " + BAD_ORDINAL,
        "HASH_END, 00000008, " + BAD_ORDINAL,
        "CANCEL_TPM_CMD, 00000009, " + BAD_ORDINAL,
        "STORE_VOLATILE, 0000000a, " + BAD_ORDINAL,
        "RESET_TPMESTABLISHED, 0000000b 03, " + BAD_ORDINAL,
        "SET_LOCALITY works, 00000005 02, " + OK,
        "GET_CONFIG works, 0000000f, 0000000000000000",
        "STOP works, 0000000e, " + OK,
        "SET_BUFFERSIZE set, 00000011 00000bb8, 00000000 00000bb8 00000af8 00001000",
        "SET_BUFFERSIZE clamped low, 00000011 00000064, 00000000 00000af8 00000af8 00001000",
        "SET_BUFFERSIZE clamped high, 00000011 00010000, 00000000 00001000 00000af8 00001000",
    })
    void stoppedTpm(String name, String request, String response) throws Exception {
        assertEquals(expected(response), stopped().ctrl(request));
    }

    @Test
    void getInfoSpecificationAndAttributes() throws Exception {
        running();
        String spec = "{\"TPMSpecification\":{\"family\":\"2.0\",\"level\":0,\"revision\":159}}";
        assertEquals(info(spec, 0), server.ctrl("00000012 0000000000000001 00000000 00000000"));
        String attrs = "{\"TPMAttributes\":{\"manufacturer\":\"id:4A535754\",\"version\":\"id:00010000\","
                + "\"model\":\"jswtpm\"}}";
        assertEquals(info(attrs, 0), server.ctrl("00000012 0000000000000002 00000000 00000000"));
        String both = "{" + TpmInfo.SPECIFICATION + "," + TpmInfo.ATTRIBUTES + "}";
        assertEquals(info(both, 0), server.ctrl("00000012 0000000000000003 00000000 00000000"));
        assertEquals(info(both, 10), server.ctrl("00000012 0000000000000003 0000000a 00000000"));
    }

    private static String info(String json, int offset) {
        byte[] bytes = (json + "\0").getBytes(StandardCharsets.US_ASCII);
        int length = bytes.length - offset;
        return String.format("00000000%08x%08x", bytes.length, length)
                + HexFormat.of().formatHex(bytes, offset, bytes.length);
    }

    @Test
    void initPowersOnAndEstablishedFlagFollowsHashing() throws Exception {
        stopped();
        assertEquals(OK, server.ctrl("00000002 00000000"));
        assertTrue(tpm.isRunning());
        assertEquals("0000000000000000", server.ctrl("00000004"));
        assertEquals(OK, server.ctrl("00000006"));
        assertEquals(OK, server.ctrl("00000007 00000004 01020304"));
        assertEquals(OK, server.ctrl("00000008"));
        assertEquals("0000000001000000", server.ctrl("00000004"));
        assertTrue(tpm.events().contains("hashEnd 4"));
        assertEquals(OK, server.ctrl("0000000b 04000000"));
        assertEquals("0000000000000000", server.ctrl("00000004"));
    }

    @Test
    void hashDataLargerThanOneReadIsReadToTheEnd() throws Exception {
        running();
        byte[] data = new byte[10000];
        String hex = String.format("00000007%08x", data.length) + HexFormat.of().formatHex(data);
        assertEquals(OK, server.ctrl(hex));
        assertEquals(10000, tpm.hashedBytes);
    }

    @Test
    void setLocalityAppliesToDataCommands() throws Exception {
        running();
        assertEquals(OK, server.ctrl("00000005 03"));
        assertEquals("80010000000b0000000003", server.data("80010000000a0000017b"));
    }

    @Test
    void rejectLocality4() throws Exception {
        server = serverWith(tpm, new SwtpmOptions(true, 0, "127.0.0.1", false, 0, "127.0.0.1", false, false,
                null, 0640, false, true, StartupType.CLEAR, false, true, null, SwtpmOptions.LogOptions.NONE));
        assertEquals(BAD_LOCALITY, server.ctrl("00000005 04"));
        assertEquals(OK, server.ctrl("00000005 03"));
    }

    @Test
    void storeVolatileThenInitResumesAndDeleteVolatileRemovesIt() throws Exception {
        running();
        assertEquals(OK, server.ctrl("0000000a"));
        assertEquals(1, server.volatileStores.get());
        assertEquals(OK, server.ctrl("00000002 00000000"));
        assertEquals(0, server.volatileDeletes.get());
        assertEquals(OK, server.ctrl("00000002 00000001"));
        assertEquals(1, server.volatileDeletes.get());
        assertEquals(java.util.List.of("init", "startup 0", "shutdown 1", "stop", "setState volatilestate 3", "init",
                "shutdown 1", "stop", "setState volatilestate 3", "init"), tpm.events());
    }

    @Test
    void shutdownRepliesThenRequestsExit() throws Exception {
        running();
        assertFalse(server.server.exitRequested());
        assertEquals(OK, server.ctrl("00000003"));
        assertTrue(server.server.awaitExitRequest(5, java.util.concurrent.TimeUnit.SECONDS));
        assertFalse(tpm.isRunning());
        assertTrue(tpm.events().contains("shutdown 1"), tpm.events().toString());
    }

    @Test
    void severalCommandsOnOnePersistentConnection() throws Exception {
        running();
        try (TestClient c = server.ctrlClient()) {
            assertEquals(capabilities(), c.exchange("00000001", 8));
            assertEquals(OK, c.exchange("0000000e", 4));
            assertEquals("0000000000000af800000af800001000", c.exchange("00000011 00000064", 16));
            assertEquals(OK, c.exchange("00000002 00000000", 4));
            assertEquals("0000000000000000", c.exchange("00000004", 8));
        }
    }

    @Test
    void autoShutdownBeforeReInitAndStop() throws Exception {
        running();
        server.data("80010000000a0000017b");
        assertEquals(OK, server.ctrl("00000002 00000000"));
        assertEquals(OK, server.ctrl("0000000e"));
        assertEquals(java.util.List.of("init", "startup 0", "shutdown 1", "stop", "init", "shutdown 1", "stop"),
                tpm.events());
    }

    @Test
    void noAutoShutdownAfterAClientShutdown() throws Exception {
        running();
        assertEquals("80010000000b0000000000", server.data("80010000000c000001450000"));
        assertEquals(OK, server.ctrl("0000000e"));
        assertEquals(java.util.List.of("init", "startup 0", "shutdown 0", "stop"), tpm.events());
    }

    @Test
    void anEngineFailureIsAnsweredWithTpmFailAndTheServerGoesOn() throws Exception {
        FakeTpm broken = new FakeTpm() {
            @Override
            public synchronized void hashStart() {
                throw new IllegalStateException("engine bug");
            }
        };
        server = serverWith(broken, SwtpmOptions.forLoopback(true));
        assertEquals("00000009", server.ctrl("00000006"));
        assertEquals(capabilities(), server.ctrl("00000001"));
    }

    @Test
    void autoShutdownFallsBackToClearAndIsSkippedWhenDisabled() throws Exception {
        FakeTpm failing = new FakeTpm() {
            @Override
            public synchronized byte[] execute(int locality, byte[] command) {
                byte[] r = super.execute(locality, command);
                return command[9] == 0x45 && command[11] == 1
                        ? new byte[] {(byte) 0x80, 1, 0, 0, 0, 10, 0, 0, 0x01, (byte) 0xc4} : r;
            }
        };
        server = serverWith(failing, SwtpmOptions.forLoopback(true));
        assertEquals(OK, server.ctrl("0000000e"));
        assertEquals(java.util.List.of("init", "startup 0", "shutdown 1", "shutdown 0", "stop"), failing.events());
        server.close();

        FakeTpm quiet = new FakeTpm();
        server = serverWith(quiet, SwtpmOptions.forLoopback(true).withFlags(true, StartupType.CLEAR, true));
        assertEquals(OK, server.ctrl("0000000e"));
        assertEquals(java.util.List.of("init", "startup 0", "stop"), quiet.events());
    }

    @Test
    void badInputNeverEndsTheServer() throws Exception {
        running();
        // truncated: INIT needs 4 body bytes; the connection is dropped after swtpm's 500 ms deadline
        try (TestClient c = server.ctrlClient()) {
            c.send("00000002 0000");
            assertTrue(c.peerClosed());
        }
        // oversized: more than one request buffer of an unknown command
        byte[] junk = new byte[3 * ControlRequestReader.BUFFER_SIZE];
        java.util.Arrays.fill(junk, (byte) 0x7f);
        String replies = server.ctrl(HexFormat.of().formatHex(junk));
        assertTrue(replies.startsWith(BAD_ORDINAL), replies);
        assertEquals(BAD_ORDINAL, server.ctrl("deadbeef"));
        assertEquals(expected("DATAFD"), server.ctrl("00000010"));
        assertEquals(capabilities(), server.ctrl("00000001"));
        assertFalse(server.server.exitRequested());
    }
}
