package org.jswtpm.swtpm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.jna.NativeLong;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jswtpm.core.Tpm2;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code swtpm chardev --fd N} served in process on one end of a socket pair, with tpm-core's engine:
 * one read per command, one write per response, and the hang-up of the other end ends the process.
 */
@Timeout(30)
class CharDeviceTest {
    private static final String GET_RANDOM_16 = "80010000000c0000017b0010";
    private static final String PCR_EXTEND_16 = "80020000004100000182000000100000000940000009000000000000000001000b"
            + "0101010101010101010101010101010101010101010101010101010101010101";
    private static final String PCR_READ_16 = "8001000000140000017e00000001000b03000001";
    private TestServer server;
    private int peer;

    @BeforeEach
    void start() throws Exception {
        int[] pair = UnixFds.socketPair();
        peer = pair[0];
        SwtpmCommandLine.Parsed p = SwtpmCommandLine.parse(SwtpmCommandLine.Mode.CHARDEV,
                ("--tpm2 --flags not-need-init,startup-clear --fd " + pair[1]).split(" "), Map.of());
        server = new TestServer(Tpm2.builder().deterministicSeed(new byte[32]).build(), p.options(), p.endpoints(),
                TestServer.Transport.UNIX, null);
    }

    @AfterEach
    void stop() {
        server.close();
        UnixFds.closeQuietly(peer);
    }

    /** Writes {@code hex} with one write and returns what one read of up to 4096 bytes brings back. */
    private String oneReadAfter(String hex) throws Exception {
        byte[] command = HexFormat.of().parseHex(hex);
        LibC.write(peer, command, new NativeLong(command.length));
        assertTrue(UnixFds.poll(peer, 10_000) != 0, "no response");
        byte[] buffer = new byte[4096];
        int n = LibC.read(peer, buffer, new NativeLong(buffer.length)).intValue();
        return HexFormat.of().formatHex(buffer, 0, n);
    }

    @Test
    void eachResponseComesInOneWrite() throws Exception {
        String random = oneReadAfter(GET_RANDOM_16);
        assertTrue(random.startsWith("80010000001c000000000010"), random);
        assertEquals(28 * 2, random.length());
        assertEquals("80020000001300000000000000000000010000", oneReadAfter(PCR_EXTEND_16));
        String pcr = oneReadAfter(PCR_READ_16);
        // PCR 16 starts at zero: SHA-256(32 zero bytes || 32 bytes of 01)
        String expected = HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(
                HexFormat.of().parseHex("00".repeat(32) + "01".repeat(32))));
        assertTrue(pcr.endsWith("00000001" + "0020" + expected), pcr);
    }

    @Test
    void theSendCommandPrefixIsAnsweredWithSizeAndTrailerInTheSameWrite() throws Exception {
        String answer = oneReadAfter("00000008" + "00" + "0000000c" + GET_RANDOM_16);
        assertEquals((4 + 28 + 4) * 2, answer.length(), answer);
        assertTrue(answer.startsWith("0000001c" + "80010000001c00000000"), answer);
        assertTrue(answer.endsWith("00000000"), answer);
    }

    @Test
    void readsContinueOnlyUntilTheHeaderIsComplete() throws Exception {
        byte[] command = HexFormat.of().parseHex(GET_RANDOM_16);
        LibC.write(peer, command, new NativeLong(4));
        Thread.sleep(200);
        byte[] rest = java.util.Arrays.copyOfRange(command, 4, command.length);
        LibC.write(peer, rest, new NativeLong(rest.length));
        try (TestClient client = TestClient.fd(peer)) {
            peer = -1;
            assertTrue(client.read(10).startsWith("80010000001c00000000"));
        }
    }

    @Test
    void theHangUpOfTheDeviceEndsTheProcess() throws Exception {
        oneReadAfter(GET_RANDOM_16);
        assertFalse(server.server.exitRequested());
        UnixFds.closeQuietly(peer);
        peer = -1;
        assertTrue(server.server.awaitExitRequest(10, TimeUnit.SECONDS));
    }
}
