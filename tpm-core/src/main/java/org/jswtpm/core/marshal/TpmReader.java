package org.jswtpm.core.marshal;

import org.jswtpm.core.TpmException;
import org.jswtpm.core.types.TpmRc;

/**
 * A bounds-checked, big-endian reader over a region of a byte array (TCG TPM 2.0 Part 1, 18
 * "Marshalling"). Every read that would pass the end raises {@code TPM_RC_INSUFFICIENT}; a size field
 * larger than its type allows raises {@code TPM_RC_SIZE}. Errors are blamed on the parameter, handle
 * or session the reader was last told it is reading (see {@link #parameter(int)}), so handlers get
 * correctly positioned response codes without doing anything themselves.
 */
public final class TpmReader {
    private final byte[] buf;
    private int pos;
    private final int end;
    private int position; // blame: 1..15 parameter n, -1..-7 handle n, 0 none
    private boolean session; // with position > 0: session n instead of parameter n

    public TpmReader(byte[] buf) {
        this(buf, 0, buf.length);
    }

    public TpmReader(byte[] buf, int offset, int length) {
        if (offset < 0 || length < 0 || offset + length > buf.length) {
            throw new IllegalArgumentException("region outside the array");
        }
        this.buf = buf;
        this.pos = offset;
        this.end = offset + length;
    }

    /** From now on, errors blame parameter {@code n} (1-based). Returns this reader. */
    public TpmReader parameter(int n) {
        position = n;
        session = false;
        return this;
    }

    /** From now on, errors blame session {@code n} (1-based). Returns this reader. */
    public TpmReader session(int n) {
        position = n;
        session = true;
        return this;
    }

    /** From now on, errors blame handle {@code n} (1-based). Returns this reader. */
    public TpmReader handle(int n) {
        position = -n;
        session = false;
        return this;
    }

    /** The response code {@code rc} positioned on what this reader is currently reading. */
    public TpmRc blame(TpmRc rc) {
        if (position > 0 && session) {
            return rc.session(Math.min(position, 7));
        }
        if (position > 0) {
            return rc.parameter(Math.min(position, 15));
        }
        if (position < 0) {
            return rc.handle(Math.min(-position, 7));
        }
        return rc;
    }

    /** An exception for {@code rc}, positioned as {@link #blame(TpmRc)} says. */
    public TpmException error(TpmRc rc) {
        return new TpmException(blame(rc));
    }

    public int remaining() {
        return end - pos;
    }

    public int offset() {
        return pos;
    }

    private void need(int n) throws TpmException {
        if (n > end - pos) {
            throw error(TpmRc.INSUFFICIENT);
        }
    }

    public int u8() throws TpmException {
        need(1);
        return buf[pos++] & 0xFF;
    }

    public int u16() throws TpmException {
        need(2);
        int v = ((buf[pos] & 0xFF) << 8) | (buf[pos + 1] & 0xFF);
        pos += 2;
        return v;
    }

    /** A 32-bit value; callers treat it as unsigned where the type says so. */
    public int u32() throws TpmException {
        need(4);
        int v = ((buf[pos] & 0xFF) << 24) | ((buf[pos + 1] & 0xFF) << 16)
                | ((buf[pos + 2] & 0xFF) << 8) | (buf[pos + 3] & 0xFF);
        pos += 4;
        return v;
    }

    public long u64() throws TpmException {
        long hi = u32() & 0xFFFFFFFFL;
        long lo = u32() & 0xFFFFFFFFL;
        return (hi << 32) | lo;
    }

    /** Exactly {@code n} bytes, copied. */
    public byte[] bytes(int n) throws TpmException {
        need(n);
        byte[] out = new byte[n];
        System.arraycopy(buf, pos, out, 0, n);
        pos += n;
        return out;
    }

    /** Skips {@code n} bytes. */
    public void skip(int n) throws TpmException {
        need(n);
        pos += n;
    }

    /**
     * A TPM2B: a 16-bit size and that many bytes. A size above {@code maxSize} is {@code TPM_RC_SIZE},
     * as the unmarshalling code of the reference implementation reports it.
     */
    public byte[] tpm2b(int maxSize) throws TpmException {
        int size = u16();
        if (size > maxSize) {
            throw error(TpmRc.SIZE);
        }
        return bytes(size);
    }

    /** A nested reader over the next {@code n} bytes, which this reader skips. */
    public TpmReader slice(int n) throws TpmException {
        need(n);
        TpmReader sub = new TpmReader(buf, pos, n);
        sub.position = position;
        sub.session = session;
        pos += n;
        return sub;
    }

    /** Fails with {@code TPM_RC_SIZE} if anything is left unread (Part 3, 5.2 "command size"). */
    public void expectEnd() throws TpmException {
        if (pos != end) {
            throw new TpmException(TpmRc.SIZE);
        }
    }
}
