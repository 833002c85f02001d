package org.jswtpm.swtpm;

import java.nio.file.Path;

/**
 * Where the data and control channels are, when they are not TCP ports (the ports stay in
 * {@link SwtpmOptions}): a Unix socket path, an inherited listening socket, or an inherited connected
 * descriptor.
 *
 * @param data the data channel, or null for TCP per {@link SwtpmOptions#dataPort()} (none if -1)
 * @param ctrl the control channel, or null for TCP per {@link SwtpmOptions#ctrlPort()} (none if -1)
 */
public record Endpoints(Endpoint data, Endpoint ctrl) {
    /** Both channels on TCP ports (or absent), as {@link SwtpmOptions} says. */
    public static final Endpoints TCP = new Endpoints(null, null);

    /** One non-TCP-port channel. */
    public sealed interface Endpoint permits UnixPath, ListeningFd, ConnectedFd, CharDevice { }

    /**
     * A Unix stream socket this process creates ({@code type=unixio,path=P}).
     *
     * @param path the socket file; an existing file there is removed first
     * @param mode permission bits of the socket file (default 0770)
     * @param uid owner (number or user name), or null
     * @param gid group (number or group name), or null
     */
    public record UnixPath(Path path, int mode, String uid, String gid) implements Endpoint { }

    /**
     * An inherited listening socket ({@code --ctrl type=unixio|tcp,fd=N}, {@code --server type=unixio,fd=N}).
     *
     * @param fd its descriptor number
     */
    public record ListeningFd(int fd) implements Endpoint { }

    /**
     * An inherited connected descriptor ({@code --fd N}, {@code --server type=tcp,fd=N},
     * {@code --ctrl type=unixio,clientfd=N}).
     *
     * @param fd its descriptor number
     */
    public record ConnectedFd(int fd) implements Endpoint { }

    /**
     * The data channel of {@code swtpm chardev}: a descriptor ({@code --fd N}), a device the process
     * opened ({@code -c PATH}), or a Linux vTPM proxy's anonymous descriptor ({@code --vtpm-proxy}). Each
     * read is one command ({@link CharDeviceChannel}).
     *
     * @param fd its descriptor number
     * @param description what it is, for the log
     */
    public record CharDevice(int fd, String description) implements Endpoint { }

    /** These channels with {@code newData} as the data channel. */
    public Endpoints withData(Endpoint newData) {
        return new Endpoints(newData, ctrl);
    }

    /** The default permission bits of a socket file swtpm creates. */
    public static final int DEFAULT_SOCKET_MODE = 0770;
}
