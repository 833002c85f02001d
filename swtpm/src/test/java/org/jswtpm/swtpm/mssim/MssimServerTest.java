package org.jswtpm.swtpm.mssim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jswtpm.core.Tpm;
import org.jswtpm.core.testing.TestTpm;
import org.jswtpm.swtpm.ControlChannel;
import org.jswtpm.swtpm.SwtpmLog;
import org.jswtpm.swtpm.TpmDevice;
import org.jswtpm.swtpm.VolatileStateFile;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The mssim command and platform ports over loopback TCP, byte for byte, with the real engine. */
class MssimServerTest {
    static final HexFormat HEX = HexFormat.of();
    static final String STARTUP_CLEAR = "80010000000c000001440000";
    static final String OK = "80010000000a00000000";
    static final String RC_INITIALIZE = "80010000000a00000100";
    static final String RC_FAILURE = "80010000000a00000101";

    Tpm tpm;
    TpmDevice device;
    MssimServer server;
    final List<String> exits = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws IOException {
        tpm = TestTpm.fresh();
        if (tpm.isRunning()) {
            tpm.stop(); // the simulator starts powered off
        }
        device = new TpmDevice(tpm, true, false);
        server = new MssimServer(new MssimOptions("127.0.0.1", 0, 0, false), SwtpmLog.silent());
        server.bind();
        server.serve(device, new ControlChannel(device, VolatileStateFile.NONE), exits::add);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    static Socket connect(int port) throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress("127.0.0.1", port), 2000);
        s.setSoTimeout(5000);
        return s;
    }

    /** Sends {@code hex} and reads exactly {@code replyBytes} bytes back, as hex. */
    static String exchange(Socket s, String hex, int replyBytes) throws IOException {
        s.getOutputStream().write(HEX.parseHex(hex));
        s.getOutputStream().flush();
        byte[] reply = s.getInputStream().readNBytes(replyBytes);
        assertEquals(replyBytes, reply.length, "short reply: " + HEX.formatHex(reply));
        return HEX.formatHex(reply);
    }

    /** A TPM_SEND_COMMAND frame at {@code locality}. */
    static String send(int locality, String command) {
        return String.format("00000008%02x%08x", locality, command.length() / 2) + command;
    }

    /** The reply to a command whose response is {@code response}. */
    static String framed(String response) {
        return String.format("%08x", response.length() / 2) + response + "00000000";
    }

    /** Sends a command and returns the framed reply; the response must be 10 bytes. */
    static String command10(Socket s, int locality, String command) throws IOException {
        return exchange(s, send(locality, command), 18);
    }

    static void assertClosedWithout(Socket s) throws IOException {
        InputStream in = s.getInputStream();
        assertEquals(-1, in.read(), "the server should have closed the connection");
    }

    @Test
    void powerOnNvOnThenStartupOnAPersistentConnection() throws IOException {
        try (Socket platform = connect(server.platformPort()); Socket cmd = connect(server.commandPort())) {
            assertEquals(framed(RC_FAILURE), command10(cmd, 0, STARTUP_CLEAR)); // powered off
            assertEquals("00000000", exchange(platform, "00000001", 4));
            assertEquals("00000000", exchange(platform, "0000000b", 4));
            assertEquals(framed(OK), command10(cmd, 0, STARTUP_CLEAR));
            assertEquals(framed(RC_INITIALIZE), command10(cmd, 0, STARTUP_CLEAR));
            // GetRandom(8): 10-byte header, u16 8, 8 bytes
            String random = exchange(cmd, send(0, "80010000000c0000017b0008"), 4 + 20 + 4);
            assertTrue(random.matches("00000014800100000014000000000008[0-9a-f]{16}00000000"), random);
        }
    }

    @Test
    void powerOnWhileOnIsANoOpButResetInitsTheTpm() throws IOException {
        try (Socket platform = connect(server.platformPort()); Socket cmd = connect(server.commandPort())) {
            assertEquals("00000000", exchange(platform, "00000011", 4)); // RESET while off: nothing
            assertFalse(device.isRunning());
            assertEquals("00000000", exchange(platform, "00000001", 4));
            assertEquals(framed(OK), command10(cmd, 0, STARTUP_CLEAR));
        }
        // a second client connects and powers on again, as every tpm2-tss client does
        try (Socket platform = connect(server.platformPort()); Socket cmd = connect(server.commandPort())) {
            assertEquals("00000000", exchange(platform, "00000001", 4));
            assertEquals(framed(RC_INITIALIZE), command10(cmd, 0, STARTUP_CLEAR));
            assertEquals("00000000", exchange(platform, "00000011", 4)); // SIGNAL_RESET: _TPM_Init
            assertEquals(framed(OK), command10(cmd, 0, STARTUP_CLEAR));
            assertEquals("00000000", exchange(platform, "00000012", 4)); // SIGNAL_RESTART: _TPM_Init
            assertEquals(framed(OK), command10(cmd, 0, STARTUP_CLEAR));
            assertEquals("00000000", exchange(platform, "00000002", 4)); // POWER_OFF
            assertFalse(device.isRunning());
            assertEquals(framed(RC_FAILURE), command10(cmd, 0, STARTUP_CLEAR));
        }
    }

    @Test
    void acknowledgedSignalsAndLocality() throws IOException {
        try (Socket platform = connect(server.platformPort()); Socket cmd = connect(server.commandPort())) {
            // PHYS_PRES_ON/OFF, CANCEL_ON/OFF, NV_ON/OFF, KEY_CACHE_ON/OFF
            for (String code : new String[] {"03", "04", "09", "0a", "0b", "0c", "0d", "0e"}) {
                assertEquals("00000000", exchange(platform, "000000" + code, 4), code);
            }
            exchange(platform, "00000001", 4);
            assertEquals(framed(OK), command10(cmd, 3, STARTUP_CLEAR));
            assertEquals(3, device.locality());
        }
    }

    @Test
    void hashSequenceOnThePlatformPort() throws IOException {
        try (Socket platform = connect(server.platformPort())) {
            assertEquals(String.format("%08x", 0x0a), exchange(platform, "00000005", 4)); // off: TPM_BAD_ORDINAL
            exchange(platform, "00000001", 4);
            assertFalse(device.isTpmEstablished());
            assertEquals("00000000", exchange(platform, "00000005", 4));
            assertEquals("00000000", exchange(platform, "00000006" + "00000003" + "616263", 4));
            assertEquals("00000000", exchange(platform, "00000007", 4));
            assertTrue(device.isTpmEstablished());
        }
    }

    @Test
    void hashSequenceOnTheCommandPort() throws IOException {
        try (Socket platform = connect(server.platformPort()); Socket cmd = connect(server.commandPort())) {
            exchange(platform, "00000001", 4);
            assertEquals("00000000", exchange(cmd, "00000005", 4));
            assertEquals("00000000", exchange(cmd, "00000006" + "00000000", 4));
            assertEquals("00000000", exchange(cmd, "00000007", 4));
            assertTrue(device.isTpmEstablished());
        }
    }

    @Test
    void handshakeAndAlternativeResult() throws IOException {
        try (Socket cmd = connect(server.commandPort())) {
            assertEquals("00000001" + "00000005" + "00000000", exchange(cmd, "0000000f" + "00000001", 12));
            assertEquals("00000000", exchange(cmd, "00000010" + "00000000", 4));
            cmd.getOutputStream().write(HEX.parseHex("0000000f00000000")); // client version 0
            assertClosedWithout(cmd);
        }
    }

    @Test
    void commandResponseSizes() throws IOException {
        try (Socket platform = connect(server.platformPort()); Socket cmd = connect(server.commandPort())) {
            exchange(platform, "00000001", 4);
            command10(cmd, 0, STARTUP_CLEAR);
            assertEquals("00000010" + "0000000c" + "00000144" + "0000000a" + "00000000" + "00000000",
                    exchange(platform, "00000019", 24));
            assertEquals("00000010" + "00000000" + "00000000" + "00000000" + "00000000" + "00000000",
                    exchange(platform, "00000019", 24));
        }
    }

    @Test
    void unknownPlatformCodeIsAnsweredWithOneAndClosed() throws IOException {
        try (Socket platform = connect(server.platformPort())) {
            assertEquals("00000001", exchange(platform, "00000063", 4));
            assertClosedWithout(platform);
        }
        try (Socket platform = connect(server.platformPort())) {
            assertEquals("00000001", exchange(platform, "ffffffff", 4));
            assertClosedWithout(platform);
        }
        try (Socket platform = connect(server.platformPort())) {
            assertEquals("00000000", exchange(platform, "00000001", 4));
        }
    }

    @Test
    void unknownCommandCodeClosesWithoutReply() throws IOException {
        for (String code : new String[] {"00000063", "ffffffff", "00000001"}) {
            try (Socket cmd = connect(server.commandPort())) {
                cmd.getOutputStream().write(HEX.parseHex(code));
                assertClosedWithout(cmd);
            }
        }
        try (Socket cmd = connect(server.commandPort())) {
            assertEquals(framed(RC_FAILURE), command10(cmd, 0, STARTUP_CLEAR));
        }
    }

    @Test
    void sessionEndClosesBothPortsAndTheServerGoesOn() throws IOException {
        try (Socket platform = connect(server.platformPort()); Socket cmd = connect(server.commandPort())) {
            exchange(platform, "00000001", 4);
            cmd.getOutputStream().write(HEX.parseHex("00000014"));
            platform.getOutputStream().write(HEX.parseHex("00000014"));
            assertClosedWithout(cmd);
            assertClosedWithout(platform);
        }
        assertTrue(device.isRunning());
        assertTrue(exits.isEmpty());
        try (Socket cmd = connect(server.commandPort())) {
            assertEquals(framed(OK), command10(cmd, 0, STARTUP_CLEAR));
        }
    }

    @Test
    void oversizedOrTruncatedInputClosesOnlyThatConnection() throws IOException {
        try (Socket cmd = connect(server.commandPort())) {
            cmd.getOutputStream().write(HEX.parseHex("00000008" + "00" + "7fffffff"));
            assertClosedWithout(cmd);
        }
        try (Socket cmd = connect(server.commandPort())) {
            cmd.getOutputStream().write(HEX.parseHex("00000008" + "00" + "0000000c" + "8001")); // then hang up
        }
        try (Socket platform = connect(server.platformPort())) {
            platform.getOutputStream().write(HEX.parseHex("00000006" + "7fffffff"));
            assertClosedWithout(platform);
        }
        try (Socket platform = connect(server.platformPort()); Socket cmd = connect(server.commandPort())) {
            exchange(platform, "00000001", 4);
            assertEquals(framed(OK), command10(cmd, 0, STARTUP_CLEAR));
        }
        assertTrue(exits.isEmpty());
    }

    @Test
    void stopOnEitherPortAsksTheProcessToExit() throws IOException {
        try (Socket platform = connect(server.platformPort())) {
            platform.getOutputStream().write(HEX.parseHex("00000015"));
            assertClosedWithout(platform);
        }
        assertEquals(List.of("mssim STOP"), exits);
        try (Socket cmd = connect(server.commandPort())) {
            cmd.getOutputStream().write(HEX.parseHex("00000015"));
            assertClosedWithout(cmd);
        }
        assertEquals(List.of("mssim STOP", "mssim STOP"), exits);
    }
}
