package org.jswtpm.swtpm.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * {@code virtlogd} and {@code libvirtd} started by the test, without systemd, the way an operator runs
 * jswtpm under libvirt: {@code libvirtd -d} with jswtpm's {@code bin/} first on its PATH (libvirt finds
 * {@code swtpm}, {@code swtpm_setup} and {@code swtpm_ioctl} there and hands the daemon's environment to
 * them). A libvirtd already running (e.g. left by an interrupted run) cannot be told a new PATH, so it is
 * stopped first; only processes whose {@code /proc/<pid>/comm} is {@code libvirtd} are touched. On
 * {@link #close()} the libvirtd started here is stopped, and virtlogd too if this started it.
 *
 * <p>Public, in swtpm's test-jar, for the other modules' ITs (libvirt-bridge's {@code LibvirtBridgeIT}).
 */
public final class LibvirtDaemons implements AutoCloseable {
    public static final String URI = "qemu:///system";
    private static final long TIMEOUT_SECONDS = 60;

    private final Path bin;
    private final Path work;
    private long libvirtd = -1;
    private long virtlogd = -1;

    private LibvirtDaemons(Path bin, Path work) {
        this.bin = bin;
        this.work = work;
    }

    /** Starts virtlogd (unless one runs) and a fresh libvirtd whose PATH begins with {@code bin}. */
    public static LibvirtDaemons start(Path bin, Path work) throws Exception {
        LibvirtDaemons d = new LibvirtDaemons(bin, work);
        try {
            d.startDaemons();
        } catch (Exception | AssertionError e) {
            d.close();
            throw e;
        }
        return d;
    }

    private void startDaemons() throws Exception {
        for (long pid : pidsNamed("libvirtd")) {
            System.out.println("LibvirtIT: stopping libvirtd " + pid + " (PATH " + pathOf(pid) + ")");
            stop(pid);
        }
        if (pidsNamed("virtlogd").isEmpty()) {
            daemonize("virtlogd", List.of("virtlogd", "-d"), null);
            virtlogd = single("virtlogd");
        }
        String path = bin + ":" + System.getenv().getOrDefault("PATH", "/usr/sbin:/usr/bin:/sbin:/bin");
        daemonize("libvirtd", List.of("libvirtd", "-d"), path);
        libvirtd = single("libvirtd");
        assertTrue(pathOf(libvirtd).startsWith(bin + ":"), "libvirtd's PATH begins with " + bin);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (run("virsh", "-c", URI, "version").exitCode != 0) {
            assertTrue(System.nanoTime() < deadline, "libvirtd answers on " + URI + ": " + log());
            Thread.sleep(100);
        }
    }

    private void daemonize(String name, List<String> argv, String path) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(argv).redirectErrorStream(true)
                .redirectOutput(work.resolve(name + ".out").toFile()).directory(Path.of("/").toFile());
        if (path != null) {
            pb.environment().put("PATH", path);
            // warnings and errors of the daemon, for the messages of failed assertions
            pb.environment().put("LIBVIRT_LOG_OUTPUTS", "3:file:" + work.resolve(name + ".log"));
        }
        Process p = pb.start();
        assertTrue(p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS), name + " -d returns");
        assertEquals(0, p.exitValue(), name + " -d: " + Files.readString(work.resolve(name + ".out")));
    }

    /** The daemon's warnings and errors so far. */
    public String log() throws IOException {
        Path log = work.resolve("libvirtd.log");
        return Files.exists(log) ? Files.readString(log) : "(no libvirtd log)";
    }

    /** {@code virsh -c qemu:///system args...}, which must succeed; returns its standard output. */
    public String virsh(String... args) throws Exception {
        Result r = virshMayFail(args);
        if (r.exitCode != 0) {
            fail("virsh " + String.join(" ", args) + " failed: " + r.output + "\nlibvirtd log:\n" + tail(log()));
        }
        return r.output;
    }

    /** {@code virsh -c qemu:///system args...}, whatever its outcome. */
    public Result virshMayFail(String... args) throws Exception {
        List<String> argv = new ArrayList<>(List.of("virsh", "-c", URI));
        argv.addAll(List.of(args));
        return run(argv.toArray(String[]::new));
    }

    private static String tail(String text) {
        return text.length() <= 4000 ? text : text.substring(text.length() - 4000);
    }

    /** Output and exit code of a program. */
    public record Result(int exitCode, String output) {
    }

    public static Result run(String... argv) throws Exception {
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail(String.join(" ", argv) + " did not finish in " + TIMEOUT_SECONDS + " s: " + out);
        }
        return new Result(p.exitValue(), out);
    }

    @Override
    public void close() throws Exception {
        if (libvirtd > 0) {
            stop(libvirtd);
            libvirtd = -1;
        }
        if (virtlogd > 0) {
            stop(virtlogd);
            virtlogd = -1;
        }
    }

    /** Sends SIGTERM and waits for the process to end (SIGKILL after 20 s). */
    private static void stop(long pid) throws Exception {
        Optional<ProcessHandle> h = ProcessHandle.of(pid);
        if (h.isEmpty()) {
            return;
        }
        h.get().destroy();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (h.get().isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        if (h.get().isAlive()) {
            h.get().destroyForcibly();
        }
    }

    private static long single(String name) throws IOException {
        List<Long> pids = pidsNamed(name);
        assertEquals(1, pids.size(), "one " + name + " process runs: " + pids);
        return pids.get(0);
    }

    /** The processes whose command name ({@code /proc/<pid>/comm}) is {@code name}. */
    static List<Long> pidsNamed(String name) throws IOException {
        List<Long> pids = new ArrayList<>();
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path proc : (Iterable<Path>) procs::iterator) {
                String pid = proc.getFileName().toString();
                if (!pid.chars().allMatch(Character::isDigit)) {
                    continue;
                }
                try {
                    if (Files.readString(proc.resolve("comm")).strip().equals(name)
                            && !Files.readString(proc.resolve("stat")).contains(") Z ")) {
                        pids.add(Long.parseLong(pid));
                    }
                } catch (IOException gone) {
                    // the process ended meanwhile
                }
            }
        }
        return pids;
    }

    /** PATH in the environment of process {@code pid}, or "" if it has none. */
    static String pathOf(long pid) throws IOException {
        String environ = new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "environ")),
                StandardCharsets.UTF_8);
        for (String entry : environ.split("\0")) {
            if (entry.startsWith("PATH=")) {
                return entry.substring(5);
            }
        }
        return "";
    }
}
