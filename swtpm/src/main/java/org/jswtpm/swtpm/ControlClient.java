package org.jswtpm.swtpm;

import java.io.Closeable;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;

/**
 * The client side of swtpm's control channel over TCP or a Unix socket, as {@code swtpm_ioctl} uses it:
 * one request written in one piece, the response read field by field. A non-zero result ends the
 * response after its first four bytes. Every read waits at most {@link #TIMEOUT_MILLIS}.
 */
public final class ControlClient implements AutoCloseable {
    /** How long one read may wait (swtpm_ioctl's poll timeout is 20 s; a busy TPM may be creating a key). */
    static final int TIMEOUT_MILLIS = 30_000;

    private final Closeable socket;
    private final DataInputStream in;
    private final OutputStream out;
    /** Sets the time limit of one read (milliseconds). */
    private final java.util.function.IntConsumer readTimeout;

    /** Connects to the control channel at {@code host}:{@code port}. */
    public ControlClient(String host, int port) throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress(host, port), 10_000);
        s.setSoTimeout(TIMEOUT_MILLIS);
        s.setTcpNoDelay(true);
        socket = s;
        in = new DataInputStream(s.getInputStream());
        out = s.getOutputStream();
        readTimeout = millis -> {
            try {
                s.setSoTimeout(millis);
            } catch (java.net.SocketException closed) {
                // the next read fails
            }
        };
    }

    private ControlClient(UnixChannel channel) {
        socket = channel;
        in = new DataInputStream(channel.in);
        out = channel.out;
        readTimeout = millis -> channel.timeoutMillis = millis;
    }

    /** Connects to the control channel on the Unix socket {@code path} (the JDK's Unix-domain channel). */
    public static ControlClient unix(Path path) throws IOException {
        return new ControlClient(new UnixChannel(path));
    }

    /** Sends {@code command} with {@code body} and returns the result code. */
    public int send(ControlCommand command, byte[] body) throws IOException {
        out.write(ByteBuffer.allocate(4 + body.length).putInt(command.code()).put(body).array());
        out.flush();
        return in.readInt();
    }

    /** Reads the next u32 of the response. */
    public int readInt() throws IOException {
        return in.readInt();
    }

    /** Reads the next {@code n} bytes of the response. */
    public byte[] readBytes(int n) throws IOException {
        byte[] b = new byte[n];
        in.readFully(b);
        return b;
    }

    /**
     * Waits up to {@code millis} for the server to close the connection, discarding anything it still
     * sends; true if it closed (or reset) it, false if it was still open when the time was up.
     */
    public boolean awaitEnd(int millis) throws IOException {
        readTimeout.accept(millis);
        byte[] discard = new byte[256];
        try {
            while (in.read(discard) >= 0) {
                // nothing is expected after the response
            }
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException reset) {
            return true;
        } finally {
            readTimeout.accept(TIMEOUT_MILLIS);
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    /** A non-blocking Unix-domain channel whose reads and writes wait on a selector, with a time limit. */
    private static final class UnixChannel implements Closeable {
        private final SocketChannel channel;
        private final Selector selector;
        private final SelectionKey key;
        volatile int timeoutMillis = TIMEOUT_MILLIS;
        final InputStream in = new InputStream() {
            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                ByteBuffer buffer = ByteBuffer.wrap(b, off, len);
                while (true) {
                    int n = channel.read(buffer);
                    if (n != 0 || len == 0) {
                        return n;
                    }
                    await(SelectionKey.OP_READ);
                }
            }
        };
        final OutputStream out = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                ByteBuffer buffer = ByteBuffer.wrap(b, off, len);
                while (buffer.hasRemaining()) {
                    if (channel.write(buffer) == 0) {
                        await(SelectionKey.OP_WRITE);
                    }
                }
            }
        };

        UnixChannel(Path path) throws IOException {
            channel = SocketChannel.open(StandardProtocolFamily.UNIX);
            try {
                channel.connect(UnixDomainSocketAddress.of(path));
                channel.configureBlocking(false);
                selector = Selector.open();
                key = channel.register(selector, 0);
            } catch (IOException | RuntimeException e) {
                channel.close();
                throw e;
            }
        }

        private void await(int operation) throws IOException {
            key.interestOps(operation);
            selector.selectedKeys().clear();
            int limit = timeoutMillis;
            if (selector.select(limit) == 0) {
                throw new SocketTimeoutException("no answer within " + limit + " ms");
            }
        }

        @Override
        public void close() throws IOException {
            try {
                selector.close();
            } finally {
                channel.close();
            }
        }
    }
}
