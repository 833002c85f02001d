package org.jswtpm.swtpm;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The serving side of {@code swtpm socket}: a data channel and an optional control channel, each on a
 * TCP port, a Unix socket path, an inherited listening socket, or an inherited connected descriptor
 * ({@link Endpoints}); and the data channel QEMU hands over with CMD_SET_DATAFD. Each channel serves one
 * client at a time on its own thread; the {@link TpmDevice} lock keeps a TPM command and a control
 * command from interleaving. Ports given as 0 are chosen by the OS and reported by {@link #dataPort()}
 * and {@link #ctrlPort()}.
 *
 * <p>Exit conditions are swtpm's: CMD_SHUTDOWN; the data client hanging up with {@code -t} (implied by
 * {@code --fd} and {@code --server type=tcp,fd=}; libvirt passes {@code --terminate}, so QEMU closing the
 * SET_DATAFD socket ends the process); the control client hanging up with {@code --ctrl ...,terminate};
 * {@link #close()} (SIGTERM).
 */
public final class SwtpmServer implements AutoCloseable {
    /** Once a data command has begun, the rest of it must arrive within this time. */
    static final int FRAME_TIMEOUT_MILLIS = 2000;
    /** HASH_DATA beyond the first read must keep arriving within this time. */
    static final int CONTROL_DATA_TIMEOUT_MILLIS = 5000;

    private final SwtpmOptions options;
    private final Endpoints endpoints;
    private final SwtpmLog log;
    private TpmDevice device;
    private ControlChannel control;
    private final CountDownLatch exitRequested = new CountDownLatch(1);
    private BoundChannels channels;
    /** True while a CMD_SET_DATAFD descriptor serves as the data channel. */
    private final AtomicBoolean passedDataActive = new AtomicBoolean();
    private final List<Connection> open = new ArrayList<>();
    private volatile boolean closed;
    /** See {@link #leaveShutdownConnectionToExit()}. */
    private volatile boolean leaveShutdownConnection;
    /** The control connection CMD_SHUTDOWN came on, left open for the process exit to close. */
    private Connection shutdownConnection;

    /** A server with the TCP settings in {@code options}. */
    public SwtpmServer(SwtpmOptions options, SwtpmLog log) {
        this(options, Endpoints.TCP, log);
    }

    /** A server with the TCP settings in {@code options} and the other channels in {@code endpoints}. */
    public SwtpmServer(SwtpmOptions options, Endpoints endpoints, SwtpmLog log) {
        this.options = options;
        this.endpoints = endpoints;
        this.log = log;
    }

    /**
     * Creates the listening sockets and checks inherited descriptors. Clients that connect now wait in
     * the backlog until {@link #serve(TpmDevice, ControlChannel)}; this lets the sockets exist before the
     * engine is built.
     */
    public void bind() throws IOException {
        channels = BoundChannels.bind(options, endpoints);
    }

    /**
     * The control connection that brings CMD_SHUTDOWN is not closed after the reply, not even by {@link
     * #close()}: the exit of the process closes it. For the swtpm process only. Its end then tells the
     * client ({@code swtpm_ioctl -s} waits for it) that the process is gone, with every descriptor it held:
     * libvirt, right after {@code swtpm_ioctl -s} returns, takes the lock on its pid file that swtpm
     * inherited, and sends SIGTERM to swtpm (logging an error) if swtpm still holds it. Closing the
     * connection right after the reply left the JVM's exit racing swtpm_ioctl's.
     */
    public void leaveShutdownConnectionToExit() {
        leaveShutdownConnection = true;
    }

    /** True once a CMD_SHUTDOWN connection was left open ({@link #leaveShutdownConnectionToExit()}). */
    synchronized boolean shutdownConnectionLeftOpen() {
        return shutdownConnection != null;
    }

    /** Starts serving {@code servedDevice} on the bound channels. */
    public void serve(TpmDevice servedDevice, ControlChannel controlChannel) {
        this.device = servedDevice;
        this.control = controlChannel;
        BoundChannels c = channels;
        if (c.ctrlCarriesFds()) {
            controlChannel.acceptDataFds(this::setDataFd);
        }
        if (c.ctrlAcceptor != null) {
            startThread("swtpm-ctrl", () -> acceptLoop(c.ctrlAcceptor, this::controlClient));
        } else if (c.fixedCtrl != null) {
            startThread("swtpm-ctrl", () -> controlClient(c.fixedCtrl));
        }
        if (c.dataAcceptor != null) {
            startThread("swtpm-data", () -> acceptLoop(c.dataAcceptor, this::dataClient));
        } else if (c.fixedData != null) {
            startThread("swtpm-data", () -> dataClient(c.fixedData));
        }
    }

    private static void startThread(String name, Runnable body) {
        Thread t = new Thread(body, name);
        t.setDaemon(true);
        t.start();
    }

    /** The bound TCP data port, or -1 if the data channel is not a TCP port. */
    public int dataPort() {
        return channels.dataPort();
    }

    /** The bound TCP control port, or -1 if the control channel is not a TCP port. */
    public int ctrlPort() {
        return channels.ctrlPort();
    }

    /** Where the channels are, for the log. */
    public String describe() {
        return channels.describe();
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

    /** Asks the process to exit ({@code why} goes to the log). */
    void requestExit(String why) {
        log.info(1, "Terminating: " + why);
        exitRequested.countDown();
    }

    private interface ClientHandler {
        /** Serves one client; returns false if no further client should be accepted. */
        boolean serve(Connection client);
    }

    private void acceptLoop(Acceptor acceptor, ClientHandler handler) {
        while (!closed) {
            Connection client;
            try {
                client = acceptor.accept();
            } catch (IOException e) {
                if (!closed) {
                    log.info(2, "Accept failed on " + acceptor.describe() + ": " + e.getMessage());
                    pause();
                }
                continue;
            }
            if (!handler.serve(client)) {
                return;
            }
        }
    }

    private static void pause() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Serves one data connection; false once the process is to exit. */
    private boolean dataClient(Connection client) {
        if (!track(client)) {
            return false;
        }
        try (client) {
            boolean hungUp;
            try {
                hungUp = serveData(client);
            } catch (IOException e) {
                // a failed write: the peer is gone (QEMU exited while a command was in flight)
                if (!closed) {
                    log.info(2, "Data connection error: " + e.getMessage());
                }
                hungUp = true;
            }
            if (hungUp && options.terminate() && !closed) {
                requestExit("data client disconnected");
                return false;
            }
        } catch (IOException e) {
            if (!closed) {
                log.info(2, "Data connection error: " + e.getMessage());
            }
        } catch (RuntimeException e) {
            log.error("Unexpected error on the data channel: " + e);
        } finally {
            untrack(client);
        }
        return !closed;
    }

    /** Serves one data client; returns true if the client hung up, false if we closed (disconnect). */
    private boolean serveData(Connection client) throws IOException {
        if (channels.dataIsCharDevice() && client instanceof FdConnection device) {
            return serveCharDevice(device);
        }
        DataFrameReader reader = new DataFrameReader(client, FRAME_TIMEOUT_MILLIS);
        OutputStream out = client.out();
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

    /** {@code swtpm chardev}: one read is one command, one write its response; true once it hung up. */
    private boolean serveCharDevice(FdConnection client) throws IOException {
        while (true) {
            byte[] read = CharDeviceChannel.read(client, device.bufferSize());
            if (read == null) {
                return true;
            }
            DataFrame frame = CharDeviceChannel.frame(read);
            if (log.enabled(4) && frame.command().length >= 10) {
                log.info(4, String.format("TPM command 0x%x", TpmDevice.readInt(frame.command(), 6)));
            }
            byte[] response = frame.prefixed()
                    ? device.execute(frame.locality(), frame.command())
                    : device.execute(frame.command());
            client.out().write(CharDeviceChannel.response(frame, response));
        }
    }

    private static byte[] withSizePrefix(byte[] response) {
        return ByteBuffer.allocate(response.length + 8).putInt(response.length).put(response).putInt(0).array();
    }

    /**
     * CMD_SET_DATAFD (fact sheet §2.6): {@code fd} becomes the persistent data connection. As swtpm, the
     * request fails with TPM_IOERROR while the process has another data channel, and with
     * TPM_BAD_PARAMETER when no descriptor came with it.
     */
    private int setDataFd(int fd) {
        if (closed || channels.hasDataChannel() || !passedDataActive.compareAndSet(false, true)) {
            UnixFds.closeQuietly(fd);
            return PtmResult.TPM_IOERROR;
        }
        if (fd < 0) {
            passedDataActive.set(false);
            log.info(1, "CMD_SET_DATAFD: no valid data socket in the message");
            return PtmResult.TPM_BAD_PARAMETER;
        }
        Connection data = new FdConnection(fd, "SET_DATAFD fd " + fd);
        log.info(2, "CMD_SET_DATAFD: serving the data channel on descriptor " + fd);
        startThread("swtpm-datafd", () -> {
            try {
                dataClient(data);
            } finally {
                passedDataActive.set(false);
            }
        });
        return PtmResult.TPM_SUCCESS;
    }

    /** Serves one control connection; false once the process is to exit. */
    private boolean controlClient(Connection client) {
        if (!track(client)) {
            return false;
        }
        boolean leftOpen = false;
        try {
            leftOpen = serveControl(client);
        } catch (IOException e) {
            if (!closed) {
                log.info(2, "Control connection error: " + e.getMessage());
            }
        } catch (RuntimeException e) {
            log.error("Unexpected error on the control channel: " + e);
        } finally {
            untrack(client);
            if (!leftOpen) {
                try {
                    client.close();
                } catch (IOException e) {
                    if (!closed) {
                        log.info(2, "Control connection error: " + e.getMessage());
                    }
                }
            }
        }
        if (!closed && options.ctrlTerminate() && !exitRequested()) {
            requestExit("control client disconnected");
            return false;
        }
        return !closed && !exitRequested();
    }

    /** Serves control requests until the client hangs up; true if the connection is to be left open. */
    private boolean serveControl(Connection client) throws IOException {
        ControlRequestReader reader = new ControlRequestReader(client);
        OutputStream out = client.out();
        while (!closed) {
            ControlRequest request = reader.next();
            int fd = client.takeReceivedFd();
            if (request == null) {
                UnixFds.closeQuietly(fd);
                return false;
            }
            log.info(3, String.format("Control command 0x%02x", request.code()));
            if (fd >= 0 && request.code() != ControlCommand.SET_DATAFD.code()) {
                UnixFds.closeQuietly(fd);
                fd = -1;
            }
            client.timeout(CONTROL_DATA_TIMEOUT_MILLIS);
            ControlChannel.Reply reply = control.handle(request, client.in(), fd);
            out.write(reply.bytes());
            out.flush();
            if (reply.exitAfterReply()) {
                boolean leave = leaveShutdownConnection;
                if (leave) {
                    synchronized (this) {
                        // before the exit request: close() must not find it among the open connections
                        open.remove(client);
                        shutdownConnection = client;
                    }
                }
                requestExit("CMD_SHUTDOWN");
                return leave;
            }
        }
        return false;
    }

    private synchronized boolean track(Connection c) {
        if (closed) {
            try {
                c.close();
            } catch (IOException e) {
                // closing anyway
            }
            return false;
        }
        open.add(c);
        return true;
    }

    private synchronized void untrack(Connection c) {
        open.remove(c);
    }

    /**
     * Stops serving: closes the listening sockets (removing socket files this process created) and the
     * open connections, then sends the automatic {@code TPM2_Shutdown} unless disabled. Safe to call more
     * than once.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        closeChannels();
        if (device != null) {
            device.maybeAutoShutdown();
        }
        exitRequested.countDown();
    }

    private synchronized void closeChannels() {
        closeQuietly(channels);
        for (Connection c : new ArrayList<>(open)) {
            closeQuietly(c);
        }
        open.clear();
    }

    private void closeQuietly(AutoCloseable c) {
        if (c != null) {
            try {
                c.close();
            } catch (Exception | LinkageError e) {
                log.error("Could not close " + c + ": " + e);
            }
        }
    }
}
