package org.jswtpm.swtpm.interop;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * The serial console of a QEMU guest started with {@code -serial stdio}: a daemon thread collects what the
 * guest prints, the test waits for markers in it and types lines to the guest.
 */
final class SerialConsole {
    final Process qemu;
    private final long timeoutSeconds;
    private final StringBuffer text = new StringBuffer();
    private final Thread reader;
    private int consumed;

    SerialConsole(Process qemu, long timeoutSeconds) {
        this.qemu = qemu;
        this.timeoutSeconds = timeoutSeconds;
        reader = new Thread(() -> {
            byte[] buf = new byte[4096];
            try (InputStream in = qemu.getInputStream()) {
                int n;
                while ((n = in.read(buf)) > 0) {
                    text.append(new String(buf, 0, n, StandardCharsets.ISO_8859_1));
                }
            } catch (IOException closed) {
                // the process ended
            }
        }, "qemu-console");
        reader.setDaemon(true);
        reader.start();
    }

    /** Waits until {@code marker} appears anywhere; returns everything printed so far. */
    String await(String marker) throws Exception {
        waitFor(marker, 0);
        return text.toString();
    }

    /** Waits for {@code marker} after what the previous call returned; returns the text up to and with it. */
    String next(String marker) throws Exception {
        int at = waitFor(marker, consumed);
        String out = text.substring(consumed, at + marker.length());
        consumed = at + marker.length();
        return out;
    }

    private int waitFor(String marker, int from) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        int at;
        while ((at = text.indexOf(marker, from)) < 0) {
            if (!qemu.isAlive()) {
                reader.join(2000); // what QEMU wrote before it ended is read to the end
                at = text.indexOf(marker, from);
                assertTrue(at >= 0, "QEMU exited before '" + marker + "':\n" + text);
                return at;
            }
            assertTrue(System.nanoTime() < deadline, "no '" + marker + "' in " + timeoutSeconds + " s:\n" + text);
            Thread.sleep(100);
        }
        return at;
    }

    /** Types {@code line} (with its newline) on the guest's console. */
    void type(String line) throws IOException {
        OutputStream in = qemu.getOutputStream();
        in.write(line.getBytes(StandardCharsets.US_ASCII));
        in.flush();
    }
}
