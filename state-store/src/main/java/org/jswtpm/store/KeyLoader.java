package org.jswtpm.store;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Reads the key a {@link KeyOption} names, with swtpm's semantics: a hex key file holds 32 or 64
 * hex digits (optional {@code 0x}, optionally followed by whitespace) that must match the mode; a
 * binary key file holds exactly the mode's key length; a passphrase is the whole content up to
 * EOF, newline included, run through the {@link Kdf}. An inherited descriptor N is read through
 * {@code /proc/self/fd/N}. With {@code remove}, the file is unlinked after reading.
 *
 * <p>Error messages name the file or descriptor, never the key.
 */
public final class KeyLoader {
  /** swtpm reads at most this many bytes of a key file (0x, 64 digits and a newline). */
  private static final int MAX_KEY_FILE = 67;
  private static final int MAX_PASSPHRASE = 1 << 20;

  private KeyLoader() {}

  /** Loads the key. */
  public static StateKey load(KeyOption option) throws IOException {
    Path file = option.path() != null ? option.path() : Path.of("/proc/self/fd/" + option.fd());
    String where = option.path() != null ? "key file " + file : "key descriptor " + option.fd();
    byte[] content = option.source().isPassphrase() ? readToEof(file, where) : readOnce(file, where);
    try {
      byte[] key = option.source().isPassphrase()
          ? option.kdf().derive(content, option.mode().keyLength())
          : decode(content, option, where);
      try {
        return StateKey.of(key);
      } finally {
        Arrays.fill(key, (byte) 0);
      }
    } finally {
      Arrays.fill(content, (byte) 0);
      if (option.remove() && option.path() != null) {
        Files.deleteIfExists(option.path());
      }
    }
  }

  /** A key: one read of at most 67 bytes, as swtpm does (a writer need not close its pipe). */
  private static byte[] readOnce(Path file, String where) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      byte[] buf = new byte[MAX_KEY_FILE];
      int n = in.read(buf);
      byte[] out = Arrays.copyOf(buf, Math.max(n, 0));
      Arrays.fill(buf, (byte) 0);
      return out;
    } catch (IOException e) {
      throw new StateStoreException("cannot read " + where + ": " + e.getClass().getSimpleName(), e);
    }
  }

  /** A passphrase: everything up to EOF. */
  private static byte[] readToEof(Path file, String where) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      byte[] out = in.readNBytes(MAX_PASSPHRASE + 1);
      if (out.length > MAX_PASSPHRASE) {
        Arrays.fill(out, (byte) 0);
        throw new StateStoreException(where + ": passphrase longer than " + MAX_PASSPHRASE + " bytes");
      }
      return out;
    } catch (StateStoreException e) {
      throw e;
    } catch (IOException e) {
      throw new StateStoreException("cannot read " + where + ": " + e.getClass().getSimpleName(), e);
    }
  }

  private static byte[] decode(byte[] content, KeyOption option, String where) throws StateStoreException {
    int want = option.mode().keyLength();
    if (option.format() == KeyOption.Format.BINARY) {
      if (content.length != want) {
        throw new StateStoreException(where + ": binary key has " + content.length + " bytes, mode " + option.mode().optionName() + " needs " + want);
      }
      return content.clone();
    }
    return parseHex(content, want, where);
  }

  /** Parses swtpm's hex key format into exactly {@code want} bytes. */
  static byte[] parseHex(byte[] text, int want, String where) throws StateStoreException {
    int i = text.length >= 2 && text[0] == '0' && text[1] == 'x' ? 2 : 0;
    byte[] key = new byte[want];
    int n = 0;
    while (i < text.length && !isSpace(text[i])) {
      int hi = i + 1 < text.length ? Character.digit(text[i], 16) : -1;
      int lo = i + 1 < text.length ? Character.digit(text[i + 1], 16) : -1;
      if (hi < 0 || lo < 0 || n == want) {
        Arrays.fill(key, (byte) 0);
        throw new StateStoreException(where + ": not a " + want * 2 + "-digit hex key (mode needs " + want * 8 + " bits)");
      }
      key[n++] = (byte) (hi << 4 | lo);
      i += 2;
    }
    if (n != want) {
      Arrays.fill(key, (byte) 0);
      throw new StateStoreException(where + ": hex key has " + n * 2 + " digits, the mode needs " + want * 2);
    }
    return key;
  }

  private static boolean isSpace(byte b) {
    return b == ' ' || b == '\t' || b == '\n' || b == '\r' || b == 0x0b || b == '\f';
  }
}
