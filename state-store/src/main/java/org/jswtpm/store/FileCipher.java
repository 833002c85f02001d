package org.jswtpm.store;

/**
 * How a state-file key encrypts blobs. jswtpm writes its own files with {@link #AES_GCM}; swtpm's
 * {@link #SWTPM_AES_CBC_HMAC} stays readable (files written by swtpm, or by an earlier jswtpm) and
 * can be chosen for writing where a file must be readable by swtpm itself.
 */
public enum FileCipher {
  /**
   * AES-GCM with a fresh 96-bit nonce per write and the 10-byte blob header as associated data, in
   * TLV {@link Tlv#AEAD_ENCRYPTED_DATA} (nonce, ciphertext, 128-bit tag). The key size is the one the
   * key's mode names (aes-128-cbc: 128 bits, aes-256-cbc: 256 bits).
   */
  AES_GCM,
  /** swtpm's encrypt-then-MAC: AES-CBC with key-length padding and HMAC-SHA256 (TLVs 2, 3, 6). */
  SWTPM_AES_CBC_HMAC
}
