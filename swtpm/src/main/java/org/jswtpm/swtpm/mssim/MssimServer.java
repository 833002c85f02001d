package org.jswtpm.swtpm.mssim;

import static org.jswtpm.swtpm.mssim.MssimProtocol.*;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Consumer;
import org.jswtpm.swtpm.ControlChannel;
import org.jswtpm.swtpm.ControlCommand;
import org.jswtpm.swtpm.ControlRequest;
import org.jswtpm.swtpm.SwtpmLog;
import org.jswtpm.swtpm.TpmDevice;

/**
 * The mssim listener (a jswtpm extension): the TPM command port and the platform port of the
 * Microsoft/IBM TPM 2.0 simulator, serving the same {@link TpmDevice} as the swtpm channels.
 *
 * <p>Command port, persistent connections: {@code u32 8 (TPM_SEND_COMMAND), u8 locality, u32 size,
 * command} is answered with {@code u32 size, response, u32 0}; {@code _TPM_Hash_*} (5, 6, 7),
 * REMOTE_HANDSHAKE (15) and SET_ALTERNATIVE_RESULT (16) as the simulator; SESSION_END (20) or a plain
 * close ends the connection; STOP (21) ends the process; any other code closes the connection.
 *
 * <p>Platform port: {@code u32 code} is answered with {@code u32 0} (or, when the TPM refused, the
 * swtpm PtmResult code, e.g. 0x0a while powered off); an unknown code is answered with {@code u32 1}
 * and the connection is closed, as the simulator does. See {@code docs/swtpm-compatibility.md}.
 *
 * <p>Power follows the simulator: POWER_ON while powered on is a no-op (every tpm2-tss client sends it
 * when it connects), SIGNAL_RESET and SIGNAL_RESTART are {@code _TPM_Init} while powered on and no-ops
 * while off. Power-on and power-off go through the {@link ControlChannel} as CMD_INIT and CMD_STOP, so
 * state locking, the stored volatile state and the automatic {@code TPM2_Shutdown} behave as there.
 *
 * <p>Each connection has its own thread; the device lock serializes the TPM. Bad input closes the
 * connection it came on, never the process.
 */
public final class MssimServer implements AutoCloseable {
    /** Once a request has begun, the rest of it must arrive within this time. */
    static final int FRAME_TIMEOUT_MILLIS = 5000;
    /** Connections served at once per port; more are closed at once. */
    static final int MAX_CONNECTIONS = 16;

    private final MssimOptions options;
    private final SwtpmLog log;
    private ServerSocket commandListener;
    private ServerSocket platformListener;
    private TpmDevice device;
    private ControlChannel control;
    private Consumer<String> exitRequest = why -> { };
    private final Set<Socket> commandClients = new HashSet<>();
    private final Set<Socket> platformClients = new HashSet<>();
    private volatile boolean closed;
    private final Sizes sizes = new Sizes();

    /** A listener with {@code options}, not yet bound. */
    public MssimServer(MssimOptions options, SwtpmLog log) {
        this.options = options;
        this.log = log;
    }

    /** Binds both ports; clients wait in the backlog until {@link #serve}. */
    public synchronized void bind() throws IOException {
        commandListener = listen(options.commandPort(), "mssim command");
        try {
            platformListener = listen(options.platformPort(), "mssim platform");
        } catch (IOException e) {
            commandListener.close();
            throw e;
        }
    }

    private ServerSocket listen(int port, String what) throws IOException {
        ServerSocket s = new ServerSocket();
        s.setReuseAddress(true);
        try {
            s.bind(new InetSocketAddress(InetAddress.getByName(options.bindAddress()), port), 4);
        } catch (IOException e) {
            s.close();
            throw new IOException("Could not bind the " + what + " socket to " + options.bindAddress() + " port "
                    + port + ": " + e.getMessage(), e);
        }
        return s;
    }

    /**
     * Starts serving {@code servedDevice}; power and hash signals go through {@code controlChannel};
     * STOP (and, with {@code terminate}, a command client hanging up) calls {@code onExit}.
     */
    public void serve(TpmDevice servedDevice, ControlChannel controlChannel, Consumer<String> onExit) {
        this.device = servedDevice;
        this.control = controlChannel;
        this.exitRequest = onExit;
        startThread("mssim-command-accept", () -> acceptLoop(commandListener, commandClients, this::commandClient));
        startThread("mssim-platform-accept", () -> acceptLoop(platformListener, platformClients, this::platformClient));
    }

    /** The bound command port. */
    public int commandPort() {
        return commandListener.getLocalPort();
    }

    /** The bound platform port. */
    public int platformPort() {
        return platformListener.getLocalPort();
    }

    /** Where the ports are, for the log. */
    public String describe() {
        return "mssim command port " + commandPort() + ", mssim platform port " + platformPort();
    }

