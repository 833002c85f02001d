package org.jswtpm.swtpm;

import java.io.Closeable;
import java.io.IOException;

/** A listening socket that hands out one {@link Connection} per client. */
interface Acceptor extends Closeable {
    /** Waits for the next client; throws once the acceptor is closed. */
    Connection accept() throws IOException;

    /** A short description for the log. */
    String describe();
}
