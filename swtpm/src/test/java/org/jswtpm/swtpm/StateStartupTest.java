package org.jswtpm.swtpm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.jswtpm.core.Tpm2;
import org.jswtpm.core.testing.TestTpm;
import org.jswtpm.store.KeyOption;
import org.jswtpm.store.TpmStateOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Starting on stored state: a torn, truncated, foreign or wrongly keyed file stops the start with a
 * message naming the file (never a fresh TPM in its place); file modes; the {@code file://} backend;
 * {@code backup}; {@code --print-states}.
 */
class StateStartupTest {
    private static final TpmEngineFactory ENGINE = (stored, sink) -> {
        Tpm2.Builder b = Tpm2.builder().deterministicSeed(TestTpm.SEED).stateSink(sink);
        stored.forEach(b::state);
        return b.build();
    };

    @TempDir
    Path dir;

    private SwtpmOptions options() {
        return new SwtpmOptions(true, 0, "127.0.0.1", false, 0, "127.0.0.1", false, false, dir, 0640, true,
                true, StartupType.CLEAR, false, false, null, SwtpmOptions.LogOptions.NONE);
    }

    private SwtpmProcess start(String tpmstate, String key) throws Exception {
        StateConfig state = new StateConfig(TpmStateOptions.parse(tpmstate),
                key == null ? null : KeyOption.parse("--key", key), null, false, false);
        return SwtpmProcess.start(options(), state, SwtpmLog.silent(), ENGINE);
    }

    private String refusal(String tpmstate, String key) {
        return assertThrows(IOException.class, () -> start(tpmstate, key).close()).getMessage();
    }

    private Path keyFile(String hex) throws IOException {
        Path k = dir.resolve("key-" + hex.substring(0, 4));
        Files.writeString(k, hex);
        return k;
    }

    private Path permall() {
        return dir.resolve("tpm2-00.permall");
    }

    @Test
    void defaultModeIs0640AndModeOptionIsExact() throws Exception {
        start("dir=" + dir, null).close();
        assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(permall())));
        start("dir=" + dir + ",mode=0600", null).close();
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(permall())));
    }

    @Test
    void wrongKeyRefusesToStartNamingTheFile() throws Exception {
        Path right = keyFile("000102030405060708090a0b0c0d0e0f");
        Path wrong = keyFile("f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff");
        start("dir=" + dir, "file=" + right).close();
        byte[] before = Files.readAllBytes(permall());
        assertEquals(0x01, before[5], "encrypted with the state-file key");
        String message = refusal("dir=" + dir, "file=" + wrong);
        assertTrue(message.contains(permall().toString()), message);
        assertTrue(Files.exists(permall()));
        String noKey = refusal("dir=" + dir, null);
        assertTrue(noKey.contains(permall().toString()), noKey);
        start("dir=" + dir, "file=" + right).close();
    }

    @Test
    void aFlippedByteInAnEncryptedFileIsDetected() throws Exception {
        Path key = keyFile("000102030405060708090a0b0c0d0e0f");
        start("dir=" + dir, "file=" + key).close();
        byte[] blob = Files.readAllBytes(permall());
        blob[blob.length / 2] ^= 0x01;
        Files.write(permall(), blob);
        String message = refusal("dir=" + dir, "file=" + key);
        assertTrue(message.contains(permall().toString()), message);
    }

    @Test
    void aFlippedByteInThePlainEngineBlobIsRefused() throws Exception {
        start("dir=" + dir, null).close();
        byte[] blob = Files.readAllBytes(permall());
        blob[22] ^= 0x40; // inside the engine blob's magic
        Files.write(permall(), blob);
        String message = refusal("dir=" + dir, null);
        assertTrue(message.contains(permall().toString()), message);
        assertEquals(blob.length, Files.size(permall()), "never replaced by a fresh TPM");
    }

    @Test
    void truncatedAndForeignFilesAreRefused() throws Exception {
        start("dir=" + dir, null).close();
        byte[] blob = Files.readAllBytes(permall());
        Files.write(permall(), java.util.Arrays.copyOf(blob, blob.length - 7));
        assertTrue(refusal("dir=" + dir, null).contains(permall().toString()));
        Files.writeString(permall(), "this is not a TPM state file at all");
        assertTrue(refusal("dir=" + dir, null).contains(permall().toString()));
        Files.write(permall(), new byte[0]);
        assertTrue(refusal("dir=" + dir, null).contains(permall().toString()));
    }

    @Test
    void aTornSaveStateIsRefusedNamingIt() throws Exception {
        try (SwtpmProcess p = start("dir=" + dir, null)) {
            p.server();
        }
        Path save = dir.resolve("tpm2-00.savestate");
        assertTrue(Files.exists(save), "automatic Shutdown(STATE) at exit");
        byte[] blob = Files.readAllBytes(save);
        Files.write(save, java.util.Arrays.copyOf(blob, 40));
        String message = refusal("dir=" + dir, null);
        assertTrue(message.contains(save.toString()), message);
    }

    @Test
    void linearFileBackendKeepsTheState() throws Exception {
        Path file = dir.resolve("tpm.img");
        Files.createFile(file);
        String first;
        try (SwtpmProcess p = start("backend-uri=file://" + file + ",lock", null)) {
            first = StateBlobControlTest.data(p, StateBlobControlTest.READ_CLOCK).substring(52, 60);
            assertThrows(IOException.class, () -> start("backend-uri=file://" + file + ",lock", null));
        }
        assertEquals("6e696c6d70747773", TestServer.HEX.formatHex(Files.readAllBytes(file), 0, 8));
        try (SwtpmProcess p = start("backend-uri=file://" + file, null)) {
            String second = StateBlobControlTest.data(p, StateBlobControlTest.READ_CLOCK).substring(52, 60);
            assertEquals(Integer.parseInt(first, 16), Integer.parseInt(second, 16), "a TPM Restart, same reset count");
        }
    }

    @Test
    void backupKeepsThePreviousPermall() throws Exception {
        try (SwtpmProcess p = start("dir=" + dir + ",backup", null)) {
            StateBlobControlTest.data(p, StateBlobControlTest.PCR_EXTEND_16);
        }
        assertTrue(Files.exists(dir.resolve("tpm2-00.permall.bak")));
    }

    @Test
    void printStatesListsTheBlobsWithTheirSizes() throws Exception {
        start("dir=" + dir, null).close();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int status = Main.run(new String[] {"socket", "--tpm2", "--print-states", "--tpmstate", "dir=" + dir},
                Map.of(), new PrintStream(out), new PrintStream(new ByteArrayOutputStream()), ENGINE);
        assertEquals(0, status);
        assertEquals("{ \"type\": \"swtpm\", \"states\": [ {\"name\": \"permall\", \"size\": " + Files.size(permall())
                + "}, {\"name\": \"savestate\", \"size\": " + Files.size(dir.resolve("tpm2-00.savestate")) + "} ] }",
                out.toString(StandardCharsets.US_ASCII));
    }

    @Test
    void keyFileIsRemovedWithRemove() throws Exception {
        Path key = keyFile("000102030405060708090a0b0c0d0e0f");
        start("dir=" + dir, "file=" + key + ",remove").close();
        assertFalse(Files.exists(key));
    }

    @Test
    void aSecondProcessFailsAtOnceNamingTheLock() throws Exception {
        try (SwtpmProcess p = start("dir=" + dir, null)) {
            long t0 = System.nanoTime();
            String message = refusal("dir=" + dir, null);
            assertTrue(System.nanoTime() - t0 < 2_000_000_000L);
            assertTrue(message.contains(dir.toString()) && message.contains("locked"), message);
        }
    }

    /** TPM2_PCR_Extend(PCR 5, SHA-256 digest 0x55..55) with an empty password session. */
    private static final String PCR_EXTEND_5 = "80020000004100000182 00000005 00000009 40000009 0000 00 0000"
            + " 00000001 000b " + "55".repeat(32);
    private static final String PCR_READ_5 = "8001000000140000017e 00000001 000b 03 200000";

    /** Shutdown(STATE), a new process with {@code --flags startup-state}: PCR 5 is back; startup-clear resets it. */
    @Test
    void startupStateResumesThePcrsOfTheSaveState() throws Exception {
        String extended;
        try (SwtpmProcess p = start("dir=" + dir, null)) {
            StateBlobControlTest.data(p, PCR_EXTEND_5);
            extended = StateBlobControlTest.data(p, PCR_READ_5);
            assertEquals("80010000000a00000000", StateBlobControlTest.data(p, "80010000000c000001450001"));
        }
        SwtpmOptions resume = options().withFlags(true, StartupType.STATE, false);
        StateConfig state = new StateConfig(TpmStateOptions.parse("dir=" + dir), null, null, false, false);
        try (SwtpmProcess p = SwtpmProcess.start(resume, state, SwtpmLog.silent(), ENGINE)) {
            String resumed = StateBlobControlTest.data(p, PCR_READ_5);
            assertEquals(extended.substring(28), resumed.substring(28), "PCR 5 (the update counter may differ)");
        }
        try (SwtpmProcess p = start("dir=" + dir, null)) {
            assertTrue(StateBlobControlTest.data(p, PCR_READ_5).endsWith("00".repeat(32)));
        }
    }

    private static final String NV_AUTH = "supersecretauth1";
    private static final String NV_MARKER = "MARKER-SECRET-01";

    /** NV_DefineSpace(owner) of 0x01500020: ordinary, AUTHWRITE | AUTHREAD | NO_DA, 16 bytes, authValue NV_AUTH. */
    private static String nvDefine() {
        return "80020000003d" + "0000012a" + "40000001" + "00000009" + "40000009" + "0000" + "00" + "0000"
                + "0010" + TestServer.HEX.formatHex(NV_AUTH.getBytes(StandardCharsets.US_ASCII))
                + "000e" + "01500020" + "000b" + "02040004" + "0000" + "0010";
    }

    /** NV_Write of NV_MARKER into 0x01500020 with its authValue. */
    private static String nvWrite() {
        return "800200000043" + "00000137" + "01500020" + "01500020" + "00000019" + "40000009" + "0000" + "00"
                + "0010" + TestServer.HEX.formatHex(NV_AUTH.getBytes(StandardCharsets.US_ASCII))
                + "0010" + TestServer.HEX.formatHex(NV_MARKER.getBytes(StandardCharsets.US_ASCII)) + "0000";
    }

    private boolean anyStateFileContains(String text) throws IOException {
        byte[] needle = text.getBytes(StandardCharsets.US_ASCII);
        try (var files = Files.list(dir)) {
            for (Path f : (Iterable<Path>) files.filter(f -> f.getFileName().toString().startsWith("tpm2-"))::iterator) {
                String content = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
                if (content.contains(new String(needle, StandardCharsets.ISO_8859_1))) {
                    return true;
                }
            }
        }
        return false;
    }

    /** With a state key, an NV index's data and authValue never appear in any state file; without, they do. */
    @Test
    void secretsNeverAppearInPlaintextWithAKey() throws Exception {
        Path key = keyFile("000102030405060708090a0b0c0d0e0f");
        for (boolean encrypted : new boolean[] {false, true}) {
            try (var files = Files.list(dir)) {
                for (Path f : (Iterable<Path>) files.filter(f -> f.getFileName().toString().startsWith("tpm2-"))::iterator) {
                    Files.delete(f);
                }
            }
            try (SwtpmProcess p = start("dir=" + dir, encrypted ? "file=" + key : null)) {
                assertTrue(StateBlobControlTest.data(p, nvDefine()).startsWith("80020000001300000000"));
                assertTrue(StateBlobControlTest.data(p, nvWrite()).startsWith("80020000001300000000"));
                assertEquals("00000000", StateBlobControlTest.ctrl(p, "0000000a", 4), "STORE_VOLATILE");
            }
            assertTrue(Files.exists(dir.resolve("tpm2-00.volatilestate")));
            assertEquals(!encrypted, anyStateFileContains(NV_MARKER), "NV data, encrypted=" + encrypted);
            assertEquals(!encrypted, anyStateFileContains(NV_AUTH), "NV authValue, encrypted=" + encrypted);
        }
    }

    @Test
    void printStatesOfAMissingLinearFileCreatesNothing() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Path file = dir.resolve("none.img");
        assertEquals(0, Main.run(new String[] {"socket", "--tpm2", "--print-states", "--tpmstate",
            "backend-uri=file://" + file}, Map.of(), new PrintStream(out), new PrintStream(new ByteArrayOutputStream()),
                ENGINE));
        assertEquals("{ \"type\": \"swtpm\", \"states\": [] }", out.toString(StandardCharsets.US_ASCII));
        assertFalse(Files.exists(file));
    }

    /** A new TPM is never written into a state another process holds: the start fails, naming the lock. */
    @Test
    void aNewTpmIsNotWrittenUnderAnotherProcesssLock() throws Exception {
        try (SwtpmProcess holder = start("dir=" + dir, null)) {
            Files.delete(permall());
            SwtpmOptions waitForInit = options().withFlags(false, StartupType.NONE, false);
            StateConfig state = new StateConfig(TpmStateOptions.parse("dir=" + dir), null, null, false, false);
            IOException e = assertThrows(IOException.class,
                    () -> SwtpmProcess.start(waitForInit, state, SwtpmLog.silent(), ENGINE).close());
            assertTrue(e.getMessage().contains("locked"), e.getMessage());
            assertFalse(Files.exists(permall()));
        }
    }
}
