package org.jswtpm.core.marshal;

import java.util.Arrays;

/**
 * A growable big-endian writer for TPM structures (TCG TPM 2.0 Part 1, 18). It can reserve a size field
 * and fill it in later ({@link #startSized16()} / {@link #endSized16(int)}), which is how TPM2B and
 * parameter-size fields are written without building the inner bytes twice. One writer is reused per
 * TPM instance: {@link #reset()} keeps the buffer.
 */
public final class TpmWriter {
    private byte[] buf;
    private int len;

    public TpmWriter() {
        this(256);
    }

    public TpmWriter(int capacity) {
        buf = new byte[Math.max(16, capacity)];
    }

    private void ensure(int n) {
        if (len + n > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + n));
        }
    }

    public TpmWriter u8(int v) {
        ensure(1);
        buf[len++] = (byte) v;
        return this;
    }

    public TpmWriter u16(int v) {
        ensure(2);
        buf[len++] = (byte) (v >>> 8);
        buf[len++] = (byte) v;
        return this;
    }

    public TpmWriter u32(int v) {
        ensure(4);
        buf[len++] = (byte) (v >>> 24);
        buf[len++] = (byte) (v >>> 16);
        buf[len++] = (byte) (v >>> 8);
        buf[len++] = (byte) v;
        return this;
    }

    public TpmWriter u64(long v) {
        u32((int) (v >>> 32));
        return u32((int) v);
    }

    public TpmWriter bytes(byte[] b) {
        return bytes(b, 0, b.length);
    }

    public TpmWriter bytes(byte[] b, int off, int n) {
        ensure(n);
        System.arraycopy(b, off, buf, len, n);
        len += n;
        return this;
    }

    /** A TPM2B: 16-bit size, then the bytes. */
    public TpmWriter tpm2b(byte[] b) {
        u16(b.length);
        return bytes(b);
    }

    /** Reserves a 16-bit size field; returns its offset for {@link #endSized16(int)}. */
    public int startSized16() {
        int at = len;
        u16(0);
        return at;
    }

    /** Fills the 16-bit size field at {@code at} with the number of bytes written after it. */
    public void endSized16(int at) {
        int size = len - at - 2;
        buf[at] = (byte) (size >>> 8);
        buf[at + 1] = (byte) size;
    }

    /** Reserves a 32-bit size field; returns its offset for {@link #endSized32(int)}. */
    public int startSized32() {
        int at = len;
        u32(0);
        return at;
    }

    /** Fills the 32-bit size field at {@code at} with the number of bytes written after it. */
    public void endSized32(int at) {
        putU32(at, len - at - 4);
    }

    /** Overwrites four bytes at {@code at}. */
    public void putU32(int at, int v) {
        buf[at] = (byte) (v >>> 24);
        buf[at + 1] = (byte) (v >>> 16);
        buf[at + 2] = (byte) (v >>> 8);
        buf[at + 3] = (byte) v;
    }

    public int length() {
        return len;
    }

    /** Drops everything written, keeping the buffer. */
    public void reset() {
        len = 0;
    }

    /** Drops everything after {@code length}. */
    public void truncate(int length) {
        len = length;
    }

    /** The bytes written, copied. */
    public byte[] toByteArray() {
        return Arrays.copyOf(buf, len);
    }

    /**
     * The bytes written, without a copy when they fill the buffer exactly (a writer created with the
     * final size); the writer must not be used afterwards.
     */
    public byte[] detach() {
        return len == buf.length ? buf : Arrays.copyOf(buf, len);
    }

    /** The backing array; only the first {@link #length()} bytes are meaningful. */
    public byte[] array() {
        return buf;
    }
}
