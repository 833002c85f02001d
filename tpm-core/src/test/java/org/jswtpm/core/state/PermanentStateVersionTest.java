package org.jswtpm.core.state;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.jswtpm.core.crypto.CtrDrbg;
import org.jswtpm.core.marshal.TpmWriter;
import org.junit.jupiter.api.Test;

/** The permanent state keeps reading version 2 blobs (no persistent objects) after version 3. */
class PermanentStateVersionTest {
    @Test
    void versionTwoBlobsStillRead() throws Exception {
        PermanentState s = PermanentState.manufacture(new CtrDrbg(new byte[48]));
        byte[] v3 = s.serialize();
        // a version-2 blob is the current body without the persistent-object count (version 3) and the
        // DA timers (version 4: two u64), the PCR policy, algorithm set and PP list (version 5) and the
        // command audit state (version 6)
        int trailing = 2 + 8 + 8 + (2 + 2 + 4 + 2 + 4) + PcrAuthStateVersionTest.AUDIT_V6;
        TpmWriter w = new TpmWriter();
        w.u32(PermanentState.MAGIC).u16(2).u32(v3.length - 10 - trailing);
        w.bytes(v3, 10, v3.length - 10 - trailing);
        PermanentState v1 = PermanentState.deserialize(w.toByteArray());
        assertArrayEquals(s.storageSeed, v1.storageSeed);
        assertTrue(v1.persistentObjects.isEmpty());
    }

    @Test
    void persistentObjectsRoundTrip() throws Exception {
        PermanentState s = PermanentState.manufacture(new CtrDrbg(new byte[48]));
        s.persistentObjects.put(0x81800000, new byte[] {9});
        s.persistentObjects.put(0x81000001, new byte[] {1, 2});
        PermanentState back = PermanentState.deserialize(s.serialize());
        assertEquals(2, back.persistentObjects.size());
        assertEquals(0x81000001, back.persistentObjects.firstKey());
        assertArrayEquals(new byte[] {9}, back.persistentObjects.get(0x81800000));
    }
}
