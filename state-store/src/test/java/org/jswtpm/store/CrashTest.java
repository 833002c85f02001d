package org.jswtpm.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGKILL a writer at random moments: the directory store always loads afterwards (no torn or
 * half-renamed file; the HMAC would catch one), and the last acknowledged write is there.
 */
class CrashTest {
  static final StateKey KEY = StateKey.of(BlobEnvelopeTest.seq(32, 7));
  private static final int ITERATIONS = Integer.getInteger("jswtpm.crashIterations", 12);

  @TempDir Path dir;

  /** A blob of varying size that carries its counter and a checkable pattern. */
  static byte[] blob(long n) {
    int size = 8 + (int) (n * 7919 % 20000);
    ByteBuffer b = ByteBuffer.allocate(size).putLong(n);
    while (b.hasRemaining()) {
      b.put((byte) (n + b.position()));
    }
    return b.array();
  }

  @Test
  void killedWriterLeavesLastAcknowledgedBlob() throws Exception {
    Random random = new Random(42);
    long next = 1;
    for (int i = 0; i < ITERATIONS; i++) {
      long ack = runAndKill(next, random.nextInt(400) + 50);
      assertTrue(ack >= next, "the writer never acknowledged a write");
      try (StateStore s = new EncryptedStateStore(new DirectoryStateStore(dir), KEY)) {
        s.lock(0); // the killed process's lock is gone with it
        byte[] got = s.load(StateNames.PERMALL);
        long n = CrashWriter.counterOf(got);
        // the acknowledged write is there; at most the one in flight landed too
        assertTrue(n == ack || n == ack + 1, "acknowledged " + ack + " but found " + n);
        assertArrayEquals(blob(n), got);
        next = n + 1;
      }
    }
  }

  /**
   * Runs a writer for about {@code millis} after its first acknowledgement, kills it, and returns
   * its last acknowledged counter. The writer's stdout goes to a file, so every line it printed
   * survives the kill.
   */
  private long runAndKill(long first, int millis) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Path acks = dir.resolve("acks.txt");
    Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), CrashWriter.class.getName(), dir.toString(), Long.toString(first))
        .redirectError(ProcessBuilder.Redirect.INHERIT).redirectOutput(acks.toFile()).start();
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (Files.size(acks) == 0 && p.isAlive() && System.nanoTime() < deadline) {
        Thread.sleep(5);
      }
      Thread.sleep(millis);
    } finally {
      p.destroyForcibly(); // SIGKILL
      p.waitFor();
    }
    long last = 0;
    String text = Files.readString(acks, StandardCharsets.US_ASCII);
    for (String line : text.split("\n")) {
      if (text.endsWith("\n") || !text.endsWith(line)) {
        last = line.isEmpty() ? last : Long.parseLong(line);
      }
    }
    return last;
  }
}
