package org.jswtpm.core.crypto;

import java.math.BigInteger;

/** Conversions between big integers and the TPM's fixed-size big-endian octet strings. */
public final class Bytes {
    private Bytes() {
    }

    /** {@code v} as exactly {@code size} big-endian bytes (leading zeros added or the sign byte dropped). */
    public static byte[] fixed(BigInteger v, int size) {
        byte[] b = v.toByteArray();
        if (b.length == size) {
            return b;
        }
        byte[] out = new byte[size];
        if (b.length > size) {
            System.arraycopy(b, b.length - size, out, 0, size);
        } else {
            System.arraycopy(b, 0, out, size - b.length, b.length);
        }
        return out;
    }
}
