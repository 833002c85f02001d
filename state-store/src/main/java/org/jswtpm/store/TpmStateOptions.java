package org.jswtpm.store;

import java.nio.file.Path;
import java.util.Set;

/**
 * A parsed {@code --tpmstate} value: {@code dir=D} or {@code backend-uri=dir://D} / {@code
 * backend-uri=file://F}, with {@code [,mode=0640][,lock[=bool]][,backup][,fsync]}. {@code dir=}
 * wins over {@code backend-uri=}. Locking defaults to on for directories and off for files.
 *
 * @param backend which backend
 * @param path the directory or file (relative paths are relative to the working directory)
 * @param mode octal file mode (0640 unless given)
 * @param modeGiven whether {@code mode=} was given
 * @param lock whether to lock the state
 * @param backup whether the directory backend keeps {@code permall.bak}
 * @param fsync accepted for compatibility; every write is fsynced regardless
 */
public record TpmStateOptions(Backend backend, Path path, int mode, boolean modeGiven, boolean lock, boolean backup, boolean fsync) {

  /** The storage backends of {@code --tpmstate}. */
  public enum Backend {
    /** {@code dir=D} or {@code dir://D}. */
    DIRECTORY,
    /** {@code file://F}. */
    LINEAR_FILE
  }

  private static final Set<String> NAMES = Set.of("dir", "backend-uri", "mode", "lock", "backup", "fsync");

  /**
   * Parses an option value.
   *
   * @throws IllegalArgumentException if it is malformed
   */
  public static TpmStateOptions parse(String value) {
    SubOptions o = SubOptions.parse("--tpmstate", value, NAMES);
    Backend backend;
    String path;
    if (o.has("dir")) {
      backend = Backend.DIRECTORY;
      path = o.get("dir");
    } else if (o.has("backend-uri")) {
      String uri = o.get("backend-uri");
      if (uri.startsWith("dir://")) {
        backend = Backend.DIRECTORY;
        path = uri.substring("dir://".length());
      } else if (uri.startsWith("file://")) {
        backend = Backend.LINEAR_FILE;
        path = uri.substring("file://".length());
      } else {
        throw new IllegalArgumentException("--tpmstate: unsupported backend-uri '" + uri + "'; expected dir:// or file://");
      }
    } else {
      throw new IllegalArgumentException("--tpmstate: dir= or backend-uri= is required");
    }
    if (path.isEmpty()) {
      throw new IllegalArgumentException("--tpmstate: empty path");
    }
    int mode = o.getMode("mode", FileModes.DEFAULT_STATE_MODE);
    boolean lock = o.getBool("lock", backend == Backend.DIRECTORY);
    return new TpmStateOptions(backend, Path.of(path), mode, o.has("mode"), lock, o.getBool("backup", false), o.getBool("fsync", false));
  }
}
