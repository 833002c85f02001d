package org.jswtpm.swtpm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import org.jswtpm.core.Tpm2;
import org.jswtpm.core.testing.TestTpm;
import org.jswtpm.store.KeyOption;
import org.jswtpm.store.TpmStateOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * GET_STATEBLOB, SET_STATEBLOB, STORE_VOLATILE, LOCK_STORAGE and GET_CONFIG of a whole process (real
 * engine, state directory) over loopback sockets, with swtpm's exact bytes (fact sheet §2.2, §2.5, §3.4),
 * and the migration QEMU performs: GET 1/2/3 from one process, STOP + SET 1/2/3 into another on an empty
 * directory, INIT(DELETE_VOLATILE).
 */
class StateBlobControlTest {
    static final HexFormat HEX = HexFormat.of();
    private static final TpmEngineFactory ENGINE = (stored, sink) -> {
        Tpm2.Builder b = Tpm2.builder().deterministicSeed(TestTpm.SEED).stateSink(sink);
        stored.forEach(b::state);
        return b.build();
    };
    private static final TpmEngineFactory OTHER_ENGINE = (stored, sink) -> {
        Tpm2.Builder b = Tpm2.builder().deterministicSeed(new byte[] {7, 7, 7}).stateSink(sink);
        stored.forEach(b::state);
        return b.build();
    };
    /** TPM2_PCR_Extend(PCR 16, SHA-256 digest 0x11..11) with an empty password session. */
    static final String PCR_EXTEND_16 = "80020000004100000182 00000010 00000009 40000009 0000 00 0000"
            + " 00000001 000b " + "11".repeat(32);
    /** TPM2_PCR_Read(SHA-256 PCR 16). */
    static final String PCR_READ_16 = "80010000001400 00017e 00000001 000b 03 000001";
    static final String READ_CLOCK = "80010000000a00000181";

    @TempDir
    Path source;
    @TempDir
    Path destination;

    private static SwtpmOptions options(Path dir, boolean notNeedInit) {
        return new SwtpmOptions(true, 0, "127.0.0.1", false, 0, "127.0.0.1", false, false, dir, 0600, true,
                notNeedInit, notNeedInit ? StartupType.CLEAR : StartupType.NONE, false, false, null,
                SwtpmOptions.LogOptions.NONE);
    }

    private static StateConfig state(Path dir, boolean incoming, KeyOption key, KeyOption migrationKey) {
        return new StateConfig(TpmStateOptions.parse("dir=" + dir + ",mode=0600"), key, migrationKey, incoming,
                incoming);
    }

    static SwtpmProcess start(Path dir, boolean notNeedInit, StateConfig state, TpmEngineFactory engine)
            throws Exception {
        return SwtpmProcess.start(options(dir, notNeedInit), state, SwtpmLog.silent(), engine);
    }

    static String data(SwtpmProcess p, String hex) throws IOException {
        try (Socket s = new Socket("127.0.0.1", p.server().dataPort())) {
            s.setSoTimeout(5000);
            String header = TestServer.exchange(s, hex, 10);
            int size = Integer.parseInt(header.substring(4, 12), 16);
            return header + HEX.formatHex(s.getInputStream().readNBytes(size - 10));
        }
    }

    static String ctrl(SwtpmProcess p, String hex, int length) throws IOException {
        try (Socket s = new Socket("127.0.0.1", p.server().ctrlPort())) {
            s.setSoTimeout(5000);
            return TestServer.exchange(s, hex, length);
        }
    }

    /** A GET_STATEBLOB answer: the 16-byte header, then {@code length} bytes. */
    record Blob(int result, int flags, byte[] data) { }

    static Blob get(SwtpmProcess p, int flags, int type) throws IOException {
        try (Socket s = new Socket("127.0.0.1", p.server().ctrlPort())) {
            s.setSoTimeout(5000);
            byte[] header = HEX.parseHex(TestServer.exchange(s,
                    String.format("0000000c%08x%08x00000000", flags, type), 16));
            ByteBuffer h = ByteBuffer.wrap(header);
            int result = h.getInt();
            int respFlags = h.getInt();
            int total = h.getInt();
            int length = h.getInt();
            assertEquals(total, length, "totlength == length on a socket");
            return new Blob(result, respFlags, s.getInputStream().readNBytes(length));
        }
    }

