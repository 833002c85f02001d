package org.jswtpm.core.state;

import static org.jswtpm.core.state.GoldenStateBlobs.ascii;
import static org.jswtpm.core.state.GoldenStateBlobs.fill;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.util.HexFormat;
import org.jswtpm.core.StateKind;
import org.jswtpm.core.Tpm;
import org.jswtpm.core.Tpm2;
import org.jswtpm.core.crypto.HashAlg;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Golden engine blobs of format versions 1 and 2 ({@code src/test/resources/state/golden/*-v1.bin},
 * {@code *-v2.bin}; field values in {@link GoldenStateBlobs}): every later version of jswtpm must keep
 * reading them, field for field. When a version adds a field, add golden files of the new version next to these; never change
 * or delete these, and never change what this test expects of them (a field added later reads as its
 * default).
 */
class GoldenStateBlobsTest {
    static byte[] golden(String name) throws IOException {
        try (InputStream in = GoldenStateBlobsTest.class.getResourceAsStream("/state/golden/" + name)) {
            if (in == null) {
                throw new IOException("missing golden file " + name);
            }
            return in.readAllBytes();
        }
    }

    @Test
    void theFilesHaveTheirMagicAndVersion() throws Exception {
        for (int v = 1; v <= 2; v++) {
            assertEquals("4a535750000" + v, HexFormat.of().formatHex(golden("permall-v" + v + ".bin"), 0, 6));
            assertEquals("4a535753000" + v, HexFormat.of().formatHex(golden("savestate-v" + v + ".bin"), 0, 6));
            assertEquals("4a535756000" + v, HexFormat.of().formatHex(golden("volatilestate-v" + v + ".bin"), 0, 6));
        }
    }

    @Test
    void permanentVersion1() throws Exception {
        PermanentState s = PermanentState.deserialize(golden("permall-v1.bin"));
        assertPermanent(s);
        assertEquals(0, s.nv.size(), "version 1 has no NV indices");
    }

    /** Version 2 adds the NV store: an ordinary index, an orderly counter (stored value), maxCount. */
    @Test
    void permanentVersion2() throws Exception {
        PermanentState s = PermanentState.deserialize(golden("permall-v2.bin"));
        assertPermanent(s);
        assertEquals(2, s.nv.size());
        NvIndex ordinary = s.nv.get(GoldenStateBlobs.NV_ORDINARY);
        assertEquals(GoldenStateBlobs.NV_ORDINARY_ATTRIBUTES, ordinary.attributes());
        assertEquals(HashAlg.SHA256, ordinary.nameAlg());
        assertArrayEquals(fill(32, 0xc3), ordinary.pub().authPolicy());
        assertArrayEquals(ascii("nvauth"), ordinary.authValue());
        assertArrayEquals(ascii("golden NV data!!"), ordinary.data());
        NvIndex counter = s.nv.get(GoldenStateBlobs.NV_ORDERLY_COUNTER);
        assertEquals(GoldenStateBlobs.NV_COUNTER_ATTRIBUTES, counter.attributes());
        assertEquals(HashAlg.SHA1, counter.nameAlg());
        assertEquals(0x1234, counter.uint64(), "the stored value, not the RAM copy");
        org.jswtpm.core.marshal.TpmWriter w = new org.jswtpm.core.marshal.TpmWriter();
        s.nv.serialize(w);
        assertEquals("0000000000000777", HexFormat.of().formatHex(w.toByteArray(), 0, 8), "maxCount");
    }

    @Test
    void saveStateVersion2IsVersion1WithAnotherNumber() throws Exception {
        RuntimeState r = RuntimeState.deserialize(golden("savestate-v2.bin"), false,
                new PcrBanks(GoldenStateBlobs.PCR_ALLOCATION));
        assertRuntime(r, 0);
        assertArrayEquals(GoldenStateBlobs.sha256Pcr(15), r.pcrs.value(1, 15));
    }

    /** Version 2 of the volatile blob carries the RAM copy of the orderly counter (0x1240). */
    @Test
    void volatileVersion2CarriesTheOrderlyNvRam() throws Exception {
        RuntimeState r = RuntimeState.deserialize(golden("volatilestate-v2.bin"), true,
                new PcrBanks(GoldenStateBlobs.PCR_ALLOCATION));
        assertRuntime(r, 3);
        assertArrayEquals(GoldenStateBlobs.sha256Pcr(23), r.pcrs.value(1, 23));
        PermanentState p = PermanentState.deserialize(golden("permall-v2.bin"));
        p.nv.restoreOrderlyRam(r.nvOrderlyRam);
        assertEquals(0x1240, p.nv.get(GoldenStateBlobs.NV_ORDERLY_COUNTER).uint64());
    }

    private static void assertPermanent(PermanentState s) {
        assertArrayEquals(fill(64, 0x11), s.endorsementSeed);
        assertArrayEquals(fill(64, 0x22), s.storageSeed);
        assertArrayEquals(fill(64, 0x33), s.platformSeed);
        assertArrayEquals(fill(64, 0x44), s.endorsementProof);
        assertArrayEquals(fill(64, 0x55), s.storageProof);
        assertArrayEquals(fill(64, 0x66), s.platformProof);
        assertArrayEquals(ascii("owner"), s.ownerAuth);
        assertArrayEquals(ascii("endorse"), s.endorsementAuth);
        assertArrayEquals(ascii("lockout"), s.lockoutAuth);
        assertEquals(0x000b, s.ownerPolicy.hashAlg());
        assertArrayEquals(fill(32, 0xa1), s.ownerPolicy.digest());
        assertEquals(0x0010, s.endorsementPolicy.hashAlg());
        assertEquals(0, s.endorsementPolicy.digest().length);
        assertEquals(0x0004, s.lockoutPolicy.hashAlg());
        assertArrayEquals(fill(20, 0xb2), s.lockoutPolicy.digest());
        assertEquals(PcrBanks.maskOf(HashAlg.SHA1) | PcrBanks.maskOf(HashAlg.SHA256), s.pcrAllocation);
        assertEquals(2, s.failedTries);
        assertEquals(32, s.maxTries);
        assertEquals(7200, s.recoveryTime);
        assertEquals(86400, s.lockoutRecovery);
        assertTrue(s.lockoutAuthEnabled);
        assertTrue(s.disableClear);
        assertEquals(GoldenStateBlobs.CLOCK, s.clock);
        assertEquals(7, s.resetCount);
        assertEquals(3, s.restartCount);
        assertEquals(0x0001, s.orderlyState);
        assertTrue(s.tpmEstablished);
    }

    @Test
    void saveStateVersion1KeepsPcr0To15() throws Exception {
        RuntimeState r = RuntimeState.deserialize(golden("savestate-v1.bin"), false,
                new PcrBanks(GoldenStateBlobs.PCR_ALLOCATION));
        assertRuntime(r, 0);
        for (int pcr = 0; pcr < PcrAttributes.PCR_COUNT; pcr++) {
            boolean saved = pcr < 16;
            assertArrayEquals(saved ? GoldenStateBlobs.sha1Pcr(pcr) : new byte[20], r.pcrs.value(0, pcr), "sha1 " + pcr);
            assertArrayEquals(saved ? GoldenStateBlobs.sha256Pcr(pcr) : new byte[32], r.pcrs.value(1, pcr),
                    "sha256 " + pcr);
        }
    }

    @Test
    void volatileVersion1KeepsAll24Pcrs() throws Exception {
        RuntimeState r = RuntimeState.deserialize(golden("volatilestate-v1.bin"), true,
                new PcrBanks(GoldenStateBlobs.PCR_ALLOCATION));
        assertRuntime(r, 3);
        for (int pcr = 0; pcr < PcrAttributes.PCR_COUNT; pcr++) {
            assertArrayEquals(GoldenStateBlobs.sha1Pcr(pcr), r.pcrs.value(0, pcr), "sha1 " + pcr);
            assertArrayEquals(GoldenStateBlobs.sha256Pcr(pcr), r.pcrs.value(1, pcr), "sha256 " + pcr);
        }
    }

    private static void assertRuntime(RuntimeState r, int startupLocality) {
        assertTrue(r.started);
        assertEquals(startupLocality, r.startupLocality);
        assertTrue(r.phEnable);
        assertTrue(r.shEnable);
        assertFalse(r.ehEnable);
        assertTrue(r.phEnableNV);
        assertArrayEquals(ascii("platform"), r.platformAuth);
        assertEquals(0x0010, r.platformPolicy.hashAlg());
        assertArrayEquals(fill(64, 0x77), r.nullSeed);
        assertArrayEquals(fill(64, 0x88), r.nullProof);
        assertTrue(r.clockSafe);
        assertEquals(GoldenStateBlobs.PCR_UPDATE_COUNTER, r.pcrs.updateCounter());
    }

    /** A whole TPM resumes from the golden permall and savestate: Startup(STATE), then PCR 5 and Clock. */
    @ParameterizedTest
    @ValueSource(strings = {"v1", "v2"})
    void anEngineResumesFromTheGoldenBlobs(String v) throws Exception {
        Tpm tpm = Tpm2.builder().deterministicSeed(new byte[] {1})
                .state(StateKind.PERMANENT, golden("permall-" + v + ".bin"))
                .state(StateKind.SAVE_STATE, golden("savestate-" + v + ".bin")).build();
        HexFormat hex = HexFormat.of();
        assertEquals("80010000000a00000000", hex.formatHex(tpm.execute(hex.parseHex("80010000000c000001440001"))));
        String pcr = hex.formatHex(tpm.execute(hex.parseHex("8001000000140000017e00000001000b03200000")));
        assertTrue(pcr.endsWith("00000001" + "0020" + "05".repeat(32)), pcr);
        String clock = hex.formatHex(tpm.execute(hex.parseHex("80010000000a00000181")));
        assertTrue(Long.parseLong(clock.substring(36, 52), 16) >= GoldenStateBlobs.CLOCK, clock);
        assertEquals(7, Integer.parseInt(clock.substring(52, 60), 16), "resetCount");
        assertEquals(4, Integer.parseInt(clock.substring(60, 68), 16), "restartCount: a TPM Resume counts");
    }

    /**
     * A whole TPM resumes from the version-2 permall and volatile blob without a new Startup (live
     * migration): the ordinary index reads its data, the orderly counter its RAM value.
     */
    @Test
    void anEngineResumesFromTheVersion2VolatileBlob() throws Exception {
        Tpm tpm = Tpm2.builder().deterministicSeed(new byte[] {1})
                .state(StateKind.PERMANENT, golden("permall-v2.bin"))
                .state(StateKind.VOLATILE, golden("volatilestate-v2.bin")).build();
        HexFormat hex = HexFormat.of();
        String ordinary = hex.formatHex(tpm.execute(hex.parseHex("800200000029" + "0000014e" + "01500001" + "01500001"
                + "0000000f" + "40000009" + "0000" + "00" + "0006" + hex.formatHex(ascii("nvauth")) + "0010" + "0000")));
        assertTrue(ordinary.startsWith("80020000"), ordinary);
        assertTrue(ordinary.contains(hex.formatHex(ascii("golden NV data!!"))), ordinary);
        String counter = hex.formatHex(tpm.execute(hex.parseHex("800200000023" + "0000014e" + "01500002" + "01500002"
                + "00000009" + "40000009" + "0000" + "00" + "0000" + "0008" + "0000")));
        assertTrue(counter.contains("0008" + "0000000000001240"), counter);
    }
}
