package org.jswtpm.core.state;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Set;
import org.jswtpm.core.crypto.CtrDrbg;
import org.jswtpm.core.crypto.HashAlg;
import org.jswtpm.core.marshal.TpmWriter;
import org.junit.jupiter.api.Test;

/**
 * Version 5 of the permanent state (PCR policy, algorithm set, PP list) and of the runtime state (PCR
 * authValue) round-trips, and version-4 blobs still read with the defaults.
 */
class PcrAuthStateVersionTest {
    /** Bytes the version-6 command audit fields add to a freshly manufactured permanent state. */
    static final int AUDIT_V6 = 2 + 2 + 4 + 8;

    private static byte[] downgrade(byte[] blob, int trailing) {
        TpmWriter w = new TpmWriter();
        w.bytes(blob, 0, 4).u16(4).u32(blob.length - 10 - trailing);
        w.bytes(blob, 10, blob.length - 10 - trailing);
        return w.toByteArray();
    }

    @Test
    void permanentVersionFiveRoundTripsAndVersionFourReads() throws Exception {
        PermanentState s = PermanentState.manufacture(new CtrDrbg(new byte[48]));
        assertEquals(Set.of(0x12D), s.ppCommands);
        s.pcrPolicy = new PermanentState.Policy(HashAlg.SHA256.id(), new byte[32]);
        s.algorithmSet = 0xCAFE;
        PermanentState back = PermanentState.deserialize(s.serialize());
        assertEquals(HashAlg.SHA256.id(), back.pcrPolicy.hashAlg());
        assertArrayEquals(new byte[32], back.pcrPolicy.digest());
        assertEquals(0xCAFE, back.algorithmSet);
        assertEquals(Set.of(0x12D), back.ppCommands);

        PermanentState fresh = PermanentState.manufacture(new CtrDrbg(new byte[48]));
        fresh.resetCount = 9;
        // version 4: without the PCR policy, algorithm set and PP list (version 5) and the command audit
        // state (version 6: hash, one audited code, counter)
        PermanentState v4 = PermanentState.deserialize(downgrade(fresh.serialize(), 2 + 2 + 4 + 2 + 4 + AUDIT_V6));
        assertEquals(9, v4.resetCount);
        assertEquals(0x0010, v4.pcrPolicy.hashAlg());
        assertEquals(0, v4.pcrPolicy.digest().length);
        assertEquals(0, v4.algorithmSet);
        assertEquals(Set.of(0x12D), v4.ppCommands);
    }

    @Test
    void runtimeVersionFiveRoundTripsAndVersionFourReads() throws Exception {
        for (boolean volatileForm : new boolean[] {false, true}) {
            RuntimeState s = new RuntimeState();
            s.nullSeed = new byte[64];
            s.nullProof = new byte[64];
            s.pcrs = new PcrBanks(PcrBanks.maskOf(HashAlg.SHA256));
            s.pcrAuth = "pcr".getBytes();
            RuntimeState back = RuntimeState.deserialize(s.serialize(volatileForm), volatileForm,
                    new PcrBanks(PcrBanks.maskOf(HashAlg.SHA256)));
            assertArrayEquals("pcr".getBytes(), back.pcrAuth);

            s.pcrAuth = new byte[0];
            // version 4: without the PCR authValue (an empty TPM2B, version 5) and the session context
            // bookkeeping (version 6: u64 context counter, u8 saved-session count 0)
            RuntimeState v4 = RuntimeState.deserialize(downgrade(s.serialize(volatileForm), 2 + 8 + 1), volatileForm,
                    new PcrBanks(PcrBanks.maskOf(HashAlg.SHA256)));
            assertEquals(0, v4.pcrAuth.length);
        }
    }
}
