package org.jswtpm.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/** The swtpm envelope: layout, round trips and every way a blob can be rejected. */
class BlobEnvelopeTest {
  static final StateKey K128 = StateKey.of(seq(16, 0));
  static final StateKey K256 = StateKey.of(seq(32, 0x40));
  static final byte[] DATA = "opaque engine blob, any length at all".getBytes();

  static byte[] seq(int n, int start) {
    byte[] b = new byte[n];
    for (int i = 0; i < n; i++) {
      b[i] = (byte) (start + i);
    }
    return b;
  }

  /** swtpm's encrypted form, which most of these tests take apart byte by byte. */
  static BlobEnvelope env(StateKey k) {
    return new BlobEnvelope(k, new SecureRandom(), FileCipher.SWTPM_AES_CBC_HMAC);
  }

  static BlobEnvelope gcm(StateKey k) {
    return new BlobEnvelope(k, new SecureRandom());
  }

  static BlobError error(StateKey k, byte[] blob) {
    return assertThrows(BlobFormatException.class, () -> env(k).unwrap(blob)).error();
  }

  @Test
  void plainLayoutIsHeaderPlusTlv1() throws Exception {
    byte[] blob = env(null).wrap(DATA);
    ByteBuffer b = ByteBuffer.wrap(blob);
    assertEquals(0x0201000a, b.getInt());
    assertEquals(0, b.getShort());
    assertEquals(blob.length, b.getInt());
    assertEquals(1, b.getShort());
    assertEquals(DATA.length, b.getInt());
    assertArrayEquals(DATA, env(null).unwrap(blob));
  }

  @Test
  void encryptedLayoutIsTlv2Tlv3Tlv6() throws Exception {
    for (StateKey k : new StateKey[] {K128, K256}) {
      byte[] blob = env(k).wrap(DATA);
      BlobHeader h = BlobHeader.parse(blob);
      assertEquals(BlobFlags.ENCRYPTED | (k.is256() ? BlobFlags.ENCRYPTED_256BIT_KEY : 0), h.flags());
      ByteBuffer b = ByteBuffer.wrap(blob, 10, blob.length - 10);
      assertEquals(Tlv.ENCRYPTED_DATA, b.getShort());
      int ctLen = b.getInt();
      assertEquals(0, ctLen % k.length(), "padded to the key length, not the block size");
      assertTrue(ctLen > DATA.length);
      b.position(b.position() + ctLen);
      assertEquals(Tlv.HMAC, b.getShort());
      assertEquals(32, b.getInt());
      b.position(b.position() + 32);
      assertEquals(Tlv.IVEC_ENCRYPTED_DATA, b.getShort());
      assertEquals(k.length(), b.getInt(), "IV as long as the key");
      assertArrayEquals(DATA, env(k).unwrap(blob));
    }
  }

  @Test
  void aes256PadsTo32ByteBlocksWithPadValuesUpTo0x20() throws Exception {
    byte[] data = new byte[32]; // a full block: pad is 32 bytes of 0x20
    byte[] blob = env(K256).wrap(data);
    TlvList t = TlvList.parse(blob, 10);
    byte[] ct = t.find(Tlv.ENCRYPTED_DATA);
    assertEquals(64, ct.length);
    Cipher c = Cipher.getInstance("AES/CBC/NoPadding");
    c.init(Cipher.DECRYPT_MODE, new SecretKeySpec(seq(32, 0x40), "AES"), new IvParameterSpec(t.find(Tlv.IVEC_ENCRYPTED_DATA), 0, 16));
    byte[] padded = c.doFinal(ct);
    for (int i = 32; i < 64; i++) {
      assertEquals(0x20, padded[i]);
    }
  }

  @Test
  void freshIvPerWrite() {
    byte[] a = env(K128).wrap(DATA);
    byte[] b = env(K128).wrap(DATA);
    assertFalse(Arrays.equals(a, b));
  }

