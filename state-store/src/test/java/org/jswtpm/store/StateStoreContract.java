package org.jswtpm.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every {@link StateStore} must do; one subclass per backend. */
abstract class StateStoreContract {
  StateStore store;

  abstract StateStore open() throws Exception;

  /** The size {@link StateStore#sizes()} reports for a blob of {@code n} bytes. */
  long storedSize(int n) {
    return n;
  }

  @BeforeEach
  void setUp() throws Exception {
    store = open();
  }

  @AfterEach
  void tearDown() throws Exception {
    store.close();
  }

  @Test
  void absentBlobs() throws Exception {
    for (String n : StateNames.ALL) {
      assertNull(store.load(n));
      assertFalse(store.exists(n));
    }
    assertEquals(Map.of(), store.sizes());
    store.delete(StateNames.SAVESTATE);
  }

  @Test
  void roundTripAndReplace() throws Exception {
    byte[] a = BlobEnvelopeTest.seq(100, 1);
    byte[] b = BlobEnvelopeTest.seq(5000, 2);
    byte[] c = BlobEnvelopeTest.seq(3, 3);
    store.store(StateNames.PERMALL, a);
    store.store(StateNames.VOLATILESTATE, b);
    assertArrayEquals(a, store.load(StateNames.PERMALL));
    assertArrayEquals(b, store.load(StateNames.VOLATILESTATE));
    store.store(StateNames.PERMALL, b); // grows
    store.store(StateNames.VOLATILESTATE, c); // shrinks
    assertArrayEquals(b, store.load(StateNames.PERMALL));
    assertArrayEquals(c, store.load(StateNames.VOLATILESTATE));
    assertTrue(store.exists(StateNames.PERMALL));
    assertEquals(List.of(StateNames.PERMALL, StateNames.VOLATILESTATE), List.copyOf(store.sizes().keySet()));
    assertEquals(storedSize(5000), store.sizes().get(StateNames.PERMALL));
  }

  @Test
  void deleteThenOthersSurvive() throws Exception {
    byte[] a = BlobEnvelopeTest.seq(700, 1);
    byte[] b = BlobEnvelopeTest.seq(300, 2);
    byte[] c = BlobEnvelopeTest.seq(2000, 3);
    store.store(StateNames.PERMALL, a);
    store.store(StateNames.VOLATILESTATE, b);
    store.store(StateNames.SAVESTATE, c);
    store.delete(StateNames.PERMALL);
    assertNull(store.load(StateNames.PERMALL));
    assertArrayEquals(b, store.load(StateNames.VOLATILESTATE));
    assertArrayEquals(c, store.load(StateNames.SAVESTATE));
    store.store(StateNames.PERMALL, a);
    assertArrayEquals(a, store.load(StateNames.PERMALL));
  }

  @Test
  void callersCannotChangeStoredBlobs() throws Exception {
    byte[] a = BlobEnvelopeTest.seq(10, 1);
    store.store(StateNames.PERMALL, a);
    a[0] = 99;
    store.load(StateNames.PERMALL)[1] = 99;
    assertArrayEquals(BlobEnvelopeTest.seq(10, 1), store.load(StateNames.PERMALL));
  }

  @Test
  void unknownNamesRejected() {
    assertThrows(IllegalArgumentException.class, () -> store.load("../etc/passwd"));
    assertThrows(IllegalArgumentException.class, () -> store.store("volatile", new byte[1]));
  }

  @Test
  void lockUnlockIsReentrant() throws Exception {
    store.lock(0);
    store.lock(0);
    store.unlock();
    store.unlock();
    store.lock(0);
  }
}
