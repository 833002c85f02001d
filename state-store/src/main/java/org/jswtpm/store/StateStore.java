package org.jswtpm.store;

import java.io.IOException;
import java.util.Map;

/**
 * Where a TPM's state blobs live. A blob is an opaque byte array stored under one of swtpm's blob
 * names ({@link StateNames#PERMALL}, {@link StateNames#VOLATILESTATE}, {@link
 * StateNames#SAVESTATE}); the store knows nothing of what is inside.
 *
 * <p>Contract shared by all backends:
 *
 * <ul>
 *   <li>{@link #store} is atomic and durable where the backend can make it so: when it returns,
 *       the new blob survives a crash, and a crash during the call leaves either the old or the
 *       new blob, never a mixture (see each backend for its exact guarantee).
 *   <li>{@link #lock} takes an exclusive, inter-process lock on the state (a no-op when the
 *       backend was configured without locking); {@link #unlock} drops it; {@link #close} drops it
 *       too.
 *   <li>Implementations are safe for use by several threads.
 * </ul>
 */
public interface StateStore extends AutoCloseable {

  /**
   * Reads a blob.
   *
   * @param name a blob name, e.g. {@code permall}
   * @return the blob, or {@code null} if there is none under that name
   * @throws IOException if the blob exists but cannot be read, or is not what the store expects
   */
  byte[] load(String name) throws IOException;

  /**
   * Replaces (or creates) a blob, atomically and durably.
   *
   * @param name a blob name
   * @param blob the new contents; the store keeps its own copy
   * @throws IOException if the blob could not be written; the old blob is then still in place
   */
  void store(String name, byte[] blob) throws IOException;

  /** Removes a blob; does nothing if there is none. */
  void delete(String name) throws IOException;

  /** Whether a blob exists under that name. */
  boolean exists(String name) throws IOException;

  /**
   * Takes the exclusive lock on this state, trying once and then {@code retries} more times, 10 ms
   * apart. Taking a lock already held by this store succeeds at once.
   *
   * @throws StateLockedException if another holder keeps the lock
   */
  void lock(int retries) throws IOException;

  /** Releases the lock if this store holds it. */
  void unlock();

  /**
   * The blobs that exist and their sizes in the store (on-disk sizes), in the order permall,
   * volatilestate, savestate: what {@code swtpm --print-states} lists.
   */
  Map<String, Long> sizes() throws IOException;

  /** Where a blob lives, for messages: a file path, or a name inside a file. */
  String locationOf(String name);

  /** Releases the lock and any open file. */
  @Override
  void close() throws IOException;
}
