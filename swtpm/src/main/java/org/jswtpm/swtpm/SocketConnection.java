package org.jswtpm.swtpm;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;

/** A {@link Connection} over a {@link Socket} (TCP). */
final class SocketConnection implements Connection {
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    SocketConnection(Socket socket) throws IOException {
        this.socket = socket;
        socket.setTcpNoDelay(true);
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
    }

    @Override
    public InputStream in() {
        return in;
    }

    @Override
    public OutputStream out() {
        return out;
    }

    @Override
    public void timeout(int millis) throws IOException {
        socket.setSoTimeout(millis);
    }

    @Override
    public String describe() {
        try {
            return "tcp " + socket.getRemoteSocketAddress();
        } catch (UncheckedIOException e) {
            return "tcp";
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
