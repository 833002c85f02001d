package org.jswtpm.swtpm;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import java.io.IOException;
import java.util.Arrays;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Descriptor-level helpers over {@link LibC}: Unix socket addresses, {@code poll}, and the
 * {@code msghdr}/{@code cmsghdr} layout for passing one descriptor with SCM_RIGHTS. The layouts follow
 * the Linux ABI for the running word size ({@code size_t} and pointers are {@link Native#POINTER_SIZE}).
 */
final class UnixFds {
    private static final int P = Native.POINTER_SIZE;
    /** struct msghdr: name, namelen (padded), iov, iovlen, control, controllen, flags (padded). */
    private static final int MSGHDR_SIZE = 7 * P;
    private static final int MSG_IOV = 2 * P;
    private static final int MSG_IOVLEN = 3 * P;
    private static final int MSG_CONTROL = 4 * P;
    private static final int MSG_CONTROLLEN = 5 * P;
    /** CMSG_ALIGN(sizeof(struct cmsghdr)): cmsg_len is a size_t, then two ints. */
    private static final int CMSG_HDR = align(P + 8);
    /** CMSG_SPACE for up to 4 descriptors. */
    static final int CONTROL_SPACE = CMSG_HDR + align(4 * 4);

    private UnixFds() {
    }

    private static int align(int n) {
        return (n + P - 1) & -P;
    }

    /** A {@code struct sockaddr_un} for {@code path}, and its length as bind/connect want it. */
    static byte[] sockaddr(Path path) throws IOException {
        byte[] name = path.toString().getBytes(StandardCharsets.UTF_8);
        if (name.length >= LibC.SUN_PATH_MAX) {
            throw new IOException("Path for UnixIO socket is too long: " + path);
        }
        ByteBuffer b = ByteBuffer.allocate(2 + name.length + 1).order(ByteOrder.nativeOrder());
        b.putShort((short) LibC.AF_UNIX).put(name).put((byte) 0);
        return b.array();
    }

    /**
     * Waits up to {@code timeoutMillis} (-1 without limit) for {@code fd} to become readable or to hang
     * up. Returns the revents bits, 0 on timeout.
     */
    static int poll(int fd, int timeoutMillis) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(8).order(ByteOrder.nativeOrder());
        b.putInt(fd).putShort(LibC.POLLIN).putShort((short) 0);
        byte[] fds = b.array();
        while (true) {
            try {
                int n = LibC.poll(fds, new NativeLong(1), timeoutMillis);
                if (n == 0) {
                    return 0;
                }
                return ByteBuffer.wrap(fds).order(ByteOrder.nativeOrder()).getShort(6) & 0xffff;
            } catch (LastErrorException e) {
                if (e.getErrorCode() != LibC.EINTR) {
                    throw io("poll", e);
                }
            }
        }
    }

    /** True if {@code fd} is an open socket. */
    static boolean isSocket(int fd) {
        try {
            LibC.getsockopt(fd, LibC.SOL_SOCKET, LibC.SO_TYPE, new int[1], new int[] {4});
            return true;
        } catch (LastErrorException e) {
            return false;
        }
    }

    /**
     * The {@code st_mode} of what {@code fd} refers to ({@code fstat}), so that descriptor checks work
     * without {@code /proc} (inside a chroot).
     *
     * @throws IOException if {@code fd} is not open ({@code EBADF}) or fstat fails
     */
    static int fileMode(int fd) throws IOException {
        // struct stat: x86-64 has dev, ino, nlink (8 bytes each) before st_mode; the generic layout
        // (aarch64, riscv64) has dev, ino and then st_mode
        long modeOffset = com.sun.jna.Platform.isIntel() && P == 8 ? 24 : 16;
        try (Memory stat = new Memory(256)) {
            LibC.fstat(fd, stat);
            return stat.getInt(modeOffset);
        } catch (LastErrorException e) {
            if (e.getErrorCode() == LibC.EBADF) {
                throw new IOException("Cannot stat file descriptor " + fd + ": it is not open", e);
            }
            throw io("fstat", e);
        }
    }

    /** True if {@code fd} is a listening socket. */
    static boolean isListening(int fd) {
        int[] value = new int[1];
        try {
            LibC.getsockopt(fd, LibC.SOL_SOCKET, LibC.SO_ACCEPTCONN, value, new int[] {4});
            return value[0] != 0;
        } catch (LastErrorException e) {
            return false;
        }
    }

    /** True if {@code fd} is a Unix-domain socket (one that can carry SCM_RIGHTS). */
    static boolean isUnixDomain(int fd) {
        int[] value = new int[1];
        try {
            LibC.getsockopt(fd, LibC.SOL_SOCKET, LibC.SO_DOMAIN, value, new int[] {4});
            return value[0] == LibC.AF_UNIX;
        } catch (LastErrorException e) {
            return false;
        }
    }

    /** Connects a new Unix stream socket (close-on-exec) to {@code path}; returns its descriptor. */
    static int connect(Path path) throws IOException {
        byte[] address = sockaddr(path);
        int fd;
        try {
            fd = LibC.socket(LibC.AF_UNIX, LibC.SOCK_STREAM | LibC.SOCK_CLOEXEC, 0);
        } catch (LastErrorException e) {
            throw io("socket", e);
        }
        try {
            LibC.connect(fd, address, address.length);
            return fd;
        } catch (LastErrorException e) {
            closeQuietly(fd);
            throw new IOException("Could not connect to " + path + ": errno " + e.getErrorCode(), e);
        }
    }

    /** A connected pair of Unix stream sockets (close-on-exec), as QEMU makes for SET_DATAFD. */
    static int[] socketPair() throws IOException {
        int[] sv = new int[2];
        try {
            LibC.socketpair(LibC.AF_UNIX, LibC.SOCK_STREAM | LibC.SOCK_CLOEXEC, 0, sv);
        } catch (LastErrorException e) {
            throw io("socketpair", e);
        }
        return sv;
    }

    /**
     * Receives up to {@code len} bytes into {@code buf} at {@code off}, and any descriptors that came as
     * SCM_RIGHTS with them into {@code fdsOut} (unused slots are -1). Returns the byte count, 0 at EOF.
     */
    static int recvWithFds(int fd, byte[] buf, int off, int len, int[] fdsOut) throws IOException {
        try (RecvBuffer buffer = new RecvBuffer(len)) {
            return buffer.receive(fd, buf, off, len, fdsOut);
        }
    }

    /**
     * The native memory one {@code recvmsg} needs (message header, I/O vector, data, control space),
     * allocated once and reused by a connection for every read.
     */
    static final class RecvBuffer implements AutoCloseable {
        private final int capacity;
        private final Memory msg = new Memory(MSGHDR_SIZE);
        private final Memory iov = new Memory(2L * P);
        private final Memory data;
        private final Memory control = new Memory(CONTROL_SPACE);

        RecvBuffer(int capacity) {
            this.capacity = Math.max(1, capacity);
            this.data = new Memory(this.capacity);
        }

        /** As {@link UnixFds#recvWithFds}, for at most the capacity of this buffer. */
        int receive(int fd, byte[] buf, int off, int len, int[] fdsOut) throws IOException {
            java.util.Arrays.fill(fdsOut, -1);
            int want = Math.min(len, capacity);
            msg.clear();
            control.clear();
            iov.setPointer(0, data);
            setSize(iov, P, want);
            msg.setPointer(MSG_IOV, iov);
            setSize(msg, MSG_IOVLEN, 1);
            msg.setPointer(MSG_CONTROL, control);
            setSize(msg, MSG_CONTROLLEN, CONTROL_SPACE);
            long n;
            while (true) {
                try {
                    n = LibC.recvmsg(fd, msg, LibC.MSG_CMSG_CLOEXEC).longValue();
                    break;
                } catch (LastErrorException e) {
                    if (e.getErrorCode() != LibC.EINTR) {
                        throw io("recvmsg", e);
                    }
                }
            }
            data.read(0, buf, off, (int) n);
            collectFds(control, getSize(msg, MSG_CONTROLLEN), fdsOut);
            return (int) n;
        }

        @Override
        public void close() {
            msg.close();
            iov.close();
            data.close();
            control.close();
        }
    }

    private static void collectFds(Memory control, long controlLength, int[] fdsOut) {
        if (controlLength < CMSG_HDR) {
            return;
        }
        long cmsgLen = getSize(control, 0);
        int level = control.getInt(P);
        int type = control.getInt(P + 4);
        int count = (int) Math.max(0, (Math.min(cmsgLen, controlLength) - CMSG_HDR) / 4);
        for (int i = 0; i < count; i++) {
            int received = control.getInt(CMSG_HDR + 4L * i);
            if (level == LibC.SOL_SOCKET && type == LibC.SCM_RIGHTS && i < fdsOut.length) {
                fdsOut[i] = received;
            } else if (level == LibC.SOL_SOCKET && type == LibC.SCM_RIGHTS) {
                closeQuietly(received);
            }
        }
    }

    /** Sends {@code bytes} with {@code passFd} attached as SCM_RIGHTS (or none if it is negative). */
    static void sendWithFd(int fd, byte[] bytes, int passFd) throws IOException {
        try (Memory msg = new Memory(MSGHDR_SIZE); Memory iov = new Memory(2L * P);
                Memory data = new Memory(Math.max(1, bytes.length)); Memory control = new Memory(CONTROL_SPACE)) {
            msg.clear();
            control.clear();
            data.write(0, bytes, 0, bytes.length);
            iov.setPointer(0, data);
            setSize(iov, P, bytes.length);
            msg.setPointer(MSG_IOV, iov);
            setSize(msg, MSG_IOVLEN, 1);
            if (passFd >= 0) {
                int cmsgLen = CMSG_HDR + 4;
                setSize(control, 0, cmsgLen);
                control.setInt(P, LibC.SOL_SOCKET);
                control.setInt(P + 4, LibC.SCM_RIGHTS);
                control.setInt(CMSG_HDR, passFd);
                msg.setPointer(MSG_CONTROL, control);
                setSize(msg, MSG_CONTROLLEN, align(cmsgLen));
            }
            LibC.sendmsg(fd, msg, LibC.MSG_NOSIGNAL);
        } catch (LastErrorException e) {
            throw io("sendmsg", e);
        }
    }

    private static void setSize(Memory m, long offset, long value) {
        if (P == 8) {
            m.setLong(offset, value);
        } else {
            m.setInt(offset, (int) value);
        }
    }

    private static long getSize(Memory m, long offset) {
        return P == 8 ? m.getLong(offset) : m.getInt(offset) & 0xffffffffL;
    }

    /**
     * Writes {@code b[off, off + len)} to {@code fd} with {@code write(2)}, again after a short write,
     * EINTR or EAGAIN. Writing to the inherited descriptor itself (never reopening {@code /proc/self/fd/N})
     * works whoever owns the file or pipe behind it.
     */
    static void writeAll(int fd, byte[] b, int off, int len) throws IOException {
        int done = 0;
        while (done < len) {
            byte[] chunk = off + done == 0 ? b : Arrays.copyOfRange(b, off + done, off + len);
            try {
                done += (int) LibC.write(fd, chunk, new NativeLong(len - done)).longValue();
            } catch (LastErrorException e) {
                if (e.getErrorCode() != LibC.EINTR && e.getErrorCode() != LibC.EAGAIN) {
                    throw io("write on descriptor " + fd, e);
                }
            }
        }
    }

    /** Closes {@code fd}, ignoring errors. */
    static void closeQuietly(int fd) {
        if (fd >= 0) {
            try {
                LibC.close(fd);
            } catch (LastErrorException e) {
                // already closed
            }
        }
    }

    /** Shuts a socket down in both directions (wakes a thread blocked on it), ignoring errors. */
    static void shutdownQuietly(int fd) {
        try {
            LibC.shutdown(fd, LibC.SHUT_RDWR);
        } catch (LastErrorException e) {
            // not a socket, or not connected
        }
    }

    /** The C library's text for the errno values jswtpm reports most, else {@code errno N}. */
    static String strerror(int errno) {
        return switch (errno) {
            case 1 -> "Operation not permitted";
            case 2 -> "No such file or directory";
            case 13 -> "Permission denied";
            case 6 -> "No such device or address";
            case 19 -> "No such device";
            case 20 -> "Not a directory";
            case 21 -> "Is a directory";
            default -> "errno " + errno;
        };
    }

    static IOException io(String call, LastErrorException e) {
        return new IOException(call + " failed: errno " + e.getErrorCode(), e);
    }
}