    /** SET_STATEBLOB as QEMU sends it: the 12-byte header in one write, the blob in further writes. */
    static String set(SwtpmProcess p, int flags, int type, byte[] blob) throws Exception {
        try (Socket s = new Socket("127.0.0.1", p.server().ctrlPort())) {
            s.setSoTimeout(5000);
            OutputStream out = s.getOutputStream();
            out.write(HEX.parseHex(String.format("0000000d%08x%08x%08x", flags, type, blob.length)));
            out.flush();
            Thread.sleep(20);
            int half = blob.length / 2;
            out.write(blob, 0, half);
            out.flush();
            Thread.sleep(20);
            out.write(blob, half, blob.length - half);
            out.flush();
            return HEX.formatHex(s.getInputStream().readNBytes(4));
        }
    }

    private static int u32(byte[] b, int off) {
        return ByteBuffer.wrap(b, off, 4).getInt();
    }

    @Test
    void capabilitiesIncludeTheStateCommands() throws Exception {
        try (SwtpmProcess p = start(source, true, state(source, false, null, null), ENGINE)) {
            int caps = (int) Long.parseLong(ctrl(p, "00000001", 8).substring(8), 16);
            assertEquals(0x100 | 0x200 | 0x10000, caps & (0x100 | 0x200 | 0x10000));
            assertEquals("0000000000000000", ctrl(p, "0000000f", 8), "GET_CONFIG: no keys");
        }
    }

    @Test
    void permanentBlobIsAPlainMigrationBlob() throws Exception {
        try (SwtpmProcess p = start(source, true, state(source, false, null, null), ENGINE)) {
            Blob b = get(p, 1, 1);
            assertEquals(0, b.result());
            assertEquals(0, b.flags());
            byte[] d = b.data();
            int n = d.length;
            // header: version 2, min 1, hdrsize 10, flags MIGRATION_DATA, totlen
            assertEquals("0201000a0004" + String.format("%08x", n), HEX.formatHex(d, 0, 10));
            // TLV 4 (migration data) holding TLV 1 (data) holding the engine's blob ("JSWP", version)
            assertEquals(String.format("0004%08x0001%08x", n - 16, n - 22) + "4a535750",
                    HEX.formatHex(d, 10, 26));
        }
    }

    @Test
    void missingSaveStateIsRetryWithoutData() throws Exception {
        try (SwtpmProcess p = start(source, true, state(source, false, null, null), ENGINE)) {
            assertEquals("00000800 00000000 00000000 00000000".replace(" ", ""),
                    ctrl(p, "0000000c 00000001 00000003 00000000", 16));
        }
    }

    @Test
    void getNeedsARunningTpmAndSetAStoppedOne() throws Exception {
        try (SwtpmProcess p = start(source, true, state(source, false, null, null), ENGINE)) {
            assertEquals("0000000a", ctrl(p, "0000000d 00000000 00000001 00000000", 4), "SET while running");
            assertEquals("00000000", ctrl(p, "0000000e", 4));
            assertEquals("0000000a", ctrl(p, "0000000c 00000001 00000001 00000000", 4), "GET while stopped");
            assertEquals("00000009", ctrl(p, "0000000d 00000000 00000001 00080001" + "00".repeat(64), 4),
                    "more than 512 KiB");
            assertEquals("00000003", ctrl(p, "0000000d 00000000 00000001 00000001 0000", 4),
                    "more data than the length");
            assertEquals("00000003", set(p, 0, 7, new byte[] {1}), "unknown type");
            assertEquals("00000003", set(p, 0, 1, new byte[] {2, 1, 0, 10, 0, 4, 0, 0, 0, 12, 0}),
                    "header length mismatch");
            assertEquals("00000009", set(p, 0, 1, HEX.parseHex("0201000a000400000014 00040000000400000000"
                    .replace(" ", ""))), "TLV 4 without data");
        }
    }

    @Test
    void unknownTypeOnGetIsTpmFail() throws Exception {
        try (SwtpmProcess p = start(source, true, state(source, false, null, null), ENGINE)) {
            assertEquals("00000009000000000000000000000000", ctrl(p, "0000000c 00000000 00000004 00000000", 16));
        }
    }

