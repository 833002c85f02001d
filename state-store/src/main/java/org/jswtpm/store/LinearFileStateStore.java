package org.jswtpm.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * swtpm's single-file backend ({@code --tpmstate backend-uri=file://PATH}, reference §7.7): a
 * 192-byte little-endian header followed by one section per blob, each sized to the next power
 * of two; a blob that outgrows its section is moved to the end and the sections after it slide
 * down, exactly as swtpm lays them out, so either program reads the other's file.
 *
 * <p>Writes go in place, as in swtpm: the blob's section first, then the header, then fsync. A
 * crash in the middle can tear that one blob, which the blob envelope (length, HMAC) then detects;
 * the other blobs are untouched unless the write had to move sections. An empty or all-zero file
 * is formatted; unlike swtpm, a non-empty file without the magic is refused rather than
 * overwritten. Locking (a POSIX lock on the file itself) is off by default, as in swtpm. Regular
 * files only; block devices are not supported yet.
 */
public final class LinearFileStateStore implements StateStore {
  private final Path file;
  private final boolean locking;
  private FileChannel channel;
  private byte[] image;
  private LinearHeader header;
  private FileLock lock;

  /**
   * Opens (and if empty, formats) the file.
   *
   * @param mode octal mode, applied when the file is created or when {@code applyMode} is set
   * @param applyMode whether to set {@code mode} on an existing file too (an explicit {@code mode=})
   * @param locking whether {@link #lock} locks (off by default for file://)
   */
  public LinearFileStateStore(Path file, int mode, boolean applyMode, boolean locking) throws IOException {
    this.file = file;
    this.locking = locking;
    if (Files.exists(file) && !Files.isRegularFile(file)) {
      throw new StateStoreException("TPM state file " + file + " is not a regular file (block devices are not supported yet)");
    }
    if (!FileLocks.claim(file)) {
      throw new StateLockedException("TPM state file " + file + " is already open in this process");
    }
    FileChannel ch = null;
    boolean ok = false;
    try {
      boolean created = !Files.exists(file, LinkOption.NOFOLLOW_LINKS);
      ch = FileChannel.open(file, Set.of(StandardOpenOption.READ, StandardOpenOption.WRITE, StandardOpenOption.CREATE, LinkOption.NOFOLLOW_LINKS),
          PosixFilePermissions.asFileAttribute(FileModes.toPermissions(mode)));
      if (created || applyMode) {
        Files.setPosixFilePermissions(file, FileModes.toPermissions(mode));
      }
      channel = ch;
      refresh();
      ok = true;
    } catch (StateStoreException e) {
      throw e;
    } catch (IOException e) {
      String reason = e instanceof FileSystemException ? ((FileSystemException) e).getReason() : e.getMessage();
      throw new StateStoreException(Files.isSymbolicLink(file) ? "refusing to follow symbolic link " + file : "cannot open " + file + ": " + reason, e);
    } finally {
      if (!ok) {
        if (ch != null) {
          ch.close();
        }
        FileLocks.release(file);
      }
    }
  }

  /** swtpm's defaults: mode 0640 on creation, no locking. */
  public LinearFileStateStore(Path file) throws IOException {
    this(file, FileModes.DEFAULT_STATE_MODE, false, false);
  }

  /** Re-reads the file, so that changes by another writer are seen; formats an empty file. */
  private void refresh() throws IOException {
    long size = channel.size();
    if (size > Integer.MAX_VALUE - 16) {
      throw new StateStoreException("TPM state file " + file + " is too large");
    }
    byte[] img = new byte[(int) size];
    ByteBuffer buf = ByteBuffer.wrap(img);
    while (buf.hasRemaining() && channel.read(buf, buf.position()) >= 0) {
      // read fully
    }
    if (!LinearHeader.hasMagic(img)) {
      if (!allZero(img)) {
        throw new StateStoreException("TPM state file " + file + " is not a swtpm linear state file (no 'swtpmlin' magic); refusing to overwrite it");
      }
      header = LinearHeader.empty();
      image = new byte[LinearHeader.SIZE];
      header.writeTo(image);
      flushAll();
      return;
    }
    header = LinearHeader.parse(img, "TPM state file " + file);
    image = img;
  }

