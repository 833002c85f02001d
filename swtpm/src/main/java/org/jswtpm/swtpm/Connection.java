package org.jswtpm.swtpm;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * One connected stream, whatever carries it: a TCP socket, a Unix socket accepted on a path, an
 * inherited descriptor, or a descriptor that arrived with CMD_SET_DATAFD. Reads from {@link #in()} wait
 * at most the current {@link #timeout(int) timeout} and then throw
 * {@link java.net.SocketTimeoutException}.
 */
interface Connection extends Closeable {
    /** The stream of bytes from the peer; read returns -1 once the peer has closed. */
    InputStream in();

    /** The stream of bytes to the peer. */
    OutputStream out();

    /** Sets how long each later read may wait, in milliseconds; 0 waits without limit. */
    void timeout(int millis) throws IOException;

    /**
     * A descriptor that arrived as SCM_RIGHTS with the bytes read so far and was not taken yet, or -1.
     * The caller owns it (and must close it). Connections that cannot carry descriptors return -1.
     */
    default int takeReceivedFd() {
        return -1;
    }

    /** A short description for the log. */
    String describe();
}
