package org.jswtpm.store;

import java.security.SecureRandom;

/**
 * swtpm's envelope for state <em>files</em> (reference §7.2, §7.5): a {@link BlobHeader} followed
 * by TLV 1 (plain), or by TLV 2 (AES-CBC ciphertext), TLV 3 (HMAC-SHA256) and TLV 6 (IV) when a
 * state-file key is set. Reads header version 1 blobs too.
 *
 * <p>The header is not authenticated by the format; to catch damage there too, flags that a state
 * file never carries are refused (swtpm ignores them).
 *
 * <p>As in swtpm, when a key is configured every blob is expected to be encrypted, and without a
 * key an encrypted blob is refused.
 */
public final class BlobEnvelope {
  private final StateKey key;
  private final SecureRandom random;

  /**
   * @param key the state-file key, or {@code null} for plain blobs
   * @param random source of IVs (a fresh IV per write)
   */
  public BlobEnvelope(StateKey key, SecureRandom random) {
    this.key = key;
    this.random = random;
  }

  /** An envelope without a key: header + TLV 1. */
  public static BlobEnvelope plain() {
    return new BlobEnvelope(null, new SecureRandom());
  }

  /** Whether this envelope encrypts. */
  public boolean encrypts() {
    return key != null;
  }

  /** Wraps engine data into a blob ready to be stored. */
  public byte[] wrap(byte[] data) {
    if (key == null) {
      return EnvelopeLayer.FILE.plain(data).encodeWithHeader(0);
    }
    int flags = BlobFlags.ENCRYPTED | (key.is256() ? BlobFlags.ENCRYPTED_256BIT_KEY : 0);
    return EnvelopeLayer.FILE.seal(key, data, random).encodeWithHeader(flags);
  }

  /** Checks and unwraps a stored blob, returning the engine data. */
  public byte[] unwrap(byte[] blob) throws BlobFormatException {
    BlobHeader h = BlobHeader.parse(blob);
    int unexpected = h.flags() & ~(BlobFlags.ENCRYPTED | BlobFlags.ENCRYPTED_256BIT_KEY);
    if (unexpected != 0) {
      throw new BlobFormatException(BlobError.UNEXPECTED_FLAGS, String.format("state file blob has unexpected header flags 0x%04x", unexpected));
    }
    if (key == null) {
      if (h.has(BlobFlags.ENCRYPTED)) {
        throw new BlobFormatException(BlobError.KEY_REQUIRED, "blob is encrypted but no state key is configured");
      }
      return EnvelopeLayer.FILE.openPlain(blob, h.version());
    }
    if (h.version() >= 2 && !h.has(BlobFlags.ENCRYPTED)) {
      throw new BlobFormatException(BlobError.NOT_ENCRYPTED, "a state key is configured but the blob is not encrypted");
    }
    return EnvelopeLayer.FILE.openEncrypted(key, blob, h);
  }
}
