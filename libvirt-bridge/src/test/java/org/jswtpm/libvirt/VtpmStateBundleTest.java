package org.jswtpm.libvirt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipalNotFoundException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VtpmStateBundleTest {
    private static final UUID DOMAIN = UUID.fromString("5c1e7a02-8a3b-4f5e-9c6d-1b2a3c4d5e77");
    private static final byte[] PERMALL = bytes(6236, 7);
    private static final byte[] VOLATILE = bytes(9116, 11);

    @TempDir
    Path tmp;
    private VtpmStatePaths source;
    private VtpmStatePaths dest;

    @BeforeEach
    void state() throws IOException {
        source = new VtpmStatePaths(tmp.resolve("a"));
        dest = new VtpmStatePaths(tmp.resolve("b"));
        Path dir = Files.createDirectories(source.tpm2Dir(DOMAIN));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        Files.write(dir.resolve("tpm2-00.permall"), PERMALL);
        Files.write(dir.resolve("tpm2-00.volatilestate"), VOLATILE);
        Files.write(dir.resolve(".lock"), new byte[0]);
    }

    private byte[] export() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new VtpmStateBundle(source).export(DOMAIN, out);
        return out.toByteArray();
    }

    private Path importInto(byte[] bundle) throws IOException {
        return new VtpmStateBundle(dest).importBundle(DOMAIN, new ByteArrayInputStream(bundle));
    }

    @Test
    void roundTrip() throws IOException {
        Path dir = importInto(export());
        assertEquals(dest.tpm2Dir(DOMAIN), dir);
        assertArrayEquals(PERMALL, Files.readAllBytes(dir.resolve("tpm2-00.permall")));
        assertArrayEquals(VOLATILE, Files.readAllBytes(dir.resolve("tpm2-00.volatilestate")));
        assertEquals(List.of("tpm2-00.permall", "tpm2-00.volatilestate"), names(dir), ".lock is not carried");
        assertEquals("rwx------", mode(dir));
        assertEquals("rw-------", mode(dir.resolve("tpm2-00.permall")));
        assertEquals("rw-------", mode(dir.resolve("tpm2-00.volatilestate")));
        assertEquals("rwx--x--x", mode(dest.domainDir(DOMAIN)));
        assertEquals(List.of("tpm2"), names(dest.domainDir(DOMAIN)), "no temporary directory left");
    }

    @Test
    void bundleLayoutAndManifest() throws IOException {
        List<String> names = new ArrayList<>();
        String manifest = null;
        try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(export()))) {
            for (ZipEntry e; (e = zip.getNextEntry()) != null;) {
                names.add(e.getName());
                byte[] data = zip.readAllBytes();
                if (e.getName().equals("MANIFEST")) {
                    manifest = new String(data, StandardCharsets.UTF_8);
                }
            }
        }
        assertEquals(List.of("MANIFEST", "tpm2/tpm2-00.permall", "tpm2/tpm2-00.volatilestate"), names);
        PosixFileAttributes a = Files.readAttributes(source.tpm2Dir(DOMAIN), PosixFileAttributes.class);
        assertEquals("jswtpm-vtpm-state-bundle 1\ndomain " + DOMAIN + "\nowner " + a.owner().getName() + " "
                + a.group().getName() + "\nfiles 2\nfile 6236 " + sha(PERMALL) + " tpm2-00.permall\nfile 9116 "
                + sha(VOLATILE) + " tpm2-00.volatilestate\nend\n", manifest);
    }

    @Test
    void ownerIsCarried() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(isRoot(), "chown needs root");
        try {
            tmp.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("tss");
        } catch (UserPrincipalNotFoundException e) {
            org.junit.jupiter.api.Assumptions.abort("no tss user here");
        }
        Path src = source.tpm2Dir(DOMAIN);
        for (Path p : List.of(src, src.resolve("tpm2-00.permall"), src.resolve("tpm2-00.volatilestate"))) {
            Files.setOwner(p, tmp.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("tss"));
        }
        Path dir = importInto(export());
        for (Path p : List.of(dir, dir.resolve("tpm2-00.permall"), dir.resolve("tpm2-00.volatilestate"))) {
            assertEquals("tss", Files.getOwner(p, LinkOption.NOFOLLOW_LINKS).getName(), p.toString());
        }
    }

    @Test
    void exportWithoutStateFails() {
        assertThrows(NoSuchFileException.class, () -> new VtpmStateBundle(source).export(UUID.randomUUID(),
                new ByteArrayOutputStream()));
    }

    @Test
    void exportRefusesSubdirectoriesAndLinks() throws IOException {
        Path dir = source.tpm2Dir(DOMAIN);
        Files.createDirectory(dir.resolve("sub"));
        IOException e = assertThrows(IOException.class, this::export);
        assertTrue(e.getMessage().contains("unexpected entry"), e.getMessage());
        Files.delete(dir.resolve("sub"));
        Files.createSymbolicLink(dir.resolve("tpm2-00.savestate"), Path.of("/etc/passwd"));
        assertThrows(IOException.class, this::export);
    }

    @Test
    void exportRefusesStateInUse() throws IOException {
        try (FileChannel ch = FileChannel.open(source.tpm2Dir(DOMAIN).resolve(".lock"), StandardOpenOption.WRITE);
                FileLock held = ch.lock()) {
            IOException e = assertThrows(IOException.class, this::export);
            assertTrue(e.getMessage().contains("in use"), e.getMessage());
        }
    }

    @Test
    void exportToAFile() throws IOException {
        Path bundle = tmp.resolve("state.zip");
        new VtpmStateBundle(source).export(DOMAIN, bundle);
        Path dir = new VtpmStateBundle(dest).importBundle(DOMAIN, bundle);
        assertArrayEquals(PERMALL, Files.readAllBytes(dir.resolve("tpm2-00.permall")));
        assertEquals(List.of("a", "b", "state.zip"), names(tmp), "no temporary bundle left");
    }

    @Test
    void aDomainDirectoryThatExistedStays() throws IOException {
        Files.createDirectories(dest.domainDir(DOMAIN));
        BundleFormatException e = assertThrows(BundleFormatException.class, () -> importInto(new byte[10]));
        assertTrue(e.getMessage().contains("MANIFEST"), e.getMessage());
        assertEquals(List.of(), names(dest.domainDir(DOMAIN)), "no temporary directory left");
        assertTrue(importInto(export()).startsWith(dest.domainDir(DOMAIN)));
    }

    @Test
    void importNeverOverwrites() throws IOException {
        Files.createDirectories(dest.tpm2Dir(DOMAIN));
        assertThrows(FileAlreadyExistsException.class, () -> importInto(export()));
    }

    @Test
    void importForAnotherDomainIsRefused() throws IOException {
        byte[] bundle = export();
        BundleFormatException e = assertThrows(BundleFormatException.class,
                () -> new VtpmStateBundle(dest).importBundle(UUID.randomUUID(), new ByteArrayInputStream(bundle)));
        assertTrue(e.getMessage().contains("of domain " + DOMAIN), e.getMessage());
        assertNothingImported();
    }

    @Test
    void everyTruncationIsRefused() throws IOException {
        byte[] bundle = export();
        // short of the central directory the archive's entries are all there; cut anywhere before it
        int entriesEnd = indexOfCentralDirectory(bundle);
        for (int cut = 0; cut < entriesEnd; cut += 97) {
            byte[] truncated = java.util.Arrays.copyOf(bundle, cut);
            assertThrows(BundleFormatException.class, () -> importInto(truncated), "cut at " + cut);
            assertNothingImported();
        }
    }

    @Test
    void everyCorruptedByteIsRefusedOrHarmless() throws IOException {
        // a flipped bit in file data or the manifest is refused; one in ZIP header metadata (a time stamp)
        // may pass, but then the state imported is exactly the original
        byte[] bundle = export();
        int entriesEnd = indexOfCentralDirectory(bundle);
        int refused = 0;
        for (int i = 0; i < entriesEnd; i += 29) {
            byte[] bad = bundle.clone();
            bad[i] ^= 0x5a;
            try {
                Path dir = importInto(bad);
                assertArrayEquals(PERMALL, Files.readAllBytes(dir.resolve("tpm2-00.permall")), "byte " + i);
                assertArrayEquals(VOLATILE, Files.readAllBytes(dir.resolve("tpm2-00.volatilestate")), "byte " + i);
                deleteTree(dest.root());
            } catch (BundleFormatException e) {
                refused++;
                assertNothingImported();
            }
        }
        assertTrue(refused > entriesEnd / 29 * 9 / 10, refused + " of " + entriesEnd / 29 + " refused");
    }

    @Test
    void notABundle() {
        assertRefused(new byte[0], "does not start with its MANIFEST");
        assertRefused("hello".getBytes(StandardCharsets.US_ASCII), "does not start with its MANIFEST");
        assertRefused(zip(Map.of("tpm2/tpm2-00.permall", PERMALL)), "does not start with its MANIFEST");
        assertRefused(zip(entries("MANIFEST", "something else\n".getBytes(StandardCharsets.UTF_8))),
                "not a jswtpm vTPM state bundle");
    }

    @Test
    void fileContentNotMatchingTheManifest() {
        byte[] other = PERMALL.clone();
        other[100] ^= 1;
        assertRefused(zip(entries("MANIFEST", manifest(entry("tpm2-00.permall", PERMALL)),
                "tpm2/tpm2-00.permall", other)), "does not match its SHA-256");
    }

    @Test
    void fileLengthNotMatchingTheManifest() {
        byte[] shorter = java.util.Arrays.copyOf(PERMALL, 100);
        assertRefused(zip(entries("MANIFEST", manifest(entry("tpm2-00.permall", PERMALL)),
                "tpm2/tpm2-00.permall", shorter)), "has 100 bytes, the manifest says 6236");
        assertRefused(zip(entries("MANIFEST", manifest(entry("tpm2-00.permall", shorter)),
                "tpm2/tpm2-00.permall", PERMALL)), "longer than the manifest allows");
    }

    @Test
    void missingExtraOrMisnamedEntries() {
        byte[] m = manifest(entry("tpm2-00.permall", PERMALL), entry("tpm2-00.volatilestate", VOLATILE));
        assertRefused(zip(entries("MANIFEST", m, "tpm2/tpm2-00.permall", PERMALL)), "ends before");
        assertRefused(zip(entries("MANIFEST", m, "tpm2/tpm2-00.permall", PERMALL, "tpm2/tpm2-00.volatilestate",
                VOLATILE, "tpm2/extra", new byte[1])), "does not list");
        assertRefused(zip(entries("MANIFEST", m, "tpm2/tpm2-00.volatilestate", VOLATILE, "tpm2/tpm2-00.permall",
                PERMALL)), "where the manifest lists tpm2/tpm2-00.permall");
    }

    @Test
    void pathsThatWalkOutAreRefused() {
        for (String name : List.of("../evil", "..", ".", "a/b", "/etc/passwd", ".lock", "-x")) {
            assertRefused(zip(entries("MANIFEST", manifest(entry(name, PERMALL)), "tpm2/" + name, PERMALL)),
                    "bad file name in manifest");
        }
        assertRefused(zip(entries("MANIFEST", manifest(entry("x\ny", PERMALL)), "tpm2/x\ny", PERMALL)),
                "lines do not match");
        assertRefused(zip(entries("MANIFEST", manifest(entry("x y", PERMALL)), "tpm2/x y", PERMALL)),
                "is not 'file' with 3 value(s)");
        assertFalse(Files.exists(tmp.resolve("b").resolve("evil")));
        assertFalse(Files.exists(tmp.resolve("evil")));
    }

    @Test
    void malformedManifests() {
        String sha = sha(PERMALL);
        String head = "jswtpm-vtpm-state-bundle 1\ndomain " + DOMAIN + "\nowner root root\n";
        Map<String, String> cases = Map.of(
                head + "files 2\nfile 6236 " + sha + " tpm2-00.permall\nend\n", "lines do not match",
                head + "files 1\nfile 6236 " + sha + " tpm2-00.permall\n", "lines do not match",
                head + "files x\nend\n", "bad file count",
                head + "files 99999\nend\n", "file count out of range",
                head + "files 1\nfile -1 " + sha + " tpm2-00.permall\nend\n", "file size out of range",
                head + "files 1\nfile 6236 " + sha.toUpperCase() + " tpm2-00.permall\nend\n", "bad SHA-256",
                head + "files 2\nfile 6236 " + sha + " a\nfile 6236 " + sha + " a\nend\n", "listed twice",
                "jswtpm-vtpm-state-bundle 1\ndomain nope\nowner root root\nfiles 0\nend\n", "bad domain UUID",
                "jswtpm-vtpm-state-bundle 1\ndomain " + DOMAIN + "\nowner root\nfiles 0\nend\n", "'owner' with 2",
                "jswtpm-vtpm-state-bundle 1\ndomain " + DOMAIN + "\nowner ../x root\nfiles 0\nend\n", "bad owner");
        cases.forEach((manifest, message) -> assertRefused(
                zip(entries("MANIFEST", manifest.getBytes(StandardCharsets.UTF_8))), message));
    }

    @Test
    void unknownOwnerIsRefusedAsRoot() {
        org.junit.jupiter.api.Assumptions.assumeTrue(isRoot(), "only root gives files away");
        String m = "jswtpm-vtpm-state-bundle 1\ndomain " + DOMAIN + "\nowner no-such-user-jswtpm root\nfiles 1\nfile "
                + PERMALL.length + " " + sha(PERMALL) + " tpm2-00.permall\nend\n";
        IOException e = assertThrows(IOException.class, () -> importInto(zip(entries("MANIFEST",
                m.getBytes(StandardCharsets.UTF_8), "tpm2/tpm2-00.permall", PERMALL))));
        assertTrue(e.getMessage().contains("does not exist on this host"), e.getMessage());
        assertNothingImported();
    }

    @Test
    void anEmptyStateIsABundleToo() throws IOException {
        for (Path p : List.of("tpm2-00.permall", "tpm2-00.volatilestate").stream()
                .map(source.tpm2Dir(DOMAIN)::resolve).toList()) {
            Files.delete(p);
        }
        Path dir = importInto(export());
        assertEquals(List.of(), names(dir));
    }

    private void assertRefused(byte[] bundle, String message) {
        BundleFormatException e = assertThrows(BundleFormatException.class, () -> importInto(bundle));
        assertTrue(e.getMessage().contains(message), "'" + e.getMessage() + "' mentions '" + message + "'");
        assertNothingImported();
    }

    private void assertNothingImported() {
        assertFalse(Files.exists(dest.domainDir(DOMAIN)), "no domain directory, no temporary directory left");
    }

    private static int indexOfCentralDirectory(byte[] zip) {
        for (int i = zip.length - 4; i >= 0; i--) {
            if (zip[i] == 'P' && zip[i + 1] == 'K' && zip[i + 2] == 1 && zip[i + 3] == 2) {
                while (i >= 4 && zip[i - 4] == 'P' && zip[i - 3] == 'K' && zip[i - 2] == 1 && zip[i - 1] == 2) {
                    i -= 4;
                }
                // the first central directory header: search back to the first "PK\1\2"
                int first = i;
                for (int j = 0; j < i; j++) {
                    if (zip[j] == 'P' && zip[j + 1] == 'K' && zip[j + 2] == 1 && zip[j + 3] == 2) {
                        first = j;
                        break;
                    }
                }
                return first;
            }
        }
        throw new AssertionError("no central directory");
    }

    private static String entry(String name, byte[] data) {
        return "file " + data.length + " " + sha(data) + " " + name + "\n";
    }

    private static byte[] manifest(String... files) {
        StringBuilder b = new StringBuilder("jswtpm-vtpm-state-bundle 1\ndomain " + DOMAIN + "\nowner root root\nfiles "
                + files.length + "\n");
        for (String f : files) {
            b.append(f);
        }
        return b.append("end\n").toString().getBytes(StandardCharsets.UTF_8);
    }

    private static List<Map.Entry<String, byte[]>> entries(Object... nameData) {
        List<Map.Entry<String, byte[]>> out = new ArrayList<>();
        for (int i = 0; i < nameData.length; i += 2) {
            out.add(Map.entry((String) nameData[i], (byte[]) nameData[i + 1]));
        }
        return out;
    }

    private static byte[] zip(Map<String, byte[]> entries) {
        return zip(new ArrayList<>(entries.entrySet()));
    }

    private static byte[] zip(List<Map.Entry<String, byte[]>> entries) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (ZipOutputStream zip = new ZipOutputStream(out)) {
                for (Map.Entry<String, byte[]> e : entries) {
                    zip.putNextEntry(new ZipEntry(e.getKey()));
                    zip.write(e.getValue());
                    zip.closeEntry();
                }
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static List<String> names(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private static String mode(Path p) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS));
    }

    private static String sha(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    private static byte[] bytes(int n, int seed) {
        byte[] b = new byte[n];
        new java.util.Random(seed).nextBytes(b);
        return b;
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    private static boolean isRoot() {
        try {
            return Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
        } catch (IOException e) {
            return false;
        }
    }
}
