package org.jswtpm.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** swtpm's directory layout, durability, modes, symlinks and locking. */
class DirectoryStateStoreTest extends StateStoreContract {
  @TempDir Path dir;

  @Override
  StateStore open() throws Exception {
    return new DirectoryStateStore(dir);
  }

  @Test
  void swtpmFileNames() throws Exception {
    store.store(StateNames.PERMALL, new byte[1]);
    store.store(StateNames.VOLATILESTATE, new byte[2]);
    store.store(StateNames.SAVESTATE, new byte[3]);
    assertTrue(Files.isRegularFile(dir.resolve("tpm2-00.permall")));
    assertTrue(Files.isRegularFile(dir.resolve("tpm2-00.volatilestate")));
    assertTrue(Files.isRegularFile(dir.resolve("tpm2-00.savestate")));
    try (StateStore t12 = new DirectoryStateStore(dir, TpmFamily.TPM12, 0640, true, false)) {
      t12.store(StateNames.PERMALL, new byte[1]);
    }
    assertTrue(Files.isRegularFile(dir.resolve("tpm-00.permall")));
    try (var s = Files.list(dir)) {
      assertFalse(s.anyMatch(p -> p.getFileName().toString().startsWith("TMP")), "no temporary file left behind");
    }
    assertEquals("{ \"type\": \"swtpm\", \"states\": [ {\"name\": \"permall\", \"size\": 1}, {\"name\": \"volatilestate\", \"size\": 2}, "
        + "{\"name\": \"savestate\", \"size\": 3} ] }", StateListing.toJson(store));
  }

  @Test
  void crashBetweenTempWriteAndRenameKeepsOldFile() throws Exception {
    byte[] old = BlobEnvelopeTest.seq(50, 1);
    store.store(StateNames.PERMALL, old);
    // what a crash after writing TMP2-00.permall and before rename leaves behind
    Files.write(dir.resolve("TMP2-00.permall"), BlobEnvelopeTest.seq(20, 9));
    store.close();
    store = open();
    assertArrayEquals(old, store.load(StateNames.PERMALL));
    byte[] next = BlobEnvelopeTest.seq(60, 2);
    store.store(StateNames.PERMALL, next);
    assertArrayEquals(next, store.load(StateNames.PERMALL));
    assertFalse(Files.exists(dir.resolve("TMP2-00.permall")));
  }

  @Test
  void defaultMode0640AndConfigured0600() throws Exception {
    store.store(StateNames.PERMALL, new byte[1]);
    assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("tpm2-00.permall"))));
    try (StateStore s = StateStores.fromUri("dir=" + dir + ",mode=0600,lock=false")) {
      s.store(StateNames.VOLATILESTATE, new byte[1]);
      s.store(StateNames.PERMALL, new byte[2]); // replacing takes the new mode too
    }
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("tpm2-00.volatilestate"))));
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("tpm2-00.permall"))));
  }

  @Test
  void symlinksRefused() throws Exception {
    Path victim = Files.write(dir.resolve("victim"), new byte[] {42});
    Files.createSymbolicLink(dir.resolve("tpm2-00.permall"), victim);
    StateStoreException e = assertThrows(StateStoreException.class, () -> store.load(StateNames.PERMALL));
    assertTrue(e.getMessage().contains("symbolic link"), e.getMessage());
    Files.createSymbolicLink(dir.resolve("TMP2-00.volatilestate"), victim);
    store.store(StateNames.VOLATILESTATE, new byte[] {1, 2});
    assertArrayEquals(new byte[] {42}, Files.readAllBytes(victim), "a symlinked temp file is removed, never written through");
  }

  @Test
  void missingDirectoryNamed() {
    Path nope = dir.resolve("nope");
    StateStoreException e = assertThrows(StateStoreException.class, () -> new DirectoryStateStore(nope));
    assertTrue(e.getMessage().contains(nope.toString()));
  }

  @Test
  void secondStoreOnSameDirFailsAtOnce() throws Exception {
    store.lock(0);
    assertTrue(Files.exists(dir.resolve(".lock"), LinkOption.NOFOLLOW_LINKS));
    try (StateStore second = new DirectoryStateStore(dir)) {
      long t0 = System.nanoTime();
      StateLockedException e = assertThrows(StateLockedException.class, () -> second.lock(0));
      assertTrue(System.nanoTime() - t0 < TimeUnit.MILLISECONDS.toNanos(500));
      assertTrue(e.getMessage().contains(dir.toString()), e.getMessage());
    }
    // the failed attempt must not have dropped our lock
    try (StateStore third = new DirectoryStateStore(dir)) {
      assertThrows(StateLockedException.class, () -> third.lock(0));
    }
  }

  @Test
  void withRetriesItWaits() throws Exception {
    store.lock(0);
    try (StateStore second = new DirectoryStateStore(dir)) {
      CompletableFuture<Void> release = CompletableFuture.runAsync(() -> {
        sleep(100);
        store.unlock();
      });
      long t0 = System.nanoTime();
      second.lock(300);
      long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
      release.join();
      assertTrue(waited >= 50, "waited " + waited + " ms");
      assertThrows(StateLockedException.class, () -> store.lock(2));
    }
  }

  @Test
  void lockOffMeansNoLock() throws Exception {
    store.lock(0);
    try (StateStore s = StateStores.fromUri("dir=" + dir + ",lock=false")) {
      s.lock(0);
    }
  }

  @Test
  void backupKeepsPreviousPermall() throws Exception {
    try (StateStore s = StateStores.fromUri("dir=" + dir + ",backup,lock=0")) {
      s.store(StateNames.PERMALL, new byte[] {1});
      s.store(StateNames.PERMALL, new byte[] {2});
    }
    assertArrayEquals(new byte[] {1}, Files.readAllBytes(dir.resolve("tpm2-00.permall.bak")));
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
