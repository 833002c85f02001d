package org.jswtpm.store;

/** The in-memory backend. */
class MemoryStateStoreTest extends StateStoreContract {
  @Override
  StateStore open() {
    return new MemoryStateStore();
  }
}
