package org.jswtpm.libvirt;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The first entry of a vTPM state bundle, UTF-8 text, one item a line:
 *
 * <pre>
 * jswtpm-vtpm-state-bundle 1
 * domain &lt;uuid&gt;
 * owner &lt;user&gt; &lt;group&gt;
 * files &lt;n&gt;
 * file &lt;size&gt; &lt;sha-256 hex&gt; &lt;name&gt;     (n lines)
 * end
 * </pre>
 */
record BundleManifest(UUID domain, String owner, String group, List<Entry> files) {
    static final String MAGIC = "jswtpm-vtpm-state-bundle 1";
    static final int MAX_FILES = 64;
    static final long MAX_FILE_BYTES = 16L << 20;
    /** A state file's name: what swtpm writes ({@code tpm2-00.permall}…), nothing that walks paths. */
    static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
    /** A user or group name. */
    private static final Pattern PRINCIPAL = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._-]{0,63}");
    private static final HexFormat HEX = HexFormat.of();

    /** One state file: its name in the {@code tpm2} directory, its length and its SHA-256. */
    record Entry(String name, long size, byte[] sha256) {
    }

    BundleManifest {
        files = List.copyOf(files);
    }

    byte[] encode() {
        StringBuilder b = new StringBuilder(MAGIC).append('\n');
        b.append("domain ").append(domain).append('\n');
        b.append("owner ").append(owner).append(' ').append(group).append('\n');
        b.append("files ").append(files.size()).append('\n');
        for (Entry e : files) {
            b.append("file ").append(e.size()).append(' ').append(HEX.formatHex(e.sha256())).append(' ')
                    .append(e.name()).append('\n');
        }
        return b.append("end\n").toString().getBytes(StandardCharsets.UTF_8);
    }

    static BundleManifest decode(byte[] bytes) throws BundleFormatException {
        String[] lines = new String(bytes, StandardCharsets.UTF_8).split("\n", -1);
        if (lines.length < 5 || !lines[0].equals(MAGIC)) {
            throw new BundleFormatException("not a jswtpm vTPM state bundle (manifest does not start with '"
                    + MAGIC + "')");
        }
        UUID domain = parseUuid(field(lines[1], "domain", 1)[0]);
        String[] owner = field(lines[2], "owner", 2);
        for (String p : owner) {
            require(PRINCIPAL.matcher(p).matches(), "bad owner in manifest: " + VtpmRequestException.quote(p));
        }
        int n = parseCount(field(lines[3], "files", 1)[0]);
        require(lines.length == 4 + n + 2 && lines[4 + n].equals("end") && lines[5 + n].isEmpty(),
                "manifest lists " + n + " files but its lines do not match (truncated or edited?)");
        List<Entry> files = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (int i = 0; i < n; i++) {
            Entry e = parseEntry(field(lines[4 + i], "file", 3));
            require(names.add(e.name()), "file " + e.name() + " listed twice in manifest");
            files.add(e);
        }
        return new BundleManifest(domain, owner[0], owner[1], files);
    }

    private static Entry parseEntry(String[] f) throws BundleFormatException {
        long size;
        try {
            size = Long.parseLong(f[0]);
        } catch (NumberFormatException e) {
            throw new BundleFormatException("bad file size in manifest: " + VtpmRequestException.quote(f[0]));
        }
        require(size >= 0 && size <= MAX_FILE_BYTES, "file size out of range in manifest: " + size);
        require(f[1].matches("[0-9a-f]{64}"), "bad SHA-256 in manifest: " + VtpmRequestException.quote(f[1]));
        require(NAME.matcher(f[2]).matches(), "bad file name in manifest: " + VtpmRequestException.quote(f[2]));
        return new Entry(f[2], size, HEX.parseHex(f[1]));
    }

    /** The {@code count} space-separated values after {@code keyword}. */
    private static String[] field(String line, String keyword, int count) throws BundleFormatException {
        String[] parts = line.split(" ", -1);
        require(parts.length == count + 1 && parts[0].equals(keyword),
                "manifest line " + VtpmRequestException.quote(line) + " is not '" + keyword + "' with " + count
                        + " value(s)");
        String[] values = new String[count];
        System.arraycopy(parts, 1, values, 0, count);
        return values;
    }

    private static UUID parseUuid(String s) throws BundleFormatException {
        try {
            UUID u = UUID.fromString(s);
            require(u.toString().equals(s), "bad domain UUID in manifest: " + VtpmRequestException.quote(s));
            return u;
        } catch (IllegalArgumentException e) {
            throw new BundleFormatException("bad domain UUID in manifest: " + VtpmRequestException.quote(s));
        }
    }

    private static int parseCount(String s) throws BundleFormatException {
        try {
            int n = Integer.parseInt(s);
            require(n >= 0 && n <= MAX_FILES, "file count out of range in manifest: " + n);
            return n;
        } catch (NumberFormatException e) {
            throw new BundleFormatException("bad file count in manifest: " + VtpmRequestException.quote(s));
        }
    }

    static void require(boolean condition, String message) throws BundleFormatException {
        if (!condition) {
            throw new BundleFormatException(message);
        }
    }
}
