package org.jswtpm.core.state;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.jswtpm.core.StateFormatException;
import org.jswtpm.core.crypto.CtrDrbg;
import org.jswtpm.core.types.TpmSu;
import org.junit.jupiter.api.Test;

/** The permanent-state blob: round trip of the current version, and version 1 still read. */
class PermanentStateTest {
    private static PermanentState sample() {
        PermanentState s = PermanentState.manufacture(new CtrDrbg(new byte[CtrDrbg.SEED_LENGTH]));
        s.ownerAuth = new byte[] {1, 2, 3};
        s.failedTries = 2;
        s.maxTries = 7;
        s.lockoutAuthEnabled = false;
        s.disableClear = true;
        s.selfHealElapsed = 12345;
        s.lockoutElapsed = 678;
        s.orderlyState = TpmSu.STATE;
        return s;
    }

    @Test
    void roundTrip() throws Exception {
        PermanentState s = sample();
        PermanentState r = PermanentState.deserialize(s.serialize());
        assertArrayEquals(s.serialize(), r.serialize());
        assertEquals(12345, r.selfHealElapsed);
        assertEquals(678, r.lockoutElapsed);
        assertTrue(r.isOrderly());
    }

    /**
     * Golden blobs written by older serializers (version 1: before NV; version 2: NV, before the DA
     * timers): the sample with orderlyState SU_NONE, resetCount 5 and Clock 123456789.
     */
    private static byte[] golden(String resource) throws Exception {
        try (var in = PermanentStateTest.class.getResourceAsStream(resource)) {
            return HexFormat.of().parseHex(new String(in.readAllBytes(), StandardCharsets.US_ASCII).strip());
        }
    }

    @Test
    void version1IsStillRead() throws Exception {
        PermanentState s = sample();
        PermanentState r = PermanentState.deserialize(golden("/state/permanent-v1.hex"));
        assertArrayEquals(s.storageSeed, r.storageSeed);
        assertArrayEquals(s.platformProof, r.platformProof);
        assertArrayEquals(s.ownerAuth, r.ownerAuth);
        assertEquals(2, r.failedTries);
        assertEquals(7, r.maxTries);
        assertFalse(r.lockoutAuthEnabled);
        assertTrue(r.disableClear);
        assertEquals(PermanentState.SU_NONE, r.orderlyState);
        assertEquals(5, r.resetCount);
        assertEquals(123456789L, r.clock);
        assertEquals(0, r.selfHealElapsed);
        assertEquals(0, r.lockoutElapsed);
    }

    @Test
    void version2IsStillRead() throws Exception {
        PermanentState s = sample();
        PermanentState r = PermanentState.deserialize(golden("/state/permanent-v2.hex"));
        assertArrayEquals(s.endorsementSeed, r.endorsementSeed);
        assertEquals(2, r.failedTries);
        assertEquals(5, r.resetCount);
        assertEquals(0, r.nv.size());
        assertEquals(0, r.selfHealElapsed);
        assertEquals(0, r.lockoutElapsed);
    }

    @Test
    void newerVersionIsRefused() {
        byte[] blob = sample().serialize();
        blob[5] = 9;
        assertThrows(StateFormatException.class, () -> PermanentState.deserialize(blob));
    }

    @Test
    void daUsedIsNotOrderly() {
        PermanentState s = sample();
        s.orderlyState = PermanentState.SU_DA_USED;
        assertFalse(s.isOrderly());
        s.orderlyState = PermanentState.SU_NONE;
        assertFalse(s.isOrderly());
        s.orderlyState = TpmSu.CLEAR;
        assertTrue(s.isOrderly());
    }
}
