package org.jswtpm.store;

import java.io.IOException;
import java.security.SecureRandom;
import java.util.Map;

/**
 * Wraps every blob in swtpm's envelope ({@link BlobEnvelope}) on the way into another store and
 * checks and unwraps it on the way out, so that the files are the ones swtpm writes: header +
 * TLV 1 without a key, encrypted and authenticated with one (see {@link EncryptedStateStore}). A
 * blob that fails the checks is reported as a {@link BlobFormatException} naming its location;
 * it is never replaced behind the caller's back.
 */
public class EnvelopeStateStore implements StateStore {
  private final StateStore delegate;
  private final BlobEnvelope envelope;

  /**
   * @param delegate where the wrapped blobs go
   * @param key the state-file key, or {@code null} for plain blobs
   */
  public EnvelopeStateStore(StateStore delegate, StateKey key) {
    this(delegate, key, FileCipher.AES_GCM);
  }

  /**
   * @param delegate where the wrapped blobs go
   * @param key the state-file key, or {@code null} for plain blobs
   * @param cipher how encrypted blobs are written (both forms are read)
   */
  public EnvelopeStateStore(StateStore delegate, StateKey key, FileCipher cipher) {
    this.delegate = delegate;
    this.envelope = new BlobEnvelope(key, new SecureRandom(), cipher);
  }

  @Override
  public byte[] load(String name) throws IOException {
    byte[] raw = delegate.load(name);
    if (raw == null) {
      return null;
    }
    try {
      return envelope.unwrap(raw);
    } catch (BlobFormatException e) {
      throw e.at("TPM state " + delegate.locationOf(name));
    }
  }

  @Override
  public void store(String name, byte[] blob) throws IOException {
    delegate.store(name, envelope.wrap(blob));
  }

  @Override
  public void delete(String name) throws IOException {
    delegate.delete(name);
  }

  @Override
  public boolean exists(String name) throws IOException {
    return delegate.exists(name);
  }

  @Override
  public void lock(int retries) throws IOException {
    delegate.lock(retries);
  }

  @Override
  public void unlock() {
    delegate.unlock();
  }

  @Override
  public Map<String, Long> sizes() throws IOException {
    return delegate.sizes();
  }

  @Override
  public String locationOf(String name) {
    return delegate.locationOf(name);
  }

  /** The store the wrapped blobs go to. */
  public StateStore delegate() {
    return delegate;
  }

  @Override
  public void close() throws IOException {
    delegate.close();
  }
}
