package org.jswtpm.swtpm;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;

/**
 * Frames TPM commands on the data channel (fact sheet §4.1). swtpm itself does one read and hopes the
 * command came whole; this reader frames properly — the 10-byte header, then {@code size - 10} bytes —
 * and also accepts swtpm's prefixed form ({@code u32 8, u8 locality, u32 size, command}).
 *
 * <p>A frame that cannot be trusted (size field below 10 or above the buffer size) raises
 * {@link BadFrameException} with the TPM error response to send before closing the connection.
 */
public final class DataFrameReader {
    /** TPM_SEND_COMMAND, the first word of the prefixed form. */
    static final int SEND_COMMAND = 8;
    /** TPM_RC_COMMAND_SIZE: the size field is below the header size or above the buffer size (libtpms). */
    static final int TPM_RC_COMMAND_SIZE = 0x142;

    /** A frame that makes the rest of the stream unreadable. */
    public static final class BadFrameException extends IOException {
        private final transient byte[] response;

        BadFrameException(String message, int rc) {
            super(message);
            this.response = new byte[] {(byte) 0x80, 0x01, 0, 0, 0, 0x0a, (byte) (rc >>> 24), (byte) (rc >>> 16),
                (byte) (rc >>> 8), (byte) rc};
        }

        /** The 10-byte TPM error response to send before closing. */
        public byte[] response() {
            return response.clone();
        }
    }

    private final InputStream in;
    private final Connection connection;
    private final int frameTimeoutMillis;

    /** Reads frames from {@code in}, waiting without limit for every byte. */
    public DataFrameReader(InputStream in) {
        this.in = in;
        this.connection = null;
        this.frameTimeoutMillis = 0;
    }

    /**
     * Reads frames from {@code connection}: it may stay idle between commands without limit, but once a
     * command has begun the rest must arrive within {@code frameTimeoutMillis}.
     */
    DataFrameReader(Connection connection, int frameTimeoutMillis) {
        this.in = connection.in();
        this.connection = connection;
        this.frameTimeoutMillis = frameTimeoutMillis;
    }

    /**
     * Reads the next command; null if the client closed the connection cleanly between commands.
     *
     * @param maxCommandSize the largest command accepted (the TPM's buffer size)
     * @throws EOFException if the connection ended inside a frame
     * @throws BadFrameException if the size field is impossible
     */
    public DataFrame next(int maxCommandSize) throws IOException {
        byte[] first = new byte[4];
        setTimeout(0);
        int got = in.read(first, 0, 4);
        if (got <= 0) {
            return null;
        }
        setTimeout(frameTimeoutMillis);
        got += in.readNBytes(first, got, 4 - got);
        if (got < 4) {
            throw new EOFException("connection closed inside a command header");
        }
        int tag = ((first[0] & 0xff) << 8) | (first[1] & 0xff);
        if (tag != 0x8001 && tag != 0x8002 && TpmDevice.readInt(first, 0) == SEND_COMMAND) {
            byte[] prefix = readFully(5);
            int locality = prefix[0] & 0xff;
            int size = TpmDevice.readInt(prefix, 1);
            if (size < 0 || size > maxCommandSize) {
                throw new BadFrameException("prefixed command of " + Integer.toUnsignedString(size) + " bytes",
                        TPM_RC_COMMAND_SIZE);
            }
            return new DataFrame(readFully(size), true, locality);
        }
        byte[] rest = readFully(6);
        int size = TpmDevice.readInt(new byte[] {first[2], first[3], rest[0], rest[1]}, 0);
        if (size < 10) {
            throw new BadFrameException("command size field " + size + " is below 10", TPM_RC_COMMAND_SIZE);
        }
        if (size > maxCommandSize) {
            throw new BadFrameException("command size field " + Integer.toUnsignedString(size)
                    + " exceeds " + maxCommandSize, TPM_RC_COMMAND_SIZE);
        }
        byte[] command = new byte[size];
        System.arraycopy(first, 0, command, 0, 4);
        System.arraycopy(rest, 0, command, 4, 6);
        if (in.readNBytes(command, 10, size - 10) != size - 10) {
            throw new EOFException("connection closed inside a command");
        }
        return new DataFrame(command, false, -1);
    }

    private void setTimeout(int millis) throws IOException {
        if (connection != null) {
            connection.timeout(millis);
        }
    }

    private byte[] readFully(int n) throws IOException {
        byte[] b = in.readNBytes(n);
        if (b.length != n) {
            throw new EOFException("connection closed inside a command");
        }
        return b;
    }
}