  @Test
  void roundTripsAllSizes() throws Exception {
    for (int n = 0; n < 70; n++) {
      byte[] d = seq(n, n);
      for (StateKey k : new StateKey[] {null, K128, K256}) {
        assertArrayEquals(d, env(k).unwrap(env(k).wrap(d)), "size " + n);
      }
    }
  }

  @Test
  void headerChecksInSwtpmOrder() {
    byte[] blob = env(null).wrap(DATA);
    assertEquals(BlobError.SHORT_HEADER, error(null, Arrays.copyOf(blob, 9)));
    assertEquals(0x03, BlobError.SHORT_HEADER.controlCode());

    assertEquals(BlobError.LENGTH_MISMATCH, error(null, Arrays.copyOf(blob, blob.length - 1)));
    assertEquals(BlobError.LENGTH_MISMATCH, error(null, Arrays.copyOf(blob, blob.length + 1)));

    byte[] v = blob.clone();
    v[1] = 3;
    assertEquals(BlobError.UNSUPPORTED_VERSION, error(null, v));
    assertEquals(0x2e, BlobError.UNSUPPORTED_VERSION.controlCode());

    byte[] hs = blob.clone();
    hs[3] = 12;
    assertEquals(BlobError.BAD_HEADER_SIZE, error(null, hs));
    assertEquals(0x2b, BlobError.BAD_HEADER_SIZE.controlCode());
  }

  @Test
  void missingAndMalformedTlvs() {
    byte[] noData = TlvList.of(new Tlv(9, new byte[3])).encodeWithHeader(0);
    assertEquals(BlobError.MISSING_TLV, error(null, noData));

    byte[] enc = env(K128).wrap(DATA);
    TlvList t = parse(enc);
    byte[] noMac = TlvList.of(new Tlv(Tlv.ENCRYPTED_DATA, t.find(Tlv.ENCRYPTED_DATA)), new Tlv(Tlv.IVEC_ENCRYPTED_DATA, t.find(6)))
        .encodeWithHeader(BlobFlags.ENCRYPTED);
    assertEquals(BlobError.MISSING_TLV, error(K128, noMac));

    byte[] cut = env(null).wrap(DATA);
    ByteBuffer.wrap(cut).putInt(12, DATA.length + 1); // TLV claims more than there is
    assertEquals(BlobError.MALFORMED_TLV, error(null, cut));
  }

  @Test
  void flagAndKeySizeMismatch() {
    assertEquals(BlobError.KEY_SIZE_MISMATCH, error(K256, env(K128).wrap(DATA)));
    assertEquals(BlobError.KEY_SIZE_MISMATCH, error(K128, env(K256).wrap(DATA)));
    byte[] lying = env(K256).wrap(DATA);
    lying[5] = BlobFlags.ENCRYPTED; // claims 128 bits
    assertEquals(BlobError.KEY_SIZE_MISMATCH, error(K256, lying));
  }

  @Test
  void everyFlippedByteIsDetected() {
    byte[] blob = env(K128).wrap(DATA);
    for (int i = 0; i < blob.length; i++) {
      byte[] bad = blob.clone();
      bad[i] ^= 0x01;
      int at = i;
      assertThrows(BlobFormatException.class, () -> env(K128).unwrap(bad), "byte " + at);
    }
  }

  @Test
  void wrongKeyIsIntegrityError() {
    StateKey other = StateKey.of(seq(16, 1));
    assertEquals(BlobError.INTEGRITY, error(other, env(K128).wrap(DATA)));
  }

