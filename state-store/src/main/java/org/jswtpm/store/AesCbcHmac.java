package org.jswtpm.store;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * swtpm's encrypt-then-MAC: AES-CBC (128 or 256 by key length) with <em>key-length</em> padding
 * (pad = keylen - len % keylen bytes of value pad; PKCS#7 for 128-bit keys, 32-byte blocks for
 * 256-bit keys), an IV as long as the key of which the first 16 bytes are used, and HMAC-SHA256
 * keyed with the AES key over ciphertext followed by the whole IV.
 */
final class AesCbcHmac {
  static final int MAC_LENGTH = 32;
  private static final int BLOCK = 16;

  /** Ciphertext, MAC and IV of one sealed payload. */
  record Sealed(byte[] ciphertext, byte[] mac, byte[] iv) {}

  private AesCbcHmac() {}

  static Sealed seal(StateKey key, byte[] plain, SecureRandom random) {
    int kl = key.length();
    byte[] iv = new byte[kl];
    random.nextBytes(iv);
    int pad = kl - plain.length % kl;
    byte[] padded = Arrays.copyOf(plain, plain.length + pad);
    Arrays.fill(padded, plain.length, padded.length, (byte) pad);
    try {
      byte[] ct = cipher(Cipher.ENCRYPT_MODE, key, iv).doFinal(padded);
      return new Sealed(ct, mac(key, ct, iv), iv);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-CBC is not available", e);
    } finally {
      Arrays.fill(padded, (byte) 0);
    }
  }

  /**
   * Verifies the MAC (constant time) and decrypts.
   *
   * @param iv the IV, or {@code null} for none (then a zero IV and a MAC over the ciphertext only)
   */
  static byte[] open(StateKey key, byte[] ciphertext, byte[] mac, byte[] iv) throws BlobFormatException {
    if (mac.length < MAC_LENGTH) {
      throw new BlobFormatException(BlobError.INTEGRITY, "HMAC is " + mac.length + " bytes, expected " + MAC_LENGTH);
    }
    byte[] expected = mac(key, ciphertext, iv);
    if (!MessageDigest.isEqual(expected, Arrays.copyOf(mac, MAC_LENGTH))) {
      throw new BlobFormatException(BlobError.INTEGRITY, "HMAC check failed: wrong key, or the data was modified");
    }
    return decrypt(key, ciphertext, iv);
  }

  /** Decrypts without a MAC (header version 1), checking the padding. */
  static byte[] decrypt(StateKey key, byte[] ciphertext, byte[] iv) throws BlobFormatException {
    int kl = key.length();
    if (ciphertext.length < kl || ciphertext.length % BLOCK != 0) {
      throw new BlobFormatException(BlobError.BAD_CIPHERTEXT, "ciphertext of " + ciphertext.length + " bytes is not a whole number of AES blocks");
    }
    if (iv != null && iv.length < BLOCK) {
      throw new BlobFormatException(BlobError.BAD_CIPHERTEXT, "IV of " + iv.length + " bytes is shorter than " + BLOCK);
    }
    byte[] padded;
    try {
      padded = cipher(Cipher.DECRYPT_MODE, key, iv == null ? new byte[BLOCK] : iv).doFinal(ciphertext);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-CBC is not available", e);
    }
    int pad = padded[padded.length - 1] & 0xff;
    boolean ok = pad >= 1 && pad <= kl;
    for (int i = padded.length - pad; ok && i < padded.length; i++) {
      ok = padded[i] == (byte) pad;
    }
    if (!ok) {
      Arrays.fill(padded, (byte) 0);
      throw new BlobFormatException(BlobError.BAD_CIPHERTEXT, "bad padding after decryption");
    }
    byte[] plain = Arrays.copyOf(padded, padded.length - pad);
    Arrays.fill(padded, (byte) 0);
    return plain;
  }

  private static Cipher cipher(int opmode, StateKey key, byte[] iv) throws GeneralSecurityException {
    Cipher c = Cipher.getInstance("AES/CBC/NoPadding");
    c.init(opmode, new SecretKeySpec(key.material(), "AES"), new IvParameterSpec(iv, 0, BLOCK));
    return c;
  }

  private static byte[] mac(StateKey key, byte[] ciphertext, byte[] iv) {
    try {
      Mac m = Mac.getInstance("HmacSHA256");
      m.init(new SecretKeySpec(key.material(), "HmacSHA256"));
      m.update(ciphertext);
      if (iv != null) {
        m.update(iv);
      }
      return m.doFinal();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HMAC-SHA256 is not available", e);
    }
  }

  static byte[] sha256(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(data);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
