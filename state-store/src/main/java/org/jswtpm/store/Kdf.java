package org.jswtpm.store;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * How a key is derived from a passphrase ({@code kdf=}): PBKDF2-HMAC-SHA512 with salt {@code
 * swtpm} and 1000 iterations (the default), or the first bytes of SHA-512. The passphrase is
 * taken as raw bytes, exactly as read.
 */
public enum Kdf {
  /** PBKDF2-HMAC-SHA512, salt "swtpm", 1000 iterations. */
  PBKDF2,
  /** The first 16 or 32 bytes of SHA-512(passphrase). */
  SHA512;

  private static final byte[] SALT = {'s', 'w', 't', 'p', 'm'};
  private static final int ITERATIONS = 1000;

  /** Parses a {@code kdf=} value. */
  public static Kdf fromOption(String value) {
    switch (value) {
      case "pbkdf2":
        return PBKDF2;
      case "sha512":
        return SHA512;
      default:
        throw new IllegalArgumentException("unknown kdf '" + value + "'; expected pbkdf2 or sha512");
    }
  }

  /** Derives a key of {@code length} bytes (at most 64) from {@code passphrase}. */
  public byte[] derive(byte[] passphrase, int length) {
    try {
      if (this == SHA512) {
        byte[] h = MessageDigest.getInstance("SHA-512").digest(passphrase);
        byte[] k = Arrays.copyOf(h, length);
        Arrays.fill(h, (byte) 0);
        return k;
      }
      return pbkdf2(passphrase, length);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("SHA-512 is not available", e);
    }
  }

  /**
   * PBKDF2 by hand over raw bytes: the JDK's PBEKeySpec takes chars and would encode them, which
   * changes non-ASCII passphrases. One block suffices for keys up to 64 bytes.
   */
  private static byte[] pbkdf2(byte[] passphrase, int length) throws GeneralSecurityException {
    Mac mac = Mac.getInstance("HmacSHA512");
    // HMAC accepts an empty key in principle; SecretKeySpec does not, so use a one-byte zero key,
    // which HMAC pads to the same block as the empty key.
    byte[] k = passphrase.length == 0 ? new byte[1] : passphrase;
    mac.init(new SecretKeySpec(k, "HmacSHA512"));
    mac.update(SALT);
    mac.update(new byte[] {0, 0, 0, 1});
    byte[] u = mac.doFinal();
    byte[] t = u.clone();
    for (int i = 1; i < ITERATIONS; i++) {
      u = mac.doFinal(u);
      for (int j = 0; j < t.length; j++) {
        t[j] ^= u[j];
      }
    }
    byte[] out = Arrays.copyOf(t, length);
    Arrays.fill(t, (byte) 0);
    Arrays.fill(u, (byte) 0);
    return out;
  }
}
