package org.jswtpm.swtpm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code swtpm_ioctl --unix <path>} against a server on libvirt's control socket: what libvirt runs
 * ({@code swtpm_ioctl --unix <sock> -s}) when QEMU fails after swtpm was started.
 */
@Timeout(30)
class SwtpmIoctlUnixTest {
    @TempDir
    Path dir;
    private TestServer server;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private Path start() throws Exception {
        Path sock = dir.resolve("1-vm-swtpm.sock");
        SwtpmCommandLine.Parsed p = SwtpmCommandLine.parse(
                ("--ctrl type=unixio,path=" + sock + ",mode=0600 --terminate --tpm2").split(" "), Map.of());
        server = new TestServer(new FakeTpm(), p.options(), p.endpoints(), TestServer.Transport.UNIX, dir);
        return sock;
    }

    private int ioctl(String... args) {
        return SwtpmIoctl.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), new ByteArrayInputStream(new byte[0]));
    }

    @Test
    void capabilitiesConfigAndShutdownOverTheUnixSocket() throws Exception {
        Path sock = start();
        assertEquals(0, ioctl("--unix", sock.toString(), "-c"), err.toString(StandardCharsets.UTF_8));
        assertEquals("ptm capability is 0x1fcff\n", out.toString(StandardCharsets.UTF_8));
        out.reset();
        assertEquals(0, ioctl("--unix", sock.toString(), "-g"));
        assertEquals("ptm configuration flags: 0x0\n", out.toString(StandardCharsets.UTF_8));
        assertEquals(0, ioctl("--unix", sock.toString(), "-s"));
        assertTrue(server.server.awaitExitRequest(5, TimeUnit.SECONDS));
    }

    /**
     * The swtpm process ({@link SwtpmServer#leaveShutdownConnectionToExit()}) leaves the connection that
     * brought CMD_SHUTDOWN open, even after {@link SwtpmServer#close()}, for its exit to close; without
     * that, the connection closes right after the reply.
     */
    @Test
    void theShutdownConnectionIsLeftToTheProcessExit() throws Exception {
        Path sock = start();
        server.server.leaveShutdownConnectionToExit();
        try (ControlClient client = ControlClient.unix(sock)) {
            assertEquals(0, client.send(ControlCommand.SHUTDOWN, new byte[0]));
            assertTrue(server.server.awaitExitRequest(5, TimeUnit.SECONDS));
            server.close();
            assertFalse(client.awaitEnd(300), "still open after the reply and close()");
            assertTrue(server.server.shutdownConnectionLeftOpen());
        }
        server = null;
        Path other = start();
        try (ControlClient client = ControlClient.unix(other)) {
            assertEquals(0, client.send(ControlCommand.SHUTDOWN, new byte[0]));
            assertTrue(client.awaitEnd(5000), "closed after the reply");
            assertFalse(server.server.shutdownConnectionLeftOpen());
        }
    }

    /**
     * {@code -s} returns once the emulator closed the connection after its reply (libvirt then expects the
     * process gone), or after {@link SwtpmIoctl#SHUTDOWN_WAIT_MILLIS} if it does not; success either way.
     */
    @Test
    void shutdownWaitsForTheEmulatorToCloseTheConnection() throws Exception {
        assertEquals(0, timedShutdown(400), err.toString(StandardCharsets.UTF_8));
        assertEquals(0, timedShutdown(-1), err.toString(StandardCharsets.UTF_8));
    }

    /** Runs {@code -s} against a server that closes {@code closeAfterMillis} after its reply (-1: never). */
    private int timedShutdown(long closeAfterMillis) throws Exception {
        Path sock = dir.resolve("fake-" + closeAfterMillis + ".sock");
        try (ServerSocketChannel listener = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            listener.bind(UnixDomainSocketAddress.of(sock));
            java.util.concurrent.atomic.AtomicLong replied = new java.util.concurrent.atomic.AtomicLong();
            Thread fake = new Thread(() -> {
                try (SocketChannel c = listener.accept()) {
                    ByteBuffer request = ByteBuffer.allocate(4);
                    while (request.hasRemaining() && c.read(request) >= 0) {
                        // CMD_SHUTDOWN has no body
                    }
                    assertEquals(ControlCommand.SHUTDOWN.code(), request.flip().getInt());
                    c.write(ByteBuffer.allocate(4).putInt(0).flip());
                    replied.set(System.nanoTime());
                    Thread.sleep(closeAfterMillis < 0 ? SwtpmIoctl.SHUTDOWN_WAIT_MILLIS + 2000 : closeAfterMillis);
                } catch (Exception e) {
                    // the test sees the outcome through swtpm_ioctl
                }
            });
            fake.start();
            int rc = ioctl("--unix", sock.toString(), "-s");
            long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - replied.get());
            if (closeAfterMillis < 0) {
                int limit = SwtpmIoctl.SHUTDOWN_WAIT_MILLIS;
                assertTrue(waited >= limit - 50 && waited < limit + 1500, "gave up after about " + limit + " ms: "
                        + waited);
            } else {
                assertTrue(waited >= closeAfterMillis - 50 && waited < closeAfterMillis + 1500,
                        "returned when the connection closed: " + waited + " ms after the reply");
            }
            fake.interrupt();
            fake.join();
            return rc;
        }
    }

    @Test
    void noSocketIsAnError() {
        assertEquals(1, ioctl("--unix", dir.resolve("absent.sock").toString(), "-s"));
        assertTrue(err.size() > 0);
    }
}
