package org.jswtpm.swtpm;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;

/**
 * The client side of swtpm's control channel over TCP, as {@code swtpm_ioctl} uses it: one request
 * written in one piece, the response read field by field. A non-zero result ends the response after its
 * first four bytes.
 */
public final class ControlClient implements AutoCloseable {
    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;

    /** Connects to the control channel at {@code host}:{@code port}. */
    public ControlClient(String host, int port) throws IOException {
        socket = new Socket();
        socket.connect(new InetSocketAddress(host, port), 10_000);
        socket.setSoTimeout(30_000);
        socket.setTcpNoDelay(true);
        in = new DataInputStream(socket.getInputStream());
        out = socket.getOutputStream();
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

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
