package org.jswtpm.swtpm;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import org.jswtpm.core.StateKind;
import org.jswtpm.core.StateSink;
import org.jswtpm.core.Tpm;

/**
 * One running {@code swtpm socket}: wires the options, the state directory, the engine, the device and
 * the server together, in swtpm's order — sockets first, then the state lock and the engine, then the
 * pid file — and tears them down once (automatic {@code TPM2_Shutdown}, lock released, pid file removed).
 */
public final class SwtpmProcess implements AutoCloseable {
    private final SwtpmOptions options;
    private final SwtpmLog log;
    private final SwtpmServer server;
    private StateDirectory stateDirectory;
    private TpmDevice device;
    private boolean closed;

    private SwtpmProcess(SwtpmOptions options, Endpoints endpoints, SwtpmLog log) {
        this.options = options;
        this.log = log;
        this.server = new SwtpmServer(options, endpoints, log);
    }

    /**
     * Starts the process's TPM service.
     *
     * @throws IOException if a socket cannot be bound, the state directory cannot be locked or read, or
     *     the pid file cannot be written (everything started so far is closed again)
     */
    public static SwtpmProcess start(SwtpmOptions options, SwtpmLog log, TpmEngineFactory engines)
            throws Exception {
        return start(options, Endpoints.TCP, log, engines);
    }

    /** Starts the process's TPM service with channels on Unix sockets or inherited descriptors. */
    public static SwtpmProcess start(SwtpmOptions options, Endpoints endpoints, SwtpmLog log,
            TpmEngineFactory engines) throws Exception {
        SwtpmProcess process = prepare(options, endpoints, log);
        process.start(engines);
        return process;
    }

    /**
     * A process not yet started, so that a caller can arrange for {@link #close()} (a shutdown hook)
     * before the first socket exists: a SIGTERM right after the socket appeared still removes it.
     */
    public static SwtpmProcess prepare(SwtpmOptions options, Endpoints endpoints, SwtpmLog log) {
        return new SwtpmProcess(options, endpoints, log);
    }

    /**
     * Starts a {@link #prepare prepared} process. A concurrent {@link #close()} waits until this returns.
     *
     * @throws IOException if a socket cannot be bound, the state directory cannot be locked or read, or
     *     the pid file cannot be written (everything started so far is closed again)
     */
    public synchronized void start(TpmEngineFactory engines) throws Exception {
        if (closed) {
            throw new IOException("the process is closing");
        }
        try {
            startUp(engines);
        } catch (Exception e) {
            close();
            throw e;
        }
    }

    private void startUp(TpmEngineFactory engines) throws Exception {
        if (options.stateDir() == null) {
            throw new IOException("Missing --tpmstate dir=<dir> (or the TPM_PATH environment variable)");
        }
        server.bind();
        stateDirectory = new StateDirectory(options.stateDir(), options.stateFileMode());
        if (options.stateLock()) {
            stateDirectory.lock();
        }
        Map<StateKind, byte[]> stored = new EnumMap<>(StateKind.class);
        for (StateKind kind : StateKind.values()) {
            byte[] blob = stateDirectory.load(kind);
            if (blob != null) {
                stored.put(kind, blob);
            }
        }
        StateSink sink = this::storeState;
        Tpm tpm = engines.create(stored, sink);
        device = new TpmDevice(tpm, !options.disableAutoShutdown(), options.rejectLocality4());
        if (options.notNeedInit()) {
            device.powerOnAtStart(options.startup());
        } else if (tpm.isRunning()) {
            tpm.stop();
        }
        server.serve(device, new ControlChannel(device, stateDirectory.volatileFile()));
        if (options.pidFile() != null) {
            PidFile.write(options.pidFile());
        }
        log.info(1, "jswtpm " + Capabilities.VERSION + " serving " + server.describe());
    }

    /** Permanent and save-state changes are written through; volatile state only on STORE_VOLATILE. */
    private void storeState(StateKind kind, byte[] blob) throws IOException {
        if (kind != StateKind.VOLATILE) {
            stateDirectory.stateChanged(kind, blob);
        }
    }

    /** The server, for its bound ports. */
    public SwtpmServer server() {
        return server;
    }

    /** Blocks until CMD_SHUTDOWN, a terminating disconnect, or {@link #close()}. */
    public void awaitExitRequest() throws InterruptedException {
        server.awaitExitRequest();
    }

    /** Stops serving (automatic shutdown first), releases the state lock, removes the pid file. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        server.close();
        if (stateDirectory != null) {
            try {
                stateDirectory.close();
            } catch (IOException e) {
                log.error("Could not release the state directory lock: " + e.getMessage());
            }
        }
        if (options.pidFile() != null && device != null) {
            try {
                Files.deleteIfExists(options.pidFile());
            } catch (IOException e) {
                log.info(1, "Could not remove the pid file: " + e.getMessage());
            }
        }
    }

    /** The state directory's path (for messages). */
    Path stateDir() {
        return options.stateDir();
    }
}
