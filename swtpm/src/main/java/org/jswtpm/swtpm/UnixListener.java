package org.jswtpm.swtpm;

import com.sun.jna.LastErrorException;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * A listening Unix stream socket: created on a path as swtpm does it (an existing file is unlinked
 * first, the socket file gets {@code mode} and, if given, owner and group; backlog 1; the path is
 * removed again on close), or an inherited listening descriptor ({@code fd=N}). Unlike swtpm, the path
 * appears only once the socket listens, with its mode and owner set (it is bound under a temporary name
 * in the same directory and renamed), so nobody who waits for the path can be refused or race the chmod.
 */
final class UnixListener implements Acceptor {
    private final int fd;
    private final Path path;
    /** Shared by accept, exclusive for close: accept never reaches a reused descriptor number. */
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private volatile boolean closed;

    private UnixListener(int fd, Path path) {
        this.fd = fd;
        this.path = path;
    }

    /**
     * Creates the socket at {@code path}.
     *
     * @param mode permission bits of the socket file (swtpm's default is 0770)
     * @param uid owner as a number or user name, or null to keep
     * @param gid group as a number or group name, or null to keep
     */
    static UnixListener bind(Path path, int mode, String uid, String gid) throws IOException {
        UnixFds.sockaddr(path); // checks the length
        Path temporary = path.resolveSibling("." + path.getFileName() + "." + ProcessHandle.current().pid());
        boolean viaTemporary = temporary.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8).length
                < LibC.SUN_PATH_MAX;
        Path bound = viaTemporary ? temporary : path;
        byte[] address = UnixFds.sockaddr(bound);
        Files.deleteIfExists(path);
        Files.deleteIfExists(bound);
        int fd;
        try {
            fd = LibC.socket(LibC.AF_UNIX, LibC.SOCK_STREAM | LibC.SOCK_CLOEXEC, 0);
        } catch (LastErrorException e) {
            throw new IOException("Could not open UnixIO socket: errno " + e.getErrorCode(), e);
        }
        UnixListener listener = new UnixListener(fd, path);
        try {
            // The socket is bound under a temporary name (with its final mode: umask around bind), made
            // to listen, and only then renamed to the path: a client that sees the path can connect.
            int oldMask = LibC.umask(~mode & 0777);
            try {
                LibC.bind(fd, address, address.length);
            } finally {
                LibC.umask(oldMask);
            }
            LibC.listen(fd, 1);
            Files.setPosixFilePermissions(bound, permissions(mode));
            if (uid != null || gid != null) {
                chown(bound, uid, gid);
            }
            if (viaTemporary) {
                Files.move(bound, path, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            }
        } catch (LastErrorException e) {
            listener.close();
            Files.deleteIfExists(bound);
            throw new IOException("Could not open UnixIO socket " + path + ": errno " + e.getErrorCode(), e);
        } catch (IOException | RuntimeException e) {
            listener.close();
            Files.deleteIfExists(bound);
            throw new IOException("Could not set up UnixIO socket " + path + ": " + e.getMessage(), e);
        }
        return listener;
    }

    /** Uses the inherited listening socket {@code fd}. */
    static UnixListener inherited(int fd) {
        return new UnixListener(fd, null);
    }

    static Set<PosixFilePermission> permissions(int mode) {
        Set<PosixFilePermission> set = EnumSet.noneOf(PosixFilePermission.class);
        PosixFilePermission[] bits = PosixFilePermission.values(); // OWNER_READ .. OTHERS_EXECUTE
        for (int i = 0; i < 9; i++) {
            if ((mode & (0400 >> i)) != 0) {
                set.add(bits[i]);
            }
        }
        return set;
    }

    private static void chown(Path path, String uid, String gid) throws IOException {
        UserPrincipalLookupService lookup = FileSystems.getDefault().getUserPrincipalLookupService();
        if (uid != null) {
            if (uid.chars().allMatch(Character::isDigit)) {
                Files.setAttribute(path, "unix:uid", Integer.parseInt(uid), LinkOption.NOFOLLOW_LINKS);
            } else {
                UserPrincipal user = lookup.lookupPrincipalByName(uid);
                Files.setOwner(path, user);
            }
        }
        if (gid != null) {
            if (gid.chars().allMatch(Character::isDigit)) {
                Files.setAttribute(path, "unix:gid", Integer.parseInt(gid), LinkOption.NOFOLLOW_LINKS);
            } else {
                GroupPrincipal group = lookup.lookupPrincipalByGroupName(gid);
                Files.getFileAttributeView(path, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
                        .setGroup(group);
            }
        }
    }

    /** The socket's path, or null for an inherited descriptor. */
    Path path() {
        return path;
    }

    @Override
    public Connection accept() throws IOException {
        while (!closed) {
            Connection client = acceptSlice();
            if (client != null) {
                return client;
            }
        }
        throw new IOException("listener closed");
    }

    /** Waits one poll slice for a client; null if none came. */
    private Connection acceptSlice() throws IOException {
        lock.readLock().lock();
        try {
            if (closed) {
                return null;
            }
            int revents = UnixFds.poll(fd, FdConnection.POLL_SLICE_MILLIS);
            if ((revents & LibC.POLLNVAL) != 0) {
                throw new IOException("listening descriptor " + fd + " is not open");
            }
            if (revents == 0) {
                return null;
            }
            try {
                int client = LibC.accept4(fd, null, null, LibC.SOCK_CLOEXEC);
                return new FdConnection(client, "unix " + (path != null ? path : "fd " + fd));
            } catch (LastErrorException e) {
                if (e.getErrorCode() != LibC.EINTR && e.getErrorCode() != LibC.EAGAIN) {
                    throw UnixFds.io("accept", e);
                }
                return null;
            }
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public String describe() {
        return path != null ? "unix socket " + path : "unix socket fd " + fd;
    }

    /**
     * Removes the socket file this listener created (first, so that no new client finds it), then closes
     * the descriptor.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (path != null) {
            try {
                Files.deleteIfExists(path);
            } catch (IOException e) {
                // the directory went away: nothing to clean
            }
        }
        UnixFds.shutdownQuietly(fd); // wakes a thread polling it
        lock.writeLock().lock();
        try {
            UnixFds.closeQuietly(fd);
        } finally {
            lock.writeLock().unlock();
        }
    }
}