    @Test
    void getVolatileWritesAndThenDeletesTheVolatileFile() throws Exception {
        try (SwtpmProcess p = start(source, true, state(source, false, null, null), ENGINE)) {
            assertEquals("00000000", ctrl(p, "0000000a", 4), "STORE_VOLATILE");
            Path file = source.resolve("tpm2-00.volatilestate");
            assertTrue(Files.exists(file));
            assertEquals("0201000a0000", HEX.formatHex(Files.readAllBytes(file), 0, 6));
            Blob b = get(p, 1, 2);
            assertEquals(0, b.result());
            assertFalse(Files.exists(file));
            assertEquals("4a535756", HEX.formatHex(b.data(), 22, 26), "the engine's volatile blob (JSWV)");
        }
    }

    @Test
    void lockIsReleasedAfterTheSaveStateRequestAndRetakenByLockStorage() throws Exception {
        try (SwtpmProcess p = start(source, true, state(source, false, null, null), ENGINE)) {
            assertTrue(p.state().isLocked());
            get(p, 1, 3);
            assertFalse(p.state().isLocked());
            try (SwtpmProcess other = start(source, false, state(source, true, null, null), ENGINE)) {
                assertEquals("00000000", ctrl(other, "00000013 00000000", 4), "the lock is free");
                assertEquals("00000009", ctrl(p, "00000013 00000002", 4), "LOCK_STORAGE fails while taken");
            }
            assertEquals("00000000", ctrl(p, "00000013 0000012c", 4));
            assertTrue(p.state().isLocked());
        }
    }

    @Test
    void firstCommandRetakesTheLockAfterAFailedMigration() throws Exception {
        try (SwtpmProcess p = start(source, true, state(source, false, null, null), ENGINE)) {
            get(p, 1, 3);
            assertFalse(p.state().isLocked());
            assertTrue(data(p, READ_CLOCK).startsWith("800100000023"));
            assertTrue(p.state().isLocked());
        }
    }

    @Test
    void migrationToAnEmptyDirectory() throws Exception {
        migrate(null, null, null, true);
    }

    @Test
    void migrationWithStateAndMigrationKeys(@TempDir Path keys) throws Exception {
        Path fileKey = keys.resolve("file.key");
        Files.writeString(fileKey, "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff\n");
        Path migrationPass = keys.resolve("migration.pass");
        Files.writeString(migrationPass, "migration secret\n");
        KeyOption key = KeyOption.parse("--key", "file=" + fileKey + ",mode=aes-256-cbc");
        migrate(key, key, KeyOption.parse("--migration-key", "pwdfile=" + migrationPass + ",mode=aes-256-cbc"), false);
    }

    /**
     * As libvirt and QEMU do it between hosts: each side has its own state-file key (a passphrase on a
     * pipe), the same migration key; QEMU asks for DECRYPTED blobs, so only the migration key wraps them
     * and the destination encrypts with its own key.
     */
    @Test
    void migrationBetweenDifferentStateKeysWithAMigrationKey(@TempDir Path keys) throws Exception {
        Path a = Files.writeString(keys.resolve("a.pass"), "source host secret");
        Path b = Files.writeString(keys.resolve("b.pass"), "destination host secret");
        Path m = Files.writeString(keys.resolve("m.pass"), "migration secret");
        migrate(KeyOption.parse("--key", "pwdfile=" + a + ",mode=aes-256-cbc"),
                KeyOption.parse("--key", "pwdfile=" + b + ",mode=aes-256-cbc"),
                KeyOption.parse("--migration-key", "pwdfile=" + m + ",mode=aes-256-cbc"), true);
    }

