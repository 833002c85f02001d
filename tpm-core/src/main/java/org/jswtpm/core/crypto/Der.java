package org.jswtpm.core.crypto;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

/**
 * The little DER (ITU-T X.690) TPM2_CertifyX509 needs: single-octet tags, definite lengths of up to
 * four octets, and the encoders for the few universal types of a certificate.
 */
public final class Der {
    public static final int INTEGER = 0x02;
    public static final int BIT_STRING = 0x03;
    public static final int OCTET_STRING = 0x04;
    public static final int NULL = 0x05;
    public static final int OID = 0x06;
    public static final int UTF8_STRING = 0x0C;
    public static final int SEQUENCE = 0x30;
    public static final int SET = 0x31;
    public static final int UTC_TIME = 0x17;

    private Der() {
    }

    /** Thrown for malformed DER. */
    public static final class DerException extends Exception {
        private static final long serialVersionUID = 1L;

        public DerException(String message) {
            super(message);
        }
    }

    // ---- encoding

    /** Tag, definite length, then the concatenated contents. */
    public static byte[] tlv(int tag, byte[]... contents) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (byte[] c : contents) {
            body.writeBytes(c);
        }
        byte[] b = body.toByteArray();
        ByteArrayOutputStream out = new ByteArrayOutputStream(b.length + 6);
        out.write(tag);
        int n = b.length;
        if (n < 0x80) {
            out.write(n);
        } else if (n < 0x100) {
            out.write(0x81);
            out.write(n);
        } else if (n < 0x10000) {
            out.write(0x82);
            out.write(n >> 8);
            out.write(n);
        } else {
            out.write(0x83);
            out.write(n >> 16);
            out.write(n >> 8);
            out.write(n);
        }
        out.writeBytes(b);
        return out.toByteArray();
    }

    public static byte[] sequence(byte[]... contents) {
        return tlv(SEQUENCE, contents);
    }

    public static byte[] set(byte[]... contents) {
        return tlv(SET, contents);
    }

    /** A context-specific constructed (explicit) tag [n]. */
    public static byte[] explicit(int n, byte[]... contents) {
        return tlv(0xA0 | n, contents);
    }

    public static byte[] nul() {
        return new byte[] {NULL, 0};
    }

    /** INTEGER of an unsigned big-endian magnitude (minimal octets, a 0 octet before a set high bit). */
    public static byte[] unsignedInteger(byte[] magnitude) {
        return tlv(INTEGER, new BigInteger(1, magnitude).toByteArray());
    }

    public static byte[] integer(long v) {
        return tlv(INTEGER, BigInteger.valueOf(v).toByteArray());
    }

    /** BIT STRING of whole octets (no unused bits). */
    public static byte[] bitString(byte[] octets) {
        return tlv(BIT_STRING, new byte[] {0}, octets);
    }

    /** BIT STRING of named bits: bit i of {@code bits} (i = 0 the first, most significant) is named bit i. */
    public static byte[] namedBits(long bits, int count) {
        int last = -1;
        for (int i = 0; i < count; i++) {
            if ((bits >>> i & 1) != 0) {
                last = i;
            }
        }
        if (last < 0) {
            return new byte[] {BIT_STRING, 1, 0};
        }
        int octets = last / 8 + 1;
        byte[] v = new byte[octets + 1];
        v[0] = (byte) (octets * 8 - 1 - last);
        for (int i = 0; i <= last; i++) {
            if ((bits >>> i & 1) != 0) {
                v[1 + i / 8] |= (byte) (0x80 >>> (i % 8));
            }
        }
        return tlv(BIT_STRING, v);
    }

    public static byte[] octetString(byte[] b) {
        return tlv(OCTET_STRING, b);
    }

    /** OBJECT IDENTIFIER from its dotted form. */
    public static byte[] oid(String dotted) {
        String[] parts = dotted.split("\\.");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        base128(out, Long.parseLong(parts[0]) * 40 + Long.parseLong(parts[1]));
        for (int i = 2; i < parts.length; i++) {
            base128(out, Long.parseLong(parts[i]));
        }
        return tlv(OID, out.toByteArray());
    }

    private static void base128(ByteArrayOutputStream out, long v) {
        int groups = 1;
        while (v >>> (7 * groups) != 0) {
            groups++;
        }
        for (int g = groups - 1; g >= 0; g--) {
            out.write((int) (v >>> (7 * g) & 0x7F) | (g == 0 ? 0 : 0x80));
        }
    }

    // ---- decoding

    /** One element: its tag, where it starts, where its contents start and end. */
    public record Element(int tag, int start, int contentStart, int end) {
        public int length() {
            return end - contentStart;
        }
    }

    /** The next element of {@code b} at {@code off}, not beyond {@code limit}. */
    public static Element next(byte[] b, int off, int limit) throws DerException {
        if (off + 2 > limit) {
            throw new DerException("truncated tag");
        }
        int tag = b[off] & 0xFF;
        if ((tag & 0x1F) == 0x1F) {
            throw new DerException("multi-octet tag");
        }
        int l = b[off + 1] & 0xFF;
        int p = off + 2;
        int length;
        if (l < 0x80) {
            length = l;
        } else {
            int n = l & 0x7F;
            if (n == 0 || n > 3 || p + n > limit) {
                throw new DerException("bad length");
            }
            length = 0;
            for (int i = 0; i < n; i++) {
                length = (length << 8) | (b[p++] & 0xFF);
            }
            if (length < 0x80 || (n > 1 && length < (1 << (8 * (n - 1))))) {
                throw new DerException("length not minimal");
            }
        }
        if (length > limit - p) {
            throw new DerException("length beyond the data");
        }
        return new Element(tag, off, p, p + length);
    }

    /** The elements of the contents of {@code e} (all must fit exactly). */
    public static List<Element> children(byte[] b, Element e) throws DerException {
        List<Element> list = new ArrayList<>();
        int p = e.contentStart();
        while (p < e.end()) {
            Element c = next(b, p, e.end());
            list.add(c);
            p = c.end();
        }
        return list;
    }

    /**
     * The value of a BIT STRING element of at most 32 bits, left-justified in an int (its first bit is
     * bit 31), as the reference's ASN1GetBitStringValue reads TPMA_X509_KEY_USAGE and TPMA_OBJECT.
     */
    public static int bitStringValue(byte[] b, Element e) throws DerException {
        if (e.tag() != BIT_STRING || e.length() < 1) {
            throw new DerException("no BIT STRING");
        }
        int unused = b[e.contentStart()] & 0xFF;
        int octets = e.length() - 1;
        if (unused > 7 || (octets == 0 && unused != 0)) {
            throw new DerException("bad unused bits");
        }
        int bits = octets * 8 - unused;
        if (bits > 32) {
            throw new DerException("more than 32 bits");
        }
        long v = 0;
        for (int i = 0; i < octets; i++) {
            v = (v << 8) | (b[e.contentStart() + 1 + i] & 0xFF);
        }
        v >>>= unused;
        return bits == 0 ? 0 : (int) (v << (32 - bits));
    }
}
