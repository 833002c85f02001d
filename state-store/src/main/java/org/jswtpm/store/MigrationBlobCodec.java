package org.jswtpm.store;

import java.security.SecureRandom;

/**
 * swtpm's migration blob (reference §7.3): what GET_STATEBLOB hands out and SET_STATEBLOB
 * accepts. Header flags always include 0x04. The inner TLV list is TLV 1 (plain) or, if the
 * blob stays encrypted with the state-file key, TLV 2+3+6 (flag 0x01, 0x08 for 256 bits). The
 * outer layer is TLV 4 (the inner list) or, with a migration key, TLV 5+3+7 (flag 0x02, 0x10 for
 * 256 bits).
 */
public final class MigrationBlobCodec {
  private final StateKey fileKey;
  private final StateKey migrationKey;
  private final SecureRandom random;

  /**
   * @param fileKey the state-file key, or {@code null}
   * @param migrationKey the migration key, or {@code null}
   * @param random source of IVs
   */
  public MigrationBlobCodec(StateKey fileKey, StateKey migrationKey, SecureRandom random) {
    this.fileKey = fileKey;
    this.migrationKey = migrationKey;
    this.random = random;
  }

  /**
   * Wraps plain engine data as a migration blob.
   *
   * @param keepFileEncryption whether to keep the state-file key layer (ignored without a file
   *     key); GET_STATEBLOB keeps it unless the client asked for decrypted data
   */
  public byte[] wrap(byte[] data, boolean keepFileEncryption) {
    int flags = BlobFlags.MIGRATION_DATA;
    TlvList inner;
    if (keepFileEncryption && fileKey != null) {
      inner = EnvelopeLayer.FILE.seal(fileKey, data, random);
      flags |= BlobFlags.ENCRYPTED | (fileKey.is256() ? BlobFlags.ENCRYPTED_256BIT_KEY : 0);
    } else {
      inner = EnvelopeLayer.FILE.plain(data);
    }
    byte[] innerBytes = inner.encode();
    TlvList outer;
    if (migrationKey != null) {
      outer = EnvelopeLayer.MIGRATION.seal(migrationKey, innerBytes, random);
      flags |= BlobFlags.MIGRATION_ENCRYPTED | (migrationKey.is256() ? BlobFlags.MIGRATION_256BIT_KEY : 0);
    } else {
      outer = EnvelopeLayer.MIGRATION.plain(innerBytes);
    }
    return outer.encodeWithHeader(flags);
  }

  /** Whether {@link #wrap} with {@code keepFileEncryption} sets the ENCRYPTED response flag. */
  public boolean staysEncrypted(boolean keepFileEncryption) {
    return keepFileEncryption && fileKey != null;
  }

  /**
   * Unwraps a migration blob into plain engine data.
   *
   * @param flaggedEncrypted the SET_STATEBLOB request flag ENCRYPTED (0x2)
   * @return the data; an empty array when the blob is empty or only a header, which clears that
   *     state
   */
  public byte[] unwrap(byte[] blob, boolean flaggedEncrypted) throws BlobFormatException {
    if (blob.length == 0) {
      return new byte[0];
    }
    BlobHeader h = BlobHeader.parse(blob);
    if (blob.length == BlobHeader.SIZE) {
      return new byte[0];
    }
    byte[] inner;
    if (h.has(BlobFlags.MIGRATION_ENCRYPTED)) {
      inner = EnvelopeLayer.MIGRATION.openEncrypted(require(migrationKey, "migration"), blob, h);
    } else {
      inner = EnvelopeLayer.MIGRATION.openPlain(blob, h.version());
    }
    byte[] innerBlob = withHeader(h, inner);
    if (flaggedEncrypted || h.has(BlobFlags.ENCRYPTED)) {
      return EnvelopeLayer.FILE.openEncrypted(require(fileKey, "state"), innerBlob, h);
    }
    return EnvelopeLayer.FILE.openPlain(innerBlob, h.version());
  }

  private static StateKey require(StateKey key, String which) throws BlobFormatException {
    if (key == null) {
      throw new BlobFormatException(BlobError.KEY_REQUIRED, "blob is encrypted with the " + which + " key, but none is configured");
    }
    return key;
  }

  /** The inner list behind a copy of the outer header, so the layer code can read it alike. */
  private static byte[] withHeader(BlobHeader outer, byte[] inner) {
    byte[] out = new byte[BlobHeader.SIZE + inner.length];
    new BlobHeader(outer.version(), outer.minVersion(), outer.flags(), out.length).writeTo(out);
    System.arraycopy(inner, 0, out, BlobHeader.SIZE, inner.length);
    return out;
  }
}
