package org.jswtpm.store;

import java.security.SecureRandom;

/**
 * swtpm's envelope for state <em>files</em> (reference §7.2, §7.5): a {@link BlobHeader} followed
 * by TLV 1 (plain), or, when a state-file key is set, by jswtpm's AES-GCM TLV
 * ({@link FileCipher#AES_GCM}, the default for writing) or swtpm's TLV 2 (AES-CBC ciphertext),
 * TLV 3 (HMAC-SHA256) and TLV 6 (IV). Both encrypted forms are read whichever is written. Reads header
 * version 1 blobs too.
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
  private final FileCipher cipher;

  /**
   * An envelope that writes with AES-GCM.
   *
   * @param key the state-file key, or {@code null} for plain blobs
   * @param random source of nonces and IVs (fresh for every write)
   */
  public BlobEnvelope(StateKey key, SecureRandom random) {
    this(key, random, FileCipher.AES_GCM);
  }

  /**
   * @param key the state-file key, or {@code null} for plain blobs
   * @param random source of nonces and IVs (fresh for every write)
   * @param cipher how encrypted blobs are written
   */
  public BlobEnvelope(StateKey key, SecureRandom random, FileCipher cipher) {
    this.key = key;
    this.random = random;
    this.cipher = cipher;
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
    if (cipher == FileCipher.SWTPM_AES_CBC_HMAC) {
      return EnvelopeLayer.FILE.seal(key, data, random).encodeWithHeader(flags);
    }
    int total = BlobHeader.SIZE + Tlv.HEADER_SIZE + AesGcm.sealedLength(data.length);
    byte[] header = new byte[BlobHeader.SIZE];
    BlobHeader.current(flags, total).writeTo(header);
    byte[] sealed = AesGcm.seal(key, data, header, random);
    return TlvList.of(new Tlv(Tlv.AEAD_ENCRYPTED_DATA, sealed)).encodeWithHeader(flags);
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
    if (h.version() >= 2) {
      byte[] sealed = TlvList.parse(blob, BlobHeader.SIZE).find(Tlv.AEAD_ENCRYPTED_DATA);
      if (sealed != null) {
        int expected = h.has(BlobFlags.ENCRYPTED_256BIT_KEY) ? 32 : 16;
        if (expected != key.length()) {
          throw new BlobFormatException(BlobError.KEY_SIZE_MISMATCH, "blob was encrypted with a "
              + expected * 8 + "-bit state key, but the configured key has " + key.length() * 8 + " bits");
        }
        return AesGcm.open(key, sealed, java.util.Arrays.copyOf(blob, BlobHeader.SIZE));
      }
    }
    return EnvelopeLayer.FILE.openEncrypted(key, blob, h);
  }
}
