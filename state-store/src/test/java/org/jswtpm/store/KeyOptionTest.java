package org.jswtpm.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --key} / {@code --migration-key} parsing and loading with swtpm's semantics. */
class KeyOptionTest {
  @TempDir Path dir;

  private Path write(String name, String content) throws IOException {
    return Files.writeString(dir.resolve(name), content, StandardCharsets.ISO_8859_1);
  }

  private StateKey load(String option) throws IOException {
    return KeyLoader.load(KeyOption.parse("--key", option));
  }

  @Test
  void defaults() {
    KeyOption o = KeyOption.parse("--key", "file=/k");
    assertEquals(KeyOption.Source.FILE, o.source());
    assertEquals(KeyMode.AES_128_CBC, o.mode());
    assertEquals(KeyOption.Format.HEX, o.format());
    assertEquals(Kdf.PBKDF2, o.kdf());
    assertFalse(o.remove());
    KeyOption p = KeyOption.parse("--key", "pwdfd=7,mode=aes-256-cbc,kdf=sha512,remove");
    assertEquals(KeyOption.Source.PWDFD, p.source());
    assertEquals(7, p.fd());
    assertEquals(KeyMode.AES_256_CBC, p.mode());
    assertEquals(Kdf.SHA512, p.kdf());
    assertTrue(p.remove());
    assertEquals(KeyMode.AES_128_CBC, KeyOption.parse("--key", "fd=3,mode=aes-cbc").mode());
    assertFalse(KeyOption.parse("--key", "file=/k,remove=no").remove());
    assertTrue(KeyOption.parse("--key", "file=/k,remove=1").remove());
  }

  @Test
  void badOptions() {
    for (String bad : new String[] {"", "mode=aes-128-cbc", "file=/a,fd=3", "file=/a,mode=aes-192-cbc", "file=/a,format=base64",
        "pwdfile=/a,kdf=scrypt", "file=/a,colour=red", "fd=x", "fd=-1", "file="}) {
      assertThrows(IllegalArgumentException.class, () -> KeyOption.parse("--key", bad), bad);
    }
  }

  @Test
  void hexKeys() throws IOException {
    byte[] k16 = BlobEnvelopeTest.seq(16, 0);
    byte[] k32 = BlobEnvelopeTest.seq(32, 0x10);
    String h16 = "000102030405060708090a0b0c0d0e0f";
    String h32 = "101112131415161718191A1B1C1D1E1F202122232425262728292a2b2c2d2e2f";
    write("a", h16);
    write("b", "0x" + h16 + "\n");
    write("c", h32 + "  \n\n");
    assertArrayEquals(k16, load("file=" + dir.resolve("a")).material());
    assertArrayEquals(k16, load("file=" + dir.resolve("b")).material());
    assertArrayEquals(k32, load("file=" + dir.resolve("c") + ",mode=aes-256-cbc").material());
  }

  @Test
  void badHexKeys() throws IOException {
    String h16 = "000102030405060708090a0b0c0d0e0f";
    String[][] cases = {
      {h16, "aes-256-cbc"}, // too short for the mode
      {h16 + h16, "aes-128-cbc"}, // too long for the mode
      {h16.substring(1), "aes-128-cbc"}, // odd digits
      {h16.replace('a', 'g'), "aes-128-cbc"},
      {h16 + "x", "aes-128-cbc"},
      {"", "aes-128-cbc"},
      {" " + h16, "aes-128-cbc"},
    };
    for (String[] c : cases) {
      Path f = write("bad", c[0]);
      StateStoreException e = assertThrows(StateStoreException.class, () -> load("file=" + f + ",mode=" + c[1]), c[0]);
      assertTrue(e.getMessage().contains(f.toString()));
      assertFalse(e.getMessage().contains("0a0b"), "no key material in messages");
    }
  }

  @Test
  void binaryKeys() throws IOException {
    byte[] k32 = BlobEnvelopeTest.seq(32, 0x80);
    Path f = Files.write(dir.resolve("bin"), k32);
    assertArrayEquals(k32, load("file=" + f + ",format=binary,mode=aes-256-cbc").material());
    assertThrows(StateStoreException.class, () -> load("file=" + f + ",format=binary"));
  }

  @Test
  void passphraseIsWholeContentIncludingNewline() throws IOException {
    Path p = write("pw", "secret\n");
    byte[] withNl = load("pwdfile=" + p).material();
    byte[] expect = Kdf.PBKDF2.derive("secret\n".getBytes(), 16);
    assertArrayEquals(expect, withNl);
    Path q = write("pw2", "secret");
    assertFalse(java.util.Arrays.equals(withNl, load("pwdfile=" + q).material()));
  }

  @Test
  void kdfVectors() throws Exception {
    // PBKDF2-HMAC-SHA512 cross-checked with the JDK's implementation for an ASCII passphrase
    javax.crypto.SecretKeyFactory f = javax.crypto.SecretKeyFactory.getInstance("PBKDF2WithHmacSHA512");
    byte[] jdk = f.generateSecret(new javax.crypto.spec.PBEKeySpec("password".toCharArray(), "swtpm".getBytes(), 1000, 256)).getEncoded();
    assertArrayEquals(jdk, Kdf.PBKDF2.derive("password".getBytes(), 32));
    byte[] sha = java.security.MessageDigest.getInstance("SHA-512").digest("password".getBytes());
    assertArrayEquals(java.util.Arrays.copyOf(sha, 16), Kdf.SHA512.derive("password".getBytes(), 16));
  }