    private static void startThread(String name, Runnable body) {
        Thread t = new Thread(body, name);
        t.setDaemon(true);
        t.start();
    }

    private interface Handler {
        void serve(Socket s) throws IOException;
    }

    private void acceptLoop(ServerSocket listener, Set<Socket> clients, Handler handler) {
        while (!closed) {
            Socket s;
            try {
                s = listener.accept();
            } catch (IOException e) {
                if (!closed) {
                    log.info(2, "mssim accept failed: " + e.getMessage());
                    pause();
                }
                continue;
            }
            synchronized (this) {
                if (closed || clients.size() >= MAX_CONNECTIONS) {
                    closeQuietly(s);
                    continue;
                }
                clients.add(s);
            }
            startThread("mssim-client", () -> {
                try (s) {
                    s.setTcpNoDelay(true);
                    handler.serve(s);
                } catch (IOException e) {
                    if (!closed) {
                        log.info(2, "mssim connection: " + e.getMessage());
                    }
                } catch (RuntimeException e) {
                    log.error("Unexpected error on an mssim connection: " + e);
                } finally {
                    synchronized (this) {
                        clients.remove(s);
                    }
                }
            });
        }
    }

    private static void pause() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A code for "the peer closed between requests". */
    private static final int CLOSED = -1;

    /**
     * Reads the next u32 code: {@link #CLOSED} if the peer closed between requests, a code above every
     * known one ({@link Integer#MAX_VALUE}) for codes of 2^31 and more.
     */
    private static int nextCode(Socket s, DataInputStream in) throws IOException {
        s.setSoTimeout(0);
        int first = in.read();
        if (first < 0) {
            return CLOSED;
        }
        s.setSoTimeout(FRAME_TIMEOUT_MILLIS);
        byte[] rest = new byte[3];
        in.readFully(rest);
        int code = (first << 24) | ((rest[0] & 0xff) << 16) | ((rest[1] & 0xff) << 8) | (rest[2] & 0xff);
        return code < 0 ? Integer.MAX_VALUE : code;
    }

    private void commandClient(Socket s) throws IOException {
        try {
            serveCommands(s);
        } finally {
            if (options.terminate() && !closed) {
                exitRequest.accept("mssim command client disconnected");
            }
        }
    }

    private void serveCommands(Socket s) throws IOException {
        DataInputStream in = new DataInputStream(s.getInputStream());
        DataOutputStream out = new DataOutputStream(new java.io.BufferedOutputStream(s.getOutputStream()));
        while (!closed) {
            int code;
            try {
                code = nextCode(s, in);
            } catch (EOFException e) {
                return;
            }
            switch (code) {
                case CLOSED, SESSION_END -> {
                    return;
                }
                case STOP -> {
                    exitRequest.accept("mssim STOP");
                    return;
                }
                case SEND_COMMAND -> {
                    int locality = in.readUnsignedByte();
                    int size = in.readInt();
                    if (size < 0 || size > device.bufferSize()) {
                        log.info(2, "mssim command of " + Integer.toUnsignedString(size) + " bytes refused, closing");
                        return;
                    }
                    byte[] command = new byte[size];
                    in.readFully(command);
                    byte[] response = execute(locality, command);
                    out.writeInt(response.length);
                    out.write(response);
                }
                case SIGNAL_HASH_START, SIGNAL_HASH_DATA, SIGNAL_HASH_END -> {
                    Integer rc = hashSignal(code, in);
                    if (rc == null) {
                        return;
                    }
                    out.writeInt(rc);
                    out.flush();
                    continue;
                }
                case REMOTE_HANDSHAKE -> {
                    int clientVersion = in.readInt();
                    if (clientVersion == 0) {
                        log.info(2, "mssim handshake with client version 0, closing");
                        return;
                    }
                    out.writeInt(SERVER_VERSION);
                    out.writeInt(ENDPOINT_FLAGS);
                }
                case SET_ALTERNATIVE_RESULT -> in.readInt();
                default -> {
                    log.info(2, "mssim command port: unknown code " + code + ", closing");
                    return;
                }
            }
            out.writeInt(0);
            out.flush();
        }
    }

    private byte[] execute(int locality, byte[] command) {
        sizes.command(command);
        byte[] response;
        try {
            response = device.execute(locality, command);
        } catch (RuntimeException e) {
            log.error("TPM command failed: " + e);
            response = new byte[] {(byte) 0x80, 0x01, 0, 0, 0, 0x0a, 0, 0, 0x01, 0x01}; // TPM_RC_FAILURE
        }
        sizes.response(response);
        return response;
    }

