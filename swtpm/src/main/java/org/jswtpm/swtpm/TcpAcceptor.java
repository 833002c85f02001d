package org.jswtpm.swtpm;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/** A TCP listening socket (address reuse, backlog 1, as swtpm's). */
final class TcpAcceptor implements Acceptor {
    private final ServerSocket socket;

    private TcpAcceptor(ServerSocket socket) {
        this.socket = socket;
    }

    /** Binds {@code address}:{@code port} (0 = chosen by the OS). */
    static TcpAcceptor bind(String address, int port, String what) throws IOException {
        ServerSocket s = new ServerSocket();
        s.setReuseAddress(true);
        try {
            s.bind(new InetSocketAddress(InetAddress.getByName(address), port), 1);
        } catch (IOException e) {
            s.close();
            throw new IOException("Could not bind the " + what + " socket to " + address + " port " + port
                    + ": " + e.getMessage(), e);
        }
        return new TcpAcceptor(s);
    }

    /** The bound port. */
    int port() {
        return socket.getLocalPort();
    }

    @Override
    public Connection accept() throws IOException {
        return new SocketConnection(socket.accept());
    }

    @Override
    public String describe() {
        return "tcp port " + socket.getLocalPort();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
