package org.jswtpm.core.state;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.jswtpm.core.StateFormatException;
import org.junit.jupiter.api.Test;

/**
 * Every engine blob reads back to the same bytes; truncation, a wrong magic, a newer version and
 * trailing bytes are refused (never half-read).
 */
class StateBlobRoundTripTest {
    private static byte[] reserialize(byte[] blob, int form) throws StateFormatException {
        return switch (form) {
            case 0 -> PermanentState.deserialize(blob).serialize();
            case 1 -> RuntimeState.deserialize(blob, false, new PcrBanks(GoldenStateBlobs.PCR_ALLOCATION)).serialize(false);
            default -> RuntimeState.deserialize(blob, true, new PcrBanks(GoldenStateBlobs.PCR_ALLOCATION)).serialize(true);
        };
    }

    private static byte[][] current() {
        return new byte[][] {GoldenStateBlobs.permanent().serialize(), GoldenStateBlobs.runtime(0).serialize(false),
            GoldenStateBlobs.runtime(3).serialize(true)};
    }

    @Test
    void everyBlobRoundTrips() throws Exception {
        byte[][] blobs = current();
        for (int form = 0; form < 3; form++) {
            assertArrayEquals(blobs[form], reserialize(blobs[form], form), "form " + form);
        }
    }

    @Test
    void aManufacturedTpmRoundTrips() throws Exception {
        byte[] blob = PermanentState.manufacture(new org.jswtpm.core.crypto.CtrDrbg(new byte[48])).serialize();
        assertArrayEquals(blob, PermanentState.deserialize(blob).serialize());
    }

    @Test
    void damagedBlobsAreRefused() {
        byte[][] blobs = current();
        for (int form = 0; form < 3; form++) {
            byte[] b = blobs[form];
            int f = form;
            for (int cut : new int[] {0, 3, 9, 10, b.length / 2, b.length - 1}) {
                byte[] truncated = java.util.Arrays.copyOf(b, cut);
                assertThrows(StateFormatException.class, () -> reserialize(truncated, f), "cut at " + cut);
            }
            byte[] longer = java.util.Arrays.copyOf(b, b.length + 1);
            assertThrows(StateFormatException.class, () -> reserialize(longer, f), "trailing byte");
            byte[] magic = b.clone();
            magic[3] ^= 1;
            assertThrows(StateFormatException.class, () -> reserialize(magic, f), "magic");
            byte[] newer = b.clone();
            newer[4] = 0x7f;
            assertThrows(StateFormatException.class, () -> reserialize(newer, f), "newer version");
            byte[] otherKind = blobs[(form + 1) % 3];
            assertThrows(StateFormatException.class, () -> reserialize(otherKind, f), "another kind");
        }
    }
}
