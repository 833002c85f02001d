package org.jswtpm.swtpm;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicInteger;
import org.jswtpm.core.Tpm;

/** A server on OS-chosen loopback ports around a given TPM, with small client helpers. */
final class TestServer implements AutoCloseable {
    static final HexFormat HEX = HexFormat.of();
    final Tpm tpm;
    final TpmDevice device;
    final SwtpmServer server;
    final AtomicInteger volatileStores = new AtomicInteger();
    final AtomicInteger volatileDeletes = new AtomicInteger();
    volatile byte[] storedVolatile;

    TestServer(Tpm tpm, SwtpmOptions options) throws IOException {
        this.tpm = tpm;
        this.device = new TpmDevice(tpm, !options.disableAutoShutdown(), options.rejectLocality4());
        if (options.notNeedInit()) {
            device.powerOnAtStart(options.startup());
        } else if (tpm.isRunning()) {
            tpm.stop();
        }
        this.server = new SwtpmServer(options, SwtpmLog.silent());
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

    /** Sends {@code hex} on a new control connection, half-closes, and returns everything sent back. */
    String ctrl(String hex) throws IOException {
        try (Socket s = connect(server.ctrlPort())) {
            s.getOutputStream().write(HEX.parseHex(hex.replace(" ", "")));
            s.shutdownOutput();
            return HEX.formatHex(s.getInputStream().readAllBytes());
        }
    }

    /** Sends {@code hex} on a new data connection, half-closes, and returns everything sent back. */
    String data(String hex) throws IOException {
        try (Socket s = connect(server.dataPort())) {
            s.getOutputStream().write(HEX.parseHex(hex.replace(" ", "")));
            s.shutdownOutput();
            return HEX.formatHex(s.getInputStream().readAllBytes());
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
