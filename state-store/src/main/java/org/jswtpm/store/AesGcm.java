package org.jswtpm.store;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES-GCM sealing of one blob (NIST SP 800-38D): {@code nonce(12) || ciphertext || tag(16)}, with
 * caller-supplied associated data (the blob header, so that a changed header fails too).
 */
final class AesGcm {
  static final int NONCE_LENGTH = 12;
  static final int TAG_LENGTH = 16;

  private AesGcm() {
  }

  /** The sealed length of {@code plainLength} bytes. */
  static int sealedLength(int plainLength) {
    return NONCE_LENGTH + plainLength + TAG_LENGTH;
  }

  static byte[] seal(StateKey key, byte[] plain, byte[] aad, SecureRandom random) {
    byte[] out = new byte[sealedLength(plain.length)];
    byte[] nonce = new byte[NONCE_LENGTH];
    random.nextBytes(nonce);
    System.arraycopy(nonce, 0, out, 0, NONCE_LENGTH);
    try {
      Cipher c = cipher(Cipher.ENCRYPT_MODE, key, nonce);
      c.updateAAD(aad);
      c.doFinal(plain, 0, plain.length, out, NONCE_LENGTH);
      return out;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is unavailable in this JDK", e);
    }
  }

  static byte[] open(StateKey key, byte[] sealed, byte[] aad) throws BlobFormatException {
    if (sealed.length < NONCE_LENGTH + TAG_LENGTH) {
      throw new BlobFormatException(BlobError.BAD_CIPHERTEXT, "AES-GCM data too short");
    }
    try {
      Cipher c = cipher(Cipher.DECRYPT_MODE, key, Arrays.copyOf(sealed, NONCE_LENGTH));
      c.updateAAD(aad);
      return c.doFinal(sealed, NONCE_LENGTH, sealed.length - NONCE_LENGTH);
    } catch (AEADBadTagException e) {
      throw new BlobFormatException(BlobError.INTEGRITY,
          "authentication tag check failed: wrong key, or the data was modified");
    } catch (GeneralSecurityException e) {
      throw new BlobFormatException(BlobError.BAD_CIPHERTEXT, "AES-GCM decryption failed");
    }
  }

  private static Cipher cipher(int mode, StateKey key, byte[] nonce) throws GeneralSecurityException {
    Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
    c.init(mode, new SecretKeySpec(key.material(), "AES"), new GCMParameterSpec(TAG_LENGTH * 8, nonce));
    return c;
  }
}