  @Test
  void readsHeaderVersion1() throws Exception {
    // version 1: no TLVs; AES-CBC, zero IV, over SHA-256(data) || data, key-length padding
    byte[] hash = AesCbcHmac.sha256(DATA);
    byte[] plain = new byte[32 + DATA.length];
    System.arraycopy(hash, 0, plain, 0, 32);
    System.arraycopy(DATA, 0, plain, 32, DATA.length);
    int pad = 16 - plain.length % 16;
    byte[] padded = Arrays.copyOf(plain, plain.length + pad);
    Arrays.fill(padded, plain.length, padded.length, (byte) pad);
    Cipher c = Cipher.getInstance("AES/CBC/NoPadding");
    c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(seq(16, 0), "AES"), new IvParameterSpec(new byte[16]));
    byte[] ct = c.doFinal(padded);
    byte[] blob = new byte[10 + ct.length];
    new BlobHeader(1, 1, 0, blob.length).writeTo(blob);
    System.arraycopy(ct, 0, blob, 10, ct.length);
    assertArrayEquals(DATA, env(K128).unwrap(blob));
    blob[20] ^= 1;
    assertEquals(BlobError.INTEGRITY, error(K128, blob));

    byte[] v1plain = new byte[10 + DATA.length];
    new BlobHeader(1, 1, 0, v1plain.length).writeTo(v1plain);
    System.arraycopy(DATA, 0, v1plain, 10, DATA.length);
    assertArrayEquals(DATA, env(null).unwrap(v1plain));
  }

  @Test
  void keysNeverPrinted() {
    assertFalse(K128.toString().contains("00"));
    assertTrue(K128.toString().contains("aes-128-cbc"));
  }

  private static TlvList parse(byte[] blob) {
    try {
      return TlvList.parse(blob, 10);
    } catch (BlobFormatException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void gcmLayoutIsOneTlvThatTheJdkOpensWithTheHeaderAsAad() throws Exception {
    byte[] data = seq(100, 7);
    byte[] blob = gcm(K256).wrap(data);
    assertEquals(10 + 6 + 12 + 100 + 16, blob.length);
    assertEquals(BlobFlags.ENCRYPTED | BlobFlags.ENCRYPTED_256BIT_KEY, ((blob[4] & 0xFF) << 8) | (blob[5] & 0xFF));
    assertEquals(Tlv.AEAD_ENCRYPTED_DATA, ((blob[10] & 0xFF) << 8) | (blob[11] & 0xFF));
    javax.crypto.Cipher c = javax.crypto.Cipher.getInstance("AES/GCM/NoPadding");
    c.init(javax.crypto.Cipher.DECRYPT_MODE, new javax.crypto.spec.SecretKeySpec(K256.material(), "AES"),
        new javax.crypto.spec.GCMParameterSpec(128, java.util.Arrays.copyOfRange(blob, 16, 28)));
    c.updateAAD(java.util.Arrays.copyOf(blob, 10));
    assertArrayEquals(data, c.doFinal(blob, 28, blob.length - 28));
    assertArrayEquals(data, gcm(K256).unwrap(blob));
  }

  @Test
  void gcmDetectsEveryFlippedByteAndTheWrongKey() throws Exception {
    byte[] blob = gcm(K128).wrap(seq(40, 1));
    for (int i = 0; i < blob.length; i++) {
      byte[] bad = blob.clone();
      bad[i] ^= 0x01;
      int at = i;
      assertThrows(BlobFormatException.class, () -> gcm(K128).unwrap(bad), () -> "flip at " + at);
    }
    assertEquals(BlobError.INTEGRITY, error(StateKey.of(new byte[16]), blob));
    assertEquals(BlobError.KEY_SIZE_MISMATCH, error(K256, blob));
  }

  @Test
  void gcmUsesAFreshNonceAndStillReadsSwtpmsForm() throws Exception {
    byte[] data = seq(32, 3);
    assertFalse(java.util.Arrays.equals(gcm(K128).wrap(data), gcm(K128).wrap(data)));
    assertArrayEquals(data, gcm(K128).unwrap(env(K128).wrap(data)));
    assertArrayEquals(data, env(K128).unwrap(gcm(K128).wrap(data)));
  }
}
