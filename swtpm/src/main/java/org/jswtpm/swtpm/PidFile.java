package org.jswtpm.swtpm;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * {@code --pid file=F|fd=N}: the process id in decimal, no newline, as swtpm writes it. A file is
 * created (or truncated) with mode 0644; a descriptor must be open on a regular file, gets the pid at
 * its current offset (nothing is truncated) and is closed. Either way the file is removed at exit.
 */
public final class PidFile {
    private PidFile() {
    }

    /**
     * Writes this process's id to the regular file open on {@code fd} and closes {@code fd}.
     *
     * @return the file's path (read from {@code /proc/self/fd}, as swtpm does), to remove at exit
     * @throws IOException if {@code fd} is not a regular file, its path cannot be read, or the write fails
     */
    public static Path write(int fd) throws IOException {
        try {
            int mode;
            try {
                mode = UnixFds.fileMode(fd);
            } catch (IOException e) {
                mode = 0;
            }
            if ((mode & LibC.S_IFMT) != LibC.S_IFREG) {
                throw new IOException("Bad filedescriptor " + fd + " for pid file");
            }
            Path link = Path.of("/proc/self/fd/" + fd);
            Path file;
            try {
                file = link.toRealPath();
            } catch (IOException e) {
                throw new IOException("Could not read " + link + ": " + e.getMessage(), e);
            }
            byte[] pid = Long.toString(ProcessHandle.current().pid()).getBytes(StandardCharsets.US_ASCII);
            try {
                UnixFds.writeAll(fd, pid, 0, pid.length);
            } catch (IOException e) {
                throw new IOException("Could not write to pidfile : " + e.getMessage(), e);
            }
            return file;
        } finally {
            UnixFds.closeQuietly(fd);
        }
    }

    /** Writes this process's id to {@code file}. */
    public static void write(Path file) throws IOException {
        byte[] pid = Long.toString(ProcessHandle.current().pid()).getBytes(StandardCharsets.US_ASCII);
        Files.write(file, pid, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING, LinkOption.NOFOLLOW_LINKS);
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system
        }
    }
}
