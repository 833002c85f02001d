package org.jswtpm.store;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The 192-byte little-endian header of swtpm's linear state file (reference §7.7): {@code u64
 * magic "swtpmlin", u8 version 1, u8 pad, u16 hdrsize 192}, then 15 entries {@code {u32 offset
 * (0 = unused), u32 data_length, u32 section_length}}; entry 0 is permall, 1 volatilestate, 2
 * savestate.
 */
final class LinearHeader {
  static final long MAGIC = 0x737774706d6c696eL;
  static final int VERSION = 1;
  static final int SIZE = 192;
  static final int ENTRIES = 15;
  private static final int ENTRY_BASE = 12;
  private static final int ENTRY_SIZE = 12;

  final int hdrSize;
  final int[] offset = new int[ENTRIES];
  final int[] dataLength = new int[ENTRIES];
  final int[] sectionLength = new int[ENTRIES];

  private LinearHeader(int hdrSize) {
    this.hdrSize = hdrSize;
  }

  /** A header for an empty store. */
  static LinearHeader empty() {
    return new LinearHeader(SIZE);
  }

  /** Whether {@code image} starts with the magic. */
  static boolean hasMagic(byte[] image) {
    return image.length >= 8 && le(image).getLong(0) == MAGIC;
  }

  /** Parses and checks a header against the image it heads. */
  static LinearHeader parse(byte[] image, String where) throws StateStoreException {
    ByteBuffer b = le(image);
    if (image.length < SIZE || b.getLong(0) != MAGIC) {
      throw new StateStoreException(where + " is not a swtpm linear state file");
    }
    int version = image[8] & 0xff;
    if (version > VERSION) {
      throw new StateStoreException(where + ": unknown linear format version " + version);
    }
    int hdrSize = b.getShort(10) & 0xffff;
    if (hdrSize < SIZE || hdrSize > image.length) {
      throw new StateStoreException(where + ": bad linear header size " + hdrSize);
    }
    LinearHeader h = new LinearHeader(hdrSize);
    for (int i = 0; i < ENTRIES; i++) {
      int at = ENTRY_BASE + i * ENTRY_SIZE;
      h.offset[i] = b.getInt(at);
      h.dataLength[i] = b.getInt(at + 4);
      h.sectionLength[i] = b.getInt(at + 8);
      long off = h.offset[i] & 0xffffffffL;
      long sec = h.sectionLength[i] & 0xffffffffL;
      long len = h.dataLength[i] & 0xffffffffL;
      if (off != 0 && (off < hdrSize || off + sec > image.length || len > sec)) {
        throw new StateStoreException(where + ": linear entry " + i + " (offset " + off + ", length " + len + ", section " + sec
            + ") lies outside the " + image.length + "-byte file; the file is truncated or corrupt");
      }
    }
    return h;
  }

  /** Writes the header into the first bytes of {@code image}. */
  void writeTo(byte[] image) {
    ByteBuffer b = le(image);
    b.putLong(0, MAGIC);
    image[8] = VERSION;
    image[9] = 0;
    b.putShort(10, (short) hdrSize);
    for (int i = 0; i < ENTRIES; i++) {
      int at = ENTRY_BASE + i * ENTRY_SIZE;
      b.putInt(at, offset[i]);
      b.putInt(at + 4, dataLength[i]);
      b.putInt(at + 8, sectionLength[i]);
    }
  }

  /** The end of the last used section, or the header size: where a new section goes. */
  int end() {
    int end = hdrSize;
    for (int i = 0; i < ENTRIES; i++) {
      if (offset[i] != 0) {
        end = Math.max(end, offset[i] + sectionLength[i]);
      }
    }
    return end;
  }

  /** The next power of two at or above {@code n} (swtpm's section sizing); at least 1. */
  static int sectionSizeFor(int n) {
    return n <= 1 ? 1 : Integer.highestOneBit(n - 1) << 1;
  }

  private static ByteBuffer le(byte[] image) {
    return ByteBuffer.wrap(image).order(ByteOrder.LITTLE_ENDIAN);
  }
}
