package org.jswtpm.swtpm;

import java.io.IOException;
import java.net.Socket;
import java.nio.file.Path;

/**
 * The client end of one channel in a test: a TCP socket, or a Unix socket connected natively so that
 * descriptors can be sent along (SCM_RIGHTS), as QEMU sends CMD_SET_DATAFD.
 */
final class TestClient implements AutoCloseable {
    static final int TIMEOUT_MILLIS = 5000;

    private final Connection connection;
    private final Socket tcp;
    private final int fd;

    private TestClient(Connection connection, Socket tcp, int fd) throws IOException {
        this.connection = connection;
        this.tcp = tcp;
        this.fd = fd;
        connection.timeout(TIMEOUT_MILLIS);
    }

    static TestClient tcp(Socket socket) throws IOException {
        return new TestClient(new SocketConnection(socket), socket, -1);
    }

    static TestClient unix(Path path) throws IOException {
        int fd = UnixFds.connect(path);
        return new TestClient(new FdConnection(fd, "test client " + path), null, fd);
    }

    /** Wraps one end of a socket pair (the test's end of a SET_DATAFD data channel). */
    static TestClient fd(int fd) throws IOException {
        return new TestClient(new FdConnection(fd, "test fd " + fd), null, fd);
    }

    /** Sends {@code hex}. */
    void send(String hex) throws IOException {
        connection.out().write(TestServer.HEX.parseHex(hex.replace(" ", "")));
        connection.out().flush();
    }

    /** Sends {@code hex} with {@code passFd} attached as SCM_RIGHTS in the same message. */
    void sendWithFd(String hex, int passFd) throws IOException {
        UnixFds.sendWithFd(fd, TestServer.HEX.parseHex(hex.replace(" ", "")), passFd);
    }

    /** Reads exactly {@code length} bytes (fewer if the peer closes). */
    String read(int length) throws IOException {
        return TestServer.HEX.formatHex(connection.in().readNBytes(length));
    }

    /** Sends {@code hex} and reads exactly {@code length} bytes. */
    String exchange(String hex, int length) throws IOException {
        send(hex);
        return read(length);
    }

    /** Sends a TPM command and reads its response: the 10-byte header, then the rest its size names. */
    String tpm(String hex) throws IOException {
        send(hex);
        String header = read(10);
        if (header.length() < 20) {
            return header;
        }
        int size = Integer.parseInt(header.substring(4, 12), 16);
        return header + read(size - 10);
    }

    /** Sends {@code hex}, half-closes, and returns everything the peer sends until it closes. */
    String sendAndReadAll(String hex) throws IOException {
        send(hex);
        if (tcp != null) {
            tcp.shutdownOutput();
        } else {
            LibC.shutdown(fd, 1);
        }
        return TestServer.HEX.formatHex(connection.in().readAllBytes());
    }

    /** True if the peer has closed: a read returns end of stream within the timeout. */
    boolean peerClosed() throws IOException {
        return connection.in().read() < 0;
    }

    @Override
    public void close() throws IOException {
        connection.close();
    }
}