  @Test
  void removeUnlinksTheFile() throws IOException {
    Path f = write("k", "000102030405060708090a0b0c0d0e0f");
    load("file=" + f + ",remove");
    assertFalse(Files.exists(f));
    Path p = write("p", "pw");
    load("pwdfile=" + p + ",remove=true");
    assertFalse(Files.exists(p));
    Path kept = write("kept", "pw");
    load("pwdfile=" + kept + ",remove=false");
    assertTrue(Files.exists(kept));
  }

  @Test
  void inheritedDescriptorIsReadThroughProcSelfFd() throws Exception {
    if (!Files.isDirectory(Path.of("/proc/self/fd"))) {
      return;
    }
    // a pipe as libvirt passes it: the shell's stdin of a child is not ours, so emulate with a
    // descriptor this JVM holds open on a passphrase file
    Path p = write("pwfd", "via fd\n");
    try (java.io.FileInputStream in = new java.io.FileInputStream(p.toFile())) {
      assertTrue(in.getFD().valid());
      int fd = findFd(p);
      assertArrayEquals(Kdf.PBKDF2.derive("via fd\n".getBytes(), 16), load("pwdfd=" + fd).material());
    }
  }

  /** A child whose stdout pipe's read end this JVM holds: the same as an inherited descriptor. */
  private static int childPipe(Process child) throws Exception {
    String pipe = Files.readSymbolicLink(Path.of("/proc/" + child.pid() + "/fd/1")).toString();
    for (String fd : fds()) {
      if (link(fd).equals(pipe)) {
        return Integer.parseInt(fd);
      }
    }
    throw new AssertionError("read end of the child's stdout pipe not found");
  }

  @Test
  void passphraseOnAPipeAsLibvirtPassesIt() throws Exception {
    if (!Files.isDirectory(Path.of("/proc/self/fd"))) {
      return;
    }
    // the child closes its end and stays alive (the JDK drains and closes the pipe once it exits)
    Process child = new ProcessBuilder("sh", "-c", "sleep 0.5; printf 'piped secret\\n'; exec >&- 2>&-; sleep 10")
        .redirectErrorStream(true).start();
    try {
      int fd = childPipe(child);
      assertArrayEquals(Kdf.PBKDF2.derive("piped secret\n".getBytes(), 32), load("pwdfd=" + fd + ",mode=aes-256-cbc").material());
    } finally {
      child.destroy();
    }
  }

  @Test
  void keyOnAPipeWhoseWriterStaysOpen() throws Exception {
    if (!Files.isDirectory(Path.of("/proc/self/fd"))) {
      return;
    }
    Process child = new ProcessBuilder("sh", "-c", "sleep 0.3; printf '000102030405060708090a0b0c0d0e0f'; sleep 10")
        .redirectErrorStream(true).start();
    try {
      int fd = childPipe(child);
      Thread.sleep(600);
      StateKey k = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(5), () -> load("fd=" + fd));
      assertArrayEquals(BlobEnvelopeTest.seq(16, 0), k.material());
    } finally {
      child.destroy();
    }
  }

  private static String link(String fd) {
    try {
      return Files.readSymbolicLink(Path.of("/proc/self/fd", fd)).toString();
    } catch (IOException e) {
      return ""; // e.g. the descriptor of the directory listing itself
    }
  }

  private static java.util.Set<String> fds() throws IOException {
    try (var s = Files.list(Path.of("/proc/self/fd"))) {
      return s.map(p -> p.getFileName().toString()).collect(java.util.stream.Collectors.toSet());
    }
  }

  private static int findFd(Path target) throws IOException {
    try (var s = Files.list(Path.of("/proc/self/fd"))) {
      for (Path fd : (Iterable<Path>) s::iterator) {
        try {
          if (Files.readSymbolicLink(fd).equals(target.toAbsolutePath())) {
            return Integer.parseInt(fd.getFileName().toString());
          }
        } catch (IOException e) {
          // raced
        }
      }
    }
    throw new AssertionError("descriptor not found");
  }

  @Test
  void descriptorIsReadThroughTheCallersDescriptors() throws Exception {
    // swtpm passes a reader of the descriptor itself: libvirt's root-owned pipe cannot be reopened as tss
    int[] asked = {-1};
    KeyLoader.Descriptors fake = fd -> {
      asked[0] = fd;
      return new java.io.ByteArrayInputStream("libvirt secret".getBytes(StandardCharsets.US_ASCII));
    };
    StateKey k = KeyLoader.load(KeyOption.parse("--key", "pwdfd=33,mode=aes-256-cbc"), fake);
    assertEquals(33, asked[0]);
    assertArrayEquals(Kdf.PBKDF2.derive("libvirt secret".getBytes(StandardCharsets.US_ASCII), 32), k.material());
    KeyLoader.Descriptors failing = fd -> {
      throw new java.nio.file.AccessDeniedException("/proc/self/fd/" + fd);
    };
    StateStoreException e = assertThrows(StateStoreException.class,
        () -> KeyLoader.load(KeyOption.parse("--key", "pwdfd=34"), failing));
    assertTrue(e.getMessage().contains("key descriptor 34"), e.getMessage());
  }

  @Test
  void missingFileNamesIt() {
    StateStoreException e = assertThrows(StateStoreException.class, () -> load("file=" + dir.resolve("nope")));
    assertTrue(e.getMessage().contains("nope"));
  }
}
