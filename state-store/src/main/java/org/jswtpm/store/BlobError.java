package org.jswtpm.store;

/**
 * Why a state blob envelope was rejected, with the control-channel result code (libtpms TPM 1.2
 * numbering) that swtpm answers for it.
 */
public enum BlobError {
  /** Fewer than 10 bytes: no room for the header. TPM_BAD_PARAMETER. */
  SHORT_HEADER(0x03),
  /** The header's total length differs from the blob's length (truncated or padded). TPM_BAD_PARAMETER. */
  LENGTH_MISMATCH(0x03),
  /** The header's min_version is newer than we read, or its version is 0. TPM_BAD_VERSION. */
  UNSUPPORTED_VERSION(0x2e),
  /** The header's size field is not 10. TPM_BAD_DATASIZE. */
  BAD_HEADER_SIZE(0x2b),
  /** A state-file blob carries header flags that do not belong in a file. TPM_BAD_PARAMETER. */
  UNEXPECTED_FLAGS(0x03),
  /** The TLV list is cut short. TPM_FAIL. */
  MALFORMED_TLV(0x09),
  /** A TLV the envelope needs is absent. TPM_FAIL. */
  MISSING_TLV(0x09),
  /** A key is configured but the blob is not encrypted. TPM_FAIL. */
  NOT_ENCRYPTED(0x09),
  /** The blob is encrypted but no key is configured. TPM_KEYNOTFOUND. */
  KEY_REQUIRED(0x0d),
  /** The blob was encrypted with a key of another size (128 vs 256 bits). TPM_BAD_KEY_PROPERTY. */
  KEY_SIZE_MISMATCH(0x28),
  /** The HMAC does not match: wrong key or tampered data. TPM_DECRYPT_ERROR. */
  INTEGRITY(0x21),
  /** The ciphertext or its padding is malformed. TPM_DECRYPT_ERROR. */
  BAD_CIPHERTEXT(0x21);

  private final int controlCode;

  BlobError(int controlCode) {
    this.controlCode = controlCode;
  }

  /** The result code swtpm's control channel answers for this error. */
  public int controlCode() {
    return controlCode;
  }
}
