package org.jswtpm.swtpm.interop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.jswtpm.swtpm.interop.RawTpm.indexOf;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPublicKey;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.jswtpm.core.testing.ExternalTools;
import org.jswtpm.store.KeyLoader;
import org.jswtpm.store.KeyOption;
import org.jswtpm.store.StateNames;
import org.jswtpm.store.StateStore;
import org.jswtpm.store.StateStores;
import org.jswtpm.store.TpmFamily;
import org.jswtpm.store.TpmStateOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * jswtpm as libvirt's swtpm, end to end, the way an operator sets it up (docs/user-guide.md, "Using jswtpm
 * with libvirt"): {@code swtpm/scripts/install.sh} copies the launchers and jars to a world-readable
 * directory, {@link LibvirtDaemons} starts virtlogd and a libvirtd with that {@code bin/} first on its
 * PATH, and a domain with {@code <tpm model='tpm-crb'><backend type='emulator' version='2.0'>} and
 * {@code <encryption secret=…/>} (a {@code vtpm} secret) boots the host's kernel under TCG with a busybox
 * initramfs whose {@code /init} ({@code guest/libvirt-init}) talks to {@code /dev/tpmrm0} and reports on
 * the serial console. libvirt runs swtpm_setup and swtpm as {@code tss}, QEMU as {@code libvirt-qemu}.
 *
 * <p>One guest boot serves several checks: swtpm_setup manufactured the TPM (the EK certificate read by
 * the guest from NV verifies against the local CA and carries the EK's public key); the state on disk is
 * ours, owned by tss, mode 0600, and encrypted (a marker the guest wrote into NV and the EK certificate
 * are absent from every state file, while the same file decrypted with the secret holds both); {@code virsh
 * save} / {@code virsh restore} continue the same boot with PCR 16 and the marker intact. Then QEMU fails
 * after libvirt started swtpm (an invalid {@code <qemu:commandline>} argument): libvirt stops the emulator
 * with the {@code swtpm_ioctl --unix <socket> -s} it finds on its PATH (jswtpm's, run as root against
 * the socket owned by libvirt-qemu), and the state stays as it was. A second boot, with the device model
 * changed to {@code tpm-tis} and {@code <active_pcr_banks>} changed, shows the new banks and the same NV
 * contents and EK certificate through the guest's tpm_tis driver. Finally {@code undefine --tpm} removes
 * the state.
 */
class LibvirtIT {
    private static final Path WORK = Path.of("/tmp/jswtpm-libvirt-it");
    private static final String DOMAIN = "jswtpm-libvirt-it";
    private static final String DOMAIN_UUID = "5c1e7a02-8a3b-4f5e-9c6d-1b2a3c4d5e01";
    private static final String SECRET_UUID = "5c1e7a02-8a3b-4f5e-9c6d-1b2a3c4d5e02";
    private static final Path TPM_STATE = Path.of("/var/lib/libvirt/swtpm", DOMAIN_UUID, "tpm2");
    private static final Path SWTPM_LOG = Path.of("/var/log/swtpm/libvirt/qemu", DOMAIN + "-swtpm.log");
    private static final Path QEMU_LOG = Path.of("/var/log/libvirt/qemu", DOMAIN + ".log");
    /** An argument QEMU rejects while parsing its command line, i.e. before it connects to swtpm. */
    private static final String BAD_QEMU_ARG = "-jswtpm-no-such-option";
    private static final Path PID_DIR = Path.of("/run/libvirt/qemu/swtpm");
    private static final long BOOT_SECONDS = 120;
    private static final Pattern TPM_LINE = Pattern.compile("GUEST-TPM ([a-z0-9-]+): ([0-9a-z-]*)");
    private static final Pattern LOOP_LINE =
            Pattern.compile("GUEST-LOOP \\d+ ([0-9a-f-]+) ([0-9a-f]+) ([0-9a-f]+)\\r?\\n");
    private static final Pattern READY = Pattern.compile("GUEST-READY\\r?\\n");
    private static final HexFormat HEX = HexFormat.of();

    private LibvirtDaemons libvirt;
    private Path kernel;
    private Path initrd;
    private final Path console = WORK.resolve("console.log");
    private final Path secretFile = WORK.resolve("secret");
    private byte[] marker;
    /** The length of the swtpm log (libvirt never deletes it) before this run. */
    private long logMark;

    @BeforeEach
    void prepare() throws Exception {
        for (String tool : new String[] {"libvirtd", "virtlogd", "virsh", "qemu-system-x86_64", "setpriv"}) {
            ExternalTools.require(tool);
        }
        ExternalTools.requireRoot("the libvirt test starts libvirtd and");
        Path hostKernel = GuestImage.requireKernelAndBusybox();
        // libvirt's tss and libvirt-qemu users read everything under WORK: 0755 all the way
        deleteTree(WORK);
        Files.createDirectories(WORK);
        Files.setPosixFilePermissions(WORK, PosixFilePermissions.fromString("rwxr-xr-x"));
        LibvirtDaemons.Result install = LibvirtDaemons.run("sh", Path.of("scripts", "install.sh").toString(),
                WORK.resolve("jswtpm").toString());
        assertEquals(0, install.exitCode(), "install.sh: " + install.output());
        kernel = Files.copy(hostKernel, WORK.resolve("vmlinuz"));
        initrd = GuestImage.build(WORK, hostKernel, "/guest/libvirt-init");
        for (Path p : List.of(kernel, initrd)) {
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rw-r--r--"));
        }
        checkCopyRunsAsTss();
        libvirt = LibvirtDaemons.start(WORK.resolve("jswtpm").resolve("bin"), WORK);
        removeDomainAndSecret();
    }

    /**
     * The copy runs as tss, from {@code /}, as libvirt runs it: {@code --print-capabilities} answers one JSON
     * line on standard output (libvirt parses it; JVM warnings go to standard error), well within the
     * second libvirt gives swtpm to create its socket.
     */
    private static void checkCopyRunsAsTss() throws Exception {
        Path swtpm = WORK.resolve("jswtpm").resolve("bin").resolve("swtpm");
        long start = System.nanoTime();
        Process p = new ProcessBuilder("setpriv", "--reuid", "tss", "--regid", "tss", "--clear-groups",
                swtpm.toString(), "socket", "--print-capabilities", "--tpm2")
                .directory(Path.of("/").toFile()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertEquals(0, p.exitValue(), "tss runs the copied bin/swtpm: " + out);
        assertTrue(out.matches("\\{ \"type\": \"swtpm\", \"features\": \\[[^\n]*\\], \"version\": \"[^\"]+\" \\}\n"),
                "one JSON line: " + out);
        System.out.println("LibvirtIT: bin/swtpm socket --print-capabilities as tss from the copy: " + millis + " ms");
    }


    @AfterEach
    void cleanUp() throws Exception {
        try {
            if (libvirt != null) {
                removeDomainAndSecret();
            }
        } finally {
            if (libvirt != null) {
                libvirt.close();
            }
            Files.deleteIfExists(WORK.resolve("guest.save"));
            Files.deleteIfExists(secretFile);
        }
    }

    private void removeDomainAndSecret() throws Exception {
        libvirt.virshMayFail("destroy", DOMAIN);
        libvirt.virshMayFail("undefine", DOMAIN, "--tpm");
        libvirt.virshMayFail("secret-undefine", SECRET_UUID);
    }

    @Test
    @Timeout(420)
    void encryptedVtpmGuest() throws Exception {
        logMark = size(SWTPM_LOG);
        defineSecret();
        marker = new byte[16];
        new SecureRandom().nextBytes(marker);
        libvirt.virsh("define", writeDomain("writemarker=" + HEX.formatHex(marker), null, "tpm-crb", null)
                .toString());
        Map<String, String> boot1 = firstStart();
        saveAndRestore(boot1);
        checkEncryptionCanBeSeen(boot1);
        qemuFailsAfterSwtpmStarted();
        reconfigurePcrBanksOnTpmTis(boot1);
        libvirt.virsh("undefine", DOMAIN, "--tpm");
        assertFalse(Files.exists(TPM_STATE.getParent()), "undefine --tpm removes " + TPM_STATE.getParent());
    }

    /** swtpm_setup manufactures the TPM; the guest writes the marker and extends PCR 16. */
    private Map<String, String> firstStart() throws Exception {
        long mark = consoleSize();
        libvirt.virsh("start", DOMAIN);
        checkServedByJswtpm();
        Map<String, String> boot = guestReport(mark);
        checkManufactured(boot);
        assertEquals("tpm_crb", boot.get("driver"), "<tpm model='tpm-crb'>: the guest's TPM driver");
        assertEquals("sha256", boot.get("banks"), "swtpm_setup activated the default bank (/etc/swtpm_setup.conf)");
        assertEquals(List.of("sha256"), activeBanks(boot.get("pcrs")));
        assertEquals(0, rc(boot.get("nvdefine")), "NV_DefineSpace: " + boot.get("nvdefine"));
        assertEquals(0, rc(boot.get("nvwrite")), "NV_Write: " + boot.get("nvwrite"));
        assertEquals(0, rc(boot.get("extend")), "PCR_Extend: " + boot.get("extend"));
        assertMarkerRead(boot.get("marker"));
        checkStateAtRest(boot);
        return boot;
    }

    /** {@code virsh save} / {@code virsh restore}: the same boot goes on with PCR 16 and the marker. */
    private void saveAndRestore(Map<String, String> boot) throws Exception {
        String loopBefore = awaitLoop(consoleSize()); // the guest runs its loop right before the save
        Path image = WORK.resolve("guest.save");
        libvirt.virsh("save", DOMAIN, image.toString());
        assertTrue(libvirt.virsh("domstate", DOMAIN).contains("shut off"), "saved domain is shut off");
        awaitSwtpmGone();
        long mark = consoleSize();
        libvirt.virsh("restore", image.toString());
        Matcher after = LOOP_LINE.matcher(awaitLoop(mark));
        assertTrue(after.find());
        assertEquals(boot.get("boot-id"), after.group(1), "the restored guest goes on with the same boot");
        assertEquals(boot.get("pcr16"), after.group(2), "PCR 16 after restore (before: " + loopBefore + ")");
        assertEquals(boot.get("marker"), after.group(3), "the NV marker after restore");
        assertEquals(1, count(swtpmLog(), "Starting vTPM manufacturing"), "restore runs no swtpm_setup: " + swtpmLog());
        libvirt.virsh("destroy", DOMAIN);
        awaitSwtpmGone();
        Files.delete(image);
    }

    /**
     * QEMU cannot start (it rejects an argument of {@code <qemu:commandline>}) after libvirt started swtpm:
     * {@code virsh start} fails, and libvirt stops the emulator as root with {@code swtpm_ioctl --unix
     * <socket> -s} (the one on its PATH, jswtpm's). QEMU never connected to swtpm, so the CMD_SHUTDOWN
     * in swtpm's log came from swtpm_ioctl (libvirt's fallback, SIGTERM to the holder of the pid-file lock,
     * logs none). The emulator ends, socket and pid file go, the state is untouched.
     */
    private void qemuFailsAfterSwtpmStarted() throws Exception {
        byte[] permall = Files.readAllBytes(TPM_STATE.resolve("tpm2-00.permall"));
        long swtpmMark = size(SWTPM_LOG);
        long qemuMark = size(QEMU_LOG);
        libvirt.virsh("define", writeDomain("", null, "tpm-crb", BAD_QEMU_ARG).toString());
        long begin = System.nanoTime();
        LibvirtDaemons.Result start = libvirt.virshMayFail("start", DOMAIN);
        System.out.println("LibvirtIT: failing virsh start: "
                + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin) + " ms");
        String qemuLog = textSince(QEMU_LOG, qemuMark);
        String swtpmLog = textSince(SWTPM_LOG, swtpmMark);
        String all = "virsh start: " + start.output() + "\nQEMU log:\n" + qemuLog + "\nswtpm log:\n" + swtpmLog;
        assertTrue(start.exitCode() != 0, "virsh start fails: " + all);
        assertTrue(start.output().contains(BAD_QEMU_ARG), "virsh reports QEMU's error: " + all);
        // QEMU was started after swtpm: with the emulator's socket on its command line, and failed on the argument
        Matcher cmd = Pattern.compile("-chardev socket,id=chrtpm,path=" + Pattern.quote(PID_DIR.toString())
                + "/(\\d+)-" + Pattern.quote(DOMAIN) + "-swtpm\\.sock ").matcher(qemuLog);
        assertTrue(cmd.find(), "QEMU got the swtpm socket: " + all);
        assertTrue(qemuLog.contains("qemu-system-x86_64: " + BAD_QEMU_ARG + ": invalid option"),
                "QEMU failed on " + BAD_QEMU_ARG + ": " + all);
        Path socket = PID_DIR.resolve(cmd.group(1) + "-" + DOMAIN + "-swtpm.sock");
        int serving = swtpmLog.indexOf("serving data on none (until CMD_SET_DATAFD), control on unix socket "
                + socket + "\n");
        assertTrue(serving >= 0, "jswtpm's swtpm served " + socket + " before QEMU failed: " + all);
        String afterStart = swtpmLog.substring(serving);
        assertTrue(afterStart.contains("\nTerminating: CMD_SHUTDOWN\n"), "swtpm_ioctl -s stopped it: " + all);
        assertFalse(afterStart.contains("data client disconnected"), "QEMU never connected: " + all);
        assertFalse(swtpmLog.contains("vTPM manufacturing") || swtpmLog.contains("vTPM reconfiguration"),
                "no swtpm_setup for a later start: " + all);
        // swtpm_ioctl -s returned only when swtpm was gone: libvirt got the pid-file lock at once, no SIGTERM
        assertFalse(libvirt.log().contains("Failed to acquire pid file"),
                "swtpm had exited when swtpm_ioctl returned:\n" + libvirt.log());
        awaitSwtpmGone();
        assertFalse(Files.exists(socket), socket + " removed");
        assertArrayEquals(permall, Files.readAllBytes(TPM_STATE.resolve("tpm2-00.permall")),
                "tpm2-00.permall unchanged by the failed start");
        assertEquals("tss", Files.getOwner(TPM_STATE).getName(), "the state directory stays tss's");
        assertTrue(libvirt.virsh("domstate", DOMAIN).contains("shut off"), "the domain is shut off");
    }

    /**
     * {@code <tpm model='tpm-tis'>} and {@code <active_pcr_banks>}: swtpm_setup --reconfigure at start; the
     * guest's tpm_tis driver finds the TPM; NV contents and the EK certificate stay.
     */
    private void reconfigurePcrBanksOnTpmTis(Map<String, String> boot1) throws Exception {
        libvirt.virsh("define", writeDomain("", "<sha256/><sha384/>", "tpm-tis", null).toString());
        long mark = consoleSize();
        libvirt.virsh("start", DOMAIN);
        checkServedByJswtpm();
        Map<String, String> boot2 = guestReport(mark);
        assertTrue(swtpmLog().contains("Starting vTPM reconfiguration"),
                "swtpm_setup --reconfigure ran: " + swtpmLog());
        assertFalse(boot2.get("boot-id").equals(boot1.get("boot-id")), "a new boot");
        assertEquals("2", boot2.get("version"), "the guest kernel found a TPM 2.0");
        assertEquals("tpm_tis", boot2.get("driver"), "<tpm model='tpm-tis'>: the guest's TPM driver");
        assertEquals(0, rc(boot2.get("ekpub")), "ReadPublic(0x81010001): " + boot2.get("ekpub"));
        assertEquals(boot1.get("ekpub"), boot2.get("ekpub"), "the same EK");
        assertEquals("sha256 sha384", boot2.get("banks"), "PCR banks after reconfiguration");
        assertEquals(List.of("sha256", "sha384"), activeBanks(boot2.get("pcrs")));
        assertEquals(boot1.get("marker"), boot2.get("marker"), "the NV marker survives the failed start, the model change and the reconfiguration");
        assertEquals(boot1.get("ekcert"), boot2.get("ekcert"), "the EK certificate survives them");
        libvirt.virsh("destroy", DOMAIN);
        awaitSwtpmGone();
    }

    private void defineSecret() throws Exception {
        Path xml = Files.writeString(WORK.resolve("secret.xml"), "<secret ephemeral='no' private='yes'>\n"
                + "  <uuid>" + SECRET_UUID + "</uuid>\n"
                + "  <usage type='vtpm'><name>" + DOMAIN + "</name></usage>\n"
                + "</secret>\n");
        libvirt.virsh("secret-define", xml.toString());
        byte[] value = new byte[24];
        new SecureRandom().nextBytes(value);
        Files.deleteIfExists(secretFile);
        Files.createFile(secretFile,
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.write(secretFile, value);
        libvirt.virsh("secret-set-value", SECRET_UUID, "--file", secretFile.toString(), "--plain");
    }

    /**
     * The domain XML, with {@code cmdline} appended to the kernel's, {@code banks} (unless null) as active PCR
     * banks, the TPM device {@code model} and {@code qemuArg} (unless null) added to QEMU's arguments.
     */
    private Path writeDomain(String cmdline, String banks, String model, String qemuArg) throws IOException {
        String xml = "<domain type='qemu' xmlns:qemu='http://libvirt.org/schemas/domain/qemu/1.0'>\n"
                + "  <name>" + DOMAIN + "</name>\n"
                + "  <uuid>" + DOMAIN_UUID + "</uuid>\n"
                + "  <memory unit='MiB'>256</memory>\n"
                + "  <vcpu>1</vcpu>\n"
                + "  <os>\n"
                + "    <type arch='x86_64' machine='q35'>hvm</type>\n"
                + "    <kernel>" + kernel + "</kernel>\n"
                + "    <initrd>" + initrd + "</initrd>\n"
                + "    <cmdline>console=ttyS0 panic=-1 quiet " + cmdline + "</cmdline>\n"
                + "  </os>\n"
                + "  <features><acpi/></features>\n" // without ACPI QEMU builds no TPM2 table: no TPM in the guest
                + "  <on_poweroff>destroy</on_poweroff>\n"
                + "  <on_reboot>destroy</on_reboot>\n"
                + "  <on_crash>destroy</on_crash>\n"
                + "  <devices>\n"
                + "    <serial type='file'>\n"
                + "      <source path='" + console + "' append='on'/>\n"
                + "      <target port='0'/>\n"
                + "    </serial>\n"
                + "    <tpm model='" + model + "'>\n"
                + "      <backend type='emulator' version='2.0'>\n"
                + "        <encryption secret='" + SECRET_UUID + "'/>\n"
                + (banks == null ? "" : "        <active_pcr_banks>" + banks + "</active_pcr_banks>\n")
                + "      </backend>\n"
                + "    </tpm>\n"
                + "    <memballoon model='none'/>\n"
                + "  </devices>\n"
                + (qemuArg == null ? "" : "  <qemu:commandline><qemu:arg value='" + qemuArg + "'/></qemu:commandline>\n")
                + "</domain>\n";
        return Files.writeString(WORK.resolve("domain.xml"), xml);
    }

    /** The process serving the TPM is jswtpm's, run as the owner of the state (tss), from the copied bin/. */
    private void checkServedByJswtpm() throws Exception {
        String id = libvirt.virsh("domid", DOMAIN).strip();
        Path pidFile = PID_DIR.resolve(id + "-" + DOMAIN + "-swtpm.pid");
        long pid = Long.parseLong(Files.readString(pidFile).strip());
        String cmdline = Files.readString(Path.of("/proc", Long.toString(pid), "cmdline")).replace('\0', ' ');
        assertTrue(cmdline.contains("org.jswtpm.swtpm.Main socket") && cmdline.contains(WORK.toString()),
                "libvirt's swtpm is bin/swtpm of the copy: " + cmdline);
        assertTrue(cmdline.contains("--key pwdfd=") && cmdline.contains("--migration-key pwdfd="), cmdline);
        String status = Files.readString(Path.of("/proc", Long.toString(pid), "status"));
        Matcher uid = Pattern.compile("Uid:\\s+(\\d+)").matcher(status);
        assertTrue(uid.find());
        assertEquals(Files.getAttribute(TPM_STATE, "unix:uid").toString(), uid.group(1), "swtpm runs as tss");
        assertEquals("tss", Files.getOwner(TPM_STATE).getName());
        String log = swtpmLog();
        assertTrue(log.contains("Starting vTPM manufacturing") && log.contains("Ending vTPM manufacturing"),
                "swtpm_setup's report in " + SWTPM_LOG + ":\n" + log);
        assertTrue(log.contains("jswtpm "), "jswtpm's swtpm logged its start:\n" + log);
    }

    /**
     * After QEMU ended, swtpm ({@code --terminate}) exits and removes its control socket; libvirt removes
     * the pid file.
     */
    private static void awaitSwtpmGone() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (true) {
            List<String> left = new ArrayList<>();
            try (Stream<Path> files = Files.list(PID_DIR)) {
                files.filter(p -> p.getFileName().toString().endsWith("-" + DOMAIN + "-swtpm.sock")
                        || p.getFileName().toString().endsWith("-" + DOMAIN + "-swtpm.pid"))
                        .forEach(p -> left.add(p.toString()));
            }
            for (long pid : LibvirtDaemons.pidsNamed("java")) {
                try {
                    String cmdline = Files.readString(Path.of("/proc", Long.toString(pid), "cmdline"));
                    if (cmdline.contains(TPM_STATE.toString())) {
                        left.add("process " + pid);
                    }
                } catch (IOException gone) {
                    // ended meanwhile
                }
            }
            if (left.isEmpty()) {
                return;
            }
            assertTrue(System.nanoTime() < deadline, "swtpm ended and removed its socket: " + left);
            Thread.sleep(100);
        }
    }

    /**
     * The EK certificate the guest read from NV index 0x01c00002 verifies against swtpm_setup's local CA
     * (the one {@code /etc/swtpm_setup.conf} names, else jswtpm's default) and certifies the persistent EK
     * 0x81010001 the guest read.
     */
    private void checkManufactured(Map<String, String> report) throws Exception {
        assertEquals("2", report.get("version"), "the guest kernel found a TPM 2.0");
        X509Certificate ek = certificate(HEX.parseHex(report.get("ekcert")));
        Path[] ca = localCa();
        X509Certificate issuer = certificate(Files.readAllBytes(ca[0]));
        X509Certificate root = certificate(Files.readAllBytes(ca[1]));
        assertEquals(issuer.getSubjectX500Principal(), ek.getIssuerX500Principal());
        ek.verify(issuer.getPublicKey());
        issuer.verify(root.getPublicKey());
        root.verify(root.getPublicKey());
        byte[] modulus = unsigned(((RSAPublicKey) ek.getPublicKey()).getModulus().toByteArray());
        String ekpub = report.get("ekpub");
        assertEquals(0, rc(ekpub), "ReadPublic(0x81010001): " + ekpub);
        assertTrue(ekpub.contains("0100" + HEX.formatHex(modulus)), "the certificate's key is the EK's");
    }

    /** [issuer certificate, root certificate] of the local CA that signed the EK certificate. */
    private static Path[] localCa() throws IOException {
        Path setupConf = Path.of("/etc/swtpm_setup.conf");
        if (Files.isReadable(setupConf)) {
            String caConf = configValue(Files.readString(setupConf), "create_certs_tool_config");
            if (caConf != null && Files.isReadable(Path.of(caConf))) {
                String conf = Files.readString(Path.of(caConf));
                String statedir = configValue(conf, "statedir");
                return new Path[] {Path.of(configValue(conf, "issuercert")),
                    Path.of(statedir, "swtpm-localca-rootca-cert.pem")};
            }
        }
        fail("/etc/swtpm_setup.conf naming the local CA's configuration (Debian: swtpm-tools) is missing");
        return null;
    }

    private static String configValue(String config, String key) {
        Matcher m = Pattern.compile("(?m)^\\s*" + key + "\\s*=\\s*(\\S+)").matcher(config);
        return m.find() ? m.group(1) : null;
    }

    private static X509Certificate certificate(byte[] derOrPem) throws Exception {
        return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(
                new ByteArrayInputStream(derOrPem));
    }

    private static byte[] unsigned(byte[] twosComplement) {
        return twosComplement[0] == 0 ? Arrays.copyOfRange(twosComplement, 1, twosComplement.length) : twosComplement;
    }

    /**
     * The state directory holds jswtpm's files, owned by tss with mode 0600, and none of them contains
     * the marker the guest wrote into NV or the EK certificate in clear.
     */
    private void checkStateAtRest(Map<String, String> report) throws Exception {
        Path permall = TPM_STATE.resolve("tpm2-00.permall");
        assertTrue(Files.isRegularFile(permall), "swtpm_setup wrote " + permall);
        assertEquals("tss", Files.getOwner(permall).getName());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(permall)),
                "mode 0600, as libvirt asks with --tpmstate ...,mode=0600");
        byte[] ekDer = HEX.parseHex(report.get("ekcert"));
        try (Stream<Path> files = Files.list(TPM_STATE)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                byte[] content = Files.readAllBytes(f);
                assertEquals(-1, indexOf(content, marker), "the NV marker is not in clear in " + f);
                assertEquals(-1, indexOf(content, ekDer), "the EK certificate is not in clear in " + f);
            }
        }
    }

    /**
     * The check of {@link #checkStateAtRest} can fail: the permanent state decrypted with the vtpm
     * secret (swtpm's passphrase key derivation, as libvirt's {@code --key pwdfd=…,mode=aes-256-cbc}) holds
     * both the marker and the EK certificate. Done on a copy, after the domain stopped.
     */
    private void checkEncryptionCanBeSeen(Map<String, String> report) throws Exception {
        Path copy = Files.createDirectories(WORK.resolve("decrypted"));
        Files.copy(TPM_STATE.resolve("tpm2-00.permall"), copy.resolve("tpm2-00.permall"));
        var key = KeyLoader.load(KeyOption.parse("--key", "pwdfile=" + secretFile + ",mode=aes-256-cbc"));
        byte[] permanent;
        try (StateStore store = StateStores.openWithEnvelope(TpmStateOptions.parse("dir=" + copy), TpmFamily.TPM2,
                key)) {
            permanent = store.load(StateNames.PERMALL);
        }
        assertTrue(indexOf(permanent, marker) >= 0, "the decrypted state holds the NV marker");
        assertTrue(indexOf(permanent, HEX.parseHex(report.get("ekcert"))) >= 0,
                "the decrypted state holds the EK certificate");
        deleteTree(copy);
    }

    private void assertMarkerRead(String rsp) {
        // TPM2_NV_Read response: tag, size, rc 0, parameterSize, TPM2B_MAX_NV_BUFFER(marker), session
        assertTrue(rsp.startsWith("8002" + "00000025" + "00000000" + "00000012" + "0010" + HEX.formatHex(marker)),
                "NV_Read of the marker: " + rsp);
    }

    /** The response code of a response in hex. */
    private static int rc(String rsp) {
        assertTrue(rsp != null && rsp.length() >= 20, "a TPM response: " + rsp);
        return Integer.parseUnsignedInt(rsp.substring(12, 20), 16);
    }

    /** The banks with PCRs selected in a TPM2_GetCapability(TPM_CAP_PCRS) response. */
    private static List<String> activeBanks(String rsp) {
        assertEquals(0, rc(rsp), "GetCapability(PCRS): " + rsp);
        Map<Integer, String> names = Map.of(0x04, "sha1", 0x0b, "sha256", 0x0c, "sha384", 0x0d, "sha512",
                0x12, "sm3_256");
        int count = Integer.parseInt(rsp.substring(30, 38), 16);
        List<String> banks = new ArrayList<>();
        int at = 38;
        for (int i = 0; i < count; i++) {
            int alg = Integer.parseInt(rsp.substring(at, at + 4), 16);
            int size = Integer.parseInt(rsp.substring(at + 4, at + 6), 16);
            String select = rsp.substring(at + 6, at + 6 + 2 * size);
            if (!select.matches("0*")) {
                banks.add(names.getOrDefault(alg, Integer.toHexString(alg)));
            }
            at += 6 + 2 * size;
        }
        return banks;
    }

    /** What swtpm_setup and swtpm logged in this run. */
    private String swtpmLog() throws IOException {
        return textSince(SWTPM_LOG, logMark);
    }

    private static long size(Path file) throws IOException {
        return Files.exists(file) ? Files.size(file) : 0;
    }

    /** The text appended to {@code file} after it was {@code mark} bytes long ("" if there is no file). */
    private static String textSince(Path file, long mark) throws IOException {
        if (!Files.exists(file)) {
            return "";
        }
        try (InputStream in = Files.newInputStream(file)) {
            in.skipNBytes(Math.min(mark, Files.size(file)));
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private long consoleSize() throws IOException {
        return Files.exists(console) ? Files.size(console) : 0;
    }

    /** The console text written after {@code mark}. */
    private String consoleSince(long mark) throws IOException {
        if (!Files.exists(console)) {
            return "";
        }
        try (InputStream in = Files.newInputStream(console)) {
            in.skipNBytes(Math.min(mark, Files.size(console)));
            return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }

    private String awaitConsole(long mark, Pattern pattern) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(BOOT_SECONDS);
        while (true) {
            String text = consoleSince(mark);
            if (pattern.matcher(text).find()) {
                return text;
            }
            if (System.nanoTime() > deadline) {
                fail("no " + pattern + " on the serial console in " + BOOT_SECONDS + " s:\n" + text
                        + "\nswtpm log:\n" + swtpmLog()
                        + "\nlibvirtd log:\n" + libvirt.log());
            }
            Thread.sleep(200);
        }
    }

    /** The first {@code GUEST-LOOP} line after {@code mark}. */
    private String awaitLoop(long mark) throws Exception {
        Matcher m = LOOP_LINE.matcher(awaitConsole(mark, LOOP_LINE));
        assertTrue(m.find());
        return m.group();
    }

    /** What {@code /init} reported up to {@code GUEST-READY}: TPM responses by name, and a few facts. */
    private Map<String, String> guestReport(long mark) throws Exception {
        String text = awaitConsole(mark, READY);
        Matcher ready = READY.matcher(text);
        assertTrue(ready.find());
        text = text.substring(0, ready.start());
        Map<String, String> report = new LinkedHashMap<>();
        Matcher m = TPM_LINE.matcher(text);
        while (m.find()) {
            report.put(m.group(1), m.group(2));
        }
        report.put("boot-id", line(text, "GUEST-BOOT-ID: "));
        report.put("version", line(text, "GUEST-TPM-VERSION-MAJOR: "));
        report.put("driver", line(text, "GUEST-TPM-DRIVER: "));
        report.put("banks", line(text, "GUEST-PCR-BANKS: "));
        for (String name : List.of("pcrs", "ekcert", "ekpub", "marker", "pcr16")) {
            assertTrue(report.containsKey(name), "the guest reported '" + name + "':\n" + text);
        }
        assertTrue(report.get("ekcert").matches("[0-9a-f]+"), "the guest read the EK certificate: " + report);
        return report;
    }

    private static String line(String text, String prefix) {
        Matcher m = Pattern.compile(Pattern.quote(prefix) + "([^\r\n]*)").matcher(text);
        assertTrue(m.find(), "'" + prefix + "' on the console:\n" + text);
        return m.group(1).strip();
    }

    private static int count(String text, String what) {
        int n = 0;
        for (int i = text.indexOf(what); i >= 0; i = text.indexOf(what, i + 1)) {
            n++;
        }
        return n;
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
