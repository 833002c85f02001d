package org.jswtpm.store;

import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Set;

/** Converts octal file modes (as in {@code mode=0640}) to POSIX permission sets. */
public final class FileModes {
  /** swtpm's default mode for state files. */
  public static final int DEFAULT_STATE_MODE = 0640;

  private static final PosixFilePermission[] BITS = {
    PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_READ,
    PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_READ,
    PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_READ,
  };

  private FileModes() {}

  /** The permissions of an octal mode; bits above 0777 are rejected. */
  public static Set<PosixFilePermission> toPermissions(int mode) {
    if (mode < 0 || mode > 0777) {
      throw new IllegalArgumentException("file mode must be at most 0777, not 0" + Integer.toOctalString(mode));
    }
    Set<PosixFilePermission> s = EnumSet.noneOf(PosixFilePermission.class);
    for (int i = 0; i < BITS.length; i++) {
      if ((mode & (1 << i)) != 0) {
        s.add(BITS[i]);
      }
    }
    return s;
  }
}
