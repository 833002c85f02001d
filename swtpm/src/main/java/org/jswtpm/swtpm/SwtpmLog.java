package org.jswtpm.swtpm;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * swtpm's {@code --log} semantics: without the option, errors go to standard error; {@code file=-}
 * suppresses all output; {@code file=P} appends (or truncates with {@code truncate}); {@code fd=N}
 * writes to an inherited descriptor; a message of level L is written when L is at most the configured
 * level (errors have level 0). Every line starts with {@code prefix} if one is given.
 *
 * <p>Callers never pass secrets (authorization values, keys, state contents) to this log.
 */
public final class SwtpmLog {
    private final PrintStream out;
    private final int level;
    private final String prefix;

    private SwtpmLog(PrintStream out, int level, String prefix) {
        this.out = out;
        this.level = level;
        this.prefix = prefix == null ? "" : prefix;
    }

    /** A log that discards everything. */
    public static SwtpmLog silent() {
        return new SwtpmLog(null, 0, null);
    }

    /** Opens the log described by {@code options}. */
    public static SwtpmLog open(SwtpmOptions.LogOptions options) throws IOException {
        if ("-".equals(options.file())) {
            return silent();
        }
        if (options.file() != null) {
            OutputStream file = Files.newOutputStream(Path.of(options.file()), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE, options.truncate() ? StandardOpenOption.TRUNCATE_EXISTING
                            : StandardOpenOption.APPEND, LinkOption.NOFOLLOW_LINKS);
            return new SwtpmLog(new PrintStream(file, true, StandardCharsets.UTF_8), options.level(), options.prefix());
        }
        if (options.fd() >= 0) {
            return new SwtpmLog(streamForFd(options.fd()), options.level(), options.prefix());
        }
        return new SwtpmLog(System.err, options.level(), options.prefix());
    }

    private static PrintStream streamForFd(int fd) throws IOException {
        if (fd == 1) {
            return System.out;
        }
        if (fd == 2) {
            return System.err;
        }
        try {
            UnixFds.fileMode(fd);
        } catch (IOException e) {
            throw new IOException("Could not access logfile using fd " + fd, e);
        }
        // write(2) on the inherited descriptor: reopening /proc/self/fd/N would be refused for a pipe or
        // file of another user (the one who started us), though the descriptor itself is writable
        OutputStream descriptor = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                UnixFds.writeAll(fd, b, off, len);
            }
        };
        return new PrintStream(descriptor, true, StandardCharsets.UTF_8);
    }

    /** True if this log writes to the process's standard error (no {@code --log} file or fd). */
    public boolean isConsole() {
        return out == System.err;
    }

    /** Logs an error (always written unless logging is suppressed). */
    public void error(String message) {
        write(message);
    }

    /** Logs {@code message} if the configured level is at least {@code messageLevel}. */
    public void info(int messageLevel, String message) {
        if (messageLevel <= level) {
            write(message);
        }
    }

    /** True if messages of {@code messageLevel} are written. */
    public boolean enabled(int messageLevel) {
        return out != null && messageLevel <= level;
    }

    private synchronized void write(String message) {
        if (out != null) {
            out.println(prefix + message);
        }
    }
}
