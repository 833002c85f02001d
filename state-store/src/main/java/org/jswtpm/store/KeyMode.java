package org.jswtpm.store;

/** An encryption mode of {@code --key} / {@code --migration-key}, and the key length it needs. */
public enum KeyMode {
  /** {@code aes-128-cbc} (also spelled {@code aes-cbc}): a 16-byte key. */
  AES_128_CBC("aes-128-cbc", 16),
  /** {@code aes-256-cbc}: a 32-byte key. */
  AES_256_CBC("aes-256-cbc", 32);

  private final String optionName;
  private final int keyLength;

  KeyMode(String optionName, int keyLength) {
    this.optionName = optionName;
    this.keyLength = keyLength;
  }

  /** Key length in bytes. */
  public int keyLength() {
    return keyLength;
  }

  /** The option spelling, e.g. {@code aes-256-cbc}. */
  public String optionName() {
    return optionName;
  }

  /** Parses a {@code mode=} value. */
  public static KeyMode fromOption(String value) {
    switch (value) {
      case "aes-cbc":
      case "aes-128-cbc":
        return AES_128_CBC;
      case "aes-256-cbc":
        return AES_256_CBC;
      default:
        throw new IllegalArgumentException("unknown encryption mode '" + value + "'; expected aes-128-cbc, aes-cbc or aes-256-cbc");
    }
  }

  /** The mode for a key of {@code length} bytes. */
  static KeyMode forKeyLength(int length) {
    for (KeyMode m : values()) {
      if (m.keyLength == length) {
        return m;
      }
    }
    throw new IllegalArgumentException("a state key must be 16 or 32 bytes, not " + length);
  }
}
