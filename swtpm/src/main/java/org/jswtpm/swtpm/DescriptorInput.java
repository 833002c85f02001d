package org.jswtpm.swtpm;

import com.sun.jna.LastErrorException;
import com.sun.jna.NativeLong;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Reads an inherited descriptor with {@code read(2)}, as swtpm reads {@code --key pwdfd=N} and
 * swtpm_setup {@code --pwdfile-fd N}. Reopening {@code /proc/self/fd/N} instead would be checked against
 * the pipe's owner and mode: libvirt's passphrase pipe belongs to root (0600) while swtpm and swtpm_setup
 * run as {@code tss}, so the reopen is refused although the descriptor itself is readable. Closing the
 * stream closes the descriptor.
 */
public final class DescriptorInput extends InputStream {
    private final int fd;
    private boolean closed;

    private DescriptorInput(int fd) {
        this.fd = fd;
    }

    /** A stream on descriptor {@code fd}; usable as a {@code KeyLoader.Descriptors}. */
    public static InputStream open(int fd) throws IOException {
        if (fd < 0) {
            throw new IOException("Bad file descriptor " + fd);
        }
        return new DescriptorInput(fd);
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (closed) {
            throw new IOException("descriptor " + fd + " is closed");
        }
        if (len == 0) {
            return 0;
        }
        byte[] buf = off == 0 ? b : new byte[len];
        while (true) {
            try {
                int n = LibC.read(fd, buf, new NativeLong(len)).intValue();
                if (n <= 0) {
                    return -1;
                }
                if (buf != b) {
                    System.arraycopy(buf, 0, b, off, n);
                    Arrays.fill(buf, (byte) 0);
                }
                return n;
            } catch (LastErrorException e) {
                if (e.getErrorCode() != LibC.EINTR) {
                    throw UnixFds.io("read on descriptor " + fd, e);
                }
            }
        }
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            UnixFds.closeQuietly(fd);
        }
    }
}
