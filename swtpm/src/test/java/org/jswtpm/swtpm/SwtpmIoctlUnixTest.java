package org.jswtpm.swtpm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
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

    @Test
    void noSocketIsAnError() {
        assertEquals(1, ioctl("--unix", dir.resolve("absent.sock").toString(), "-s"));
        assertTrue(err.size() > 0);
    }
}
