package org.jswtpm.swtpm;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** A minimal QMP client over the JDK's Unix-domain socket channel. */
public final class Qmp implements AutoCloseable {
    private final SocketChannel channel;
    private final BufferedReader in;
    private final Writer out;

    private Qmp(SocketChannel channel) {
        this.channel = channel;
        this.in = new BufferedReader(new InputStreamReader(Channels.newInputStream(channel),
                StandardCharsets.UTF_8));
        this.out = Channels.newWriter(channel, StandardCharsets.UTF_8);
    }

    public static Qmp connect(Path path, Process qemu) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (true) {
            try {
                SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
                ch.connect(UnixDomainSocketAddress.of(path));
                Qmp q = new Qmp(ch);
                q.in.readLine(); // greeting
                q.execute("qmp_capabilities");
                return q;
            } catch (IOException notYet) {
                assertTrue(qemu.isAlive() && System.nanoTime() < deadline, "no QMP socket");
                Thread.sleep(20);
            }
        }
    }

    /** Sends {@code command} and waits for its reply, skipping events. */
    public void execute(String command) throws IOException {
        execute(command, null);
    }

    /**
     * Sends {@code command} with {@code arguments} (a JSON object, or null) and returns its reply line,
     * skipping events.
     */
    public String execute(String command, String arguments) throws IOException {
        out.write("{\"execute\": \"" + command + "\"" + (arguments == null ? "" : ", \"arguments\": " + arguments)
                + "}\n");
        out.flush();
        String line;
        while ((line = in.readLine()) != null) {
            if (line.contains("\"return\"")) {
                return line;
            }
            if (line.contains("\"error\"")) {
                throw new IOException("QMP " + command + ": " + line);
            }
        }
        throw new IOException("QMP connection closed");
    }

    /** Polls {@code query-migrate} until the migration completed; fails if it failed or took too long. */
    public void awaitMigration() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            String reply = execute("query-migrate", null);
            if (reply.contains("\"completed\"")) {
                return;
            }
            if (reply.contains("\"failed\"")) {
                throw new IOException("migration failed: " + reply);
            }
            Thread.sleep(100);
        }
        throw new IOException("migration did not complete");
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
