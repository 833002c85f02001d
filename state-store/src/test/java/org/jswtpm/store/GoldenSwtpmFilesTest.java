package org.jswtpm.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Files written by real swtpm 0.7.1 decode exactly: headers, TLVs, key derivation, encryption. */
class GoldenSwtpmFilesTest {
  @TempDir Path dir;

  @BeforeEach
  void keys() throws Exception {
    for (String k : new String[] {"k128.hex", "k256.hex", "pwd.txt", "mpwd.txt"}) {
      Golden.copy(k, dir);
    }
  }

  private byte[] unwrap(String file, String keyOption) throws Exception {
    StateKey key = keyOption == null ? null : Golden.key(keyOption, dir);
    return new BlobEnvelope(key, new SecureRandom()).unwrap(Golden.bytes(file));
  }

  /** The plain libtpms blob a GET_STATEBLOB (decrypted) of the same TPM returned. */
  private byte[] migrationPlain(String file, String migrationKeyOption) throws Exception {
    StateKey mk = migrationKeyOption == null ? null : Golden.key(migrationKeyOption, dir);
    return new MigrationBlobCodec(null, mk, new SecureRandom()).unwrap(Golden.bytes(file), false);
  }

  @Test
  void plainHeaderAndTlv() throws Exception {
    byte[] blob = Golden.bytes("plain.permall");
    BlobHeader h = BlobHeader.parse(blob);
    assertEquals(new BlobHeader(2, 1, 0, blob.length), h);
    byte[] data = unwrap("plain.permall", null);
    assertEquals(blob.length - 16, data.length);
    assertArrayEquals(migrationPlain("plain.migration.permall", null), data);
  }

  @Test
  void aes128HexKey() throws Exception {
    byte[] data = unwrap("key128.permall", "file=@k128.hex");
    assertEquals(BlobFlags.ENCRYPTED, BlobHeader.parse(Golden.bytes("key128.permall")).flags());
    assertArrayEquals(migrationPlain("key128.migration.permall", null), data);
    byte[] vol = unwrap("key128.volatilestate", "file=@k128.hex");
    assertTrue(vol.length > 8000);
  }

  @Test
  void aes256HexKeyWith0xAndNewline() throws Exception {
    assertEquals(BlobFlags.ENCRYPTED | BlobFlags.ENCRYPTED_256BIT_KEY, BlobHeader.parse(Golden.bytes("key256.permall")).flags());
    byte[] data = unwrap("key256.permall", "file=@k256.hex,mode=aes-256-cbc");
    assertArrayEquals(libtpmsPrefix(), Arrays.copyOf(data, 4));
  }

  @Test
  void passphrasePbkdf2Default() throws Exception {
    byte[] data = unwrap("pwd-pbkdf2.permall", "pwdfile=@pwd.txt");
    assertArrayEquals(libtpmsPrefix(), Arrays.copyOf(data, 4));
  }

  @Test
  void passphraseSha512Aes256() throws Exception {
    byte[] data = unwrap("pwd-sha512-256.permall", "pwdfile=@pwd.txt,kdf=sha512,mode=aes-256-cbc");
    assertArrayEquals(libtpmsPrefix(), Arrays.copyOf(data, 4));
  }

  @Test
  void migrationKeyEncryptedStateBlob() throws Exception {
    byte[] blob = Golden.bytes("mig.migration.permall");
    BlobHeader h = BlobHeader.parse(blob);
    assertEquals(BlobFlags.MIGRATION_DATA | BlobFlags.MIGRATION_ENCRYPTED | BlobFlags.MIGRATION_256BIT_KEY, h.flags());
    byte[] viaMigration = migrationPlain("mig.migration.permall", "pwdfile=@mpwd.txt,mode=aes-256-cbc");
    assertArrayEquals(unwrap("mig.permall", "file=@k128.hex"), viaMigration);
  }

  @Test
  void migrationBlobNeedsItsKey() {
    BlobFormatException e = assertThrows(BlobFormatException.class, () -> migrationPlain("mig.migration.permall", null));
    assertEquals(BlobError.KEY_REQUIRED, e.error());
    assertEquals(0x0d, e.controlCode());
  }

  @Test
  void wrongKeyIsDecryptError() {
    BlobFormatException e = assertThrows(BlobFormatException.class, () -> unwrap("pwd-pbkdf2.permall", "pwdfile=@pwd.txt,kdf=sha512"));
    assertEquals(BlobError.INTEGRITY, e.error());
    assertEquals(0x21, e.controlCode());
  }

  @Test
  void keySizeMismatchIsBadKeyProperty() {
    BlobFormatException e = assertThrows(BlobFormatException.class, () -> unwrap("key128.permall", "file=@k256.hex,mode=aes-256-cbc"));
    assertEquals(BlobError.KEY_SIZE_MISMATCH, e.error());
    assertEquals(0x28, e.controlCode());
  }

  @Test
  void encryptedFileWithoutKeyAndPlainFileWithKeyFail() {
    assertEquals(BlobError.KEY_REQUIRED, assertThrows(BlobFormatException.class, () -> unwrap("key128.permall", null)).error());
    assertEquals(BlobError.NOT_ENCRYPTED, assertThrows(BlobFormatException.class, () -> unwrap("plain.permall", "file=@k128.hex")).error());
  }

  @Test
  void linearFileWrittenBySwtpm() throws Exception {
    Path img = Golden.copy("linear-key128.img", dir);
    byte[] before = Files.readAllBytes(img);
    try (StateStore s = new EncryptedStateStore(new LinearFileStateStore(img), Golden.key("file=@k128.hex", dir))) {
      assertEquals(2, s.sizes().size());
      assertEquals(0x56c, s.sizes().get("permall"));
      assertArrayEquals(libtpmsPrefix(), Arrays.copyOf(s.load("permall"), 4));
      assertTrue(s.load("volatilestate").length > 8000);
      assertEquals(null, s.load("savestate"));
    }
    assertArrayEquals(before, Files.readAllBytes(img), "reading must not change the file");
  }

  /** Every libtpms TPM 2 permanent blob of this version starts alike; take it from the plain one. */
  private static byte[] libtpmsPrefix() throws Exception {
    return Arrays.copyOf(BlobEnvelope.plain().unwrap(Golden.bytes("plain.permall")), 4);
  }
}
