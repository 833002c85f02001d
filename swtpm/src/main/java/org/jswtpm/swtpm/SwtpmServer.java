package org.jswtpm.swtpm;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.concurrent.CountDownLatch;

/**
 * The listening side of {@code swtpm socket} over TCP: a data port and an optional control port. Each
 * port serves one client at a time on its own thread; the {@link TpmDevice} lock keeps a TPM command
 * and a control command from interleaving. Ports given as 0 are chosen by the OS and reported by
 * {@link #dataPort()} and {@link #ctrlPort()}.
 *
 * <p>Exit conditions are swtpm's: CMD_SHUTDOWN; the data client hanging up with {@code -t}; the control
 * client hanging up with {@code --ctrl ...,terminate}; {@link #close()} (SIGTERM).
 */
public final class SwtpmServer implements AutoCloseable {
    /** Once a data command has begun, the rest of it must arrive within this time. */
    static final int FRAME_TIMEOUT_MILLIS = 2000;
    /** HASH_DATA beyond the first read must keep arriving within this time. */
    static final int CONTROL_DATA_TIMEOUT_MILLIS = 5000;

    private final SwtpmOptions options;
    private final SwtpmLog log;
    private TpmDevice device;
    private ControlChannel control;
    private final CountDownLatch exitRequested = new CountDownLatch(1);
    private ServerSocket dataListener;
    private ServerSocket ctrlListener;
    private volatile boolean closed;

    /** A server with the network settings in {@code options}. */
    public SwtpmServer(SwtpmOptions options, SwtpmLog log) {
        this.options = options;
        this.log = log;
    }

    /**
     * Binds the listening sockets. Clients that connect now wait in the backlog until
     * {@link #serve(TpmDevice, ControlChannel)}; this lets the sockets exist before the engine is built.
     */
    public void bind() throws IOException {
        dataListener = listen(options.dataBindAddress(), options.dataPort(), "data");
        if (options.ctrlPort() >= 0) {
            try {
                ctrlListener = listen(options.ctrlBindAddress(), options.ctrlPort(), "control");
            } catch (IOException e) {
                closeQuietly(dataListener);
                throw e;
            }
        }
    }

    /** Starts serving {@code servedDevice} on the bound sockets. */
    public void serve(TpmDevice servedDevice, ControlChannel controlChannel) {
        this.device = servedDevice;
        this.control = controlChannel;
        if (ctrlListener != null) {
            startThread("swtpm-ctrl", this::controlLoop);
        }
        startThread("swtpm-data", this::dataLoop);
    }

    private static ServerSocket listen(String address, int port, String what) throws IOException {
        ServerSocket s = new ServerSocket();
        s.setReuseAddress(true);
        try {
            s.bind(new InetSocketAddress(InetAddress.getByName(address), port), 1);
        } catch (IOException e) {
            s.close();
            throw new IOException("Could not bind the " + what + " socket to " + address + " port " + port
                    + ": " + e.getMessage(), e);
        }
        return s;
    }

    private static void startThread(String name, Runnable body) {
        Thread t = new Thread(body, name);
        t.setDaemon(true);
        t.start();
    }

    /** The bound data port. */
    public int dataPort() {
        return dataListener.getLocalPort();
    }

    /** The bound control port, or -1 without a control channel. */
    public int ctrlPort() {
        return ctrlListener == null ? -1 : ctrlListener.getLocalPort();
    }

    /** Blocks until something asks the process to exit. */
    public void awaitExitRequest() throws InterruptedException {
        exitRequested.await();
    }

    /** Waits up to {@code timeout} for an exit request; true if there was one. */
    public boolean awaitExitRequest(long timeout, java.util.concurrent.TimeUnit unit) throws InterruptedException {
        return exitRequested.await(timeout, unit);
    }

    /** True once something asked the process to exit. */
    public boolean exitRequested() {
        return exitRequested.getCount() == 0;
    }

    private void requestExit(String why) {
        log.info(1, "Terminating: " + why);
        exitRequested.countDown();
    }

    private void dataLoop() {
        while (!closed) {
            try (Socket client = dataListener.accept()) {
                boolean hungUp = serveData(client);
                if (hungUp && options.terminate()) {
                    requestExit("data client disconnected");
                    return;
                }
            } catch (IOException e) {
                if (!closed) {
                    log.info(2, "Data connection error: " + e.getMessage());
                }
            } catch (RuntimeException e) {
                log.error("Unexpected error on the data channel: " + e);
            }
        }
    }

    /** Serves one data client; returns true if the client hung up, false if we closed (disconnect). */
    private boolean serveData(Socket client) throws IOException {
        client.setTcpNoDelay(true);
        DataFrameReader reader = new DataFrameReader(client, FRAME_TIMEOUT_MILLIS);
        OutputStream out = client.getOutputStream();
        while (true) {
            DataFrame frame;
            try {
                frame = reader.next(device.bufferSize());
            } catch (DataFrameReader.BadFrameException e) {
                log.info(2, "Bad data frame: " + e.getMessage());
                out.write(e.response());
                out.flush();
                return false;
            } catch (IOException e) {
                return true;
            }
            if (frame == null) {
                return true;
            }
            if (log.enabled(4) && frame.command().length >= 10) {
                log.info(4, String.format("TPM command 0x%x", TpmDevice.readInt(frame.command(), 6)));
            }
            byte[] response = frame.prefixed()
                    ? device.execute(frame.locality(), frame.command())
                    : device.execute(frame.command());
            out.write(frame.prefixed() ? withSizePrefix(response) : response);
            out.flush();
            if (options.disconnect()) {
                return false;
            }
        }
    }

    private static byte[] withSizePrefix(byte[] response) {
        return ByteBuffer.allocate(response.length + 8).putInt(response.length).put(response).putInt(0).array();
    }

    private void controlLoop() {
        while (!closed) {
            try (Socket client = ctrlListener.accept()) {
                serveControl(client);
            } catch (IOException e) {
                if (!closed) {
                    log.info(2, "Control connection error: " + e.getMessage());
                }
            } catch (RuntimeException e) {
                log.error("Unexpected error on the control channel: " + e);
            }
            if (!closed && options.ctrlTerminate() && !exitRequested()) {
                requestExit("control client disconnected");
                return;
            }
        }
    }

    private void serveControl(Socket client) throws IOException {
        client.setTcpNoDelay(true);
        ControlRequestReader reader = new ControlRequestReader(client);
        InputStream in = client.getInputStream();
        OutputStream out = client.getOutputStream();
        while (!closed) {
            ControlRequest request = reader.next();
            if (request == null) {
                return;
            }
            log.info(3, String.format("Control command 0x%02x", request.code()));
            client.setSoTimeout(CONTROL_DATA_TIMEOUT_MILLIS);
            ControlChannel.Reply reply = control.handle(request, in);
            out.write(reply.bytes());
            out.flush();
            if (reply.exitAfterReply()) {
                requestExit("CMD_SHUTDOWN");
                return;
            }
        }
    }

    /**
     * Stops serving: closes the listening sockets, then sends the automatic {@code TPM2_Shutdown} unless
     * disabled. Safe to call more than once.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        closeQuietly(dataListener);
        closeQuietly(ctrlListener);
        if (device != null) {
            device.maybeAutoShutdown();
        }
        exitRequested.countDown();
    }

    private static void closeQuietly(ServerSocket s) {
        if (s != null) {
            try {
                s.close();
            } catch (IOException e) {
                // nothing left to do
            }
        }
    }
}
