package org.jswtpm.store;

import java.security.MessageDigest;
import java.util.Arrays;

/**
 * One layer of swtpm's envelope: either plain (one TLV) or encrypted (ciphertext, HMAC and IV
 * TLVs). The file layer uses tags 1 / 2,3,6 and header bit 0x08 for 256-bit keys; the migration
 * layer uses 4 / 5,3,7 and bit 0x10.
 */
enum EnvelopeLayer {
  /** The state-file key layer. */
  FILE(Tlv.DATA, Tlv.ENCRYPTED_DATA, Tlv.IVEC_ENCRYPTED_DATA, BlobFlags.ENCRYPTED_256BIT_KEY, "state"),
  /** The migration key layer. */
  MIGRATION(Tlv.MIGRATION_DATA, Tlv.ENCRYPTED_MIGRATION_DATA, Tlv.IVEC_ENCRYPTED_MIGRATION_DATA, BlobFlags.MIGRATION_256BIT_KEY, "migration");

  private final int plainTag;
  private final int encryptedTag;
  private final int ivTag;
  private final int flag256;
  private final String keyName;

  EnvelopeLayer(int plainTag, int encryptedTag, int ivTag, int flag256, String keyName) {
    this.plainTag = plainTag;
    this.encryptedTag = encryptedTag;
    this.ivTag = ivTag;
    this.flag256 = flag256;
    this.keyName = keyName;
  }

  /** The header flag recording a 256-bit key for this layer. */
  int flag256() {
    return flag256;
  }

  /** The plain form: one TLV. */
  TlvList plain(byte[] data) {
    return TlvList.of(new Tlv(plainTag, data));
  }

  /** The encrypted form, in swtpm's order: ciphertext, HMAC, IV. */
  TlvList seal(StateKey key, byte[] data, java.security.SecureRandom random) {
    AesCbcHmac.Sealed s = AesCbcHmac.seal(key, data, random);
    return TlvList.of(new Tlv(encryptedTag, s.ciphertext()), new Tlv(Tlv.HMAC, s.mac()), new Tlv(ivTag, s.iv()));
  }

  /** Reads the plain form from a payload. */
  byte[] openPlain(byte[] payload, int headerVersion) throws BlobFormatException {
    if (headerVersion == 1) {
      return Arrays.copyOfRange(payload, BlobHeader.SIZE, payload.length);
    }
    return TlvList.parse(payload, BlobHeader.SIZE).require(plainTag, "plain " + keyName + " data");
  }

  /**
   * Decrypts the encrypted form from a payload (the blob bytes; its first 10 bytes are the
   * header).
   */
  byte[] openEncrypted(StateKey key, byte[] payload, BlobHeader header) throws BlobFormatException {
    if (header.version() == 1) {
      return openVersion1(key, payload);
    }
    int expected = header.has(flag256) ? 32 : 16;
    if (expected != key.length()) {
      throw new BlobFormatException(BlobError.KEY_SIZE_MISMATCH,
          "blob was encrypted with a " + expected * 8 + "-bit " + keyName + " key, but the configured key has " + key.length() * 8 + " bits");
    }
    TlvList tlvs = TlvList.parse(payload, BlobHeader.SIZE);
    byte[] mac = tlvs.require(Tlv.HMAC, "HMAC");
    byte[] ct = tlvs.require(encryptedTag, "encrypted " + keyName + " data");
    return AesCbcHmac.open(key, ct, mac, tlvs.find(ivTag));
  }

  /** Header version 1: the whole payload is AES-CBC with a zero IV over SHA-256(data) || data. */
  private static byte[] openVersion1(StateKey key, byte[] payload) throws BlobFormatException {
    byte[] ct = Arrays.copyOfRange(payload, BlobHeader.SIZE, payload.length);
    byte[] plain = AesCbcHmac.decrypt(key, ct, null);
    if (plain.length < 32) {
      throw new BlobFormatException(BlobError.INTEGRITY, "version-1 blob too short for its SHA-256");
    }
    byte[] data = Arrays.copyOfRange(plain, 32, plain.length);
    boolean ok = MessageDigest.isEqual(Arrays.copyOf(plain, 32), AesCbcHmac.sha256(data));
    Arrays.fill(plain, (byte) 0);
    if (!ok) {
      throw new BlobFormatException(BlobError.INTEGRITY, "SHA-256 check of version-1 blob failed: wrong key, or the data was modified");
    }
    return data;
  }
}
