package org.jswtpm.store;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Golden files written by Debian swtpm 0.7.1 (see golden/swtpm-0.7.1/README.md). */
final class Golden {
  private Golden() {}

  static byte[] bytes(String name) {
    try (InputStream in = Golden.class.getResourceAsStream("/golden/swtpm-0.7.1/" + name)) {
      if (in == null) {
        throw new IllegalStateException("missing golden file " + name);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Copies a golden file to {@code dir} and returns its path. */
  static Path copy(String name, Path dir) throws IOException {
    Path p = dir.resolve(name);
    Files.write(p, bytes(name));
    return p;
  }

  /** Loads a key the way swtpm's {@code --key} option does. */
  static StateKey key(String option, Path dir) throws IOException {
    return KeyLoader.load(KeyOption.parse("--key", option.replace("@", dir.toString() + "/")));
  }
}
