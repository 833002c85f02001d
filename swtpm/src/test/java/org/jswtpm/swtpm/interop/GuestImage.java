package org.jswtpm.swtpm.interop;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;

/**
 * The tiny initramfs {@link GuestBootIT} and {@link LibvirtIT} boot, built at test time: the host's static busybox with its
 * applet links, the kernel's TPM modules if it has them as modules, and the {@code /init} script of the
 * test resources, written as a gzip-compressed {@code newc} cpio archive.
 */
final class GuestImage {
    static final Path BUSYBOX = Path.of("/bin/busybox");
    private static final String[] TPM_MODULES = {"tpm", "tpm_tis_core", "tpm_tis", "tpm_crb"};

    private GuestImage() {
    }

    /** The newest {@code /boot/vmlinuz-*}, or null. */
    static Path kernel() throws IOException {
        Path boot = Path.of("/boot");
        if (!Files.isDirectory(boot)) {
            return null;
        }
        try (var files = Files.list(boot)) {
            return files.filter(p -> p.getFileName().toString().startsWith("vmlinuz-") && Files.isReadable(p))
                    .max((a, b) -> a.getFileName().toString().compareTo(b.getFileName().toString())).orElse(null);
        }
    }

    /**
     * The guest's kernel, the newest readable {@code /boot/vmlinuz-*}, once a static busybox for its
     * initramfs is there too; skips the calling test (fails it under {@code jswtpm.requireTools}) otherwise.
     */
    static Path requireKernelAndBusybox() throws IOException {
        Path kernel = kernel();
        if (kernel == null) {
            org.jswtpm.core.testing.ExternalTools.unavailable(
                    "no readable /boot/vmlinuz-* (Debian: linux-image-cloud-amd64, see .ci/run)");
        }
        if (!isStatic(BUSYBOX)) {
            org.jswtpm.core.testing.ExternalTools.unavailable(
                    "no static /bin/busybox (Debian: busybox-static, see .ci/run)");
        }
        return kernel;
    }

    /** Whether {@code file} is an ELF executable without a program interpreter (statically linked). */
    static boolean isStatic(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            return false;
        }
        byte[] elf = Files.readAllBytes(file);
        if (elf.length < 64 || elf[0] != 0x7f || elf[1] != 'E' || elf[2] != 'L' || elf[3] != 'F' || elf[4] != 2) {
            return false;
        }
        long phoff = le(elf, 32, 8);
        int phentsize = (int) le(elf, 54, 2);
        int phnum = (int) le(elf, 56, 2);
        for (int i = 0; i < phnum; i++) {
            if (le(elf, (int) phoff + i * phentsize, 4) == 3) { // PT_INTERP
                return false;
            }
        }
        return true;
    }

    private static long le(byte[] b, int off, int n) {
        long v = 0;
        for (int i = n - 1; i >= 0; i--) {
            v = (v << 8) | (b[off + i] & 0xff);
        }
        return v;
    }

    /** Builds the initramfs for {@code kernel} into {@code dir} with {@code /guest/init}; returns its path. */
    static Path build(Path dir, Path kernel) throws Exception {
        return build(dir, kernel, "/guest/init");
    }

    /** Builds the initramfs for {@code kernel} into {@code dir} with the {@code init} test resource as /init. */
    static Path build(Path dir, Path kernel, String init) throws Exception {
        Path out = dir.resolve("initrd.gz");
        try (OutputStream file = Files.newOutputStream(out); GZIPOutputStream gz = new GZIPOutputStream(file)) {
            Cpio cpio = new Cpio(gz);
            for (String d : new String[] {"bin", "sbin", "dev", "proc", "sys", "tmp", "modules"}) {
                cpio.dir(d);
            }
            cpio.charDevice("dev/console", 5, 1);
            cpio.file("bin/busybox", 0755, Files.readAllBytes(BUSYBOX));
            for (String applet : applets()) {
                if (!applet.equals("busybox")) {
                    cpio.symlink("bin/" + applet, "busybox");
                }
            }
            try (InputStream script = GuestImage.class.getResourceAsStream(init)) {
                cpio.file("init", 0755, script.readAllBytes());
            }
            String version = kernel.getFileName().toString().substring("vmlinuz-".length());
            Path tpmDir = Path.of("/lib/modules", version, "kernel", "drivers", "char", "tpm");
            for (String m : TPM_MODULES) {
                byte[] module = module(tpmDir, m);
                if (module != null) {
                    cpio.file("modules/" + m + ".ko", 0644, module);
                }
            }
            cpio.trailer();
        }
        return out;
    }

    /** The module {@code name} under {@code tpmDir} (decompressed), or null if it is built in. */
    private static byte[] module(Path tpmDir, String name) throws Exception {
        Path ko = tpmDir.resolve(name + ".ko");
        if (Files.isRegularFile(ko)) {
            return Files.readAllBytes(ko);
        }
        for (String[] c : new String[][] {{".ko.xz", "xz"}, {".ko.zst", "zstd"}, {".ko.gz", "gzip"}}) {
            Path packed = tpmDir.resolve(name + c[0]);
            if (Files.isRegularFile(packed)) {
                return run(c[1], "-dc", packed.toString());
            }
        }
        return null;
    }

    private static List<String> applets() throws Exception {
        List<String> names = new ArrayList<>();
        for (String line : new String(run(BUSYBOX.toString(), "--list"), StandardCharsets.US_ASCII).split("\n")) {
            if (!line.isBlank()) {
                names.add(line.trim());
            }
        }
        return names;
    }

    private static byte[] run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException(String.join(" ", cmd) + " failed");
        }
        return out;
    }

    /** A writer of the {@code newc} ("070701") cpio format. */
    private static final class Cpio {
        private final OutputStream out;
        private long written;
        private int ino = 1;

        Cpio(OutputStream out) {
            this.out = out;
        }

        void dir(String name) throws IOException {
            entry(name, 040755, 2, 0, 0, new byte[0]);
        }

        void file(String name, int perm, byte[] data) throws IOException {
            entry(name, 0100000 | perm, 1, 0, 0, data);
        }

        void symlink(String name, String target) throws IOException {
            entry(name, 0120777, 1, 0, 0, target.getBytes(StandardCharsets.US_ASCII));
        }

        void charDevice(String name, int major, int minor) throws IOException {
            entry(name, 020600, 1, major, minor, new byte[0]);
        }

        void trailer() throws IOException {
            ino = 0;
            entry("TRAILER!!!", 0, 1, 0, 0, new byte[0]);
        }

        private void entry(String name, int mode, int nlink, int rdevMajor, int rdevMinor, byte[] data)
                throws IOException {
            byte[] nameBytes = (name + "\0").getBytes(StandardCharsets.US_ASCII);
            StringBuilder h = new StringBuilder("070701");
            for (long v : new long[] {ino == 0 ? 0 : ino++, mode, 0, 0, nlink, 0, data.length, 0, 0,
                    rdevMajor, rdevMinor, nameBytes.length, 0}) {
                h.append(String.format("%08x", v));
            }
            write(h.toString().getBytes(StandardCharsets.US_ASCII));
            write(nameBytes);
            pad();
            write(data);
            pad();
        }

        private void write(byte[] b) throws IOException {
            out.write(b);
            written += b.length;
        }

        private void pad() throws IOException {
            while (written % 4 != 0) {
                write(new byte[1]);
            }
        }
    }
}
