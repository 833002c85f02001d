package org.jswtpm.store;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Whole-file write locks that exclude other processes (POSIX {@code fcntl} locks on Linux, so C
 * swtpm too) and other stores in this JVM, retried every 10 ms as swtpm does.
 *
 * <p>POSIX locks belong to the process and are dropped when <em>any</em> descriptor of the file
 * is closed; so a second store in this JVM must not even open a file whose lock is held here.
 * The set of files claimed in this JVM guards that; it is the only process-wide state of this
 * module and holds no TPM data.
 */
final class FileLocks {
  static final long RETRY_MILLIS = 10;
  private static final Set<Path> CLAIMED = ConcurrentHashMap.newKeySet();

  /** One attempt at opening and locking; returns {@code null} if the lock is held elsewhere. */
  interface Attempt<T> {
    T tryOnce() throws IOException;
  }

  private FileLocks() {}

  /** Claims {@code file} for this JVM; false if another store here has it. */
  static boolean claim(Path file) {
    return CLAIMED.add(file.toAbsolutePath().normalize());
  }

  /** Gives up a claim. */
  static void release(Path file) {
    CLAIMED.remove(file.toAbsolutePath().normalize());
  }

  /** Runs {@code attempt} once and then up to {@code retries} more times, 10 ms apart. */
  static <T> T retry(int retries, Attempt<T> attempt) throws IOException {
    for (int i = 0; ; i++) {
      T result = attempt.tryOnce();
      if (result != null || i >= retries) {
        return result;
      }
      try {
        Thread.sleep(RETRY_MILLIS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return null;
      }
    }
  }

  /** A non-blocking whole-file write lock on {@code channel}, or {@code null}. */
  static FileLock tryLock(FileChannel channel) throws IOException {
    try {
      return channel.tryLock();
    } catch (OverlappingFileLockException e) {
      return null;
    }
  }
}
