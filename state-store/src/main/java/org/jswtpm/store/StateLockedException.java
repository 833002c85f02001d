package org.jswtpm.store;

/** The state is locked by another process (or another store in this process). */
public final class StateLockedException extends StateStoreException {
  /** Creates the exception; the message should name the locked directory or file. */
  public StateLockedException(String message) {
    super(message);
  }
}
