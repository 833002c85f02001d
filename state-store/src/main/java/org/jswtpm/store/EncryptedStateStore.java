package org.jswtpm.store;

import java.util.Objects;

/**
 * Encryption at rest with swtpm's state-file key ({@code --key}): every blob is stored as swtpm
 * stores it with that key (AES-CBC, HMAC-SHA256 over ciphertext and IV, a fresh IV per write), so
 * a directory written here is readable by swtpm with the same key and the other way round. A
 * wrong key, a flipped byte, a truncated or foreign file, or a plain file all fail to load with a
 * {@link BlobFormatException} naming the file.
 */
public final class EncryptedStateStore extends EnvelopeStateStore {
  /**
   * @param delegate where the encrypted blobs go
   * @param key the state-file key; required
   */
  public EncryptedStateStore(StateStore delegate, StateKey key) {
    super(delegate, Objects.requireNonNull(key, "key"));
  }
}