  private static boolean allZero(byte[] b) {
    for (byte x : b) {
      if (x != 0) {
        return false;
      }
    }
    return true;
  }

  @Override
  public String locationOf(String name) {
    return file + " (" + name + ")";
  }

  @Override
  public synchronized byte[] load(String name) throws IOException {
    int i = StateNames.indexOf(name);
    refresh();
    if (header.offset[i] == 0) {
      return null;
    }
    return Arrays.copyOfRange(image, header.offset[i], header.offset[i] + header.dataLength[i]);
  }

  @Override
  public synchronized void store(String name, byte[] blob) throws IOException {
    int i = StateNames.indexOf(name);
    refresh();
    boolean inPlace = header.offset[i] != 0 && blob.length <= header.sectionLength[i];
    if (!inPlace) {
      if (header.offset[i] != 0) {
        remove(i, false);
      }
      allocate(i, blob.length);
    }
    System.arraycopy(blob, 0, image, header.offset[i], blob.length);
    header.dataLength[i] = blob.length;
    header.writeTo(image);
    if (inPlace) {
      write(header.offset[i], blob.length);
      write(0, LinearHeader.SIZE);
      channel.force(true);
    } else {
      flushAll();
    }
  }

  @Override
  public synchronized void delete(String name) throws IOException {
    int i = StateNames.indexOf(name);
    refresh();
    if (header.offset[i] != 0) {
      remove(i, true);
      header.writeTo(image);
      flushAll();
    }
  }

  /** Places entry {@code i} at the end, in a power-of-two section; the image grows to fit. */
  private void allocate(int i, int length) {
    int at = header.end();
    int section = LinearHeader.sectionSizeFor(length);
    image = Arrays.copyOf(image, at + section);
    header.offset[i] = at;
    header.sectionLength[i] = section;
    header.dataLength[i] = 0;
  }

  /** Frees entry {@code i}, sliding later sections down; shrinks the image if {@code shrink}. */
  private void remove(int i, boolean shrink) {
    int off = header.offset[i];
    int sec = header.sectionLength[i];
    header.offset[i] = 0;
    header.dataLength[i] = 0;
    header.sectionLength[i] = 0;
    for (int j = 0; j < LinearHeader.ENTRIES; j++) {
      if (header.offset[j] > off) {
        header.offset[j] -= sec;
      }
    }
    int tail = off + sec;
    System.arraycopy(image, tail, image, off, image.length - tail);
    if (shrink) {
      image = Arrays.copyOf(image, image.length - sec);
    }
  }

  private void write(int offset, int length) throws IOException {
    ByteBuffer buf = ByteBuffer.wrap(image, offset, length);
    int pos = offset;
    while (buf.hasRemaining()) {
      pos += channel.write(buf, pos);
    }
  }

  private void flushAll() throws IOException {
    write(0, image.length);
    channel.truncate(image.length);
    channel.force(true);
  }

  @Override
  public synchronized boolean exists(String name) throws IOException {
    int i = StateNames.indexOf(name);
    refresh();
    return header.offset[i] != 0;
  }

  @Override
  public synchronized Map<String, Long> sizes() throws IOException {
    refresh();
    Map<String, Long> out = new LinkedHashMap<>();
    for (String name : StateNames.ALL) {
      int i = StateNames.indexOf(name);
      if (header.offset[i] != 0) {
        out.put(name, header.dataLength[i] & 0xffffffffL);
      }
    }
    return out;
  }

  @Override
  public synchronized void lock(int retries) throws IOException {
    if (!locking || lock != null) {
      return;
    }
    FileLock l = FileLocks.retry(retries, () -> FileLocks.tryLock(channel));
    if (l == null) {
      throw new StateLockedException("TPM state file " + file + " is locked by another process");
    }
    lock = l;
  }

  @Override
  public synchronized void unlock() {
    if (lock != null) {
      try {
        lock.release();
      } catch (IOException e) {
        // the lock goes with the descriptor at close at the latest
      }
      lock = null;
    }
  }

  @Override
  public synchronized void close() throws IOException {
    unlock();
    try {
      channel.close();
    } finally {
      FileLocks.release(file);
    }
  }

  @Override
  public String toString() {
    return "LinearFileStateStore[" + file + "]";
  }
}
