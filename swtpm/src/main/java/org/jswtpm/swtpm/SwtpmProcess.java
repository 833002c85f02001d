package org.jswtpm.swtpm;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.jswtpm.core.StateFormatException;
import org.jswtpm.core.StateKind;
import org.jswtpm.core.Tpm;
import org.jswtpm.store.KeyLoader;
import org.jswtpm.store.KeyOption;
import org.jswtpm.store.StateKey;
import org.jswtpm.store.StateStores;
import org.jswtpm.store.TpmFamily;
import org.jswtpm.swtpm.mssim.MssimOptions;
import org.jswtpm.swtpm.mssim.MssimServer;

/**
 * One running {@code swtpm socket}: wires the options, the keys, the state store, the engine, the device
 * and the server together, in swtpm's order — sockets first, then keys, the state lock (when the TPM
 * starts now) and the engine, then the pid file — and tears them down once (automatic
 * {@code TPM2_Shutdown}, lock released, keys wiped, pid file removed).
 */
public final class SwtpmProcess implements AutoCloseable {
    private final SwtpmOptions options;
    private final StateConfig stateConfig;
    private final SwtpmLog log;
    private final SwtpmServer server;
    /** The mssim listener ({@code --server type=mssim}), or null. */
    private final MssimServer mssim;
    private StateKey fileKey;
    private StateKey migrationKey;
    private StoredState state;
    private TpmDevice device;
    private PcapRecorder trace;
    /** The pid file written ({@code --pid file=} or the file behind {@code --pid fd=}), removed at exit. */
    private Path writtenPidFile;
    private boolean closed;

    private SwtpmProcess(SwtpmOptions options, StateConfig stateConfig, Endpoints endpoints, MssimOptions mssim,
            SwtpmLog log) {
        this.options = options;
        this.stateConfig = stateConfig;
        this.log = log;
        this.server = new SwtpmServer(options, endpoints, log);
        this.mssim = mssim == null ? null : new MssimServer(mssim, log);
    }

    /** Starts the process's TPM service with the state directory, mode and locking of {@code options}. */
    public static SwtpmProcess start(SwtpmOptions options, SwtpmLog log, TpmEngineFactory engines)
            throws Exception {
        return start(options, StateConfig.of(options), log, engines);
    }

    /**
     * Starts the process's TPM service.
     *
     * @throws IOException if a socket cannot be bound, a key cannot be read, the state cannot be locked,
     *     a stored blob is torn, truncated, foreign or encrypted with another key (the message names the
     *     file), or the pid file cannot be written (everything started so far is closed again)
     */
    public static SwtpmProcess start(SwtpmOptions options, StateConfig stateConfig, SwtpmLog log,
            TpmEngineFactory engines) throws Exception {
        SwtpmProcess process = prepare(options, stateConfig, Endpoints.TCP, log);
        process.start(engines);
        return process;
    }

    /**
     * A process not yet started, with its channels on TCP ports, Unix sockets or inherited descriptors
     * ({@code endpoints}), so that a caller can arrange for {@link #close()} (a shutdown hook) before the
     * first socket exists: a SIGTERM right after the socket appeared still removes it.
     */
    public static SwtpmProcess prepare(SwtpmOptions options, StateConfig stateConfig, Endpoints endpoints,
            SwtpmLog log) {
        return new SwtpmProcess(options, stateConfig, endpoints, null, log);
    }

    /**
     * A process not yet started that also serves the mssim protocol ({@code mssim}; null for none), a
     * jswtpm extension.
     */
    public static SwtpmProcess prepare(SwtpmOptions options, StateConfig stateConfig, Endpoints endpoints,
            MssimOptions mssim, SwtpmLog log) {
        return new SwtpmProcess(options, stateConfig, endpoints, mssim, log);
    }

