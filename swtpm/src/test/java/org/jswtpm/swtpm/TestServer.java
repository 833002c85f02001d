package org.jswtpm.swtpm;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicInteger;
import org.jswtpm.core.Tpm;

/**
 * A server around a given TPM with small client helpers, over loopback TCP on OS-chosen ports or over
 * Unix sockets in a directory ({@link Transport}), so that one test body runs over both, as swtpm's own
 * test suite runs its tests over every transport.
 */
final class TestServer implements AutoCloseable {
    static final HexFormat HEX = HexFormat.of();

    /** What carries the channels. */
    enum Transport {
        /** Loopback TCP ports chosen by the OS. */
        TCP,
        /** Unix sockets {@code data.sock} and {@code ctrl.sock} in a directory. */
        UNIX
    }

    final Tpm tpm;
    final TpmDevice device;
    final SwtpmServer server;
    final Transport transport;
    final Path dir;
    final AtomicInteger volatileStores = new AtomicInteger();
    final AtomicInteger volatileDeletes = new AtomicInteger();
    volatile byte[] storedVolatile;

    TestServer(Tpm tpm, SwtpmOptions options) throws IOException {
        this(tpm, options, Transport.TCP, null);
    }

    TestServer(Tpm tpm, SwtpmOptions options, Transport transport, Path dir) throws IOException {
        this(tpm, options, transport == Transport.TCP ? Endpoints.TCP
                : new Endpoints(new Endpoints.UnixPath(dir.resolve("data.sock"), 0700, null, null),
                        new Endpoints.UnixPath(dir.resolve("ctrl.sock"), 0700, null, null)), transport, dir);
    }

    TestServer(Tpm tpm, SwtpmOptions options, Endpoints endpoints, Transport transport, Path dir)
            throws IOException {
        this.tpm = tpm;
        this.transport = transport;
        this.dir = dir;
        this.device = new TpmDevice(tpm, !options.disableAutoShutdown(), options.rejectLocality4(),
                options.allowSetLocality());
        if (options.notNeedInit()) {
            device.powerOnAtStart(options.startup());
        } else if (tpm.isRunning()) {
            tpm.stop();
        }
        this.server = new SwtpmServer(options, endpoints, SwtpmLog.silent());
        server.bind();
        server.serve(device, new ControlChannel(device, new VolatileStateFile() {
            @Override
            public void store(byte[] blob) {
                volatileStores.incrementAndGet();
                storedVolatile = blob;
            }

            @Override
            public byte[] load() {
                return storedVolatile;
            }

            @Override
            public void delete() {
                volatileDeletes.incrementAndGet();
                storedVolatile = null;
            }
        }));
    }

    static TestServer running(Tpm tpm) throws IOException {
        return new TestServer(tpm, SwtpmOptions.forLoopback(true));
    }

    static TestServer stopped(Tpm tpm) throws IOException {
        return new TestServer(tpm, SwtpmOptions.forLoopback(false));
    }

    Socket connect(int port) throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress("127.0.0.1", port), 2000);
        s.setSoTimeout(3000);
        return s;
    }

    /** A new connection to the control channel. */
    TestClient ctrlClient() throws IOException {
        return transport == Transport.TCP ? TestClient.tcp(connect(server.ctrlPort()))
                : TestClient.unix(dir.resolve("ctrl.sock"));
    }

    /** A new connection to the data channel. */
    TestClient dataClient() throws IOException {
        return transport == Transport.TCP ? TestClient.tcp(connect(server.dataPort()))
                : TestClient.unix(dir.resolve("data.sock"));
    }

    /** Sends {@code hex} on a new control connection, half-closes, and returns everything sent back. */
    String ctrl(String hex) throws IOException {
        try (TestClient c = ctrlClient()) {
            return c.sendAndReadAll(hex);
        }
    }

    /** Sends {@code hex} on a new data connection, half-closes, and returns everything sent back. */
    String data(String hex) throws IOException {
        try (TestClient c = dataClient()) {
            return c.sendAndReadAll(hex);
        }
    }

    /** Sends {@code hex} on {@code s} and reads exactly {@code length} bytes. */
    static String exchange(Socket s, String hex, int length) throws IOException {
        OutputStream out = s.getOutputStream();
        out.write(HEX.parseHex(hex.replace(" ", "")));
        out.flush();
        InputStream in = s.getInputStream();
        return HEX.formatHex(in.readNBytes(length));
    }

    @Override
    public void close() {
        server.close();
    }
}
