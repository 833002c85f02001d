package org.jswtpm.store;

import java.io.IOException;

/** A state store could not do what was asked; the message names the file or directory. */
public class StateStoreException extends IOException {
  /** Creates the exception with a message. */
  public StateStoreException(String message) {
    super(message);
  }

  /** Creates the exception with a message and a cause. */
  public StateStoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
