package org.jswtpm.swtpm;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * The data channel of {@code swtpm chardev}: a character device (a Linux vTPM proxy, a pty) or any
 * descriptor used as one. As swtpm reads it, one {@code read()} is one command — further reads only
 * while fewer than the 10 header bytes have arrived — and the response goes back with one
 * {@code write()}. A command may carry swtpm's prefix ({@code u32 8, u8 locality, u32 size}); then the
 * response carries {@code u32 size} before and {@code u32 0} after it, in the same write.
 */
final class CharDeviceChannel {
    /** TPM_SEND_COMMAND, the first word of the prefixed form. */
    private static final int SEND_COMMAND = 8;
    /** {@code u32 cmd, u8 locality, u32 size}. */
    private static final int PREFIX_SIZE = 9;
    private static final int HEADER_SIZE = 10;

    private CharDeviceChannel() {
    }

    /**
     * Reads the next command; null once the device hung up (end of file, or a read error such as the
     * EIO of a pty whose other side closed).
     */
    static byte[] read(FdConnection device, int maxSize) throws IOException {
        byte[] buffer = new byte[maxSize];
        int length = 0;
        while (length < HEADER_SIZE) {
            int n;
            try {
                n = device.readOnce(buffer, length, maxSize - length);
            } catch (IOException e) {
                return null; // swtpm: a failed read ends the connection, and chardev's process
            }
            if (n <= 0) {
                return null;
            }
            length += n;
        }
        return Arrays.copyOf(buffer, length);
    }

    /** The command as read, split from swtpm's prefix if it has one. */
    static DataFrame frame(byte[] read) {
        int tag = ((read[0] & 0xff) << 8) | (read[1] & 0xff);
        if (tag != 0x8001 && tag != 0x8002 && read.length >= PREFIX_SIZE
                && TpmDevice.readInt(read, 0) == SEND_COMMAND) {
            return new DataFrame(Arrays.copyOfRange(read, PREFIX_SIZE, read.length), true, read[4] & 0xff);
        }
        return new DataFrame(read, false, -1);
    }

    /** The bytes of one write: the response, wrapped as swtpm wraps it for a prefixed command. */
    static byte[] response(DataFrame frame, byte[] response) {
        if (!frame.prefixed()) {
            return response;
        }
        return ByteBuffer.allocate(response.length + 8).putInt(response.length).put(response).putInt(0).array();
    }
}
