package org.jswtpm.store;

import java.nio.file.Path;
import java.util.Set;

/**
 * A parsed {@code --key} or {@code --migration-key} value: {@code
 * file=F|fd=N|pwdfile=F|pwdfd=N[,mode=aes-128-cbc|aes-cbc|aes-256-cbc][,format=hex|binary]
 * [,kdf=sha512|pbkdf2][,remove[=bool]]}. Parsing reads nothing; {@link KeyLoader} reads the key.
 *
 * @param source where the key or passphrase comes from
 * @param path the file for {@code file=} / {@code pwdfile=}, else {@code null}
 * @param fd the inherited file descriptor for {@code fd=} / {@code pwdfd=}, else -1
 * @param mode the encryption mode (default aes-128-cbc)
 * @param format how a key file is encoded (default hex; not used for passphrases)
 * @param kdf how a passphrase becomes a key (default pbkdf2; not used for key files)
 * @param remove whether to unlink the file after reading it
 */
public record KeyOption(Source source, Path path, int fd, KeyMode mode, Format format, Kdf kdf, boolean remove) {

  /** Where the key material comes from. */
  public enum Source {
    /** {@code file=}: a key file. */
    FILE,
    /** {@code fd=}: a key on an inherited descriptor. */
    FD,
    /** {@code pwdfile=}: a passphrase file. */
    PWDFILE,
    /** {@code pwdfd=}: a passphrase on an inherited descriptor. */
    PWDFD;

    /** Whether this source holds a passphrase rather than a key. */
    public boolean isPassphrase() {
      return this == PWDFILE || this == PWDFD;
    }
  }

  /** How a key file is encoded. */
  public enum Format {
    /** 32 or 64 hex digits, optional {@code 0x}, optionally followed by whitespace. */
    HEX,
    /** The raw 16 or 32 bytes. */
    BINARY
  }

  private static final Set<String> NAMES = Set.of("file", "fd", "pwdfile", "pwdfd", "mode", "format", "kdf", "remove");

  /**
   * Parses an option value.
   *
   * @param option the option name for messages, e.g. {@code --key}
   * @throws IllegalArgumentException if the value is malformed
   */
  public static KeyOption parse(String option, String value) {
    SubOptions o = SubOptions.parse(option, value, NAMES);
    Source source = null;
    int given = 0;
    for (Source s : Source.values()) {
      if (o.has(s.name().toLowerCase())) {
        source = s;
        given++;
      }
    }
    if (given != 1) {
      throw new IllegalArgumentException(option + ": exactly one of file=, fd=, pwdfile=, pwdfd= is required");
    }
    String key = source.name().toLowerCase();
    Path path = null;
    int fd = -1;
    if (source == Source.FILE || source == Source.PWDFILE) {
      if (o.get(key).isEmpty()) {
        throw new IllegalArgumentException(option + ": " + key + "= needs a file name");
      }
      path = Path.of(o.get(key));
    } else {
      fd = o.getInt(key, -1);
    }
    KeyMode mode = KeyMode.fromOption(o.has("mode") ? o.get("mode") : "aes-128-cbc");
    Format format = parseFormat(option, o.has("format") ? o.get("format") : "hex");
    Kdf kdf = Kdf.fromOption(o.has("kdf") ? o.get("kdf") : "pbkdf2");
    return new KeyOption(source, path, fd, mode, format, kdf, o.getBool("remove", false));
  }

  private static Format parseFormat(String option, String v) {
    switch (v) {
      case "hex":
        return Format.HEX;
      case "binary":
        return Format.BINARY;
      default:
        throw new IllegalArgumentException(option + ": unknown format '" + v + "'; expected hex or binary");
    }
  }
}
