package org.jswtpm.swtpm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** swtpm_ioctl against an in-process server: swtpm_ioctl's output text and exit codes. */
class SwtpmIoctlTest {
    private final FakeTpm tpm = new FakeTpm();
    private TestServer server;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @BeforeEach
    void start() throws Exception {
        server = TestServer.running(tpm);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private int ioctl(String... args) {
        String[] full = new String[args.length + 2];
        full[0] = "--tcp";
        full[1] = "127.0.0.1:" + server.server.ctrlPort();
        System.arraycopy(args, 0, full, 2, args.length);
        return SwtpmIoctl.run(full, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8),
                new ByteArrayInputStream("from stdin".getBytes(StandardCharsets.UTF_8)));
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void capabilities() {
        assertEquals(0, ioctl("-c"));
        assertEquals("ptm capability is 0x1ecff\n", out());
    }

    @Test
    void bufferSize() {
        assertEquals(0, ioctl("-b", "0"));
        assertEquals("TPM buffersize: 4096\nminimum size  : 2808\nmaximum size  : 4096\n", out());
    }

    @Test
    void info() {
        assertEquals(0, ioctl("--info", "3"));
        assertEquals("{" + TpmInfo.SPECIFICATION + "," + TpmInfo.ATTRIBUTES + "}\n", out());
    }

    @Test
    void establishedHashAndReset() {
        assertEquals(0, ioctl("-e"));
        assertEquals(0, ioctl("-h", "data"));
        assertEquals(0, ioctl("-h", "-"));
        assertEquals(0, ioctl("-e"));
        assertEquals("tpmEstablished is 0\ntpmEstablished is 1\n", out());
        assertEquals(14, tpm.hashedBytes);
        assertEquals(1, ioctl("-r", "0"));
        assertEquals("TPM result from PTM_RESET_TPMESTABLISHED: 0x3d\n", err.toString(StandardCharsets.UTF_8));
        assertEquals(0, ioctl("-r", "3"));
    }

    @Test
    void configLocalityCancelVolatile() {
        assertEquals(0, ioctl("-g"));
        assertEquals("ptm configuration flags: 0x0\n", out());
        assertEquals(0, ioctl("-l", "2"));
        assertEquals(2, server.device.locality());
        assertEquals(0, ioctl("-C"));
        assertEquals(0, ioctl("-v"));
        assertEquals(0, ioctl("--lock-storage", "0"));
    }

    @Test
    void stopInitShutdown() throws Exception {
        assertEquals(0, ioctl("--stop"));
        assertEquals(1, ioctl("-e"));
        assertEquals("TPM result from PTM_GET_TPMESTABLISHED: 0xa\n", err.toString(StandardCharsets.UTF_8));
        assertEquals(0, ioctl("-i"));
        assertEquals(0, ioctl("-e"));
        assertEquals(0, ioctl("-s"));
        assertTrue(server.server.awaitExitRequest(5, java.util.concurrent.TimeUnit.SECONDS));
    }

    @Test
    void singleDashLongOptions() {
        assertEquals(0, ioctl("-stop"));
        assertEquals(0, ioctl("--i"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"-l 7", "-l x", "-b -1", "--info x", "--save bogus /tmp/jswtpm-no-such-blob",
        "--save permanent", "--load permanent /nonexistent/f", "--unix /tmp/s", "-q", "-c -e", "/dev/tpm0"})
    void badArgumentsFail(String args) {
        assertEquals(1, ioctl(args.split(" ")));
        assertTrue(err.size() > 0);
    }

    @Test
    void noCommandOrNoTransportFails() {
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
        assertEquals(1, SwtpmIoctl.run(new String[] {"--tcp", ":1"}, e, e, System.in));
        assertEquals(1, SwtpmIoctl.run(new String[] {"-c"}, e, e, System.in));
        assertEquals(0, SwtpmIoctl.run(new String[] {"--version"}, e, e, System.in));
    }

    @Test
    void connectionRefusedFails() throws Exception {
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            port = s.getLocalPort();
        }
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
        assertEquals(1, SwtpmIoctl.run(new String[] {"--tcp", "127.0.0.1:" + port, "-c"}, e, e, System.in));
    }
}
