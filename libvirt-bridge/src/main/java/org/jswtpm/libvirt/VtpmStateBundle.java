package org.jswtpm.libvirt;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.nio.file.attribute.UserPrincipalNotFoundException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * A domain's persistent vTPM state as one archive, for cold migration and backups: a ZIP whose first
 * entry is a {@link BundleManifest} (domain UUID, owner, and each file's length and SHA-256) followed by
 * the files of {@code <root>/<uuid>/tpm2} as {@code tpm2/<name>}. The files travel as they are on disk:
 * with {@code <encryption>} swtpm has already encrypted them with the {@code vtpm} secret, which the
 * bundle does not carry (define the same secret value on the destination).
 *
 * <p>Export reads a shut-off domain's state: it refuses while an swtpm holds the state's {@code .lock},
 * which it leaves out of the bundle. Import verifies everything before anything becomes visible: the
 * files are written into a temporary directory next to {@code tpm2}, each checked against the manifest,
 * fsynced, given mode 0600 (0700 for the directory) and the manifest's owner, then renamed to {@code tpm2}
 * in one step. A malformed, truncated or corrupted bundle leaves nothing behind.
 */
public final class VtpmStateBundle {
    static final String MANIFEST = "MANIFEST";
    static final String FILE_PREFIX = "tpm2/";
    static final String LOCK_FILE = ".lock";
    private static final int MAX_MANIFEST_BYTES = 64 << 10;

    private final VtpmStatePaths paths;

    public VtpmStateBundle(VtpmStatePaths paths) {
        this.paths = paths;
    }

    /**
     * Writes the state of {@code domain} to {@code out} as a bundle ({@code out} is not closed).
     *
     * @throws NoSuchFileException when the domain has no {@code tpm2} directory
     * @throws IOException when the state is in use, holds something other than regular files, or a file
     *     cannot be read
     */
    public void export(UUID domain, OutputStream out) throws IOException {
        Path dir = paths.tpm2Dir(domain);
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            throw new NoSuchFileException(dir.toString(), null, "no vTPM state directory");
        }
        requireNotInUse(dir);
        List<Path> files = stateFiles(dir);
        List<BundleManifest.Entry> entries = new ArrayList<>();
        List<byte[]> contents = new ArrayList<>();
        for (Path f : files) {
            byte[] data = readBounded(f);
            contents.add(data);
            entries.add(new BundleManifest.Entry(f.getFileName().toString(), data.length, sha256(data)));
        }
        PosixFileAttributes attrs = Files.readAttributes(dir, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        BundleManifest manifest = new BundleManifest(domain, attrs.owner().getName(), attrs.group().getName(),
                entries);
        ZipOutputStream zip = new ZipOutputStream(out);
        zip.putNextEntry(new ZipEntry(MANIFEST));
        zip.write(manifest.encode());
        zip.closeEntry();
        for (int i = 0; i < files.size(); i++) {
            zip.putNextEntry(new ZipEntry(FILE_PREFIX + entries.get(i).name()));
            zip.write(contents.get(i));
            zip.closeEntry();
        }
        zip.finish();
        out.flush();
    }

    /** {@link #export(UUID, OutputStream)} into {@code bundle}, written through a temporary file, fsynced. */
    public void export(UUID domain, Path bundle) throws IOException {
        Path tmp = Files.createTempFile(bundle.toAbsolutePath().getParent(), ".bundle-", ".tmp");
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE);
                    OutputStream out = java.nio.channels.Channels.newOutputStream(ch)) {
                export(domain, out);
                ch.force(true);
            }
            Files.move(tmp, bundle, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * Restores the state of {@code domain} from {@code in} into {@code <root>/<uuid>/tpm2}, which must not
     * exist (libvirt then starts the domain on this state without running swtpm_setup).
     *
     * @return the new {@code tpm2} directory
     * @throws BundleFormatException when the bundle is malformed, truncated, corrupted or for another
     *     domain; nothing was written
     * @throws FileAlreadyExistsException when the domain already has a {@code tpm2} directory
     */
    public Path importBundle(UUID domain, InputStream in) throws IOException {
        Path target = paths.tpm2Dir(domain);
        if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            throw new FileAlreadyExistsException(target.toString(), null,
                    "the domain already has vTPM state; remove it first");
        }
        Path domainDir = paths.domainDir(domain);
        boolean createdDomainDir = !Files.isDirectory(domainDir);
        if (createdDomainDir) {
            Files.createDirectories(domainDir);
            Files.setPosixFilePermissions(domainDir, PosixFilePermissions.fromString("rwx--x--x"));
        }
        Path tmp = Files.createTempDirectory(domainDir, ".tpm2-import-");
        boolean done = false;
        try {
            BundleManifest manifest = unpack(new ZipInputStream(in), tmp);
            BundleManifest.require(manifest.domain().equals(domain), "the bundle holds the vTPM state of domain "
                    + manifest.domain() + ", not " + domain);
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwx------"));
            applyOwner(tmp, manifest);
            fsync(tmp);
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            fsync(domainDir);
            done = true;
            return target;
        } finally {
            deleteTree(tmp);
            if (!done && createdDomainDir) {
                Files.deleteIfExists(domainDir);
            }
        }
    }

    /** {@link #importBundle(UUID, InputStream)} from the file {@code bundle}. */
    public Path importBundle(UUID domain, Path bundle) throws IOException {
        try (InputStream in = Files.newInputStream(bundle)) {
            return importBundle(domain, in);
        }
    }

    /** Reads the manifest, then every listed file into {@code dir}, checking each; returns the manifest. */
    private static BundleManifest unpack(ZipInputStream zip, Path dir) throws IOException {
        try {
            ZipEntry first = zip.getNextEntry();
            BundleManifest.require(first != null && first.getName().equals(MANIFEST),
                    "the bundle does not start with its " + MANIFEST + " (not a bundle, or empty)");
            BundleManifest manifest = BundleManifest.decode(readEntry(zip, MAX_MANIFEST_BYTES, MANIFEST));
            for (BundleManifest.Entry expected : manifest.files()) {
                ZipEntry e = zip.getNextEntry();
                String name = FILE_PREFIX + expected.name();
                BundleManifest.require(e != null, "the bundle ends before " + name + " (truncated)");
                BundleManifest.require(e.getName().equals(name), "the bundle has "
                        + VtpmRequestException.quote(e.getName()) + " where the manifest lists " + name);
                byte[] data = readEntry(zip, expected.size(), name);
                BundleManifest.require(data.length == expected.size(),
                        name + " has " + data.length + " bytes, the manifest says " + expected.size());
                BundleManifest.require(MessageDigest.isEqual(sha256(data), expected.sha256()),
                        name + " does not match its SHA-256 in the manifest (corrupted)");
                writeNew(dir.resolve(expected.name()), data);
            }
            ZipEntry extra = zip.getNextEntry();
            BundleManifest.require(extra == null, "the bundle has an entry the manifest does not list: "
                    + (extra == null ? "" : VtpmRequestException.quote(extra.getName())));
            return manifest;
        } catch (java.util.zip.ZipException | java.io.EOFException | IllegalArgumentException e) {
            throw new BundleFormatException("the bundle is not a readable archive (truncated or corrupted): "
                    + e.getMessage(), e);
        }
    }

    /** The entry's bytes; more than {@code max} is an error. */
    private static byte[] readEntry(ZipInputStream zip, long max, String name) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        for (int n; (n = zip.read(buf)) > 0;) {
            out.write(buf, 0, n);
            BundleManifest.require(out.size() <= max, name + " is longer than the manifest allows (" + max + ")");
        }
        return out.toByteArray();
    }

    private static void writeNew(Path file, byte[] data) throws IOException {
        try (FileChannel ch = FileChannel.open(file, java.util.Set.of(StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(
                        "rw-------")))) {
            ByteBuffer b = ByteBuffer.wrap(data);
            while (b.hasRemaining()) {
                ch.write(b);
            }
            ch.force(true);
        }
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    }

    /**
     * Gives {@code dir} and its files the manifest's owner. As root that owner must exist here; another
     * user cannot give files away, so they stay the importer's.
     */
    private static void applyOwner(Path dir, BundleManifest manifest) throws IOException {
        if (!isRoot()) {
            return;
        }
        UserPrincipalLookupService lookup = dir.getFileSystem().getUserPrincipalLookupService();
        UserPrincipal user;
        GroupPrincipal group;
        try {
            user = lookup.lookupPrincipalByName(manifest.owner());
            group = lookup.lookupPrincipalByGroupName(manifest.group());
        } catch (UserPrincipalNotFoundException e) {
            throw new IOException("the bundle's owner " + manifest.owner() + ":" + manifest.group()
                    + " does not exist on this host (libvirt's swtpm user, qemu.conf swtpm_user/swtpm_group)", e);
        }
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                chown(p, user, group);
            }
        }
        chown(dir, user, group);
    }

    private static void chown(Path p, UserPrincipal user, GroupPrincipal group) throws IOException {
        PosixFileAttributeView view = Files.getFileAttributeView(p, PosixFileAttributeView.class,
                LinkOption.NOFOLLOW_LINKS);
        view.setOwner(user);
        view.setGroup(group);
    }

    /** The regular files of {@code dir} but {@code .lock}, by name; anything else is refused. */
    private static List<Path> stateFiles(Path dir) throws IOException {
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
                String name = p.getFileName().toString();
                if (name.equals(LOCK_FILE)) {
                    continue;
                }
                if (!Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)
                        || !BundleManifest.NAME.matcher(name).matches()) {
                    throw new IOException("unexpected entry in the vTPM state directory: " + p);
                }
                files.add(p);
            }
        }
        if (files.size() > BundleManifest.MAX_FILES) {
            throw new IOException(dir + " holds " + files.size() + " files, more than a vTPM state has");
        }
        files.sort(Comparator.comparing(p -> p.getFileName().toString()));
        return files;
    }

    private static byte[] readBounded(Path f) throws IOException {
        if (Files.size(f) > BundleManifest.MAX_FILE_BYTES) {
            throw new IOException(f + " is larger than " + BundleManifest.MAX_FILE_BYTES + " bytes");
        }
        return Files.readAllBytes(f);
    }

    /** Refuses when another process (an swtpm) holds the POSIX lock on the state's {@code .lock}. */
    private static void requireNotInUse(Path dir) throws IOException {
        Path lock = dir.resolve(LOCK_FILE);
        if (!Files.isRegularFile(lock, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (FileChannel ch = FileChannel.open(lock, StandardOpenOption.WRITE)) {
            FileLock held = ch.tryLock();
            if (held == null) {
                throw new IOException("the vTPM state in " + dir + " is in use (an swtpm holds " + LOCK_FILE
                        + "); shut the domain off first");
            }
            held.release();
        } catch (OverlappingFileLockException e) {
            throw new IOException("the vTPM state in " + dir + " is in use by this JVM", e);
        }
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    private static void fsync(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }

    private static boolean isRoot() {
        try {
            return Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
