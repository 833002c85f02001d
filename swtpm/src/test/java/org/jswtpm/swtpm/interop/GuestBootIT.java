package org.jswtpm.swtpm.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jswtpm.core.testing.ExternalTools;
import org.jswtpm.swtpm.Qmp;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * End to end: QEMU under TCG boots the host's Linux kernel with a tiny initramfs ({@link GuestImage},
 * {@code /init} from the test resources) on a {@code bin/swtpm} started with libvirt's argv, once with
 * {@code tpm-tis} and once with {@code tpm-crb}. In the guest the kernel probes a TPM 2.0 and {@code /init}
 * sends TPM2_GetRandom, TPM2_PCR_Read and TPM2_PCR_Extend of PCR 16 through {@code /dev/tpmrm0}; the
 * responses, printed on the serial console, are checked here. The migration test then saves the running
 * guest to a file and restores it into a new QEMU on a new {@code bin/swtpm} with an empty state
 * directory, where PCR 16 is still extended and the TPM still answers.
 */
class GuestBootIT {
    /** The digest {@code /init} extends PCR 16 with. */
    private static final String EXTEND_DIGEST = "0123456789abcdef".repeat(4);
    private static final long BOOT_SECONDS = 150;
    private static final Pattern TPM_LINE = Pattern.compile("GUEST-TPM ([a-z-]+): ([0-9a-f]*)");

    @TempDir
    Path dir;
    private final List<Process> processes = new ArrayList<>();
    private String qemu;
    private Path kernel;
    private Path initrd;

    @BeforeEach
    void prerequisites() throws Exception {
        qemu = ExternalTools.require("qemu-system-x86_64");
        kernel = GuestImage.requireKernelAndBusybox();
        initrd = GuestImage.build(dir, kernel);
    }


    @AfterEach
    void stop() throws InterruptedException {
        for (Process p : processes) {
            if (p.isAlive()) {
                p.destroyForcibly();
                p.waitFor();
            }
        }
    }

    @Test
    @Timeout(200)
    void tpmTis() throws Exception {
        bootAndCheck("tpm-tis");
    }

    @Test
    @Timeout(200)
    void tpmCrb() throws Exception {
        bootAndCheck("tpm-crb");
    }

    private void bootAndCheck(String device) throws Exception {
        Side side = new Side(dir.resolve(device));
        SerialConsole guest = side.boot(device, false, null);
        String console = guest.await("GUEST-DONE");
        assertTrue(guest.qemu.waitFor(30, TimeUnit.SECONDS), "guest powers off");
        checkFirstBoot(console);
        assertTrue(side.swtpm.waitFor(30, TimeUnit.SECONDS), "--terminate ends bin/swtpm: " + side.log());
        assertEquals(0, side.swtpm.exitValue(), side.log());
    }

    /** Asserts the kernel's TPM 2.0 and the responses {@code /init} printed; returns PCR 16 after the extend. */
    private static String checkFirstBoot(String console) throws Exception {
        assertTrue(console.contains("GUEST-TPM-VERSION-MAJOR: 2"), "the kernel probed a TPM 2.0:\n" + console);
        checkGetRandom(response(console, "getrandom"));
        String before = pcr16(response(console, "pcrread-before"));
        String extend = response(console, "extend");
        assertEquals("8002" + "00000013" + "00000000" + "00000000" + "0000" + "01" + "0000", extend,
                "TPM2_PCR_Extend succeeded");
        String after = pcr16(response(console, "pcrread-after"));
        assertEquals(extended(before, EXTEND_DIGEST), after, "PCR 16 = SHA-256(old || digest)");
        return after;
    }

    private static void checkGetRandom(String rsp) {
        assertTrue(rsp.matches("8001" + "0000001c" + "00000000" + "0010" + "[0-9a-f]{32}"),
                "TPM2_GetRandom returned 16 bytes: " + rsp);
    }

    private static String extended(String old, String digest) throws Exception {
        MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
        sha256.update(HexFormat.of().parseHex(old));
        sha256.update(HexFormat.of().parseHex(digest));
        return HexFormat.of().formatHex(sha256.digest());
    }

    /** The sha256 PCR 16 value of a TPM2_PCR_Read response. */
    private static String pcr16(String rsp) {
        String head = "8001" + "0000003e" + "00000000";
        String selection = "00000001" + "000b" + "03" + "000001" + "00000001" + "0020";
        assertTrue(rsp.length() == 2 * 62 && rsp.startsWith(head) && rsp.substring(28).startsWith(selection),
                "TPM2_PCR_Read of sha256 PCR 16: " + rsp);
        return rsp.substring(rsp.length() - 64);
    }

    private static String response(String console, String name) {
        Matcher m = TPM_LINE.matcher(console);
        while (m.find()) {
            if (m.group(1).equals(name)) {
                return m.group(2);
            }
        }
        fail("no response '" + name + "' on the serial console:\n" + console);
        return null;
    }

