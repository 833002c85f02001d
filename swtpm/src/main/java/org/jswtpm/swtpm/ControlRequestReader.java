package org.jswtpm.swtpm;

import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.util.Arrays;

/**
 * Reads one control-channel request the way swtpm does (fact sheet §2.1): there is no length prefix, so
 * it reads whatever arrives — up to a 4104-byte buffer — until it has the minimum bytes the command
 * needs, within an overall deadline of 500 ms. Bytes beyond what the command needs are kept as part of
 * the body (padding). A client that sends too little within the deadline gets its connection closed.
 */
public final class ControlRequestReader {
    /** swtpm's request buffer: the 4-byte code plus the largest body (HASH_DATA: u32 + 4096). */
    static final int BUFFER_SIZE = 4 + 4 + 4096;
    /** The overall time a client has to send one request once it started. */
    static final int DEADLINE_MILLIS = 500;

    private final Connection connection;
    private final InputStream in;

    /** Reads requests from {@code connection}. */
    ControlRequestReader(Connection connection) {
        this.connection = connection;
        this.in = connection.in();
    }

    /**
     * Waits (without limit) for the next request and reads it.
     *
     * @return the request, or null if the client closed the connection or did not complete its request
     *     within the deadline (the caller then closes the connection without a reply)
     */
    public ControlRequest next() throws IOException {
        byte[] buf = new byte[BUFFER_SIZE];
        connection.timeout(0);
        int n = in.read(buf, 0, buf.length);
        if (n <= 0) {
            return null;
        }
        long deadline = System.nanoTime() + DEADLINE_MILLIS * 1_000_000L;
        int received = n;
        while (received < needed(buf, received) && received < buf.length) {
            long left = (deadline - System.nanoTime()) / 1_000_000L;
            if (left <= 0) {
                return null;
            }
            connection.timeout((int) left);
            try {
                n = in.read(buf, received, buf.length - received);
            } catch (SocketTimeoutException e) {
                return null;
            }
            if (n <= 0) {
                return null;
            }
            received += n;
        }
        if (received < 4) {
            return null;
        }
        return new ControlRequest(TpmDevice.readInt(buf, 0), Arrays.copyOfRange(buf, 4, received));
    }

    /** The minimum number of bytes (code included) swtpm waits for, given what has arrived. */
    static int needed(byte[] buf, int received) {
        if (received < 4) {
            return 4;
        }
        ControlCommand command = ControlCommand.fromCode(TpmDevice.readInt(buf, 0));
        if (command == null) {
            return 4;
        }
        return switch (command) {
            case INIT -> 8;
            case SET_LOCALITY, RESET_TPMESTABLISHED -> 5;
            case GET_STATEBLOB -> 16;
            // SET_STATEBLOB's data (up to 512 KiB) is read by its handler, as it arrives
            case SET_STATEBLOB -> 16;
            case HASH_DATA -> withLength(buf, received, 8);
            default -> 4;
        };
    }

    private static int withLength(byte[] buf, int received, int headerEnd) {
        if (received < headerEnd) {
            return headerEnd;
        }
        long total = headerEnd + (TpmDevice.readInt(buf, headerEnd - 4) & 0xffffffffL);
        return (int) Math.min(total, BUFFER_SIZE);
    }
}
