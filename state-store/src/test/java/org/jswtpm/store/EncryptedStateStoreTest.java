package org.jswtpm.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Encryption at rest over a directory: contract, secrecy, and refusals that name the file. */
class EncryptedStateStoreTest extends StateStoreContract {
  @TempDir Path dir;

  @Override
  StateStore open() throws Exception {
    return new EncryptedStateStore(new DirectoryStateStore(dir), BlobEnvelopeTest.K256);
  }

  @Override
  /** Header, one AES-GCM TLV: nonce, ciphertext as long as the data, tag. */
  long storedSize(int n) {
    return 10 + 6 + 12 + n + 16;
  }

  @Test
  void markerNeverOnDisk() throws Exception {
    byte[] secret = "SEALED-MARKER-0123456789".getBytes(StandardCharsets.US_ASCII);
    store.store(StateNames.PERMALL, secret);
    byte[] onDisk = Files.readAllBytes(dir.resolve("tpm2-00.permall"));
    assertFalse(new String(onDisk, StandardCharsets.ISO_8859_1).contains("SEALED-MARKER"));
    assertArrayEquals(secret, store.load(StateNames.PERMALL));
  }

  @Test
  void wrongKeyNamesTheFile() throws Exception {
    store.store(StateNames.PERMALL, new byte[40]);
    StateStore other = new EncryptedStateStore(new DirectoryStateStore(dir, TpmFamily.TPM2, 0640, false, false), StateKey.of(new byte[32]));
    BlobFormatException e = assertThrows(BlobFormatException.class, () -> other.load(StateNames.PERMALL));
    assertEquals(BlobError.INTEGRITY, e.error());
    assertTrue(e.getMessage().contains(dir.resolve("tpm2-00.permall").toString()), e.getMessage());
  }

  @Test
  void truncatedFlippedAndForeignFilesAreRefusedAndKept() throws Exception {
    store.store(StateNames.PERMALL, new byte[100]);
    Path f = dir.resolve("tpm2-00.permall");
    byte[] good = Files.readAllBytes(f);
    byte[][] bad = {
      Arrays.copyOf(good, good.length - 7),
      flip(good, 40),
      "hello, I am not a TPM state file".getBytes(),
      new byte[0],
    };
    for (byte[] b : bad) {
      Files.write(f, b);
      assertThrows(BlobFormatException.class, () -> store.load(StateNames.PERMALL));
      assertArrayEquals(b, Files.readAllBytes(f), "a bad file is never replaced by loading");
    }
  }

  @Test
  void plainFileRefusedWhenKeyConfigured() throws Exception {
    new EnvelopeStateStore(new DirectoryStateStore(dir, TpmFamily.TPM2, 0640, false, false), null).store(StateNames.PERMALL, new byte[5]);
    assertEquals(BlobError.NOT_ENCRYPTED, assertThrows(BlobFormatException.class, () -> store.load(StateNames.PERMALL)).error());
  }

  private static byte[] flip(byte[] b, int at) {
    byte[] c = b.clone();
    c[at] ^= 0x10;
    return c;
  }
}
