package org.jswtpm.swtpm;

import com.sun.jna.LastErrorException;
import com.sun.jna.NativeLong;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.SocketTimeoutException;
import java.util.Arrays;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * A {@link Connection} on a descriptor number: a Unix socket accepted here, an inherited socket or
 * character device ({@code --fd}, {@code --server type=tcp,fd=}, {@code --ctrl clientfd=}), or the data
 * socket QEMU passed with CMD_SET_DATAFD. Reads on a socket use {@code recvmsg}, so descriptors sent
 * along (SCM_RIGHTS) are kept for {@link #takeReceivedFd()}.
 *
 * <p>Blocking waits are {@code poll} calls of at most {@link #POLL_SLICE_MILLIS}, so that
 * {@link #close()} from another thread is noticed promptly. Every system call on the descriptor runs
 * under a shared lock that {@link #close()} takes exclusively before it closes the number, so no call
 * can reach a descriptor number the process has meanwhile reused for something else.
 */
final class FdConnection implements Connection {
    static final int POLL_SLICE_MILLIS = 250;
    /** Bytes read ahead per system call (a whole TPM command, or a control request, usually). */
    static final int BUFFER_SIZE = 8192;

    private final int fd;
    private final boolean socket;
    private final String description;
    private final InputStream in = new In();
    private final OutputStream out = new Out();
    private final ReadWriteLock lock = new ReentrantReadWriteLock();
    private volatile boolean closed;
    private volatile int timeoutMillis;
    private int pendingFd = -1;
    /** Native memory for recvmsg, reused; null for a descriptor that is not a socket. */
    private final UnixFds.RecvBuffer recvBuffer;

    /** Wraps {@code fd}; the connection owns it and closes it on {@link #close()}. */
    FdConnection(int fd, String description) {
        this.fd = fd;
        this.socket = UnixFds.isSocket(fd);
        this.description = description;
        this.recvBuffer = socket ? new UnixFds.RecvBuffer(BUFFER_SIZE) : null;
    }

    /** The descriptor number. */
    int fd() {
        return fd;
    }

    @Override
    public InputStream in() {
        return in;
    }

    @Override
    public OutputStream out() {
        return out;
    }

    @Override
    public void timeout(int millis) {
        timeoutMillis = millis;
    }

    @Override
    public synchronized int takeReceivedFd() {
        int taken = pendingFd;
        pendingFd = -1;
        return taken;
    }

    @Override
    public String describe() {
        return description;
    }

    /** Waits until a byte can be read (or the peer hung up); false on timeout. */
    private boolean awaitReadable() throws IOException {
        long deadline = timeoutMillis == 0 ? Long.MAX_VALUE : System.nanoTime() + timeoutMillis * 1_000_000L;
        while (!closed) {
            long left = (deadline - System.nanoTime()) / 1_000_000L;
            if (left <= 0) {
                return false;
            }
            int revents = UnixFds.poll(fd, (int) Math.min(left, POLL_SLICE_MILLIS));
            if ((revents & LibC.POLLNVAL) != 0) {
                throw new IOException("descriptor " + fd + " is not open");
            }
            if (revents != 0) {
                return true;
            }
        }
        throw new IOException("connection closed");
    }

    /**
     * One read system call of at most {@code len} bytes, past the read-ahead buffer (which it requires
     * to be empty): how {@code swtpm chardev} takes one command per read. Waits without limit for data;
     * returns -1 at end of file.
     */
    int readOnce(byte[] b, int off, int len) throws IOException {
        if (in.available() > 0) {
            throw new IllegalStateException("bytes were read ahead from descriptor " + fd);
        }
        timeoutMillis = 0;
        return readSome(b, off, len);
    }

    private int readSome(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        lock.readLock().lock();
        try {
            if (closed) {
                throw new IOException("connection closed");
            }
            return readLocked(b, off, len);
        } finally {
            lock.readLock().unlock();
        }
    }

    private int readLocked(byte[] b, int off, int len) throws IOException {
        if (!awaitReadable()) {
            throw new SocketTimeoutException("no data within " + timeoutMillis + " ms");
        }
        if (socket) {
            int[] fds = new int[4];
            int n = recvBuffer.receive(fd, b, off, len, fds);
            keepFirst(fds);
            return n == 0 ? -1 : n;
        }
        byte[] tmp = new byte[len];
        while (true) {
            try {
                int n = (int) LibC.read(fd, tmp, new NativeLong(len)).longValue();
                if (n <= 0) {
                    return -1;
                }
                System.arraycopy(tmp, 0, b, off, n);
                return n;
            } catch (LastErrorException e) {
                if (e.getErrorCode() != LibC.EINTR && e.getErrorCode() != LibC.EAGAIN) {
                    throw UnixFds.io("read", e);
                }
            }
        }
    }

    private synchronized void keepFirst(int[] fds) {
        for (int received : fds) {
            if (received < 0) {
                continue;
            }
            if (pendingFd < 0) {
                pendingFd = received;
            } else {
                UnixFds.closeQuietly(received);
            }
        }
    }

    private void writeAll(byte[] b, int off, int len) throws IOException {
        lock.readLock().lock();
        try {
            writeLocked(b, off, len);
        } finally {
            lock.readLock().unlock();
        }
    }

    private void writeLocked(byte[] b, int off, int len) throws IOException {
        int done = 0;
        byte[] rest = off == 0 ? b : Arrays.copyOfRange(b, off, off + len);
        while (done < len) {
            if (closed) {
                throw new IOException("connection closed");
            }
            byte[] chunk = done == 0 ? rest : Arrays.copyOfRange(rest, done, len);
            try {
                long n = socket
                        ? LibC.send(fd, chunk, new NativeLong(len - done), LibC.MSG_NOSIGNAL).longValue()
                        : LibC.write(fd, chunk, new NativeLong(len - done)).longValue();
                done += (int) n;
            } catch (LastErrorException e) {
                if (e.getErrorCode() != LibC.EINTR && e.getErrorCode() != LibC.EAGAIN) {
                    throw UnixFds.io("write", e);
                }
            }
        }
    }

    /** Shuts the socket down (waking readers) and closes the descriptor and any unclaimed received one. */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            UnixFds.closeQuietly(pendingFd);
            pendingFd = -1;
        }
        if (socket) {
            UnixFds.shutdownQuietly(fd);
        }
        lock.writeLock().lock();
        try {
            UnixFds.closeQuietly(fd);
            if (recvBuffer != null) {
                recvBuffer.close();
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    /**
     * Reads ahead up to {@link #BUFFER_SIZE} bytes per system call, so that framing a command (header,
     * then body) costs one {@code poll} and one receive, not one per field.
     */
    private final class In extends InputStream {
        private final byte[] buffer = new byte[BUFFER_SIZE];
        private int position;
        private int limit;

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n <= 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public synchronized int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            if (position == limit) {
                if (len >= buffer.length) {
                    return readSome(b, off, len);
                }
                int n = readSome(buffer, 0, buffer.length);
                if (n <= 0) {
                    return n;
                }
                position = 0;
                limit = n;
            }
            int n = Math.min(len, limit - position);
            System.arraycopy(buffer, position, b, off, n);
            position += n;
            return n;
        }

        @Override
        public synchronized int available() {
            return limit - position;
        }
    }

    private final class Out extends OutputStream {
        @Override
        public void write(int b) throws IOException {
            writeAll(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            writeAll(b, off, len);
        }
    }
}
