package org.jswtpm.swtpm;

import java.io.IOException;
import org.jswtpm.core.Tpm;

/**
 * A swtpm-compatible server inside the calling JVM, around a {@link Tpm} the caller built, without
 * state files: for tests and programs that want to drive a TPM with tpm2-tools or another TSS.
 *
 * <pre>{@code
 * try (InProcessSwtpm swtpm = InProcessSwtpm.start(Tpm2.builder().build(), SwtpmOptions.forLoopback(true))) {
 *     // tpm2_getrandom --tcti swtpm:host=127.0.0.1,port=<swtpm.dataPort()> 8
 * }
 * }</pre>
 */
public final class InProcessSwtpm implements AutoCloseable {
    private final TpmDevice device;
    private final SwtpmServer server;

    private InProcessSwtpm(TpmDevice device, SwtpmServer server) {
        this.device = device;
        this.server = server;
    }

    /**
     * Binds the ports in {@code options} (0 = chosen by the OS) and serves {@code tpm}. With
     * {@code notNeedInit} the TPM is powered on and sent the configured {@code TPM2_Startup}; otherwise
     * it is stopped until CMD_INIT. STORE_VOLATILE keeps the blob in memory only.
     */
    public static InProcessSwtpm start(Tpm tpm, SwtpmOptions options) throws IOException {
        TpmDevice device = new TpmDevice(tpm, !options.disableAutoShutdown(), options.rejectLocality4(),
                options.allowSetLocality());
        if (options.notNeedInit()) {
            device.powerOnAtStart(options.startup());
        } else if (tpm.isRunning()) {
            tpm.stop();
        }
        SwtpmServer server = new SwtpmServer(options, SwtpmLog.silent());
        server.bind();
        server.serve(device, new ControlChannel(device, new MemoryVolatileState()));
        return new InProcessSwtpm(device, server);
    }

    /** The bound data port. */
    public int dataPort() {
        return server.dataPort();
    }

    /** The bound control port, or -1 without a control channel. */
    public int ctrlPort() {
        return server.ctrlPort();
    }

    /** The device (locality, buffer size) as the channels see it. */
    public TpmDevice device() {
        return device;
    }

    /** The server (exit requests). */
    public SwtpmServer server() {
        return server;
    }

    /** Stops serving after the automatic {@code TPM2_Shutdown} (unless disabled). */
    @Override
    public void close() {
        server.close();
    }

    private static final class MemoryVolatileState implements VolatileStateFile {
        private byte[] blob;

        @Override
        public synchronized void store(byte[] newBlob) {
            blob = newBlob == null ? null : newBlob.clone();
        }

        @Override
        public synchronized byte[] load() {
            return blob == null ? null : blob.clone();
        }

        @Override
        public synchronized void delete() {
            blob = null;
        }
    }
}
