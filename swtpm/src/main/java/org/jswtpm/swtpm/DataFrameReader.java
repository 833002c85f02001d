package org.jswtpm.swtpm;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Frames TPM commands on the data channel (fact sheet §4.1). swtpm itself does one read and hopes the
 * command came whole; this reader frames properly — the 10-byte header, then {@code size - 10} bytes —
 * and also accepts swtpm's prefixed form ({@code u32 8, u8 locality, u32 size, command}).
 *
 * <p>It reads ahead into a buffer of its own: one read system call normally brings a whole command (a
 * client writes a command at once), and bytes beyond the frame are kept for the next one. Only when a
 * frame is incomplete after that read does it set the frame timeout and read again; the wait for a
 * command's first bytes is without limit, and a connection that never sent a partial command never has
 * its timeout changed (a timed read makes the JDK's socket non-blocking, which would cost a failed read
 * and a {@code poll} before every command).
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

    /** Room for a command of the default buffer size with the prefix; grows for larger frames. */
    private static final int INITIAL_BUFFER = TpmDevice.MAX_BUFFER_SIZE + 9;

    private final InputStream in;
    private final Connection connection;
    private final int frameTimeoutMillis;
    /** Bytes read ahead: {@code buf[start, end)} are not framed yet. */
    private byte[] buf = new byte[INITIAL_BUFFER];
    private int start;
    private int end;
    /** The read timeout last set on the connection. */
    private int timeoutMillis;

    /** Reads frames from {@code in}, waiting without limit for every byte. */
    public DataFrameReader(InputStream in) {
        this.in = in;
        this.connection = null;
        this.frameTimeoutMillis = 0;
    }

    /**
     * Reads frames from {@code connection}: it may stay idle between commands without limit, but once a
     * command has begun the rest must arrive within {@code frameTimeoutMillis}. The connection's timeout
     * must be 0 (its initial value) when the reader is created.
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
        if (start == end) {
            start = 0;
            end = 0;
            setTimeout(0);
            int got = in.read(buf, 0, buf.length);
            if (got <= 0) {
                return null;
            }
            end = got;
        }
        need(4);
        int tag = ((buf[start] & 0xff) << 8) | (buf[start + 1] & 0xff);
        if (tag != 0x8001 && tag != 0x8002 && TpmDevice.readInt(buf, start) == SEND_COMMAND) {
            need(9);
            int locality = buf[start + 4] & 0xff;
            int size = TpmDevice.readInt(buf, start + 5);
            if (size < 0 || size > maxCommandSize) {
                throw new BadFrameException("prefixed command of " + Integer.toUnsignedString(size) + " bytes",
                        TPM_RC_COMMAND_SIZE);
            }
            need(9 + size);
            byte[] command = Arrays.copyOfRange(buf, start + 9, start + 9 + size);
            start += 9 + size;
            return new DataFrame(command, true, locality);
        }
        need(10);
        int size = TpmDevice.readInt(buf, start + 2);
        if (size < 10) {
            throw new BadFrameException("command size field " + size + " is below 10", TPM_RC_COMMAND_SIZE);
        }
        if (size > maxCommandSize) {
            throw new BadFrameException("command size field " + Integer.toUnsignedString(size)
                    + " exceeds " + maxCommandSize, TPM_RC_COMMAND_SIZE);
        }
        need(size);
        byte[] command = Arrays.copyOfRange(buf, start, start + size);
        start += size;
        return new DataFrame(command, false, -1);
    }

    /** Reads until {@code n} bytes of the current frame are buffered, within the frame timeout. */
    private void need(int n) throws IOException {
        if (end - start >= n) {
            return;
        }
        if (buf.length - start < n) {
            byte[] bigger = buf.length >= n ? buf : new byte[n];
            System.arraycopy(buf, start, bigger, 0, end - start);
            buf = bigger;
            end -= start;
            start = 0;
        }
        setTimeout(frameTimeoutMillis);
        while (end - start < n) {
            int got = in.read(buf, end, buf.length - end);
            if (got < 0) {
                throw new EOFException(end - start < 10 ? "connection closed inside a command header"
                        : "connection closed inside a command");
            }
            end += got;
        }
    }

    private void setTimeout(int millis) throws IOException {
        if (connection != null && millis != timeoutMillis) {
            connection.timeout(millis);
            timeoutMillis = millis;
        }
    }
}