    /** QEMU's migration (fact sheet §3.4); with keys, blobs stay encrypted with the file key. */
    private void migrate(KeyOption key, KeyOption destinationKey, KeyOption migrationKey, boolean decrypted)
            throws Exception {
        String pcr;
        String clock;
        Blob[] blobs = new Blob[4];
        int getFlags = decrypted ? 1 : 0; // QEMU asks for DECRYPTED; without it the file key layer stays
        boolean staysEncrypted = key != null && !decrypted;
        try (SwtpmProcess a = start(source, true, state(source, false, key, migrationKey), ENGINE)) {
            assertEquals("80020000001300000000" + "00000000" + "0000010000",
                    data(a, PCR_EXTEND_16).replace(" ", ""));
            assertEquals("00000000", ctrl(a, "00000002 00000000", 4), "INIT: a second power cycle");
            assertEquals("80010000000a00000000", data(a, "80010000000c000001440000"));
            assertEquals("80020000001300000000" + "00000000" + "0000010000", data(a, PCR_EXTEND_16));
            pcr = data(a, PCR_READ_16);
            clock = data(a, READ_CLOCK).substring(52, 68);
            assertEquals(String.format("00000000%08x", (key != null ? 1 : 0) | (migrationKey != null ? 2 : 0)),
                    ctrl(a, "0000000f", 8), "GET_CONFIG");
            for (int type = 1; type <= 3; type++) {
                blobs[type] = get(a, getFlags, type);
            }
            assertEquals(0, blobs[1].result());
            assertEquals(staysEncrypted ? 2 : 0, blobs[1].flags(), "ENCRYPTED while the file-key layer stays");
            assertEquals(0, blobs[2].result());
            assertEquals(0x800, blobs[3].result());
            int headerFlags = u32(blobs[1].data(), 2) & 0xffff;
            assertEquals(0x04 | (staysEncrypted ? 0x09 : 0) | (migrationKey == null ? 0 : 0x12), headerFlags);
        }
        try (SwtpmProcess b = start(destination, false,
                state(destination, true, destinationKey, migrationKey), OTHER_ENGINE)) {
            assertEquals("00000000", ctrl(b, "0000000e", 4), "STOP");
            for (int type = 1; type <= 3; type++) {
                if (blobs[type].data().length > 0) {
                    assertEquals("00000000", set(b, blobs[type].flags(), type, blobs[type].data()), "SET " + type);
                }
            }
            assertTrue(b.state().isLocked(), "SET_STATEBLOB took the deferred lock");
            assertEquals("00000000", ctrl(b, "00000002 00000001", 4), "INIT(DELETE_VOLATILE)");
            assertFalse(Files.exists(destination.resolve("tpm2-00.volatilestate")));
            assertEquals(pcr, data(b, PCR_READ_16), "PCR 16 and the update counter came over");
            assertEquals(clock.substring(0, 8), data(b, READ_CLOCK).substring(52, 60), "resetCount");
            assertEquals(clock.substring(8), data(b, READ_CLOCK).substring(60, 68), "restartCount");
            assertNotEquals("80010000000a00000100", data(b, READ_CLOCK), "running without a new Startup");
        }
        // the destination's directory now holds the source's TPM, restartable on its own
        if (destinationKey != null) {
            assertEquals(destinationKey.mode().keyLength() == 32 ? 0x09 : 0x01,
                    Files.readAllBytes(destination.resolve("tpm2-00.permall"))[5], "encrypted with the destination's key");
        }
        try (SwtpmProcess c = start(destination, true, state(destination, false, destinationKey, migrationKey),
                OTHER_ENGINE)) {
            assertEquals(clock.substring(0, 8), data(c, READ_CLOCK).substring(52, 60));
        }
    }

    @Test
    void aBlobNotForThisEngineIsRefusedWithTpmFail() throws Exception {
        try (SwtpmProcess p = start(source, true, state(source, false, null, null), ENGINE)) {
            assertEquals("00000000", ctrl(p, "0000000e", 4));
            byte[] foreign = HEX.parseHex("0201000a00040000001d" + "00040000000d" + "00010000000701020304050607");
            assertEquals("00000009", set(p, 0, 1, foreign));
        }
    }

