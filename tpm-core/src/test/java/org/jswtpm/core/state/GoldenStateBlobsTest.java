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

/**
 * Golden engine blobs of format version 1 ({@code src/test/resources/state/golden/*-v1.bin}, field
 * values in {@link GoldenStateBlobs}): every later version of jswtpm must keep reading them, field for
 * field. When a version adds a field, add golden files of the new version next to these; never change
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
    void theFilesAreVersion1WithTheirMagic() throws Exception {
        assertEquals("4a5357500001", HexFormat.of().formatHex(golden("permall-v1.bin"), 0, 6));
        assertEquals("4a5357530001", HexFormat.of().formatHex(golden("savestate-v1.bin"), 0, 6));
        assertEquals("4a5357560001", HexFormat.of().formatHex(golden("volatilestate-v1.bin"), 0, 6));
    }

    @Test
    void permanentVersion1() throws Exception {
        PermanentState s = PermanentState.deserialize(golden("permall-v1.bin"));
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
    @Test
    void anEngineResumesFromTheGoldenBlobs() throws Exception {
        Tpm tpm = Tpm2.builder().deterministicSeed(new byte[] {1})
                .state(StateKind.PERMANENT, golden("permall-v1.bin"))
                .state(StateKind.SAVE_STATE, golden("savestate-v1.bin")).build();
        HexFormat hex = HexFormat.of();
        assertEquals("80010000000a00000000", hex.formatHex(tpm.execute(hex.parseHex("80010000000c000001440001"))));
        String pcr = hex.formatHex(tpm.execute(hex.parseHex("8001000000140000017e00000001000b03200000")));
        assertTrue(pcr.endsWith("00000001" + "0020" + "05".repeat(32)), pcr);
        String clock = hex.formatHex(tpm.execute(hex.parseHex("80010000000a00000181")));
        assertTrue(Long.parseLong(clock.substring(36, 52), 16) >= GoldenStateBlobs.CLOCK, clock);
        assertEquals(7, Integer.parseInt(clock.substring(52, 60), 16), "resetCount");
        assertEquals(4, Integer.parseInt(clock.substring(60, 68), 16), "restartCount: a TPM Resume counts");
    }
}
