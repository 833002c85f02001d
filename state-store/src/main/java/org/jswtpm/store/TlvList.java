package org.jswtpm.store;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Encodes and decodes a sequence of {@link Tlv}s; readers look items up by tag. */
public final class TlvList {
  private final List<Tlv> items;

  private TlvList(List<Tlv> items) {
    this.items = items;
  }

  /** A list of the given items, in order. */
  public static TlvList of(Tlv... items) {
    return new TlvList(List.of(items));
  }

  /** Decodes {@code bytes[from..]} completely; an item cut short is an error. */
  public static TlvList parse(byte[] bytes, int from) throws BlobFormatException {
    List<Tlv> items = new ArrayList<>();
    int off = from;
    while (off < bytes.length) {
      if (bytes.length - off < Tlv.HEADER_SIZE) {
        throw new BlobFormatException(BlobError.MALFORMED_TLV, "TLV header cut short at offset " + off);
      }
      ByteBuffer b = ByteBuffer.wrap(bytes, off, Tlv.HEADER_SIZE);
      int tag = b.getShort() & 0xffff;
      long len = b.getInt() & 0xffffffffL;
      off += Tlv.HEADER_SIZE;
      if (len > bytes.length - off) {
        throw new BlobFormatException(BlobError.MALFORMED_TLV, "TLV with tag " + tag + " claims " + len + " bytes, only " + (bytes.length - off) + " left");
      }
      items.add(new Tlv(tag, Arrays.copyOfRange(bytes, off, off + (int) len)));
      off += (int) len;
    }
    return new TlvList(items);
  }

  /** The first item with {@code tag}, or {@code null}. */
  public byte[] find(int tag) {
    for (Tlv t : items) {
      if (t.tag() == tag) {
        return t.value();
      }
    }
    return null;
  }

  /** The first item with {@code tag}; its absence is an error. */
  public byte[] require(int tag, String what) throws BlobFormatException {
    byte[] v = find(tag);
    if (v == null) {
      throw new BlobFormatException(BlobError.MISSING_TLV, "blob has no " + what + " (TLV tag " + tag + ")");
    }
    return v;
  }

  /** Encoded length in bytes. */
  public int encodedLength() {
    int n = 0;
    for (Tlv t : items) {
      n += Tlv.HEADER_SIZE + t.value().length;
    }
    return n;
  }

  /** Encodes the list into {@code out} at {@code offset}. */
  public void writeTo(byte[] out, int offset) {
    ByteBuffer b = ByteBuffer.wrap(out, offset, out.length - offset);
    for (Tlv t : items) {
      b.putShort((short) t.tag()).putInt(t.value().length).put(t.value());
    }
  }

  /** The encoded list. */
  public byte[] encode() {
    byte[] out = new byte[encodedLength()];
    writeTo(out, 0);
    return out;
  }

  /** Header plus this list as payload: a complete blob. */
  public byte[] encodeWithHeader(int flags) {
    byte[] out = new byte[BlobHeader.SIZE + encodedLength()];
    BlobHeader.current(flags, out.length).writeTo(out);
    writeTo(out, BlobHeader.SIZE);
    return out;
  }
}