    /**
     * Live migration on shared storage ({@code --migration incoming,release-lock-outgoing} on the
     * destination): the destination starts while the source holds the lock; the source releases it after
     * the savestate request; SET_STATEBLOB takes it; the source's automatic shutdown at exit can no longer
     * write into the directory.
     */
    @Test
    void migrationOnSharedStorage() throws Exception {
        Blob[] blobs = new Blob[4];
        String pcr;
        try (SwtpmProcess a = start(source, true, state(source, false, null, null), ENGINE);
                SwtpmProcess b = start(source, false, state(source, true, null, null), OTHER_ENGINE)) {
            data(a, PCR_EXTEND_16);
            pcr = data(a, PCR_READ_16);
            for (int type = 1; type <= 3; type++) {
                blobs[type] = get(a, 1, type);
            }
            assertFalse(a.state().isLocked());
            assertEquals("00000000", ctrl(b, "0000000e", 4));
            assertEquals("00000000", set(b, 0, 1, blobs[1].data()));
            assertEquals("00000000", set(b, 0, 2, blobs[2].data()));
            assertTrue(b.state().isLocked());
            byte[] permallOfB = Files.readAllBytes(source.resolve("tpm2-00.permall"));
            a.close(); // automatic Shutdown(STATE): must not reach the shared directory
            org.junit.jupiter.api.Assertions.assertArrayEquals(permallOfB,
                    Files.readAllBytes(source.resolve("tpm2-00.permall")), "the destination's permall untouched");
            assertFalse(Files.exists(source.resolve("tpm2-00.savestate")), "the source wrote no save-state");
            assertEquals("00000000", ctrl(b, "00000002 00000001", 4));
            assertEquals(pcr, data(b, PCR_READ_16));
        }
    }

    /** A new TPM manufactured before INIT is written only under the lock, which it therefore takes. */
    @Test
    void manufacturingANewTpmTakesTheLock() throws Exception {
        try (SwtpmProcess p = start(destination, false, state(destination, false, null, null), ENGINE)) {
            assertTrue(Files.exists(destination.resolve("tpm2-00.permall")));
            assertTrue(p.state().isLocked());
        }
        try (SwtpmProcess p = start(destination, false, state(destination, false, null, null), ENGINE)) {
            assertFalse(p.state().isLocked(), "an existing TPM waits for INIT to lock, as swtpm");
            assertEquals("00000000", ctrl(p, "00000002 00000000", 4));
            assertTrue(p.state().isLocked());
        }
    }

    /** LOCK_STORAGE retries every 10 ms: it succeeds once the other holder lets go within the retries. */
    @Test
    void lockStorageRetriesUntilTheLockIsFree() throws Exception {
        try (SwtpmProcess p = start(source, true, state(source, false, null, null), ENGINE)) {
            get(p, 1, 3);
            SwtpmProcess other = start(source, false, state(source, true, null, null), ENGINE);
            assertEquals("00000000", ctrl(other, "00000013 00000000", 4));
            Thread releaser = new Thread(() -> {
                try {
                    Thread.sleep(150);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                other.close();
            });
            long t0 = System.nanoTime();
            releaser.start();
            assertEquals("00000000", ctrl(p, "00000013 00000064", 4), "100 retries = 1 s");
            long ms = (System.nanoTime() - t0) / 1_000_000;
            releaser.join();
            assertTrue(ms >= 100, "waited " + ms + " ms for the lock");
            assertTrue(p.state().isLocked());
        }
    }

    /**
     * {@code --migration incoming} with {@code --flags not-need-init}: the process starts while another
     * holds the lock; TPM commands fail until the lock can be taken, then the first command takes it.
     * (A {@code startup-*} flag would change state at start, which needs the lock.)
     */
    @Test
    void incomingMigrationDefersTheLockToTheFirstCommand() throws Exception {
        try (SwtpmProcess holder = start(source, true, state(source, false, null, null), ENGINE)) {
            SwtpmOptions notNeedInit = options(source, true).withFlags(true, StartupType.NONE, false);
            SwtpmProcess p = SwtpmProcess.start(notNeedInit, state(source, true, null, null), SwtpmLog.silent(),
                    ENGINE);
            try {
                assertFalse(p.state().isLocked());
                assertEquals("80010000000a00000101", data(p, READ_CLOCK), "the lock is still taken");
                holder.close();
                assertEquals("80010000000a00000000", data(p, "80010000000c000001440000"), "TPM2_Startup(CLEAR)");
                assertTrue(p.state().isLocked());
                assertTrue(data(p, READ_CLOCK).startsWith("800100000023"));
            } finally {
                p.close();
            }
        }
    }
}
