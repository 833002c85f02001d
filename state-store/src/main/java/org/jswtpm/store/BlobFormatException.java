package org.jswtpm.store;

/**
 * A state blob's envelope is malformed, of an unsupported version, or fails authentication. The
 * {@link #error()} says which, and carries the control-channel result code. Messages never contain
 * key material or blob contents.
 */
public final class BlobFormatException extends StateStoreException {
  private final BlobError error;

  /** Creates the exception. */
  public BlobFormatException(BlobError error, String message) {
    super(message);
    this.error = error;
  }

  /** Why the blob was rejected. */
  public BlobError error() {
    return error;
  }

  /** The control-channel result code for this failure. */
  public int controlCode() {
    return error.controlCode();
  }

  /** The same error with a message prefixed by where the blob came from. */
  public BlobFormatException at(String location) {
    BlobFormatException e = new BlobFormatException(error, location + ": " + getMessage());
    e.setStackTrace(getStackTrace());
    return e;
  }
}
