package org.jswtpm.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Both directions against Debian's swtpm 0.7.1: a state directory (or linear file) written here
 * with a key is read by swtpm with the same key, and one written by swtpm is read here. swtpm is
 * started with {@code not-need-init} and no startup, so GET_STATEBLOB returns exactly the loaded
 * permanent state.
 */
class SwtpmInteropTest {
  @TempDir Path work;
  Path state;
  byte[] tpmData;

  @BeforeEach
  void setUp() throws Exception {
    SwtpmTool.assumeInstalled();
    state = Files.createDirectory(work.resolve("state"));
    tpmData = BlobEnvelope.plain().unwrap(Golden.bytes("plain.permall")); // a real libtpms permall
  }

  private StateKey key(String option) throws Exception {
    return KeyLoader.load(KeyOption.parse("--key", option));
  }

  /** The plain permanent state swtpm holds, via GET_STATEBLOB (swtpm_ioctl asks for it decrypted). */
  private byte[] permanentFrom(SwtpmTool.Running tpm) throws Exception {
    Path out = work.resolve("perm-" + tpm.ctrlPort);
    tpm.ioctl("--save", "permanent", out.toString());
    return new MigrationBlobCodec(null, null, new SecureRandom()).unwrap(Files.readAllBytes(out), false);
  }

  @Test
  void directoryWrittenHereWithAes256KeyIsReadBySwtpm() throws Exception {
    Path k = Files.writeString(work.resolve("k.hex"), "0x" + "5a".repeat(32) + "\n");
    try (StateStore s = new EncryptedStateStore(new DirectoryStateStore(state), key("file=" + k + ",mode=aes-256-cbc"),
        FileCipher.SWTPM_AES_CBC_HMAC)) {
      s.store(StateNames.PERMALL, tpmData);
    }
    try (SwtpmTool.Running tpm = SwtpmTool.start(work, "dir=" + state, "--flags", "not-need-init", "--key", "file=" + k + ",mode=aes-256-cbc")) {
      assertArrayEquals(tpmData, permanentFrom(tpm));
    }
  }

  @Test
  void directoryWrittenBySwtpmWithPassphraseIsReadHere() throws Exception {
    // raw bytes, not text: non-ASCII, a NUL and 0xff, and the trailing newline all count
    Path pw = Files.write(work.resolve("pw"), new byte[] {'p', (byte) 0xc3, (byte) 0xa4, 0, 's', (byte) 0xff, 's', '\n'});
    byte[] expected;
    try (SwtpmTool.Running tpm = SwtpmTool.start(work, "dir=" + state, "--flags", "not-need-init,startup-clear", "--key", "pwdfile=" + pw)) {
      expected = permanentFrom(tpm);
    }
    try (StateStore s = new EncryptedStateStore(new DirectoryStateStore(state), key("pwdfile=" + pw))) {
      assertArrayEquals(expected, s.load(StateNames.PERMALL));
    }
  }

  @Test
  void swtpmRefusesOurFileWithAWrongKey() throws Exception {
    Path good = Files.writeString(work.resolve("good"), "11".repeat(16));
    Path bad = Files.writeString(work.resolve("bad"), "22".repeat(16));
    try (StateStore s = new EncryptedStateStore(new DirectoryStateStore(state), key("file=" + good))) {
      s.store(StateNames.PERMALL, tpmData);
    }
    String log = SwtpmTool.expectRefusal(work, "dir=" + state, "--flags", "not-need-init", "--key", "file=" + bad);
    assertTrue(log.contains("HMAC"), log);
  }

  @Test
  void linearFileBothWays() throws Exception {
    Path img = work.resolve("tpm.img");
    Path k = Files.writeString(work.resolve("k.hex"), "00112233445566778899aabbccddeeff");
    try (StateStore s = new EncryptedStateStore(new LinearFileStateStore(img), key("file=" + k),
        FileCipher.SWTPM_AES_CBC_HMAC)) {
      s.store(StateNames.PERMALL, tpmData);
    }
    byte[] afterSwtpm;
    try (SwtpmTool.Running tpm = SwtpmTool.start(work, "backend-uri=file://" + img, "--flags", "not-need-init", "--key", "file=" + k)) {
      assertArrayEquals(tpmData, permanentFrom(tpm));
      tpm.ioctl("-v"); // swtpm now writes volatilestate into our file
      afterSwtpm = permanentFrom(tpm);
    }
    try (StateStore s = new EncryptedStateStore(new LinearFileStateStore(img), key("file=" + k))) {
      assertArrayEquals(afterSwtpm, s.load(StateNames.PERMALL));
      assertTrue(s.load(StateNames.VOLATILESTATE).length > 1000);
    }
  }

  @Test
  void printStatesMatchesSwtpm() throws Exception {
    assertEquals(printStates("dir=" + state), StateListing.toJson(new DirectoryStateStore(state, TpmFamily.TPM2, 0640, false, false)));
    try (StateStore s = new DirectoryStateStore(state)) {
      s.store(StateNames.PERMALL, Golden.bytes("key128.permall"));
      s.store(StateNames.VOLATILESTATE, Golden.bytes("key128.volatilestate"));
      assertEquals(printStates("dir=" + state), StateListing.toJson(s));
    }
    Path img = Golden.copy("linear-key128.img", work);
    try (StateStore s = new LinearFileStateStore(img)) {
      assertEquals(printStates("backend-uri=file://" + img), StateListing.toJson(s));
    }
  }

  private static String printStates(String tpmstate) throws Exception {
    Process p = new ProcessBuilder("swtpm", "socket", "--tpm2", "--tpmstate", tpmstate, "--print-states").start();
    String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    assertEquals(0, p.waitFor());
    return out.strip();
  }

  @Test
  void locksExcludeEachOther() throws Exception {
    try (StateStore s = new DirectoryStateStore(state)) {
      new EnvelopeStateStore(s, null).store(StateNames.PERMALL, tpmData);
      s.lock(0);
      String log = SwtpmTool.expectRefusal(work, "dir=" + state, "--flags", "not-need-init");
      assertTrue(log.toLowerCase().contains("lock"), log);
      s.unlock();
      try (SwtpmTool.Running tpm = SwtpmTool.start(work, "dir=" + state, "--flags", "not-need-init")) {
        StateLockedException e = assertThrows(StateLockedException.class, () -> s.lock(0));
        assertTrue(e.getMessage().contains(state.toString()));
        tpm.ioctl("-g"); // still running and holding the lock
        assertThrows(StateLockedException.class, () -> s.lock(3));
      }
      s.lock(100);
      assertEquals(1, s.sizes().size());
    }
  }
}
