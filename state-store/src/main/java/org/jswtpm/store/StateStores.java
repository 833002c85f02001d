package org.jswtpm.store;

import java.io.IOException;

/** Opens the store a {@code --tpmstate} option describes. */
public final class StateStores {
  private StateStores() {}

  /**
   * Opens the raw store (no envelope) for a TPM 2 from a {@code --tpmstate} value such as {@code
   * dir=/var/lib/swtpm,mode=0600} or {@code backend-uri=file:///var/lib/tpm.img,lock}. The store
   * is not locked yet; call {@link StateStore#lock} when the TPM starts.
   */
  public static StateStore fromUri(String tpmstateOption) throws IOException {
    return open(TpmStateOptions.parse(tpmstateOption), TpmFamily.TPM2);
  }

  /** Opens the raw store for {@code options} and the given TPM family. */
  public static StateStore open(TpmStateOptions options, TpmFamily family) throws IOException {
    switch (options.backend()) {
      case DIRECTORY:
        return new DirectoryStateStore(options.path(), family, options.mode(), options.lock(), options.backup());
      case LINEAR_FILE:
        return new LinearFileStateStore(options.path(), options.mode(), options.modeGiven(), options.lock());
      default:
        throw new IllegalArgumentException("unknown backend " + options.backend());
    }
  }

  /**
   * Opens the store for {@code options} inside swtpm's envelope, encrypted when {@code fileKey}
   * is given: what the swtpm process uses.
   */
  public static StateStore openWithEnvelope(TpmStateOptions options, TpmFamily family, StateKey fileKey) throws IOException {
    StateStore raw = open(options, family);
    return fileKey == null ? new EnvelopeStateStore(raw, null) : new EncryptedStateStore(raw, fileKey);
  }
}
