package org.jswtpm.store;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Blobs kept in memory: the default for the in-process TPM. Stores copy in and out, so callers
 * cannot change a stored blob. Locking is a no-op: nothing else can see this state.
 */
public final class MemoryStateStore implements StateStore {
  private final Map<String, byte[]> blobs = new HashMap<>();

  @Override
  public synchronized byte[] load(String name) {
    StateNames.indexOf(name);
    byte[] b = blobs.get(name);
    return b == null ? null : b.clone();
  }

  @Override
  public synchronized void store(String name, byte[] blob) {
    StateNames.indexOf(name);
    blobs.put(name, blob.clone());
  }

  @Override
  public synchronized void delete(String name) {
    StateNames.indexOf(name);
    blobs.remove(name);
  }

  @Override
  public synchronized boolean exists(String name) {
    StateNames.indexOf(name);
    return blobs.containsKey(name);
  }

  @Override
  public void lock(int retries) {
    // nothing to exclude
  }

  @Override
  public void unlock() {
    // nothing to release
  }

  @Override
  public synchronized Map<String, Long> sizes() {
    Map<String, Long> out = new LinkedHashMap<>();
    for (String name : StateNames.ALL) {
      byte[] b = blobs.get(name);
      if (b != null) {
        out.put(name, (long) b.length);
      }
    }
    return out;
  }

  @Override
  public String locationOf(String name) {
    return "memory:" + name;
  }

  @Override
  public void close() {
    // nothing held
  }
}
