package org.jswtpm.swtpm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Channels on descriptors the process inherited, as swtpm_setup and other launchers pass them. The
 * descriptors are made in this JVM (it is both the "parent" and the server), then named on the command
 * line exactly as a parent would name them.
 */
@Timeout(30)
class InheritedDescriptorTest {
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

    private TestServer start(String argv) throws Exception {
        SwtpmCommandLine.Parsed p = SwtpmCommandLine.parse(("--tpm2 " + argv).split(" "), Map.of());
        server = new TestServer(tpm, p.options(), p.endpoints(), TestServer.Transport.UNIX, dir);
        return server;
    }

    /** swtpm_setup's form: a socket pair for data ({@code tcp,fd=}) and one for control ({@code clientfd=}). */
    @Test
    void swtpmSetupSocketPairs() throws Exception {
        int[] data = UnixFds.socketPair();
        int[] ctrl = UnixFds.socketPair();
        start("--flags not-need-init,startup-clear --server type=tcp,fd=" + data[1]
                + " --ctrl type=unixio,clientfd=" + ctrl[1]);
        try (TestClient d = TestClient.fd(data[0]); TestClient c = TestClient.fd(ctrl[0])) {
            assertEquals("000000000001fcff", c.exchange("00000001", 8));
            assertEquals("80010000000b0000000000", d.tpm("80010000000a0000017b"));
            assertEquals("0000000000000000", c.exchange("0000000f", 8));
            assertEquals("0000001f", c.exchange("00000010", 4), "SET_DATAFD: there is a data channel");
        }
        // the given data descriptor implies terminate: its hang-up ends the process
        assertTrue(server.server.awaitExitRequest(10, TimeUnit.SECONDS));
    }

    @Test
    void dashDashFdServesOneConnectionAndTerminates() throws Exception {
        int[] data = UnixFds.socketPair();
        start("--flags not-need-init --fd " + data[1]);
        try (TestClient d = TestClient.fd(data[0])) {
            assertEquals("80010000000b0000000000", d.tpm("80010000000a0000017b"));
            assertEquals("80010000000b0000000000", d.tpm("80010000000a0000017b"));
            assertFalse(server.server.exitRequested());
        }
        assertTrue(server.server.awaitExitRequest(10, TimeUnit.SECONDS));
    }

    @Test
    void listeningControlDescriptor() throws Exception {
        Path path = dir.resolve("inherited.sock");
        int listening = listeningSocket(path);
        start("--ctrl type=unixio,fd=" + listening + ",terminate");
        try (TestClient c = TestClient.unix(path)) {
            assertEquals("000000000001fcff", c.exchange("00000001", 8));
        }
        assertTrue(server.server.awaitExitRequest(10, TimeUnit.SECONDS), "ctrl terminate on hang-up");
    }

    @Test
    void listeningDataDescriptor() throws Exception {
        Path path = dir.resolve("data-inherited.sock");
        int listening = listeningSocket(path);
        start("--flags not-need-init --server type=unixio,fd=" + listening);
        for (int i = 0; i < 2; i++) {
            try (TestClient d = TestClient.unix(path)) {
                assertEquals("80010000000b0000000000", d.tpm("80010000000a0000017b"));
            }
        }
        assertFalse(server.server.exitRequested(), "a listening socket does not imply terminate");
    }

    private static int listeningSocket(Path path) throws IOException {
        int fd = LibC.socket(LibC.AF_UNIX, LibC.SOCK_STREAM, 0);
        byte[] address = UnixFds.sockaddr(path);
        LibC.bind(fd, address, address.length);
        LibC.listen(fd, 1);
        return fd;
    }

    @Test
    void descriptorsThatCannotServeAreRefusedAtStart() throws Exception {
        int[] pair = UnixFds.socketPair();
        try (FileOutputStream file = new FileOutputStream(dir.resolve("regular").toFile())) {
            int fileFd = openFds().stream().filter(fd -> isLinkTo(fd, dir.resolve("regular")))
                    .findFirst().orElseThrow();
            assertRefused("--fd " + fileFd, "not supported");
            assertRefused("--server type=tcp,fd=" + fileFd, "not supported");
            assertRefused("--ctrl type=unixio,clientfd=" + fileFd, "not a socket");
        }
        assertRefused("--ctrl type=unixio,fd=" + pair[1], "not a listening socket");
        assertRefused("--fd 999", "not open");
        UnixFds.closeQuietly(pair[0]);
        UnixFds.closeQuietly(pair[1]);
    }

    private void assertRefused(String argv, String reason) throws Exception {
        SwtpmCommandLine.Parsed p = SwtpmCommandLine.parse(("--tpm2 " + argv).split(" "), Map.of());
        IOException e = assertThrows(IOException.class,
                () -> new TestServer(tpm, p.options(), p.endpoints(), TestServer.Transport.UNIX, dir));
        assertTrue(e.getMessage().contains(reason), e.getMessage());
    }

    private static java.util.List<Integer> openFds() throws IOException {
        try (var s = Files.list(Path.of("/proc/self/fd"))) {
            return s.map(p -> Integer.parseInt(p.getFileName().toString())).toList();
        }
    }

    private static boolean isLinkTo(int fd, Path target) {
        try {
            return Files.readSymbolicLink(Path.of("/proc/self/fd/" + fd)).equals(target);
        } catch (IOException e) {
            return false;
        }
    }
}
