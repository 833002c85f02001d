package org.jswtpm.swtpm;

import java.io.IOException;

/**
 * The channels of one server once bound: for data and for control, either an {@link Acceptor} (a TCP
 * port, a Unix socket path, an inherited listening socket) or a single inherited connection, or nothing.
 * Binding checks inherited descriptors as swtpm does (a socket; listening where it must listen).
 */
final class BoundChannels implements AutoCloseable {
    final Acceptor dataAcceptor;
    final Acceptor ctrlAcceptor;
    final Connection fixedData;
    final Connection fixedCtrl;
    private final Endpoints endpoints;

    private BoundChannels(Endpoints endpoints, Acceptor dataAcceptor, Acceptor ctrlAcceptor, Connection fixedData,
            Connection fixedCtrl) {
        this.endpoints = endpoints;
        this.dataAcceptor = dataAcceptor;
        this.ctrlAcceptor = ctrlAcceptor;
        this.fixedData = fixedData;
        this.fixedCtrl = fixedCtrl;
    }

    /**
     * Creates the listening sockets and checks inherited descriptors: TCP ports from {@code options}, the
     * rest from {@code endpoints}. On failure whatever was bound is closed again.
     */
    static BoundChannels bind(SwtpmOptions options, Endpoints endpoints) throws IOException {
        Binder b = new Binder();
        try {
            b.bindCtrl(options, endpoints);
            b.bindData(options, endpoints);
        } catch (IOException | RuntimeException | LinkageError e) {
            new BoundChannels(endpoints, b.dataAcceptor, b.ctrlAcceptor, b.fixedData, b.fixedCtrl).close();
            throw e instanceof IOException io ? io : new IOException(e.getMessage(), e);
        }
        return new BoundChannels(endpoints, b.dataAcceptor, b.ctrlAcceptor, b.fixedData, b.fixedCtrl);
    }

    /** True if the process has a data channel besides one passed with CMD_SET_DATAFD. */
    boolean hasDataChannel() {
        return dataAcceptor != null || fixedData != null;
    }

    /** True if the data channel is {@code swtpm chardev}'s device: one read per command. */
    boolean dataIsCharDevice() {
        return endpoints.data() instanceof Endpoints.CharDevice;
    }

    /** True if the control channel is a Unix socket, so that CMD_SET_DATAFD can carry a descriptor. */
    boolean ctrlCarriesFds() {
        Endpoints.Endpoint ctrl = endpoints.ctrl();
        if (ctrl instanceof Endpoints.UnixPath) {
            return true;
        }
        int fd = ctrl instanceof Endpoints.ListeningFd l ? l.fd()
                : ctrl instanceof Endpoints.ConnectedFd c ? c.fd() : -1;
        return fd >= 0 && UnixFds.isUnixDomain(fd);
    }

    /** The bound TCP data port, or -1 if the data channel is not a TCP port. */
    int dataPort() {
        return dataAcceptor instanceof TcpAcceptor t ? t.port() : -1;
    }

    /** The bound TCP control port, or -1 if the control channel is not a TCP port. */
    int ctrlPort() {
        return ctrlAcceptor instanceof TcpAcceptor t ? t.port() : -1;
    }

    /** Where the channels are, for the log. */
    String describe() {
        String data = dataAcceptor != null ? dataAcceptor.describe()
                : fixedData != null ? fixedData.describe() : "none (until CMD_SET_DATAFD)";
        String ctrl = ctrlAcceptor != null ? ctrlAcceptor.describe()
                : fixedCtrl != null ? fixedCtrl.describe() : "none";
        return "data on " + data + ", control on " + ctrl;
    }

    /** Closes every channel (removing socket files this process created). */
    @Override
    public void close() {
        for (AutoCloseable c : new AutoCloseable[] {dataAcceptor, ctrlAcceptor, fixedData, fixedCtrl}) {
            if (c != null) {
                try {
                    c.close();
                } catch (Exception | LinkageError e) {
                    // closing at exit: nothing left to do
                }
            }
        }
    }

    /** Collects the channels while binding. */
    private static final class Binder {
        private Acceptor dataAcceptor;
        private Acceptor ctrlAcceptor;
        private Connection fixedData;
        private Connection fixedCtrl;

        private void bindCtrl(SwtpmOptions options, Endpoints endpoints) throws IOException {
            Endpoints.Endpoint ctrl = endpoints.ctrl();
            if (ctrl == null) {
                if (options.ctrlPort() >= 0) {
                    ctrlAcceptor = TcpAcceptor.bind(options.ctrlBindAddress(), options.ctrlPort(), "control");
                }
            } else if (ctrl instanceof Endpoints.ConnectedFd c) {
                fixedCtrl = new FdConnection(requireSocket(c.fd(), "control channel"), "control fd " + c.fd());
            } else {
                ctrlAcceptor = unixAcceptor(ctrl, "control channel");
            }
        }

        private void bindData(SwtpmOptions options, Endpoints endpoints) throws IOException {
            Endpoints.Endpoint data = endpoints.data();
            if (data == null) {
                if (options.dataPort() >= 0) {
                    dataAcceptor = TcpAcceptor.bind(options.dataBindAddress(), options.dataPort(), "data");
                }
            } else if (data instanceof Endpoints.ConnectedFd c) {
                fixedData = new FdConnection(requireUsableDataFd(c.fd()), "data fd " + c.fd());
            } else if (data instanceof Endpoints.CharDevice d) {
                fixedData = new FdConnection(requireUsableDataFd(d.fd()), d.description());
            } else {
                dataAcceptor = unixAcceptor(data, "data channel");
            }
        }

        private static Acceptor unixAcceptor(Endpoints.Endpoint endpoint, String what) throws IOException {
            if (endpoint instanceof Endpoints.UnixPath u) {
                return UnixListener.bind(u.path(), u.mode(), u.uid(), u.gid());
            }
            int fd = ((Endpoints.ListeningFd) endpoint).fd();
            requireSocket(fd, what);
            if (!UnixFds.isListening(fd)) {
                throw new IOException("Bad filedescriptor " + fd + " for the " + what + ": not a listening socket");
            }
            return UnixListener.inherited(fd);
        }

        private static int requireSocket(int fd, String what) throws IOException {
            if (!UnixFds.isSocket(fd)) {
                throw new IOException("Bad filedescriptor " + fd + " for the " + what + ": not a socket");
            }
            return fd;
        }

        /**
         * {@code --fd} (and {@code swtpm chardev}'s descriptor): a socket, a character device or a pipe; as
         * swtpm, regular files, directories, block devices and symbolic links are refused.
         */
        static int requireUsableDataFd(int fd) throws IOException {
            if (UnixFds.isSocket(fd)) {
                return fd;
            }
            int type = UnixFds.fileMode(fd) & LibC.S_IFMT;
            if (type == LibC.S_IFREG || type == LibC.S_IFDIR || type == LibC.S_IFBLK || type == LibC.S_IFLNK) {
                throw new IOException("Given file descriptor type is not supported.");
            }
            return fd;
        }
    }
}
