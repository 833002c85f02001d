package org.jswtpm.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** swtpm's linear file layout, formatting, refusal of foreign files, and locking. */
class LinearFileStateStoreTest extends StateStoreContract {
  @TempDir Path dir;

  Path img() {
    return dir.resolve("tpm.img");
  }

  @Override
  StateStore open() throws Exception {
    return new LinearFileStateStore(img(), 0640, false, true);
  }

  private int[] entry(int i) throws Exception {
    ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(img())).order(ByteOrder.LITTLE_ENDIAN);
    return new int[] {b.getInt(12 + 12 * i), b.getInt(16 + 12 * i), b.getInt(20 + 12 * i)};
  }

  @Test
  void emptyFileIsFormattedWithSwtpmHeader() throws Exception {
    byte[] f = Files.readAllBytes(img());
    assertEquals(192, f.length);
    assertArrayEquals("nilmptws".getBytes(), Arrays.copyOf(f, 8));
    assertEquals(1, f[8]);
    assertEquals((byte) 0xc0, f[10]);
    assertEquals(0, f[11]);
    assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(img())));
  }

  @Test
  void sectionsArePowersOfTwoAppendedInOrder() throws Exception {
    store.store(StateNames.PERMALL, new byte[1388]); // as swtpm: 0x56c in a 0x800 section at 0xc0
    store.store(StateNames.VOLATILESTATE, new byte[9052]);
    assertArrayEquals(new int[] {0xc0, 1388, 0x800}, entry(0));
    assertArrayEquals(new int[] {0x8c0, 9052, 0x4000}, entry(1));
    assertEquals(0x8c0 + 0x4000, Files.size(img()));
    // permall outgrows its section: it moves to the end, volatilestate slides down
    store.store(StateNames.PERMALL, new byte[3000]);
    assertArrayEquals(new int[] {0xc0, 9052, 0x4000}, entry(1));
    assertArrayEquals(new int[] {0x40c0, 3000, 0x1000}, entry(0));
    assertEquals(0x40c0 + 0x1000, Files.size(img()));
    store.delete(StateNames.VOLATILESTATE);
    assertArrayEquals(new int[] {0, 0, 0}, entry(1));
    assertArrayEquals(new int[] {0xc0, 3000, 0x1000}, entry(0));
    assertEquals(0xc0 + 0x1000, Files.size(img()));
  }

  @Test
  void sameLayoutAsSwtpmGolden() throws Exception {
    store.close();
    Path golden = Golden.copy("linear-key128.img", dir);
    byte[] g = Files.readAllBytes(golden);
    try (StateStore s = new LinearFileStateStore(golden); StateStore fresh = new LinearFileStateStore(dir.resolve("fresh.img"))) {
      fresh.store(StateNames.PERMALL, s.load(StateNames.PERMALL));
      fresh.store(StateNames.VOLATILESTATE, s.load(StateNames.VOLATILESTATE));
    }
    assertArrayEquals(g, Files.readAllBytes(dir.resolve("fresh.img")), "byte-identical to the file swtpm wrote");
    store = open();
  }

  @Test
  void foreignFileRefusedAndKept() throws Exception {
    store.close();
    byte[] foreign = "this is somebody's disk image".getBytes();
    Files.write(img(), foreign);
    StateStoreException e = assertThrows(StateStoreException.class, this::open);
    assertTrue(e.getMessage().contains(img().toString()));
    assertArrayEquals(foreign, Files.readAllBytes(img()));
    Files.write(img(), new byte[4096]); // all zeros: a fresh, blank file is formatted
    store = open();
    assertEquals(192, Files.size(img()));
  }

  @Test
  void truncatedFileDetected() throws Exception {
    store.store(StateNames.PERMALL, new byte[1000]);
    store.close();
    byte[] f = Files.readAllBytes(img());
    Files.write(img(), Arrays.copyOf(f, 600));
    StateStoreException e = assertThrows(StateStoreException.class, this::open);
    assertTrue(e.getMessage().contains("truncated"), e.getMessage());
    store = new MemoryStateStore();
  }

  @Test
  void secondOpenInThisProcessRefused() {
    assertThrows(StateLockedException.class, () -> new LinearFileStateStore(img()));
  }

  @Test
  void fromUriLockIsOffByDefaultForFiles() throws Exception {
    store.close();
    try (StateStore s = StateStores.fromUri("backend-uri=file://" + img())) {
      s.lock(0);
      s.store(StateNames.PERMALL, new byte[3]);
    }
    store = open();
    assertEquals(3L, store.sizes().get(StateNames.PERMALL));
  }
}
