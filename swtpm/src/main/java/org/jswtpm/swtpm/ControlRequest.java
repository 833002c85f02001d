package org.jswtpm.swtpm;

import java.util.Arrays;

/**
 * One request read from the control channel: the command code and the body bytes that arrived with it
 * (possibly more than the command needs — QEMU pads — or fewer, which the handler rejects).
 *
 * @param code the 32-bit command code
 * @param body the bytes after the code
 */
public record ControlRequest(int code, byte[] body) {
    /** The big-endian u32 at {@code offset} of the body. */
    public int u32(int offset) {
        return TpmDevice.readInt(body, offset);
    }

    /** The big-endian u64 at {@code offset} of the body. */
    public long u64(int offset) {
        return ((long) u32(offset) << 32) | (u32(offset + 4) & 0xffffffffL);
    }

    /** The unsigned byte at {@code offset} of the body. */
    public int u8(int offset) {
        return body[offset] & 0xff;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ControlRequest r && r.code == code && Arrays.equals(r.body, body);
    }

    @Override
    public int hashCode() {
        return 31 * code + Arrays.hashCode(body);
    }

    @Override
    public String toString() {
        return String.format("ControlRequest[code=0x%02x, %d body bytes]", code, body.length);
    }
}
