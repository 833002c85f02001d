package org.jswtpm.swtpm.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.jswtpm.swtpm.interop.RawTpm.READ_CLOCK;
import static org.jswtpm.swtpm.interop.RawTpm.clock;
import static org.jswtpm.swtpm.interop.RawTpm.clockSet;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jswtpm.core.testing.ExternalTools;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code -r/--runas} and {@code -R/--chroot} on {@code bin/swtpm} as a separate process. Switching
 * users and changing the root need root: those tests are skipped for other users.
 */
@Timeout(180)
class ConfinementIT {
    private static final HexFormat HEX = HexFormat.of();
    private static final String GET_RANDOM_8 = "80010000000c0000017b0008";
    private static final String STARTUP_CLEAR = "80010000000c000001440000";

    @TempDir
    Path dir;
    private final List<Process> started = new ArrayList<>();

    @AfterEach
    void stopAll() throws Exception {
        for (Process p : started) {
            p.destroyForcibly();
            p.waitFor(20, TimeUnit.SECONDS);
        }
    }

    /** Skips the test unless it runs as root; opens the temporary directory (0700) to other users. */
    private void requireRoot() throws IOException {
        ExternalTools.requireRoot("switching users or the root directory");
        Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    /** A line of /proc/PID/status without its name, e.g. {@code Uid} → "65534\t65534\t65534\t65534". */
    private static String status(long pid, String field) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (line.startsWith(field + ":")) {
                return line.substring(field.length() + 1).trim();
            }
        }
        throw new IOException("no " + field + " in the status of " + pid);
    }

    /** nobody's uid and gid from /etc/passwd. */
    private static int[] nobody() throws IOException {
        for (String line : Files.readAllLines(Path.of("/etc/passwd"))) {
            String[] f = line.split(":");
            if (f[0].equals("nobody")) {
                return new int[] {Integer.parseInt(f[2]), Integer.parseInt(f[3])};
            }
        }
        ExternalTools.unavailable("no user nobody");
        return null;
    }

    private static void chownToNobody(Path path) throws IOException {
        UserPrincipalLookupService users = path.getFileSystem().getUserPrincipalLookupService();
        Files.setOwner(path, users.lookupPrincipalByName("nobody"));
    }

    private Process start(Path log, String... args) throws IOException {
        List<String> argv = new ArrayList<>(List.of(JswtpmProcess.launcher().toString()));
        argv.addAll(List.of(args));
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        started.add(p);
        return p;
    }

    /** Sends one raw command on a fresh connection to {@code port}, waiting for the port to open. */
    private static String command(int port, String hex, Process p, Path log) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 500);
                s.setSoTimeout(20_000);
                OutputStream out = s.getOutputStream();
                out.write(HEX.parseHex(hex));
                InputStream in = s.getInputStream();
                byte[] header = in.readNBytes(10);
                int size = ((header[2] & 0xff) << 24) | ((header[3] & 0xff) << 16) | ((header[4] & 0xff) << 8)
                        | (header[5] & 0xff);
                return HEX.formatHex(header) + HEX.formatHex(in.readNBytes(size - 10));
            } catch (IOException notYet) {
                if ((p != null && !p.isAlive()) || System.nanoTime() > deadline) {
                    throw new IllegalStateException("jswtpm does not serve: " + Files.readString(log), notYet);
                }
                Thread.sleep(50);
            }
        }
    }

    /** The content of {@code file} once the process has written it (the pid file follows the sockets). */
    static String awaitContent(Path file) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            if (Files.exists(file) && Files.size(file) > 0) {
                return Files.readString(file, StandardCharsets.US_ASCII);
            }
            Thread.sleep(20);
        }
        throw new IllegalStateException(file + " was not written");
    }

    private static int terminate(Process p) throws Exception {
        p.destroy();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        return p.exitValue();
    }

    @Test
    void runasNobodyChangesEveryIdAndServesAsThatUser() throws Exception {
        requireRoot();
        int[] nobody = nobody();
        Path state = Files.createDirectories(dir.resolve("state"));
        chownToNobody(state);
        Path log = dir.resolve("out.log");
        int port = JswtpmProcess.freePort();
        Process p = start(log, "socket", "--tpm2", "--server", "type=tcp,port=" + port, "--tpmstate",
                "dir=" + state, "--flags", "not-need-init,startup-clear", "--runas", "nobody",
                "--pid", "file=" + state.resolve("swtpm.pid"), "--log", "file=" + state.resolve("swtpm.log"));
        assertTrue(command(port, GET_RANDOM_8, p, log).startsWith("800100000014000000000008"));
        assertEquals(Long.toString(p.pid()), awaitContent(state.resolve("swtpm.pid")));
        String ids = nobody[0] + "\t" + nobody[0] + "\t" + nobody[0] + "\t" + nobody[0];
        assertEquals(ids, status(p.pid(), "Uid"), "real, effective, saved and fs uid");
        String gids = nobody[1] + "\t" + nobody[1] + "\t" + nobody[1] + "\t" + nobody[1];
        assertEquals(gids, status(p.pid(), "Gid"));
        assertFalse((" " + status(p.pid(), "Groups") + " ").contains(" 0 "), "root's group is gone (initgroups)");
        for (String file : new String[] {"tpm2-00.permall", "swtpm.pid", "swtpm.log", ".lock"}) {
            assertEquals("nobody", Files.getOwner(state.resolve(file)).getName(), file + " written as nobody");
        }
        terminate(p);
        assertFalse(Files.exists(state.resolve("swtpm.pid")), "nobody removed its pid file");
    }

    @Test
    void afterRunasTheLogStillGoesToARootOwnedInheritedDescriptor() throws Exception {
        requireRoot();
        Path state = Files.createDirectories(dir.resolve("state"));
        chownToNobody(state);
        Path rootLog = dir.resolve("root-only.log");
        Files.createFile(rootLog, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));
        Path log = dir.resolve("out.log");
        int port = JswtpmProcess.freePort();
        // nobody may not open root's 0600 file, but may write to the descriptor root opened for it
        String script = "exec 3>>\"$1\"; shift; exec \"$@\"";
        List<String> argv = new ArrayList<>(List.of("bash", "-c", script, "bash", rootLog.toString(),
                JswtpmProcess.launcher().toString(), "socket", "--tpm2", "--server", "type=tcp,port=" + port,
                "--tpmstate", "dir=" + state, "--flags", "not-need-init,startup-clear", "--runas", "nobody",
                "--log", "fd=3,level=20"));
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        started.add(p);
        assertTrue(command(port, GET_RANDOM_8, p, log).startsWith("800100000014000000000008"));
        assertTrue(status(p.pid(), "Uid").startsWith(nobody()[0] + "\t"));
        assertEquals("root", Files.getOwner(rootLog).getName());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (Files.size(rootLog) == 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertTrue(Files.readString(rootLog).contains("TPM command 0x17b"),
                "the GetRandom command is in the level-20 log: " + Files.readString(rootLog));
    }

    @Test
    void swtpmSetupRunasManufacturesAsThatUser() throws Exception {
        requireRoot();
        Path state = Files.createDirectories(dir.resolve("setup-state"));
        chownToNobody(state);
        Path setupLog = dir.resolve("setup.log");
        Path out = dir.resolve("out.log");
        Path setup = JswtpmProcess.launcher().resolveSibling("swtpm_setup");
        Process p = new ProcessBuilder(setup.toString(), "--runas", "nobody", "--tpm2", "--tpmstate",
                state.toString(), "--createek", "--logfile", setupLog.toString())
                .redirectErrorStream(true).redirectOutput(out.toFile()).start();
        started.add(p);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), Files.readString(out) + Files.readString(setupLog));
        assertEquals("nobody", Files.getOwner(state.resolve("tpm2-00.permall")).getName(), "state written as nobody");
        assertEquals("root", Files.getOwner(setupLog).getName(), "the log was created before the switch");
        assertTrue(Files.readString(setupLog).contains("Starting vTPM manufacturing as nobody:"),
                Files.readString(setupLog));

        Process unknown = new ProcessBuilder(setup.toString(), "--runas", "no-such-user-jswtpm", "--tpm2",
                "--tpmstate", state.toString(), "--createek", "--overwrite")
                .redirectErrorStream(true).redirectOutput(out.toFile()).start();
        started.add(unknown);
        assertTrue(unknown.waitFor(60, TimeUnit.SECONDS));
        assertEquals(1, unknown.exitValue());
        assertTrue(Files.readString(out).contains("Error: User 'no-such-user-jswtpm' does not exist."),
                Files.readString(out));
    }

    @Test
    void runasANumericUidTakesItAsTheGidToo() throws Exception {
        requireRoot();
        Path state = Files.createDirectories(dir.resolve("state"));
        Files.setOwner(state, state.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("4242"));
        Path log = dir.resolve("out.log");
        int port = JswtpmProcess.freePort();
        Process p = start(log, "socket", "--tpm2", "--server", "type=tcp,port=" + port, "--tpmstate",
                "dir=" + state, "--flags", "not-need-init", "-r", "4242");
        assertTrue(command(port, GET_RANDOM_8, p, log).startsWith("8001"));
        assertEquals("4242\t4242\t4242\t4242", status(p.pid(), "Uid"));
        assertEquals("4242\t4242\t4242\t4242", status(p.pid(), "Gid"));
    }

    @Test
    void theUserSwitchComesBeforeTheStateIsOpened() throws Exception {
        requireRoot();
        Path state = Files.createDirectories(dir.resolve("root-only"));
        Files.setPosixFilePermissions(state, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
        Path log = dir.resolve("out.log");
        Process p = start(log, "socket", "--tpm2", "--server", "type=tcp,port=" + JswtpmProcess.freePort(),
                "--tpmstate", "dir=" + state, "--flags", "not-need-init", "--runas", "nobody");
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(1, p.exitValue(), Files.readString(log));
        assertTrue(Files.list(state).findAny().isEmpty(), "nobody could not write into root's directory");
    }

    @Test
    void anUnknownUserFailsAtOnce() throws Exception {
        Path log = dir.resolve("out.log");
        Process p = start(log, "socket", "--tpm2", "-p", "1", "--tpmstate", "dir=" + dir, "--runas",
                "no-such-user-jswtpm");
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(1, p.exitValue());
        assertTrue(Files.readString(log).contains("Error: User 'no-such-user-jswtpm' does not exist."));
    }

    /**
     * The state, the log, the pid file, the key and the control socket are all named as paths inside the
     * chroot; the TPM serves over TCP, is stopped, started again on the same chroot and still has its
     * state.
     */
    @Test
    void chrootServesWithEverythingInsideAndKeepsTheState() throws Exception {
        requireRoot();
        Path root = Files.createDirectories(dir.resolve("jail"));
        Files.createDirectories(root.resolve("state"));
        Files.writeString(root.resolve("secret"), "vm secret");
        long set = 1L << 42;
        for (int round = 0; round < 2; round++) {
            Path log = dir.resolve("out" + round + ".log");
            int port = JswtpmProcess.freePort();
            Process p = start(log, "socket", "--tpm2", "--chroot", root.toString(), "--server",
                    "type=tcp,port=" + port, "--ctrl", "type=unixio,path=/ctrl.sock", "--tpmstate", "dir=/state",
                    "--key", "pwdfile=/secret,mode=aes-256-cbc", "--flags", "not-need-init,startup-clear",
                    "--log", "file=/swtpm.log,level=1", "--pid", "file=/swtpm.pid");
            if (round == 0) {
                assertEquals("80020000001300000000000000000000010000", command(port, clockSet(set), p, log));
            } else {
                assertTrue(clock(command(port, READ_CLOCK, p, log)) >= set, "the clock survived the restart");
            }
            assertEquals(root.toRealPath(), Files.readSymbolicLink(Path.of("/proc", Long.toString(p.pid()), "root")));
            assertEquals(Long.toString(p.pid()), awaitContent(root.resolve("swtpm.pid")));
            assertTrue(Files.exists(root.resolve("ctrl.sock")), "the control socket inside the chroot");
            assertEquals(143, terminate(p), Files.readString(log));
            assertTrue(Files.readString(root.resolve("swtpm.log")).contains("serving"), "the log inside the chroot");
            assertFalse(Files.exists(root.resolve("swtpm.pid")), "pid file removed inside the chroot");
        }
        byte[] permall = Files.readAllBytes(root.resolve("state/tpm2-00.permall"));
        assertEquals(0x09, permall[5], "encrypted with the 256-bit key read inside the chroot");
        Path log = dir.resolve("states.log");
        Process states = start(log, "socket", "--tpm2", "-R", root.toString(), "--print-states", "--tpmstate",
                "dir=/state");
        assertTrue(states.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, states.exitValue(), Files.readString(log));
        assertTrue(Files.readString(log).contains("{\"name\": \"permall\", \"size\": " + permall.length + "}"),
                "--print-states reads the state inside the chroot: " + Files.readString(log));
    }

    /** chroot, then runas with the user looked up in the chroot's own /etc/passwd, as a daemon. */
    @Test
    void chrootRunasAndDaemonTogether() throws Exception {
        requireRoot();
        int[] nobody = nobody();
        Path root = Files.createDirectories(dir.resolve("jail"));
        Files.createDirectories(root.resolve("etc"));
        Files.writeString(root.resolve("etc/passwd"), "root:x:0:0::/:/bin/false\ntpmuser:x:" + nobody[0] + ":"
                + nobody[1] + "::/:/bin/false\n");
        Files.writeString(root.resolve("etc/group"), "root:x:0:\ntpmgroup:x:" + nobody[1] + ":\n");
        Path state = Files.createDirectories(root.resolve("state"));
        chownToNobody(state);
        chownToNobody(root);
        Path log = dir.resolve("out.log");
        int port = JswtpmProcess.freePort();
        Process parent = start(log, "socket", "--tpm2", "-R", root.toString(), "-r", "tpmuser", "-d", "--server",
                "type=tcp,port=" + port, "--tpmstate", "dir=/state", "--flags", "not-need-init,startup-clear",
                "--pid", "file=/swtpm.pid");
        assertTrue(parent.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, parent.exitValue(), "the parent exits once the daemon serves: " + Files.readString(log));
        long daemon = Long.parseLong(Files.readString(root.resolve("swtpm.pid"), StandardCharsets.US_ASCII));
        try {
            assertTrue(command(port, STARTUP_CLEAR.replace("0144", "017b").substring(0, 20) + "0008", null, log)
                    .startsWith("800100000014"));
            assertEquals(nobody[0] + "\t" + nobody[0] + "\t" + nobody[0] + "\t" + nobody[0], status(daemon, "Uid"));
            assertEquals(root.toRealPath(), Files.readSymbolicLink(Path.of("/proc", Long.toString(daemon), "root")));
        } finally {
            ProcessHandle.of(daemon).ifPresent(ProcessHandle::destroy);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (ProcessHandle.of(daemon).map(ProcessHandle::isAlive).orElse(false)
                    && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
        }
        assertFalse(Files.exists(root.resolve("swtpm.pid")));
    }

    @Test
    void aChrootThatCannotBeEnteredFails() throws Exception {
        Path log = dir.resolve("out.log");
        Process p = start(log, "socket", "--tpm2", "-p", "1", "--tpmstate", "dir=/state", "--chroot",
                dir.resolve("missing").toString());
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(1, p.exitValue());
        assertTrue(Files.readString(log).contains("chroot failed"), Files.readString(log));
    }
}
