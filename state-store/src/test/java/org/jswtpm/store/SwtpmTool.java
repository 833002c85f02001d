package org.jswtpm.store;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/** Runs Debian's real swtpm / swtpm_ioctl for differential tests. */
final class SwtpmTool {
  private SwtpmTool() {}

  /** Skips the test (visibly) without swtpm, or fails when jswtpm.requireTools is true. */
  static void assumeInstalled() {
    boolean have = onPath("swtpm") && onPath("swtpm_ioctl");
    if (!have && Boolean.getBoolean("jswtpm.requireTools")) {
      fail("swtpm and swtpm_ioctl are required (jswtpm.requireTools=true) but not on PATH");
    }
    Assumptions.assumeTrue(have, "swtpm/swtpm_ioctl not installed: skipping interoperability test");
  }

  private static boolean onPath(String tool) {
    for (String d : System.getenv().getOrDefault("PATH", "").split(":")) {
      if (!d.isEmpty() && Path.of(d, tool).toFile().canExecute()) {
        return true;
      }
    }
    return false;
  }

  /** A running swtpm socket process with a TCP control port. */
  static final class Running implements AutoCloseable {
    final Process process;
    final int ctrlPort;
    final Path log;

    Running(Process process, int ctrlPort, Path log) {
      this.process = process;
      this.ctrlPort = ctrlPort;
      this.log = log;
    }

    /** Runs swtpm_ioctl against this instance; fails the test on a non-zero exit. */
    void ioctl(String... args) throws Exception {
      List<String> cmd = new ArrayList<>(List.of("swtpm_ioctl", "--tcp", "127.0.0.1:" + ctrlPort));
      cmd.addAll(Arrays.asList(args));
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(20, TimeUnit.SECONDS) || p.exitValue() != 0) {
        fail("swtpm_ioctl " + String.join(" ", args) + " failed: " + out);
      }
    }

    /** Shuts swtpm down through the control channel; kills it if that does not work. */
    @Override
    public void close() {
      if (!process.isAlive()) {
        return;
      }
      try {
        ioctl("-s");
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
          process.destroyForcibly();
        }
      } catch (Exception | AssertionError e) {
        process.destroyForcibly();
        if (e instanceof InterruptedException) {
          Thread.currentThread().interrupt();
        }
      }
    }
  }

  /**
   * Starts {@code swtpm socket --tpm2 --tpmstate <tpmstate> ...extra} and waits until its main
   * loop answers on the control channel (so the TPM is initialized and the state locked).
   */
  static Running start(Path workDir, String tpmstate, String... extra) throws Exception {
    int data = freePort();
    int ctrl = freePort();
    List<String> cmd = new ArrayList<>(List.of("swtpm", "socket", "--tpm2", "--tpmstate", tpmstate,
        "--server", "type=tcp,port=" + data, "--ctrl", "type=tcp,port=" + ctrl));
    cmd.addAll(Arrays.asList(extra));
    Path log = workDir.resolve("swtpm-" + ctrl + ".log");
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline && p.isAlive()) {
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", ctrl), 200);
      } catch (IOException e) {
        Thread.sleep(50);
        continue;
      }
      Running r = new Running(p, ctrl, log);
      r.ioctl("-g"); // answered by the main loop, i.e. after the TPM started
      return r;
    }
    p.destroyForcibly();
    throw new AssertionError("swtpm did not come up: " + java.nio.file.Files.readString(log));
  }

  /**
   * Starts swtpm expecting it to refuse to run (wrong key, state locked); fails the test if it is
   * still running after 10 s.
   *
   * @return its output
   */
  static String expectRefusal(Path workDir, String tpmstate, String... extra) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("swtpm", "socket", "--tpm2", "--tpmstate", tpmstate,
        "--server", "type=tcp,port=" + freePort(), "--ctrl", "type=tcp,port=" + freePort()));
    cmd.addAll(Arrays.asList(extra));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(10, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      fail("swtpm kept running: " + out);
    }
    if (p.exitValue() == 0) {
      fail("swtpm exited 0: " + out);
    }
    return out;
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
