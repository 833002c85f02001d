package org.jswtpm.store;

import java.nio.ByteBuffer;

/**
 * swtpm's 10-byte big-endian blob header: {@code u8 version, u8 min_version, u16 hdrsize, u16
 * flags, u32 totlen}.
 *
 * @param version the writer's header version (2; 1 for old blobs)
 * @param minVersion the oldest reader version that can read the blob
 * @param flags {@link BlobFlags} bits
 * @param totalLength header plus payload length
 */
public record BlobHeader(int version, int minVersion, int flags, int totalLength) {
  /** Size of the header in bytes; the only value the hdrsize field may hold. */
  public static final int SIZE = 10;
  /** The version we write. */
  public static final int VERSION = 2;
  /** The min_version we write. */
  public static final int MIN_VERSION = 1;

  /** A header as we write it: version 2, min_version 1. */
  public static BlobHeader current(int flags, int totalLength) {
    return new BlobHeader(VERSION, MIN_VERSION, flags, totalLength);
  }

  /**
   * Reads and checks the header of {@code blob}, in swtpm's order: size, total length,
   * min_version, header size. Versions other than 1 and 2 are refused here (swtpm refuses them a
   * step later), as is a min_version of 0, which no writer produces.
   */
  public static BlobHeader parse(byte[] blob) throws BlobFormatException {
    if (blob.length < SIZE) {
      throw new BlobFormatException(BlobError.SHORT_HEADER, "blob of " + blob.length + " bytes is too short for its 10-byte header");
    }
    ByteBuffer b = ByteBuffer.wrap(blob);
    int version = b.get() & 0xff;
    int minVersion = b.get() & 0xff;
    int hdrSize = b.getShort() & 0xffff;
    int flags = b.getShort() & 0xffff;
    long totlen = b.getInt() & 0xffffffffL;
    if (totlen != blob.length) {
      throw new BlobFormatException(BlobError.LENGTH_MISMATCH, "blob header says " + totlen + " bytes but the blob has " + blob.length + " (truncated or not a state blob)");
    }
    if (minVersion > VERSION || minVersion == 0 || version == 0 || version > VERSION) {
      throw new BlobFormatException(BlobError.UNSUPPORTED_VERSION, "blob header version " + version + " (min_version " + minVersion + ") is not readable; this reader reads versions 1 and 2");
    }
    if (hdrSize != SIZE) {
      throw new BlobFormatException(BlobError.BAD_HEADER_SIZE, "blob header size is " + hdrSize + ", expected " + SIZE);
    }
    return new BlobHeader(version, minVersion, flags, (int) totlen);
  }

  /** Whether all bits of {@code flag} are set. */
  public boolean has(int flag) {
    return (flags & flag) == flag;
  }

  /** Writes this header into the first 10 bytes of {@code out}. */
  public void writeTo(byte[] out) {
    ByteBuffer.wrap(out).put((byte) version).put((byte) minVersion).putShort((short) SIZE)
        .putShort((short) flags).putInt(totalLength);
  }
}
