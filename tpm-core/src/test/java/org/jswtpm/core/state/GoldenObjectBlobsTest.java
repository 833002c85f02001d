package org.jswtpm.core.state;

import static org.jswtpm.core.testing.TestTpm.run;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HexFormat;
import org.jswtpm.core.StateKind;
import org.jswtpm.core.Tpm;
import org.jswtpm.core.Tpm2;
import org.jswtpm.core.testing.Command;
import org.jswtpm.core.testing.TestObjects;
import org.jswtpm.core.types.TpmCc;
import org.jswtpm.core.types.TpmRh;
import org.junit.jupiter.api.Test;

/**
 * The version-3 golden blobs with objects ({@link GoldenObjectBlobs}): every later version of jswtpm must
 * keep reading the persistent object from {@code objects-permall-v3.bin} and the loaded object from
 * {@code objects-volatilestate-v3.bin}. Never regenerate or delete them.
 */
class GoldenObjectBlobsTest {
    /** The Name of the persisted ECC storage primary, as written. */
    static final String PERSISTENT_NAME = "000bd239e030b5c4f6e6ee43e091bab75db69f49b98dac703808601a8750da158c41";

    @Test
    void magicAndVersion() throws Exception {
        assertEquals("4a5357500003", HexFormat.of().formatHex(GoldenStateBlobsTest.golden("objects-permall-v3.bin"), 0, 6));
        assertEquals("4a5357560003",
                HexFormat.of().formatHex(GoldenStateBlobsTest.golden("objects-volatilestate-v3.bin"), 0, 6));
    }

    @Test
    void theObjectsAreBack() throws Exception {
        Tpm tpm = Tpm2.builder()
                .state(StateKind.PERMANENT, GoldenStateBlobsTest.golden("objects-permall-v3.bin"))
                .state(StateKind.VOLATILE, GoldenStateBlobsTest.golden("objects-volatilestate-v3.bin")).build();
        assertArrayEquals(HexFormat.of().parseHex(PERSISTENT_NAME),
                TestObjects.readPublic(tpm, GoldenObjectBlobs.PERSISTENT)[1]);
        assertArrayEquals(GoldenObjectBlobs.SECRET, run(tpm, Command.of(TpmCc.Unseal).handle(0x80000001)
                .passwords(GoldenObjectBlobs.PASSWORD)).okWithSessions(0).tpm2b(128));
        // the persistent parent still protects new children, and the primary re-derives to the same key
        TestObjects.flush(tpm, 0x80000000);
        TestObjects.Blob blob = TestObjects.create(tpm, GoldenObjectBlobs.PERSISTENT, TestObjects.sealed(), new byte[0],
                "x".getBytes());
        int again = TestObjects.createPrimary(tpm, TpmRh.OWNER, TestObjects.eccStorage(3)).handle();
        assertArrayEquals(HexFormat.of().parseHex(PERSISTENT_NAME), TestObjects.readPublic(tpm, again)[1]);
        TestObjects.load(tpm, again, blob);
    }
}