    /**
     * Starts a {@link #prepare prepared} process. A concurrent {@link #close()} waits until this returns.
     *
     * @throws IOException as {@link #start(SwtpmOptions, StateConfig, SwtpmLog, TpmEngineFactory)}
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
        if (stateConfig.tpmstate() == null) {
            throw new IOException("Missing --tpmstate dir=<dir> (or the TPM_PATH environment variable)");
        }
        server.bind();
        if (mssim != null) {
            mssim.bind();
        }
        fileKey = loadKey(stateConfig.key(), "--key");
        migrationKey = loadKey(stateConfig.migrationKey(), "--migration-key");
        state = new StoredState(StateStores.openWithEnvelope(stateConfig.tpmstate(), TpmFamily.TPM2, fileKey),
                fileKey, migrationKey, stateConfig.incomingMigration(), log);
        if (options.notNeedInit()) {
            state.lockAtStart();
        }
        Map<StateKind, byte[]> stored = state.loadAll();
        Tpm tpm = createEngine(engines, stored);
        device = new TpmDevice(tpm, !options.disableAutoShutdown(), options.rejectLocality4(),
                options.allowSetLocality());
        device.beforeCommand(state::beforeDataCommand);
        if (trace != null) {
            device.traceTo(trace);
        }
        if (options.notNeedInit()) {
            device.powerOnAtStart(options.startup());
        } else if (tpm.isRunning()) {
            tpm.stop();
        }
        ControlChannel control = new ControlChannel(device, state);
        server.serve(device, control);
        if (mssim != null) {
            mssim.serve(device, control, server::requestExit);
        }
        if (options.pidFile() != null) {
            PidFile.write(options.pidFile());
            writtenPidFile = options.pidFile();
        } else if (options.pidFd() >= 0) {
            writtenPidFile = PidFile.write(options.pidFd());
        }
        log.info(1, "jswtpm " + Capabilities.VERSION + " serving " + server.describe()
                + (mssim == null ? "" : ", " + mssim.describe()));
    }

    private static StateKey loadKey(KeyOption option, String name) throws IOException {
        if (option == null) {
            return null;
        }
        try {
            return KeyLoader.load(option, DescriptorInput::open);
        } catch (IOException e) {
            throw new IOException(name + ": " + e.getMessage(), e);
        }
    }

    /**
     * Builds the engine from the stored blobs; a blob the engine cannot read (a foreign or newer inner
     * payload) stops the start with a message naming its file, never a fresh TPM in its place.
     */
    private Tpm createEngine(TpmEngineFactory engines, Map<StateKind, byte[]> stored) throws Exception {
        try {
            return engines.create(stored, state);
        } catch (StateFormatException e) {
            throw new IOException("TPM state " + state.locationOf(blameOf(e, stored)) + " cannot be read: "
                    + e.getMessage(), e);
        } catch (IllegalStateException e) {
            if (e.getCause() instanceof IOException cause) {
                throw cause; // a new TPM could not be stored: say why (the lock, the disk)
            }
            throw e;
        }
    }

    /** Which blob a StateFormatException is about, from the engine's message. */
    private static StateKind blameOf(StateFormatException e, Map<StateKind, byte[]> stored) {
        String message = String.valueOf(e.getMessage());
        if (message.contains("volatile") && stored.containsKey(StateKind.VOLATILE)) {
            return StateKind.VOLATILE;
        }
        if (message.contains("save-state") && stored.containsKey(StateKind.SAVE_STATE)) {
            return StateKind.SAVE_STATE;
        }
        return StateKind.PERMANENT;
    }

    /** The mssim listener, or null if the process has none. */
    public MssimServer mssim() {
        return mssim;
    }

    /** The server, for its bound ports. */
    public SwtpmServer server() {
        return server;
    }

    /** The stored state (locking, for tests), or null before it was opened. */
    StoredState state() {
        return state;
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
        if (mssim != null) {
            mssim.close();
        }
        server.close();
        if (trace != null) {
            trace.close(); // after the automatic TPM2_Shutdown the server sends on closing
        }
        if (state != null) {
            try {
                state.close();
            } catch (IOException e) {
                log.error("Could not release the state lock: " + e.getMessage());
            }
        }
        for (StateKey key : new StateKey[] {fileKey, migrationKey}) {
            if (key != null) {
                key.destroy();
            }
        }
        if (writtenPidFile != null) {
            try {
                Files.deleteIfExists(writtenPidFile);
            } catch (IOException e) {
                log.info(1, "Could not remove the pid file: " + e.getMessage());
            }
        }
    }

    /** {@code --pcap}: trace the TPM traffic to {@code recorder}, which this process closes at exit. */
    public void traceTo(PcapRecorder recorder) {
        this.trace = recorder;
    }

    /** The state directory's path (for messages). */
    Path stateDir() {
        return stateConfig.tpmstate() == null ? null : stateConfig.tpmstate().path();
    }
}
