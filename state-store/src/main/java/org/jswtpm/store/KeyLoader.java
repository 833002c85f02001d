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
 * EOF, newline included, run through the {@link Kdf}. An inherited descriptor N is read through a
 * {@link Descriptors} the caller supplies: reading the descriptor itself (what swtpm does) works for any
 * user, while reopening {@code /proc/self/fd/N} (the default here) is refused for a pipe that belongs to
 * another user, as libvirt's passphrase pipe does when swtpm runs as {@code tss}. With {@code remove}, the
 * file is unlinked after reading.
 *
 * <p>Error messages name the file or descriptor, never the key.
 */
public final class KeyLoader {
  /** swtpm reads at most this many bytes of a key file (0x, 64 digits and a newline). */
  private static final int MAX_KEY_FILE = 67;
  private static final int MAX_PASSPHRASE = 1 << 20;

  private KeyLoader() {}

  /** Opens an inherited descriptor for reading. */
  @FunctionalInterface
  public interface Descriptors {
    /** Reopens {@code /proc/self/fd/N}: no native access, but only for a file this user may open. */
    Descriptors PROC_SELF_FD = fd -> Files.newInputStream(Path.of("/proc/self/fd/" + fd));

    /** A stream that reads descriptor {@code fd}. */
    InputStream open(int fd) throws IOException;
  }

  /** Loads the key, reading a descriptor through {@code /proc/self/fd}. */
  public static StateKey load(KeyOption option) throws IOException {
    return load(option, Descriptors.PROC_SELF_FD);
  }

  /** Loads the key, reading a descriptor through {@code descriptors}. */
  public static StateKey load(KeyOption option, Descriptors descriptors) throws IOException {
    Path file = option.path();
    Source source = file != null ? () -> Files.newInputStream(file) : () -> descriptors.open(option.fd());
    String where = file != null ? "key file " + file : "key descriptor " + option.fd();
    byte[] content = option.source().isPassphrase() ? readToEof(source, where) : readOnce(source, where);
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
  private static byte[] readOnce(Source source, String where) throws IOException {
    try (InputStream in = source.open()) {
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
  private static byte[] readToEof(Source source, String where) throws IOException {
    try (InputStream in = source.open()) {
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

  /** Where the key bytes come from: the file or the descriptor. */
  private interface Source {
    InputStream open() throws IOException;
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
