package org.jswtpm.swtpm;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Set;
import org.jswtpm.core.StateKind;
import org.jswtpm.core.StateSink;

/**
 * A stop-gap state store until the {@code state-store} module is ready: keeps each state blob in the
 * directory under swtpm's file name ({@code tpm2-00.permall}, ...), written through on every change.
 * A write goes to a temporary file in the same directory, is fsynced, renamed over the target, and the
 * directory is fsynced, so a crash leaves either the old or the new blob. The directory is locked with
 * {@code .lock} for the life of the process, so a second process on it fails at once.
 *
 * <p>Blobs are jswtpm's own format (not swtpm's TLV files); nothing is encrypted yet.
 */
public final class StateDirectory implements StateSink, AutoCloseable {
    private final Path dir;
    private final Set<PosixFilePermission> fileMode;
    private FileChannel lockChannel;
    private FileLock lock;

    /** A store in {@code dir} whose files get permission bits {@code mode} (e.g. 0640). */
    public StateDirectory(Path dir, int mode) {
        this.dir = dir;
        this.fileMode = permissions(mode);
    }

    /** The file a blob of {@code kind} lives in. */
    public Path fileOf(StateKind kind) {
        return dir.resolve("tpm2-00." + kind.swtpmName());
    }

    /**
     * Takes the directory's lock ({@code D/.lock}, a POSIX record lock, as swtpm takes it).
     *
     * @throws IOException if the directory is missing or another process holds the lock
     */
    public void lock() throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new IOException("State directory " + dir + " does not exist");
        }
        Path lockFile = dir.resolve(".lock");
        lockChannel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        try {
            lock = lockChannel.tryLock();
        } catch (java.nio.channels.OverlappingFileLockException e) {
            lock = null;
        }
        if (lock == null) {
            lockChannel.close();
            lockChannel = null;
            throw new IOException("Could not lock access to lock file " + lockFile
                    + ": another process is using the state directory");
        }
    }

    /** The stored blob of {@code kind}, or null if there is none. */
    public byte[] load(StateKind kind) throws IOException {
        try {
            return Files.readAllBytes(fileOf(kind));
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    /**
     * swtpm's {@code --print-states} JSON (without a trailing newline): the blobs that exist, with their
     * sizes on disk, e.g. {@code { "type": "swtpm", "states": [ {"name": "permall", "size": 465} ] }}.
     */
    public String statesJson() throws IOException {
        StringBuilder states = new StringBuilder();
        for (StateKind kind : StateKind.values()) {
            Path file = fileOf(kind);
            if (Files.exists(file)) {
                states.append(states.length() > 0 ? "," : "").append(" {\"name\": \"").append(kind.swtpmName())
                        .append("\", \"size\": ").append(Files.size(file)).append('}');
            }
        }
        return "{ \"type\": \"swtpm\", \"states\": [" + states + (states.length() > 0 ? " " : "") + "] }";
    }

    /** Removes the stored blob of {@code kind} if there is one. */
    public void delete(StateKind kind) throws IOException {
        Files.deleteIfExists(fileOf(kind));
        syncDirectory();
    }

    /** Stores {@code blob} as the new state of {@code kind}; an empty blob deletes it. */
    @Override
    public void stateChanged(StateKind kind, byte[] blob) throws IOException {
        if (blob.length == 0) {
            delete(kind);
            return;
        }
        Path target = fileOf(kind);
        Path temp = dir.resolve("TMP2-00." + kind.swtpmName());
        Files.deleteIfExists(temp);
        try (FileChannel out = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            setMode(temp);
            ByteBuffer data = ByteBuffer.wrap(blob);
            while (data.hasRemaining()) {
                out.write(data);
            }
            out.force(true);
        } catch (FileAlreadyExistsException e) {
            throw new IOException("Temporary state file " + temp + " appeared while writing", e);
        }
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        syncDirectory();
    }

    private void setMode(Path file) throws IOException {
        try {
            Files.setPosixFilePermissions(file, fileMode);
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: keep the default permissions
        }
    }

    private void syncDirectory() throws IOException {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException e) {
            // some file systems cannot open or sync a directory; the rename is still atomic
        }
    }

    /** The volatile-state file as the control channel uses it (STORE_VOLATILE, INIT). */
    public VolatileStateFile volatileFile() {
        return new VolatileStateFile() {
            @Override
            public void store(byte[] blob) throws IOException {
                if (blob != null) {
                    stateChanged(StateKind.VOLATILE, blob);
                }
            }

            @Override
            public byte[] load() throws IOException {
                return StateDirectory.this.load(StateKind.VOLATILE);
            }

            @Override
            public void delete() throws IOException {
                StateDirectory.this.delete(StateKind.VOLATILE);
            }
        };
    }

    /** Releases the lock (the lock file stays, as with swtpm). */
    @Override
    public void close() throws IOException {
        if (lockChannel != null) {
            lockChannel.close();
            lockChannel = null;
            lock = null;
        }
    }

    /** True while this process holds the directory's lock. */
    public boolean isLocked() {
        return lock != null && lock.isValid();
    }

    static Set<PosixFilePermission> permissions(int mode) {
        Set<PosixFilePermission> set = EnumSet.noneOf(PosixFilePermission.class);
        PosixFilePermission[] order = {
            PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_READ,
            PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_READ,
            PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_READ};
        for (int bit = 0; bit < 9; bit++) {
            if ((mode & (1 << bit)) != 0) {
                set.add(order[bit]);
            }
        }
        return set;
    }
}
