package org.jswtpm.store;

import java.util.List;

/** swtpm's (libtpms') blob names, shared by every backend. */
public final class StateNames {
  /** Permanent state: seeds, NV, persistent objects. */
  public static final String PERMALL = "permall";
  /** Volatile state, written on STORE_VOLATILE and for migration. */
  public static final String VOLATILESTATE = "volatilestate";
  /** What TPM2_Shutdown(STATE) / TPM_SaveState keeps. */
  public static final String SAVESTATE = "savestate";

  /** All names, in swtpm's order (also the linear file's entry order). */
  public static final List<String> ALL = List.of(PERMALL, VOLATILESTATE, SAVESTATE);

  private StateNames() {}

  /**
   * Checks that {@code name} is one of {@link #ALL}.
   *
   * @return its index in {@link #ALL}
   * @throws IllegalArgumentException for any other name
   */
  public static int indexOf(String name) {
    int i = ALL.indexOf(name);
    if (i < 0) {
      throw new IllegalArgumentException("unknown state blob name '" + name + "'; expected one of " + ALL);
    }
    return i;
  }
}
