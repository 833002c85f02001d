package org.jswtpm.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * swtpm's directory backend ({@code --tpmstate dir=D}): one file per blob, named {@code
 * tpm2-00.permall} etc. (see {@link TpmFamily}).
 *
 * <p>A store writes {@code TMP2-00.<name>}, fsyncs it, renames it over the target and fsyncs the
 * directory, so a crash leaves the old or the new file whole. A stale temporary file from a crash
 * is ignored and overwritten by the next store. Files get exactly the configured mode (0640 by
 * default, libvirt asks for 0600). Symbolic links are refused, for blobs and for the lock file.
 * The lock is a POSIX write lock on {@code D/.lock}, as in swtpm, so it also excludes C swtpm.
 */
public final class DirectoryStateStore implements StateStore {
  /** The lock file's name inside the state directory. */
  public static final String LOCK_FILE = ".lock";

  private final Path dir;
  private final TpmFamily family;
  private final Set<PosixFilePermission> mode;
  private final boolean locking;
  private final boolean backup;
  private FileChannel lockChannel;
  private FileLock lock;

  /**
   * @param dir the state directory; must exist
   * @param family decides the file names
   * @param mode octal mode of new blob files, e.g. 0640 or 0600
   * @param locking whether {@link #lock} locks (swtpm's {@code lock} sub-option, on by default)
   * @param backup whether storing {@code permall} keeps the previous one as {@code <file>.bak}
   */
  public DirectoryStateStore(Path dir, TpmFamily family, int mode, boolean locking, boolean backup) throws StateStoreException {
    if (!Files.isDirectory(dir)) {
      throw new StateStoreException("TPM state directory " + dir + " does not exist or is not a directory");
    }
    this.dir = dir;
    this.family = family;
    this.mode = FileModes.toPermissions(mode);
    this.locking = locking;
    this.backup = backup;
  }

  /** A TPM 2 store with swtpm's defaults: mode 0640, locking on, no backup. */
  public DirectoryStateStore(Path dir) throws StateStoreException {
    this(dir, TpmFamily.TPM2, FileModes.DEFAULT_STATE_MODE, true, false);
  }

  /** The state directory. */
  public Path directory() {
    return dir;
  }

  private Path file(String name) {
    return dir.resolve(family.fileName(name));
  }

  @Override
  public String locationOf(String name) {
    return file(name).toString();
  }

  @Override
  public synchronized byte[] load(String name) throws IOException {
    Path f = file(name);
    try (SeekableByteChannel ch = Files.newByteChannel(f, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
      long size = ch.size();
      if (size > Integer.MAX_VALUE - 16) {
        throw new StateStoreException("state file " + f + " is too large (" + size + " bytes)");
      }
      ByteBuffer buf = ByteBuffer.allocate((int) size);
      while (buf.hasRemaining() && ch.read(buf) >= 0) {
        // read fully
      }
      if (buf.hasRemaining()) {
        throw new StateStoreException("state file " + f + " shrank while being read");
      }
      return buf.array();
    } catch (NoSuchFileException e) {
      return null;
    } catch (StateStoreException e) {
      throw e;
    } catch (IOException e) {
      throw refuse(f, e);
    }
  }

  @Override
  public synchronized void store(String name, byte[] blob) throws IOException {
    Path target = file(name);
    Path tmp = dir.resolve(family.tempFileName(name));
    try {
      writeDurably(tmp, blob);
      if (backup && name.equals(StateNames.PERMALL) && Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
        Path bak = dir.resolve(target.getFileName() + ".bak");
        Files.deleteIfExists(bak);
        Files.createLink(bak, target);
      }
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      syncDirectory();
    } catch (AtomicMoveNotSupportedException e) {
      throw new StateStoreException("cannot rename " + tmp + " atomically over " + target, e);
    } catch (StateStoreException e) {
      throw e;
    } catch (IOException e) {
      throw refuse(Files.isSymbolicLink(tmp) ? tmp : target, e);
    } finally {
      removeQuietly(tmp); // nothing left behind after a failure; already gone after success
    }
  }

  private static void removeQuietly(Path tmp) {
    try {
      Files.deleteIfExists(tmp);
    } catch (IOException e) {
      // a leftover temporary file is harmless: the next store replaces it
    }
  }

  private void writeDurably(Path tmp, byte[] blob) throws IOException {
    Files.deleteIfExists(tmp);
    try (FileChannel ch = FileChannel.open(tmp, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS),
        PosixFilePermissions.asFileAttribute(mode))) {
      Files.setPosixFilePermissions(tmp, mode); // exact mode, whatever the umask
      ByteBuffer buf = ByteBuffer.wrap(blob);
      while (buf.hasRemaining()) {
        ch.write(buf);
      }
      ch.force(true);
    }
  }

  private void syncDirectory() throws IOException {
    try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
      d.force(true);
    }
  }

  @Override
  public synchronized void delete(String name) throws IOException {
    if (Files.deleteIfExists(file(name))) {
      syncDirectory();
    }
  }

  @Override
  public synchronized boolean exists(String name) {
    return Files.exists(file(name), LinkOption.NOFOLLOW_LINKS);
  }

  @Override
  public synchronized Map<String, Long> sizes() throws IOException {
    Map<String, Long> out = new LinkedHashMap<>();
    for (String name : StateNames.ALL) {
      Path f = file(name);
      try {
        out.put(name, Files.readAttributes(f, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).size());
      } catch (NoSuchFileException e) {
        // not listed
      }
    }
    return out;
  }

  @Override
  public synchronized void lock(int retries) throws IOException {
    if (!locking || lock != null) {
      return;
    }
    Path lockFile = dir.resolve(LOCK_FILE);
    FileLock l = FileLocks.retry(retries, () -> tryLockOnce(lockFile));
    if (l == null) {
      throw new StateLockedException("TPM state directory " + dir + " is locked by another process (lock file " + lockFile + ")");
    }
    lock = l;
    lockChannel = (FileChannel) l.acquiredBy();
  }

  private FileLock tryLockOnce(Path lockFile) throws IOException {
    if (!FileLocks.claim(lockFile)) {
      return null;
    }
    FileChannel ch = null;
    try {
      ch = FileChannel.open(lockFile, Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING,
          LinkOption.NOFOLLOW_LINKS), PosixFilePermissions.asFileAttribute(FileModes.toPermissions(0660)));
      FileLock l = FileLocks.tryLock(ch);
      if (l != null) {
        return l;
      }
    } catch (IOException e) {
      FileLocks.release(lockFile);
      throw refuse(lockFile, e);
    }
    ch.close();
    FileLocks.release(lockFile);
    return null;
  }

  @Override
  public synchronized void unlock() {
    if (lockChannel != null) {
      try {
        lockChannel.close(); // releases the lock, as swtpm's close(lock_fd)
      } catch (IOException e) {
        // nothing useful to do; the lock is gone with the descriptor
      }
      FileLocks.release(dir.resolve(LOCK_FILE));
      lockChannel = null;
      lock = null;
    }
  }

  @Override
  public void close() {
    unlock();
  }

  private static StateStoreException refuse(Path f, IOException e) {
    if (Files.isSymbolicLink(f)) {
      return new StateStoreException("refusing to follow symbolic link " + f, e);
    }
    String reason = e instanceof FileSystemException ? ((FileSystemException) e).getReason() : e.getMessage();
    return new StateStoreException("cannot access " + f + ": " + reason, e);
  }

  @Override
  public String toString() {
    return "DirectoryStateStore[" + dir + "]";
  }
}
