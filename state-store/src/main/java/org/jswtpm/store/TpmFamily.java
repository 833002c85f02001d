package org.jswtpm.store;

/**
 * Which TPM the state belongs to; decides swtpm's file names in a state directory: {@code
 * tpm2-00.permall} and the temporary {@code TMP2-00.permall} for TPM 2.0, {@code tpm-00.permall}
 * and {@code TMP-00.permall} for TPM 1.2 ({@code 00} is the TPM number, always 0).
 */
public enum TpmFamily {
  /** TPM 2.0. */
  TPM2("tpm2-00.", "TMP2-00."),
  /** TPM 1.2. */
  TPM12("tpm-00.", "TMP-00.");

  private final String prefix;
  private final String tempPrefix;

  TpmFamily(String prefix, String tempPrefix) {
    this.prefix = prefix;
    this.tempPrefix = tempPrefix;
  }

  /** The file name of a blob, e.g. {@code tpm2-00.permall}. */
  public String fileName(String name) {
    StateNames.indexOf(name);
    return prefix + name;
  }

  /** The temporary file a new blob is written to before it is renamed over {@link #fileName}. */
  public String tempFileName(String name) {
    StateNames.indexOf(name);
    return tempPrefix + name;
  }
}
