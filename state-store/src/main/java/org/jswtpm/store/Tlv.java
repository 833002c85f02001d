package org.jswtpm.store;

/**
 * One tag-length-value item of a blob payload: {@code u16 tag, u32 length, value}, big-endian.
 *
 * @param tag the tag; see the constants
 * @param value the value bytes (not copied)
 */
public record Tlv(int tag, byte[] value) {
  /** Plain libtpms data. */
  public static final int DATA = 1;
  /** Data encrypted with the state-file key. */
  public static final int ENCRYPTED_DATA = 2;
  /** HMAC-SHA256 over ciphertext and IV. */
  public static final int HMAC = 3;
  /** Migration blob: an inner TLV list, not migration-encrypted. */
  public static final int MIGRATION_DATA = 4;
  /** Migration blob: an inner TLV list encrypted with the migration key. */
  public static final int ENCRYPTED_MIGRATION_DATA = 5;
  /** IV of {@link #ENCRYPTED_DATA}. */
  public static final int IVEC_ENCRYPTED_DATA = 6;
  /** IV of {@link #ENCRYPTED_MIGRATION_DATA}. */
  public static final int IVEC_ENCRYPTED_MIGRATION_DATA = 7;
  /**
   * jswtpm's AES-GCM encrypted state data (see {@link FileCipher#AES_GCM}): nonce, ciphertext, tag.
   * Far from swtpm's numbers so that a future swtpm tag cannot collide with it.
   */
  public static final int AEAD_ENCRYPTED_DATA = 0x4A01;

  /** Size of a TLV's tag and length fields. */
  public static final int HEADER_SIZE = 6;
}
