package org.jswtpm.swtpm;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;

/**
 * The few C library calls the JDK does not offer: Unix stream sockets on descriptor numbers (inherited
 * ones, or ones that arrived by SCM_RIGHTS), {@code recvmsg}/{@code sendmsg} with ancillary data,
 * character devices opened as descriptor numbers ({@code swtpm chardev}), and the process identity
 * calls of {@code --runas} and {@code --chroot}. JNA direct mapping; the class is loaded only when one
 * of these is used.
 *
 * <p>Constants are Linux's (jswtpm runs where swtpm runs).
 */
final class LibC {
    static final int AF_UNIX = 1;
    static final int SOCK_STREAM = 1;
    static final int SOCK_CLOEXEC = 0x80000;
    static final int SOL_SOCKET = 1;
    static final int SO_TYPE = 3;
    static final int SO_ACCEPTCONN = 30;
    static final int SO_DOMAIN = 39;
    static final int SCM_RIGHTS = 1;
    static final int MSG_CMSG_CLOEXEC = 0x40000000;
    static final int MSG_NOSIGNAL = 0x4000;
    static final short POLLIN = 0x1;
    static final short POLLNVAL = 0x20;
    static final int SHUT_RDWR = 2;
    static final int EINTR = 4;
    static final int EAGAIN = 11;
    static final int EBADF = 9;
    static final int O_RDWR = 2;
    static final int SEEK_SET = 0;
    static final int SEEK_END = 2;
    static final int O_CLOEXEC = 0x80000;
    /** {@code st_mode} file-type bits. */
    static final int S_IFMT = 0170000;
    static final int S_IFREG = 0100000;
    static final int S_IFDIR = 0040000;
    static final int S_IFBLK = 0060000;
    static final int S_IFLNK = 0120000;
    /** sizeof(struct sockaddr_un.sun_path). */
    static final int SUN_PATH_MAX = 108;

    static {
        Native.register(Platform.C_LIBRARY_NAME);
    }

    private LibC() {
    }

    static native int socket(int domain, int type, int protocol) throws LastErrorException;

    static native int socketpair(int domain, int type, int protocol, int[] sv) throws LastErrorException;

    static native int bind(int fd, byte[] addr, int len) throws LastErrorException;

    static native int connect(int fd, byte[] addr, int len) throws LastErrorException;

    static native int listen(int fd, int backlog) throws LastErrorException;

    static native int accept4(int fd, Pointer addr, Pointer len, int flags) throws LastErrorException;

    static native int poll(byte[] fds, NativeLong nfds, int timeout) throws LastErrorException;

    static native NativeLong read(int fd, byte[] buf, NativeLong count) throws LastErrorException;

    static native NativeLong write(int fd, byte[] buf, NativeLong count) throws LastErrorException;

    static native NativeLong send(int fd, byte[] buf, NativeLong count, int flags) throws LastErrorException;

    static native NativeLong recvmsg(int fd, Pointer msg, int flags) throws LastErrorException;

    static native NativeLong sendmsg(int fd, Pointer msg, int flags) throws LastErrorException;

    static native int getsockopt(int fd, int level, int name, int[] value, int[] length) throws LastErrorException;

    static native int shutdown(int fd, int how) throws LastErrorException;

    static native int close(int fd) throws LastErrorException;

    static native int umask(int mask);

    static native int open(String path, int flags) throws LastErrorException;

    static native int ioctl(int fd, NativeLong request, Pointer arg) throws LastErrorException;

    static native int fstat(int fd, Pointer stat) throws LastErrorException;

    static native long lseek(int fd, long offset, int whence) throws LastErrorException;

    static native int ftruncate(int fd, long length) throws LastErrorException;

    static native int fchmod(int fd, int mode) throws LastErrorException;

    // The identity calls below return -1 on failure and leave the reason in errno (Native.getLastError()).
    // They do not declare LastErrorException: JNA would throw it whenever errno is nonzero after the call,
    // and glibc's NSS code sets errno on success too (initgroups in a chroot, for one).

    static native int chroot(String path);

    static native int chdir(String path);

    static native int initgroups(String user, int group);

    static native int setgid(int gid);

    static native int setuid(int uid);

    static native int getuid();

    static native int geteuid();

    /** {@code struct passwd *}: pw_name, pw_passwd (pointers), then pw_uid and pw_gid; null if unknown. */
    static native Pointer getpwnam(String name);
}