    /**
     * {@code virsh save} / {@code virsh restore} of a running guest: QEMU A is stopped when {@code /init}
     * waits, migrated to a file and quits; QEMU B is started with {@code -incoming} on a new
     * {@code bin/swtpm} with an empty state directory, continued, and told to go on.
     */
    @Test
    @Timeout(300)
    void migrationToAFileAndRestore() throws Exception {
        Path image = dir.resolve("vm.mig");
        Side a = new Side(dir.resolve("a"));
        SerialConsole guestA = a.boot("tpm-crb", true, null);
        String consoleA = guestA.await("GUEST-READY-TO-MIGRATE");
        String pcrAfter = checkFirstBoot(consoleA);
        assertNotEquals("00".repeat(32), pcrAfter, "a fresh TPM's PCR 16 differs");
        try (Qmp monitor = Qmp.connect(a.dir.resolve("qmp"), guestA.qemu)) {
            monitor.execute("stop", null);
            monitor.execute("migrate", "{\"uri\": \"exec:cat > " + image + "\"}");
            monitor.awaitMigration();
            monitor.execute("quit", null);
        }
        assertTrue(guestA.qemu.waitFor(30, TimeUnit.SECONDS), "QEMU A quits");
        assertTrue(a.swtpm.waitFor(30, TimeUnit.SECONDS), "bin/swtpm A ends: " + a.log());

        Side b = new Side(dir.resolve("b"));
        try (var files = Files.list(b.state)) {
            assertEquals(0, files.count(), "B starts on an empty state directory");
        }
        SerialConsole guestB = b.boot("tpm-crb", true, "exec:cat " + image);
        try (Qmp monitor = Qmp.connect(b.dir.resolve("qmp"), guestB.qemu)) {
            monitor.awaitMigration();
            monitor.execute("cont", null);
        }
        guestB.type("go\n");
        String consoleB = guestB.await("GUEST-DONE");
        assertTrue(guestB.qemu.waitFor(30, TimeUnit.SECONDS), "restored guest powers off");
        assertEquals(pcrAfter, pcr16(response(consoleB, "pcrread-restored")),
                "PCR 16 still extended in the restored guest");
        checkGetRandom(response(consoleB, "getrandom-restored"));
        assertTrue(b.swtpm.waitFor(30, TimeUnit.SECONDS), "bin/swtpm B ends: " + b.log());
        assertTrue(b.log().contains("Control command 0x0d"), "SET_STATEBLOB on B: " + b.log());
    }

    /** One host: bin/swtpm with libvirt's argv on an empty state directory. */
    private final class Side {
        final Path dir;
        final Path state;
        final Path sock;
        final Process swtpm;

        Side(Path dir) throws Exception {
            this.dir = Files.createDirectories(dir);
            this.state = Files.createDirectories(dir.resolve("tpm2"));
            this.sock = dir.resolve("swtpm.sock");
            // libvirt 9.0's argv for a domain without <encryption>
            swtpm = new ProcessBuilder(JswtpmProcess.launcher().toString(), "socket",
                    "--ctrl", "type=unixio,path=" + sock + ",mode=0600",
                    "--tpmstate", "dir=" + state + ",mode=0600",
                    "--log", "file=" + dir.resolve("log") + ",level=20",
                    "--terminate", "--tpm2")
                    .redirectErrorStream(true).redirectOutput(dir.resolve("swtpm.out").toFile()).start();
            processes.add(swtpm);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (!Files.exists(sock)) {
                assertTrue(swtpm.isAlive() && System.nanoTime() < deadline,
                        "no control socket: " + Files.readString(dir.resolve("swtpm.out")));
                Thread.sleep(5);
            }
        }

        SerialConsole boot(String device, boolean migrate, String incoming) throws IOException {
            List<String> cmd = new ArrayList<>(List.of(qemu, "-machine", "q35", "-accel", "tcg", "-m", "256",
                    "-display", "none", "-nodefaults", "-no-reboot", "-monitor", "none", "-serial", "stdio",
                    "-kernel", kernel.toString(), "-initrd", initrd.toString(),
                    "-append", "console=ttyS0 panic=-1 quiet" + (migrate ? " migrate" : ""),
                    "-chardev", "socket,id=chrtpm,path=" + sock,
                    "-tpmdev", "emulator,id=tpm0,chardev=chrtpm", "-device", device + ",tpmdev=tpm0"));
            if (migrate) {
                cmd.addAll(List.of("-qmp", "unix:" + dir.resolve("qmp") + ",server=on,wait=off"));
            }
            if (incoming != null) {
                cmd.addAll(List.of("-incoming", incoming));
            }
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            processes.add(p);
            return new SerialConsole(p, BOOT_SECONDS);
        }

        String log() throws IOException {
            Path log = dir.resolve("log");
            return (Files.exists(log) ? Files.readString(log) : "") + Files.readString(dir.resolve("swtpm.out"));
        }
    }
}
