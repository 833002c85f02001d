package org.jswtpm.store;

import java.util.Arrays;

/**
 * An AES key for state encryption (the {@code --key} file key or the {@code --migration-key}).
 * The key bytes are never printed: {@link #toString()} shows only the mode. Call {@link #destroy()}
 * when the key is no longer needed.
 */
public final class StateKey {
  private final byte[] material;
  private final KeyMode mode;

  private StateKey(byte[] material) {
    this.mode = KeyMode.forKeyLength(material.length);
    this.material = material.clone();
  }

  /** A key from raw bytes (16 or 32); the bytes are copied. */
  public static StateKey of(byte[] material) {
    return new StateKey(material);
  }

  /** The mode this key's length implies. */
  public KeyMode mode() {
    return mode;
  }

  /** Key length in bytes (16 or 32). */
  public int length() {
    return material.length;
  }

  /** Whether this is a 256-bit key. */
  public boolean is256() {
    return material.length == 32;
  }

  /** The key bytes, for this package's ciphers only; callers must not keep or change them. */
  byte[] material() {
    return material;
  }

  /** Overwrites the key bytes with zeros; the key is unusable afterwards. */
  public void destroy() {
    Arrays.fill(material, (byte) 0);
  }

  @Override
  public String toString() {
    return "StateKey[" + mode.optionName() + ", redacted]";
  }
}
