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
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.jswtpm.core.testing.ExternalTools;
import org.jswtpm.core.testing.RawCommands;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Durability of {@code bin/swtpm} as a separate process: an acknowledged change (ClockSet, NV_Increment,
 * PCR_Allocate, HierarchyChangeAuth, EvictControl) survives {@code kill -9}; wrong keys, flipped bytes and a second process on the same directory are refused at
 * once with a message naming the file or directory; {@code mode=0600}; the passphrase arrives on an
 * inherited pipe as libvirt passes it ({@code --key pwdfd=N}).
 *
 * <p>The kill loop runs 200 times (about a minute); {@code JSWTPM_CRASH_ITERATIONS=N} in the environment
 * (or the system property {@code jswtpm.crashIterations} of the test JVM) changes that for a longer run.
 */
class StateDurabilityIT {
    static final HexFormat HEX = HexFormat.of();
    static final String STARTUP_CLEAR = "80010000000c000001440000";
    private static final int ITERATIONS = Integer.getInteger("jswtpm.crashIterations",
            Integer.parseInt(System.getenv().getOrDefault("JSWTPM_CRASH_ITERATIONS", "200")));

    @TempDir
    Path dir;

    /** Sends one raw command on a fresh data connection and reads the whole response. */
    static String command(int port, String hex) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 2000);
            s.setSoTimeout(10000);
            OutputStream out = s.getOutputStream();
            out.write(HEX.parseHex(hex));
            out.flush();
            InputStream in = s.getInputStream();
            byte[] header = in.readNBytes(10);
            if (header.length < 10) {
                throw new IOException("connection closed");
            }
            int size = ((header[2] & 0xff) << 24) | ((header[3] & 0xff) << 16) | ((header[4] & 0xff) << 8)
                    | (header[5] & 0xff);
            return HEX.formatHex(header) + HEX.formatHex(in.readNBytes(size - 10));
        }
    }

    static JswtpmProcess start(Path state, String... extra) throws Exception {
        List<String> args = new ArrayList<>(List.of("--flags", "not-need-init,startup-clear"));
        args.addAll(List.of(extra));
        return JswtpmProcess.start(state, args.toArray(new String[0]));
    }

    /** Runs {@code bin/swtpm socket --tpm2 ...} expecting it to refuse to start; returns its output. */
    static String refusal(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(JswtpmProcess.launcher().toString(), "socket", "--tpm2",
                "--server", "type=tcp,port=" + JswtpmProcess.freePort(), "--flags", "not-need-init,startup-clear"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "the process did not exit");
        String output = new String(p.getInputStream().readAllBytes());
        assertEquals(1, p.exitValue(), output);
        return output;
    }

    @Test
    void anAcknowledgedClockSetSurvivesKill9() throws Exception {
        long set = 1L << 40;
        try (JswtpmProcess tpm = start(dir)) {
            assertEquals("80020000001300000000000000000000010000", command(tpm.dataPort, clockSet(set)));
            tpm.kill();
        }
        try (JswtpmProcess tpm = start(dir)) {
            assertTrue(clock(command(tpm.dataPort, READ_CLOCK)) >= set);
        }
    }

    /** TPM2_PCR_Allocate(TPM_RH_PLATFORM): SHA-256 always, SHA-1 too if {@code withSha1}. */
    static String pcrAllocate(boolean withSha1) {
        return "80020000002b" + "0000012b" + "4000000c" + "00000009" + "40000009" + "0000" + "00" + "0000"
                + "00000002" + "000b03ffffff" + "000403" + (withSha1 ? "ffffff" : "000000");
    }

    /** NV counter index 0x01500010 (AUTHWRITE, AUTHREAD, NO_DA, empty authValue). */
    static final String NV_COUNTER = "01500010";
    /** TPM2_NV_DefineSpace(TPM_RH_OWNER) of {@link #NV_COUNTER}, SHA-256 name, 8 bytes. */
    static final String NV_DEFINE_COUNTER = "80020000002d" + "0000012a" + "40000001" + "00000009" + "40000009"
            + "0000" + "00" + "0000" + "0000" + "000e" + NV_COUNTER + "000b" + "02040014" + "0000" + "0008";
    /** TPM2_NV_Increment of {@link #NV_COUNTER} with its (empty) authValue. */
    static final String NV_INCREMENT = "80020000001f" + "00000134" + NV_COUNTER + NV_COUNTER + "00000009" + "40000009"
            + "0000" + "00" + "0000";
    /** TPM2_NV_Read of the 8 bytes of {@link #NV_COUNTER}. */
    static final String NV_READ_COUNTER = "800200000023" + "0000014e" + NV_COUNTER + NV_COUNTER + "00000009"
            + "40000009" + "0000" + "00" + "0000" + "0008" + "0000";

    /** The counter's value from a TPM2_NV_Read response. */
    static long counter(String nvRead) {
        assertTrue(nvRead.startsWith("80020000001d00000000"), nvRead);
        return Long.parseUnsignedLong(nvRead.substring(32, 48), 16);
    }

    /** TPM2_GetCapability(TPM_CAP_PCRS): the active banks after the last TPM Reset. */
    /** The two endorsement authValues the kill loop switches between. */
    static final String[] ENDORSEMENT_AUTHS = {"", "656e646f7273656d656e74"};
    static final int PERSISTENT = 0x81000001;
    static final String GET_CAP_PERSISTENT = "800100000016" + "0000017a" + "00000001" + "81000000" + "00000001";
    static final String OK_NO_PARAMETERS = "80020000001300000000";

    /** A TPM2B of {@code hex} bytes. */
    static String b2(String hex) {
        return String.format("%04x", hex.length() / 2) + hex;
    }

    /** A command with one password session holding {@code auth}, its size filled in. */
    static String withPassword(String cc, String handles, String auth, String params) {
        String area = "40000009" + "0000" + "00" + b2(auth);
        String body = cc + handles + String.format("%08x", area.length() / 2) + area + params;
        return "8002" + String.format("%08x", 6 + body.length() / 2) + body;
    }

    /** TPM2_HierarchyChangeAuth(TPM_RH_ENDORSEMENT) from {@code auth} to {@code newAuth}. */
    static String changeEndorsementAuth(String auth, String newAuth) {
        return withPassword("00000129", "4000000b", auth, b2(newAuth));
    }

    /** TPM2_EvictControl(TPM_RH_OWNER, object, PERSISTENT): persists a transient object or evicts it. */
    static String evictControl(int object) {
        return withPassword("00000120", "40000001" + String.format("%08x", object), "", String.format("%08x", PERSISTENT));
    }

    /** The number of persistent handles TPM2_GetCapability reports from 0x81000000 (at most one asked). */
    static int persistentCount(String response) {
        return Integer.parseInt(response.substring(30, 38), 16);
    }

    /** Which endorsement authValue is in force: the acknowledged one, else the one in flight. */
    static int endorsementAuth(int port, int acknowledged, int inFlight) throws IOException {
        for (int candidate : new int[] {acknowledged, inFlight}) {
            String auth = ENDORSEMENT_AUTHS[candidate];
            if (command(port, changeEndorsementAuth(auth, auth)).startsWith(OK_NO_PARAMETERS)) {
                return candidate;
            }
        }
        throw new AssertionError("the endorsement authValue is neither the acknowledged nor the one in flight");
    }

    static final String GET_CAP_PCRS = "800100000016" + "0000017a" + "00000005" + "00000000" + "00000001";

    /**
     * The crash test: a stream of state-changing commands (TPM2_ClockSet, TPM2_NV_Increment,
     * TPM2_PCR_Allocate) against {@code bin/swtpm}, killed with SIGKILL at random moments. Every restart
     * loads, and every acknowledged change is there: the Clock is never behind the last acknowledged
     * ClockSet, the NV counter is at the last acknowledged value or one above (the increment in flight),
     * and the PCR allocation is the last acknowledged one or the one in flight when the process died.
     */
    @Test
    void killedAtRandomMomentsEveryRestartHasEveryAcknowledgedChange() throws Exception {
        String[] banks = new String[2];
        for (int withSha1 = 0; withSha1 < 2; withSha1++) {
            try (JswtpmProcess tpm = start(dir)) {
                assertTrue(command(tpm.dataPort, pcrAllocate(withSha1 == 1)).startsWith("80020000002000000000"));
                tpm.kill();
            }
            try (JswtpmProcess tpm = start(dir)) {
                banks[withSha1] = command(tpm.dataPort, GET_CAP_PCRS);
                tpm.kill();
            }
        }
        assertFalse(banks[0].equals(banks[1]), "the allocation shows in TPM2_GetCapability");
        long acknowledgedCount;
        try (JswtpmProcess tpm = start(dir)) {
            assertTrue(command(tpm.dataPort, NV_DEFINE_COUNTER).startsWith("80020000001300000000"));
            assertTrue(command(tpm.dataPort, NV_INCREMENT).startsWith("80020000001300000000"));
            acknowledgedCount = counter(command(tpm.dataPort, NV_READ_COUNTER));
            tpm.kill();
        }
        Random random = new Random(42);
        long acknowledgedClock = 0;
        int acknowledgedBanks = 1;
        int inFlightBanks = 1;
        int acknowledgedAuth = 0;
        int inFlightAuth = 0;
        boolean acknowledgedPersistent = false;
        boolean inFlightPersistent = false;
        for (int i = 0; i < ITERATIONS; i++) {
            try (JswtpmProcess tpm = start(dir)) {
                long now = clock(command(tpm.dataPort, READ_CLOCK));
                assertTrue(now >= acknowledgedClock, "iteration " + i + ": clock " + now + " < acknowledged "
                        + acknowledgedClock);
                String active = command(tpm.dataPort, GET_CAP_PCRS);
                assertTrue(active.equals(banks[acknowledgedBanks]) || active.equals(banks[inFlightBanks]),
                        "iteration " + i + ": allocation neither acknowledged nor in flight");
                acknowledgedBanks = active.equals(banks[1]) ? 1 : 0;
                long count = counter(command(tpm.dataPort, NV_READ_COUNTER));
                assertTrue(count == acknowledgedCount || count == acknowledgedCount + 1,
                        "iteration " + i + ": NV counter " + count + ", acknowledged " + acknowledgedCount);
                acknowledgedCount = count;
                inFlightBanks = acknowledgedBanks;
                acknowledgedAuth = endorsementAuth(tpm.dataPort, acknowledgedAuth, inFlightAuth);
                inFlightAuth = acknowledgedAuth;
                boolean persistent = persistentCount(command(tpm.dataPort, GET_CAP_PERSISTENT)) == 1;
                assertTrue(persistent == acknowledgedPersistent || persistent == inFlightPersistent,
                        "iteration " + i + ": persistent object neither acknowledged nor in flight");
                acknowledgedPersistent = persistent;
                inFlightPersistent = persistent;
                String primary = command(tpm.dataPort, HEX.formatHex(RawCommands.createPrimaryEccP256()));
                assertTrue(primary.startsWith("8002"), "CreatePrimary: " + primary);
                int loaded = Integer.parseUnsignedInt(primary.substring(20, 28), 16);
                long target = Math.max(now, acknowledgedClock) + 1_000_000_000L;
                Thread killer = new Thread(() -> {
                    try {
                        Thread.sleep(random.nextInt(40));
                        tpm.kill();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                });
                killer.start();
                for (int n = 0; n < 1000; n++, target += 1000) {
                    try {
                        if (n % 7 == 3) {
                            inFlightAuth = 1 - acknowledgedAuth;
                            if (command(tpm.dataPort, changeEndorsementAuth(ENDORSEMENT_AUTHS[acknowledgedAuth],
                                    ENDORSEMENT_AUTHS[inFlightAuth])).startsWith(OK_NO_PARAMETERS)) {
                                acknowledgedAuth = inFlightAuth;
                            }
                        } else if (n % 11 == 6) {
                            inFlightPersistent = !acknowledgedPersistent;
                            if (command(tpm.dataPort, evictControl(acknowledgedPersistent ? PERSISTENT : loaded))
                                    .startsWith(OK_NO_PARAMETERS)) {
                                acknowledgedPersistent = inFlightPersistent;
                            }
                        } else if (n % 3 == 1) {
                            if (command(tpm.dataPort, NV_INCREMENT).startsWith("80020000001300000000")) {
                                acknowledgedCount++;
                            }
                        } else if (n % 5 == 4) {
                            inFlightBanks = 1 - acknowledgedBanks;
                            if (command(tpm.dataPort, pcrAllocate(inFlightBanks == 1))
                                    .startsWith("80020000002000000000")) {
                                acknowledgedBanks = inFlightBanks;
                            }
                        } else if (command(tpm.dataPort, clockSet(target)).startsWith("80020000001300000000")) {
                            acknowledgedClock = target;
                        }
                    } catch (IOException killed) {
                        break;
                    }
                }
                killer.join();
            }
        }
        try (JswtpmProcess tpm = start(dir)) {
            assertTrue(clock(command(tpm.dataPort, READ_CLOCK)) >= acknowledgedClock);
        }
    }

    @Test
    void mode0600() throws Exception {
        try (JswtpmProcess tpm = start(dir, "--tpmstate", "dir=" + dir + ",mode=0600")) {
            command(tpm.dataPort, READ_CLOCK);
            assertEquals("rw-------", PosixFilePermissions.toString(
                    Files.getPosixFilePermissions(dir.resolve("tpm2-00.permall"))));
        }
    }

    @Test
    void aSecondProcessOnTheSameDirectoryFailsAtOnce() throws Exception {
        try (JswtpmProcess tpm = start(dir)) {
            long t0 = System.nanoTime();
            String output = refusal("--tpmstate", "dir=" + dir);
            assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(15));
            assertTrue(output.contains(dir.toString()) && output.contains("lock"), output);
            assertTrue(command(tpm.dataPort, READ_CLOCK).startsWith("8001"), "the first one still serves");
        }
    }

    @Test
    void wrongKeyRefusesToStartNamingTheFile() throws Exception {
        Path right = Files.writeString(dir.resolve("right.key"), "000102030405060708090a0b0c0d0e0f");
        Path wrong = Files.writeString(dir.resolve("wrong.key"), "0f0e0d0c0b0a09080706050403020100");
        Path state = Files.createDirectories(dir.resolve("state"));
        try (JswtpmProcess tpm = start(state, "--key", "file=" + right)) {
            command(tpm.dataPort, clockSet(1L << 41));
        }
        String output = refusal("--tpmstate", "dir=" + state, "--key", "file=" + wrong);
        assertTrue(output.contains(state.resolve("tpm2-00.permall").toString()), output);
        try (JswtpmProcess tpm = start(state, "--key", "file=" + right)) {
            assertTrue(clock(command(tpm.dataPort, READ_CLOCK)) >= 1L << 41);
        }
    }

    @Test
    void aFlippedByteInPermallIsRefused() throws Exception {
        Path key = Files.writeString(dir.resolve("k"), "000102030405060708090a0b0c0d0e0f");
        Path state = Files.createDirectories(dir.resolve("state"));
        try (JswtpmProcess tpm = start(state, "--key", "file=" + key)) {
            command(tpm.dataPort, READ_CLOCK);
        }
        Path permall = state.resolve("tpm2-00.permall");
        byte[] blob = Files.readAllBytes(permall);
        blob[blob.length / 2] ^= 0x20;
        Files.write(permall, blob);
        String output = refusal("--tpmstate", "dir=" + state, "--key", "file=" + key);
        assertTrue(output.contains(permall.toString()), output);
        assertTrue(java.util.Arrays.equals(blob, Files.readAllBytes(permall)), "left as it was");
    }

    @Test
    void aFlippedHeaderByteOfAPlainPermallIsRefused() throws Exception {
        try (JswtpmProcess tpm = start(dir)) {
            command(tpm.dataPort, READ_CLOCK);
        }
        Path permall = dir.resolve("tpm2-00.permall");
        byte[] blob = Files.readAllBytes(permall);
        blob[17] ^= 0x01; // the engine blob's magic
        Files.write(permall, blob);
        String output = refusal("--tpmstate", "dir=" + dir);
        assertTrue(output.contains(permall.toString()), output);
    }

    /** libvirt passes the passphrase on an inherited pipe: {@code --key pwdfd=N,mode=aes-256-cbc}. */
    @Test
    void passphraseFromAPipeAsLibvirtPassesIt() throws Exception {
        String bash = ExternalTools.require("bash");
        Path state = Files.createDirectories(dir.resolve("state"));
        for (int round = 0; round < 2; round++) {
            int data = JswtpmProcess.freePort();
            String script = "exec \"$0\" socket --tpm2 --server type=tcp,port=" + data + " --flags not-need-init,"
                    + "startup-clear --tpmstate dir=" + state + ",mode=0600 --key pwdfd=3,mode=aes-256-cbc "
                    + "--migration-key pwdfd=4,mode=aes-256-cbc 3< <(printf %s 'vm secret') 4< <(printf %s 'mig')";
            Process p = new ProcessBuilder(bash, "-c", script, JswtpmProcess.launcher().toString())
                    .redirectErrorStream(true).start();
            try {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                String r = null;
                while (r == null && System.nanoTime() < deadline && p.isAlive()) {
                    try {
                        r = command(data, READ_CLOCK);
                    } catch (IOException notYet) {
                        Thread.sleep(100);
                    }
                }
                assertTrue(r != null, new String(p.getInputStream().readNBytes(p.getInputStream().available())));
                if (round == 0) {
                    command(data, clockSet(1L << 42));
                } else {
                    assertTrue(clock(r) >= 1L << 42);
                }
            } finally {
                p.destroyForcibly();
                p.waitFor();
            }
        }
        byte[] permall = Files.readAllBytes(state.resolve("tpm2-00.permall"));
        assertEquals(0x09, permall[5], "encrypted with a 256-bit state-file key");
        assertFalse(new String(permall, java.nio.charset.StandardCharsets.ISO_8859_1).contains("JSWP"));
    }
}
