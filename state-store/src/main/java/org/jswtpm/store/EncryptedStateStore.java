package org.jswtpm.store;

import java.util.Objects;

/**
 * Encryption at rest with the state-file key ({@code --key}, derived exactly as swtpm derives it):
 * every blob is written with AES-GCM (a fresh nonce per write, the header authenticated too), or
 * with swtpm's AES-CBC + HMAC-SHA256 when {@link FileCipher#SWTPM_AES_CBC_HMAC} is asked for so
 * that swtpm itself can read the directory; either form is read. A wrong key, a flipped byte, a
 * truncated or foreign file, or a plain file all fail to load with a {@link BlobFormatException}
 * naming the file.
 */
public final class EncryptedStateStore extends EnvelopeStateStore {
  /**
   * @param delegate where the encrypted blobs go
   * @param key the state-file key; required
   */
  public EncryptedStateStore(StateStore delegate, StateKey key) {
    this(delegate, key, FileCipher.AES_GCM);
  }

  /**
   * @param delegate where the encrypted blobs go
   * @param key the state-file key; required
   * @param cipher how blobs are written (both forms are read)
   */
  public EncryptedStateStore(StateStore delegate, StateKey key, FileCipher cipher) {
    super(delegate, Objects.requireNonNull(key, "key"), cipher);
  }
}
