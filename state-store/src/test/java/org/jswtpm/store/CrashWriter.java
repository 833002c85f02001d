package org.jswtpm.store;

import java.nio.ByteBuffer;
import java.nio.file.Path;

/**
 * Child process for {@link CrashTest}: stores ever-increasing counters, encrypted, into a state
 * directory as fast as it can and prints each counter once {@code store} has returned (i.e. is
 * acknowledged). Killed with SIGKILL at a random moment by the test.
 */
public final class CrashWriter {
  private CrashWriter() {}

  /** {@code args[0]}: the state directory; {@code args[1]}: the first counter. */
  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    try (StateStore s = new EncryptedStateStore(new DirectoryStateStore(dir), CrashTest.KEY)) {
      s.lock(0);
      for (long n = Long.parseLong(args[1]); ; n++) {
        s.store(StateNames.PERMALL, CrashTest.blob(n));
        System.out.println(n);
        System.out.flush();
      }
    }
  }

  static long counterOf(byte[] blob) {
    return ByteBuffer.wrap(blob).getLong();
  }
}
