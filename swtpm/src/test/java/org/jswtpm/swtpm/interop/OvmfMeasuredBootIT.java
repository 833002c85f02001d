package org.jswtpm.swtpm.interop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jswtpm.core.testing.ExternalTools;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A measured UEFI boot, as Windows 11 and UEFI Linux guests use a vTPM: QEMU under TCG (q35) runs OVMF
 * from pflash (Debian's {@code ovmf}, CODE read-only, a copy of VARS) with a {@code tpm-crb} or
 * {@code tpm-tis} device on {@code bin/swtpm} started with libvirt's argv. OVMF's Tcg2 drivers (the
 * firmware's TSS) start the TPM, choose the PCR banks from TPM_CAP_PCRS and extend PCRs 0-7 in every
 * active bank while they log each measurement; OVMF's direct kernel boot ({@code -kernel/-initrd/-append})
 * measures the kernel into PCR 4, and the kernel's EFI stub measures the initrd and its command line into
 * PCR 9. The initramfs ({@code /guest/ovmf-init}) prints the event log the kernel got from the firmware,
 * TPM_CAP_PCRS and PCRs 0-9 of each active bank on the serial console. Here {@code tpm2_eventlog} replays
 * the log, and every replayed PCR must equal the one the guest read; the log's banks must be the TPM's.
 * With {@code tpm-crb} the same boot on Debian's swtpm must give the same event log and PCRs; with
 * {@code tpm-tis} the guest then reboots in the same QEMU (CMD_INIT, a new TPM2_Startup) and the second
 * boot must give the same PCRs again.
 */
class OvmfMeasuredBootIT {
    private static final long BOOT_SECONDS = 150;
    /** OVMF firmware pairs (code, variables template) in the order tried: Debian 12's 4 MB, then 2 MB build. */
    private static final String[][] FIRMWARE = {
        {"/usr/share/OVMF/OVMF_CODE_4M.fd", "/usr/share/OVMF/OVMF_VARS_4M.fd"},
        {"/usr/share/OVMF/OVMF_CODE.fd", "/usr/share/OVMF/OVMF_VARS.fd"},
    };
    private static final Map<Integer, String> ALGORITHMS = Map.of(
            0x0004, "sha1", 0x000b, "sha256", 0x000c, "sha384", 0x000d, "sha512", 0x0012, "sm3_256");
    private static final String APPEND = "console=ttyS0 panic=-1 quiet";
    private static final Pattern PCR_LINE = Pattern.compile("GUEST-PCR ([a-z0-9_]+) (\\d+) ([0-9A-Fa-f]+)");

    @TempDir
    Path dir;
    private final List<Process> processes = new ArrayList<>();
    private String qemu;
    private String eventlog;
    private Path code;
    private Path varsTemplate;
    private Path kernel;
    private Path initrd;

    @BeforeEach
    void prerequisites() throws Exception {
        qemu = ExternalTools.require("qemu-system-x86_64");
        eventlog = ExternalTools.require("tpm2_eventlog");
        for (String[] pair : FIRMWARE) {
            if (Files.isReadable(Path.of(pair[0])) && Files.isReadable(Path.of(pair[1]))) {
                code = Path.of(pair[0]);
                varsTemplate = Path.of(pair[1]);
                break;
            }
        }
        if (code == null) {
            ExternalTools.unavailable("no OVMF firmware in /usr/share/OVMF (Debian: ovmf, see .ci/run)");
        }
        kernel = GuestImage.requireKernelAndBusybox();
        initrd = GuestImage.build(dir, kernel, "/guest/ovmf-init");
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

    /**
     * A new TPM: libtpms' (and jswtpm's) default allocation, all four banks. The same boot on Debian's swtpm
     * (libtpms) gives the same event log, byte for byte, and the same PCRs: nothing in it depends on time.
     */
    @Test
    @Timeout(300)
    void tpmCrbAllBanks() throws Exception {
        Set<String> banks = Set.of("sha1", "sha256", "sha384", "sha512");
        Boot jswtpm = bootAndCheck(JswtpmProcess.launcher().toString(), "jswtpm", "tpm-crb", null, banks, 1);
        Boot debian = bootAndCheck(ExternalTools.require("swtpm"), "debian", "tpm-crb", null, banks, 1);
        assertEquals(debian.pcrs, jswtpm.pcrs, "PCRs 0-9 as on Debian's swtpm");
        assertArrayEquals(debian.log, jswtpm.log, "the event log as on Debian's swtpm");
    }

    /**
     * A TPM manufactured by {@code bin/swtpm_setup --pcr-banks sha256}: OVMF logs and extends that bank only.
     * The guest then reboots: QEMU resets the machine and re-initializes the TPM (CMD_INIT), OVMF starts it
     * again and the same measurements must give the same PCRs.
     */
    @Test
    @Timeout(300)
    void tpmTisSha256Only() throws Exception {
        Path state = Files.createDirectories(dir.resolve("setup"));
        Process setup = new ProcessBuilder(SwtpmSetupIT.launcher("swtpm_setup").toString(), "--tpm2",
                "--tpmstate", state.toString(), "--pcr-banks", "sha256")
                .redirectErrorStream(true).redirectOutput(dir.resolve("setup.out").toFile()).start();
        processes.add(setup);
        assertTrue(setup.waitFor(60, TimeUnit.SECONDS), "swtpm_setup ends");
        assertEquals(0, setup.exitValue(), Files.readString(dir.resolve("setup.out")));
        bootAndCheck(JswtpmProcess.launcher().toString(), "jswtpm", "tpm-tis", state, Set.of("sha256"), 2);
    }

    /** The event log and PCRs 0-9 (bank -> PCR -> hex) of one boot. */
    record Boot(byte[] log, Map<String, Map<Integer, String>> pcrs) {
    }

    /**
     * Starts {@code program} (bin/swtpm or Debian's swtpm) on {@code state} (null: a new, empty directory)
     * and QEMU on it, checks {@code boots} boots of the guest; returns the last.
     */
    private Boot bootAndCheck(String program, String name, String device, Path state, Set<String> expectedBanks,
            int boots) throws Exception {
        Path run = Files.createDirectories(dir.resolve(name + "-" + device));
        if (state == null) {
            state = Files.createDirectories(run.resolve("tpm2"));
        }
        Path sock = run.resolve("swtpm.sock");
        Path log = run.resolve("swtpm.log");
        // libvirt 9.0's argv for a domain without <encryption>
        Process swtpm = new ProcessBuilder(program, "socket",
                "--ctrl", "type=unixio,path=" + sock + ",mode=0600",
                "--tpmstate", "dir=" + state + ",mode=0600",
                "--log", "file=" + log + ",level=20",
                "--terminate", "--tpm2")
                .redirectErrorStream(true).redirectOutput(run.resolve("swtpm.out").toFile()).start();
        processes.add(swtpm);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!Files.exists(sock)) {
            assertTrue(swtpm.isAlive() && System.nanoTime() < deadline,
                    "no control socket: " + Files.readString(run.resolve("swtpm.out")));
            Thread.sleep(5);
        }
        Path vars = run.resolve("OVMF_VARS.fd");
        Files.copy(varsTemplate, vars);
        long start = System.nanoTime();
        Process vm = new ProcessBuilder(qemu, "-machine", "q35", "-accel", "tcg", "-m", "512",
                "-display", "none", "-nodefaults", "-monitor", "none", "-serial", "stdio",
                "-drive", "if=pflash,format=raw,unit=0,readonly=on,file=" + code,
                "-drive", "if=pflash,format=raw,unit=1,file=" + vars,
                "-kernel", kernel.toString(), "-initrd", initrd.toString(), "-append", APPEND,
                "-chardev", "socket,id=chrtpm,path=" + sock,
                "-tpmdev", "emulator,id=tpm0,chardev=chrtpm", "-device", device + ",tpmdev=tpm0")
                .redirectErrorStream(true).start();
        processes.add(vm);
        SerialConsole console = new SerialConsole(vm, BOOT_SECONDS);
        Boot first = null;
        Boot last = null;
        for (int boot = 1; boot <= boots; boot++) {
            String text = console.next("GUEST-DONE");
            System.out.printf("OvmfMeasuredBootIT %s %s: boot %d to GUEST-DONE in %.1f s%n", name, device, boot,
                    (System.nanoTime() - start) / 1e9);
            last = check(text, expectedBanks, run.resolve("boot-" + boot));
            if (first == null) {
                first = last;
            } else {
                // (the logs themselves differ: where OVMF loaded the kernel is in the event, not the digest)
                assertEquals(first.pcrs, last.pcrs, "boot " + boot + ": the same measurements, the same PCRs");
            }
            start = System.nanoTime();
            console.type(boot < boots ? "reboot\n" : "poweroff\n");
        }
        assertTrue(vm.waitFor(30, TimeUnit.SECONDS), "guest powers off");
        assertTrue(swtpm.waitFor(30, TimeUnit.SECONDS), "--terminate ends " + program + ": " + Files.readString(log));
        assertEquals(0, swtpm.exitValue(), Files.readString(log));
        if (!name.equals("jswtpm")) {
            return last;
        }
        String swtpmLog = Files.readString(log);
        Map<String, Integer> commands = commandCounts(swtpmLog);
        assertEquals(boots, commands.get("0x144"), "one TPM2_Startup per boot: " + commands);
        List<String> control = swtpmLog.lines().filter(l -> l.startsWith("Control command")).toList();
        assertEquals(boots, control.stream().filter(l -> l.equals("Control command 0x02")).count(),
                "one CMD_INIT per boot: " + control);
        System.out.printf("OvmfMeasuredBootIT %s %s: banks %s, TPM commands %s%n", name, device,
                new TreeSet<>(expectedBanks), commands);
        return last;
    }

    /** Checks one boot's console output; keeps the files it makes in {@code out}. */
    private Boot check(String console, Set<String> expectedBanks, Path out) throws Exception {
        Files.createDirectories(out);
        assertTrue(console.contains("GUEST-TPM-VERSION-MAJOR: 2"), "the kernel probed a TPM 2.0:\n" + console);
        Set<String> tpmBanks = activeBanks(line(console, "GUEST-CAP-PCRS: "));
        assertEquals(expectedBanks, tpmBanks, "TPM_CAP_PCRS");
        Map<String, Map<Integer, String>> guestPcrs = guestPcrs(console);
        assertEquals(tpmBanks, guestPcrs.keySet(), "the kernel's pcr-<bank> directories are the TPM's active banks");

        byte[] binaryLog = eventLog(console);
        Path logFile = out.resolve("binary_bios_measurements");
        Files.write(logFile, binaryLog);
        EventLog parsed = EventLog.parse(tpm2Eventlog(logFile));

        assertEquals(tpmBanks, parsed.specIdAlgorithms, "the banks of OVMF's Spec ID event are the TPM's");
        Event first = parsed.events.get(0);
        assertEquals("EV_NO_ACTION", first.type, "the log starts with the Spec ID event");
        for (Event e : parsed.events.subList(1, parsed.events.size())) {
            if (!e.type.equals("EV_NO_ACTION")) {
                assertEquals(tpmBanks, e.digests.keySet(), "every measurement extends every active bank: " + e);
            }
        }
        assertHas(parsed, 0, "EV_S_CRTM_VERSION");
        assertHas(parsed, 0, "EV_EFI_PLATFORM_FIRMWARE_BLOB");
        for (int pcr = 0; pcr <= 7; pcr++) {
            assertHas(parsed, pcr, "EV_SEPARATOR");
        }
        assertHas(parsed, 1, "EV_EFI_VARIABLE_BOOT");
        assertHas(parsed, 7, "EV_EFI_VARIABLE_DRIVER_CONFIG");
        assertHas(parsed, 5, "EV_EFI_ACTION");
        // the kernel, loaded by OVMF's direct kernel boot (its digest covers the setup header as QEMU
        // patched it for the initrd and command line, so it is not recomputed here)
        assertHas(parsed, 4, "EV_EFI_BOOT_SERVICES_APPLICATION");
        assertTrue(parsed.yaml.contains("ImageLengthInMemory: " + Files.size(kernel)),
                "PCR 4: an image of the kernel's size " + Files.size(kernel));
        // the EFI stub's EV_EVENT_TAG events in PCR 9: the initrd's bytes, the command line OVMF passed
        List<String> tags = new ArrayList<>();
        for (Event e : parsed.events) {
            if (e.pcr == 9 && e.type.equals("EV_EVENT_TAG")) {
                tags.add(e.digests.get("sha256"));
            }
        }
        assertTrue(tags.contains(hex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(initrd)))),
                "PCR 9: the initrd's SHA-256 " + tags);
        byte[] loadOptions = (APPEND + " initrd=initrd\0").getBytes(StandardCharsets.UTF_16LE);
        assertTrue(tags.contains(hex(MessageDigest.getInstance("SHA-256").digest(loadOptions))),
                "PCR 9: the command line's SHA-256 " + tags);

        // the replay equals what the TPM holds, in every bank, PCRs 0-9 (a PCR without events stays zero)
        assertEquals(tpmBanks, parsed.replayed.keySet(), "tpm2_eventlog replays every active bank");
        for (String bank : tpmBanks) {
            for (int pcr = 0; pcr <= 9; pcr++) {
                String zero = "00".repeat(guestPcrs.get(bank).get(0).length() / 2);
                String replay = parsed.replayed.get(bank).getOrDefault(pcr, zero);
                assertEquals(replay, guestPcrs.get(bank).get(pcr), bank + " PCR " + pcr + ": replayed log vs TPM");
            }
        }
        System.out.printf("OvmfMeasuredBootIT %s: %d events%n", dir.relativize(out), parsed.events.size());
        return new Boot(binaryLog, guestPcrs);
    }

    private static Event assertHas(EventLog log, int pcr, String type) {
        for (Event e : log.events) {
            if (e.pcr == pcr && e.type.equals(type)) {
                return e;
            }
        }
        fail("no " + type + " in PCR " + pcr + ": " + log.events);
        return null;
    }

    /** The banks with at least one PCR selected in a TPM2_GetCapability(TPM_CAP_PCRS) response. */
    private static Set<String> activeBanks(String hex) {
        ByteBuffer b = ByteBuffer.wrap(HexFormat.of().parseHex(hex));
        assertEquals((short) 0x8001, b.getShort(), "GetCapability tag: " + hex);
        b.getInt();
        assertEquals(0, b.getInt(), "GetCapability response code: " + hex);
        b.get(); // moreData
        assertEquals(5, b.getInt(), "TPM_CAP_PCRS");
        int count = b.getInt();
        Set<String> banks = new LinkedHashSet<>();
        for (int i = 0; i < count; i++) {
            int alg = b.getShort() & 0xffff;
            byte[] select = new byte[b.get() & 0xff];
            b.get(select);
            boolean any = false;
            for (byte s : select) {
                any |= s != 0;
            }
            if (any) {
                banks.add(ALGORITHMS.getOrDefault(alg, String.format("0x%04x", alg)));
            }
        }
        return banks;
    }

    /** bank -> PCR -> lower-case hex, as the guest read them from /sys/class/tpm/tpm0/pcr-bank/N. */
    private static Map<String, Map<Integer, String>> guestPcrs(String console) {
        Map<String, Map<Integer, String>> pcrs = new TreeMap<>();
        Matcher m = PCR_LINE.matcher(console);
        while (m.find()) {
            pcrs.computeIfAbsent(m.group(1), k -> new TreeMap<>())
                    .put(Integer.parseInt(m.group(2)), m.group(3).toLowerCase());
        }
        for (Map.Entry<String, Map<Integer, String>> bank : pcrs.entrySet()) {
            assertEquals(10, bank.getValue().size(), "PCRs 0-9 of " + bank.getKey() + ":\n" + console);
        }
        return pcrs;
    }

    private static byte[] eventLog(String console) {
        int begin = console.indexOf("GUEST-EVENTLOG-BEGIN");
        int end = console.indexOf("GUEST-EVENTLOG-END");
        assertTrue(begin >= 0 && end > begin, "the event log on the console:\n" + console);
        String base64 = console.substring(begin + "GUEST-EVENTLOG-BEGIN".length(), end).replaceAll("\\s", "");
        byte[] log = Base64.getDecoder().decode(base64);
        assertTrue(log.length > 0, "the kernel exposes a non-empty binary_bios_measurements:\n" + console);
        return log;
    }

    /** tpm2_eventlog's YAML for {@code file}, also kept next to it. */
    private String tpm2Eventlog(Path file) throws Exception {
        Path err = file.resolveSibling("eventlog.err");
        Process p = new ProcessBuilder(eventlog, file.toString()).redirectError(err.toFile()).start();
        processes.add(p);
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "tpm2_eventlog ends");
        assertEquals(0, p.exitValue(), "tpm2_eventlog: " + Files.readString(err) + out);
        Files.writeString(file.resolveSibling("eventlog.yaml"), out);
        return out;
    }

    /** One event of tpm2_eventlog's YAML. */
    record Event(int number, int pcr, String type, Map<String, String> digests) {
    }

    /** What {@code tpm2_eventlog} prints: the events, the Spec ID event's algorithms, the replayed PCRs. */
    static final class EventLog {
        final List<Event> events = new ArrayList<>();
        final Set<String> specIdAlgorithms = new LinkedHashSet<>();
        final Map<String, Map<Integer, String>> replayed = new TreeMap<>();
        final String yaml;

        private EventLog(String yaml) {
            this.yaml = yaml;
        }

        private static final Pattern EVENT_NUM = Pattern.compile("^- EventNum: (\\d+)$");
        private static final Pattern PCR_INDEX = Pattern.compile("^  PCRIndex: (\\d+)$");
        private static final Pattern EVENT_TYPE = Pattern.compile("^  EventType: (\\S+)$");
        private static final Pattern ALGORITHM_ID = Pattern.compile("^  - AlgorithmId: (\\S+)$");
        private static final Pattern DIGEST = Pattern.compile("^    Digest: \"([0-9a-f]+)\"$");
        private static final Pattern SPEC_ALG = Pattern.compile("^\\s+algorithmId: (\\S+)$");
        private static final Pattern BANK = Pattern.compile("^  (\\S+):$");
        private static final Pattern PCR_VALUE = Pattern.compile("^    (\\d+)\\s*: 0x([0-9a-f]+)$");

        static EventLog parse(String yaml) {
            EventLog log = new EventLog(yaml);
            int number = -1;
            int pcr = -1;
            String type = null;
            String alg = null;
            Map<String, String> digests = null;
            boolean inPcrs = false;
            String bank = null;
            for (String line : yaml.split("\n")) {
                Matcher m;
                if (line.equals("pcrs:")) {
                    inPcrs = true;
                } else if (inPcrs) {
                    if ((m = BANK.matcher(line)).matches()) {
                        bank = m.group(1);
                        log.replayed.put(bank, new TreeMap<>());
                    } else if ((m = PCR_VALUE.matcher(line)).matches()) {
                        log.replayed.get(bank).put(Integer.parseInt(m.group(1)), m.group(2));
                    }
                } else if ((m = EVENT_NUM.matcher(line)).matches()) {
                    number = Integer.parseInt(m.group(1));
                } else if ((m = PCR_INDEX.matcher(line)).matches()) {
                    pcr = Integer.parseInt(m.group(1));
                } else if ((m = EVENT_TYPE.matcher(line)).matches()) {
                    type = m.group(1);
                    digests = new LinkedHashMap<>();
                    log.events.add(new Event(number, pcr, type, digests));
                } else if ((m = ALGORITHM_ID.matcher(line)).matches()) {
                    alg = m.group(1);
                } else if ((m = DIGEST.matcher(line)).matches() && digests != null && alg != null) {
                    digests.put(alg, m.group(1));
                    alg = null;
                } else if ((m = SPEC_ALG.matcher(line)).matches()) {
                    log.specIdAlgorithms.add(m.group(1));
                }
            }
            assertTrue(!log.events.isEmpty() && !log.specIdAlgorithms.isEmpty() && !log.replayed.isEmpty(),
                    "tpm2_eventlog output:\n" + yaml);
            return log;
        }
    }

    private static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }

    /** "0x17a ×63, ..." of bin/swtpm's log, for the report. */
    private static Map<String, Integer> commandCounts(String log) {
        Map<String, Integer> counts = new TreeMap<>();
        Matcher m = Pattern.compile("TPM command (0x[0-9a-f]+)").matcher(log);
        while (m.find()) {
            counts.merge(m.group(1), 1, Integer::sum);
        }
        return counts;
    }

    private static String line(String console, String prefix) {
        int at = console.indexOf(prefix);
        assertTrue(at >= 0, "no '" + prefix + "' on the serial console:\n" + console);
        int end = console.indexOf('\n', at);
        return console.substring(at + prefix.length(), end < 0 ? console.length() : end).trim();
    }
}
