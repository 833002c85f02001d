package org.jswtpm.swtpm.interop;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.Platform;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;

/**
 * A pseudo-terminal in raw mode, as a character device for {@code swtpm chardev}: the test keeps the
 * master side, the process under test opens the slave ({@code /dev/pts/N}). Raw mode (set through the
 * master, which Linux applies to the slave) passes the TPM's bytes unchanged.
 */
final class Pty implements AutoCloseable {
    private static final int O_RDWR = 2;
    private static final int O_NOCTTY = 0400;
    private static final int TCSANOW = 0;

    static {
        Native.register(Platform.C_LIBRARY_NAME);
    }

    final int master;
    final Path slave;
    private boolean closed;

    private Pty(int master, Path slave) {
        this.master = master;
        this.slave = slave;
    }

    /** Allocates a pty and puts it in raw mode. */
    static Pty open() throws IOException {
        try {
            int master = posix_openpt(O_RDWR | O_NOCTTY);
            grantpt(master);
            unlockpt(master);
            String slave = ptsname(master);
            try (Memory termios = new Memory(256)) {
                tcgetattr(master, termios);
                cfmakeraw(termios);
                tcsetattr(master, TCSANOW, termios);
            }
            return new Pty(master, Path.of(slave));
        } catch (LastErrorException e) {
            throw new IOException("cannot allocate a pty: errno " + e.getErrorCode(), e);
        }
    }

    /** Writes {@code bytes} to the device with one write. */
    void write(byte[] bytes) throws IOException {
        try {
            write(master, bytes, new NativeLong(bytes.length));
        } catch (LastErrorException e) {
            throw new IOException("write failed: errno " + e.getErrorCode(), e);
        }
    }

    /** Reads one TPM response: its 10-byte header, then the rest its size names; waits up to 20 s. */
    byte[] readResponse() throws IOException {
        byte[] header = readFully(10);
        int size = ByteBuffer.wrap(header, 2, 4).getInt();
        byte[] response = new byte[size];
        System.arraycopy(header, 0, response, 0, 10);
        System.arraycopy(readFully(size - 10), 0, response, 10, size - 10);
        return response;
    }

    private byte[] readFully(int n) throws IOException {
        byte[] out = new byte[n];
        int done = 0;
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (done < n) {
            ByteBuffer pfd = ByteBuffer.allocate(8).order(ByteOrder.nativeOrder());
            pfd.putInt(master).putShort((short) 1).putShort((short) 0);
            byte[] fds = pfd.array();
            int left = (int) Math.max(0, (deadline - System.nanoTime()) / 1_000_000);
            if (left == 0 || poll(fds, new NativeLong(1), left) == 0) {
                throw new IOException("no response within 20 s (" + done + " of " + n + " bytes)");
            }
            byte[] chunk = new byte[n - done];
            int got;
            try {
                got = read(master, chunk, new NativeLong(chunk.length)).intValue();
            } catch (LastErrorException e) {
                throw new IOException("read failed: errno " + e.getErrorCode(), e);
            }
            if (got <= 0) {
                throw new IOException("the device hung up");
            }
            System.arraycopy(chunk, 0, out, done, got);
            done += got;
        }
        return out;
    }

    /**
     * Waits up to {@code timeoutMillis} for bytes from the device and returns those one read brings
     * (up to 4096), or an empty array on timeout.
     *
     * @throws IOException once the device side is closed
     */
    byte[] readSome(int timeoutMillis) throws IOException {
        ByteBuffer pfd = ByteBuffer.allocate(8).order(ByteOrder.nativeOrder());
        pfd.putInt(master).putShort((short) 1).putShort((short) 0);
        byte[] fds = pfd.array();
        if (poll(fds, new NativeLong(1), timeoutMillis) == 0) {
            return new byte[0];
        }
        if ((ByteBuffer.wrap(fds).order(ByteOrder.nativeOrder()).getShort(6) & 1) == 0) {
            // POLLHUP without data: no process has the device open (yet, or any more)
            try {
                Thread.sleep(Math.min(timeoutMillis, 20));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            }
            return new byte[0];
        }
        byte[] buffer = new byte[4096];
        int n;
        try {
            n = read(master, buffer, new NativeLong(buffer.length)).intValue();
        } catch (LastErrorException e) {
            throw new IOException("read failed: errno " + e.getErrorCode(), e);
        }
        return java.util.Arrays.copyOf(buffer, Math.max(0, n));
    }

    /** Closes the master: the slave hangs up. */
    synchronized void hangUp() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            close(master);
        } catch (LastErrorException e) {
            // nothing left to release
        }
    }

    @Override
    public void close() {
        hangUp();
    }

    private static native int posix_openpt(int flags) throws LastErrorException;

    private static native int grantpt(int fd) throws LastErrorException;

    private static native int unlockpt(int fd) throws LastErrorException;

    private static native String ptsname(int fd);

    private static native int tcgetattr(int fd, com.sun.jna.Pointer termios) throws LastErrorException;

    private static native void cfmakeraw(com.sun.jna.Pointer termios);

    private static native int tcsetattr(int fd, int when, com.sun.jna.Pointer termios) throws LastErrorException;

    private static native int poll(byte[] fds, NativeLong nfds, int timeout) throws LastErrorException;

    private static native NativeLong read(int fd, byte[] buf, NativeLong count) throws LastErrorException;

    private static native NativeLong write(int fd, byte[] buf, NativeLong count) throws LastErrorException;

    private static native int close(int fd) throws LastErrorException;
}