    /** HASH_START/DATA/END at locality 4 through the control channel; null if the connection must close. */
    private Integer hashSignal(int code, DataInputStream in) throws IOException {
        if (code == SIGNAL_HASH_DATA) {
            int length = in.readInt();
            if (length < 0 || length > MAX_HASH_DATA) {
                log.info(2, "mssim HASH_DATA of " + Integer.toUnsignedString(length) + " bytes refused, closing");
                return null;
            }
            byte[] body = new byte[4 + length];
            ByteBuffer.wrap(body).putInt(length);
            in.readFully(body, 4, length);
            return control(ControlCommand.HASH_DATA, body);
        }
        return control(code == SIGNAL_HASH_START ? ControlCommand.HASH_START : ControlCommand.HASH_END, new byte[0]);
    }

    private int control(ControlCommand command, byte[] body) {
        byte[] reply = control.handle(new ControlRequest(command.code(), body), InputStream.nullInputStream()).bytes();
        return ByteBuffer.wrap(reply).getInt();
    }

    private void platformClient(Socket s) throws IOException {
        DataInputStream in = new DataInputStream(s.getInputStream());
        DataOutputStream out = new DataOutputStream(new java.io.BufferedOutputStream(s.getOutputStream()));
        while (!closed) {
            int code;
            try {
                code = nextCode(s, in);
            } catch (EOFException e) {
                return;
            }
            int rc = 0;
            switch (code) {
                case CLOSED, SESSION_END -> {
                    return;
                }
                case STOP -> {
                    exitRequest.accept("mssim STOP");
                    return;
                }
                case SIGNAL_POWER_ON -> rc = powerOn(false);
                case SIGNAL_RESET, SIGNAL_RESTART -> rc = powerOn(true);
                case SIGNAL_POWER_OFF -> rc = control(ControlCommand.STOP, new byte[0]);
                case SIGNAL_HASH_START, SIGNAL_HASH_DATA, SIGNAL_HASH_END -> {
                    Integer hash = hashSignal(code, in);
                    if (hash == null) {
                        return;
                    }
                    rc = hash;
                }
                case SIGNAL_CANCEL_ON -> device.cancel();
                case SIGNAL_CANCEL_OFF, SIGNAL_PHYS_PRES_ON, SIGNAL_PHYS_PRES_OFF, SIGNAL_NV_ON, SIGNAL_NV_OFF,
                        SIGNAL_KEY_CACHE_ON, SIGNAL_KEY_CACHE_OFF -> rc = 0; // acknowledged, no semantics
                case GET_COMMAND_RESPONSE_SIZES -> out.write(sizes.takeReport());
                default -> {
                    log.info(2, "mssim platform port: unknown code " + code + ", closing");
                    out.writeInt(UNKNOWN_PLATFORM_CODE);
                    out.flush();
                    return;
                }
            }
            out.writeInt(rc);
            out.flush();
        }
    }

    /**
     * POWER_ON ({@code reset} false): {@code _TPM_Init} unless the TPM is already on. SIGNAL_RESET and
     * SIGNAL_RESTART ({@code reset} true): {@code _TPM_Init} if the TPM is on, else nothing.
     */
    private int powerOn(boolean reset) {
        synchronized (device) {
            if (device.isRunning() != reset) {
                return 0;
            }
            return control(ControlCommand.INIT, new byte[4]);
        }
    }

    /** Stops listening and closes every connection. Safe to call more than once. */
    @Override
    public void close() {
        Set<Socket> open = new HashSet<>();
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            open.addAll(commandClients);
            open.addAll(platformClients);
        }
        closeQuietly(commandListener);
        closeQuietly(platformListener);
        open.forEach(MssimServer::closeQuietly);
    }

    private static void closeQuietly(AutoCloseable c) {
        if (c != null) {
            try {
                c.close();
            } catch (Exception e) {
                // closing anyway
            }
        }
    }

    /** The largest command and response seen since the last GET_COMMAND_RESPONSE_SIZES. */
    private static final class Sizes {
        private int commandSize;
        private int commandCode;
        private int responseSize;
        private int responseCode;

        synchronized void command(byte[] c) {
            if (c.length > commandSize) {
                commandSize = c.length;
                commandCode = c.length >= 10 ? ByteBuffer.wrap(c, 6, 4).getInt() : 0;
            }
        }

        synchronized void response(byte[] r) {
            if (r.length > responseSize) {
                responseSize = r.length;
                responseCode = r.length >= 10 ? ByteBuffer.wrap(r, 6, 4).getInt() : 0;
            }
        }

        /** {@code u32 16}, then the four values big-endian; resets them. */
        synchronized byte[] takeReport() {
            byte[] report = ByteBuffer.allocate(20).putInt(16).putInt(commandSize).putInt(commandCode)
                    .putInt(responseSize).putInt(responseCode).array();
            commandSize = commandCode = responseSize = responseCode = 0;
            return report;
        }
    }
}
