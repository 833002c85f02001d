package org.jswtpm.core.state;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.jswtpm.core.crypto.HashAlg;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The volatile and save-state blobs: the DA fields of version 2, and version 1 still read. */
class RuntimeStateTest {
    private static PcrBanks banks() {
        return new PcrBanks(PcrBanks.maskOf(HashAlg.SHA256));
    }

    @Test
    void volatileFormCarriesTheDaState() throws Exception {
        RuntimeState r = new RuntimeState();
        r.nullSeed = new byte[64];
        r.nullProof = new byte[64];
        r.pcrs = banks();
        r.daSelfHealElapsed = 4000;
        r.daLockoutElapsed = 77;
        r.daUsed = true;
        r.orderlyStartup = true;
        RuntimeState v = RuntimeState.deserialize(r.serialize(true), true, banks());
        assertEquals(4000, v.daSelfHealElapsed);
        assertEquals(77, v.daLockoutElapsed);
        assertTrue(v.daUsed);
        assertTrue(v.orderlyStartup);
        RuntimeState s = RuntimeState.deserialize(r.serialize(false), false, banks());
        assertEquals(0, s.daSelfHealElapsed, "the save-state does not carry them: Shutdown puts them in NV");
    }

    private static byte[] golden(String resource) throws Exception {
        try (var in = RuntimeStateTest.class.getResourceAsStream(resource)) {
            return HexFormat.of().parseHex(new String(in.readAllBytes(), StandardCharsets.US_ASCII).strip());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"/state/volatile-v1.hex", "/state/volatile-v2.hex"})
    void olderVolatileVersionsAreStillRead(String resource) throws Exception {
        RuntimeState v = RuntimeState.deserialize(golden(resource), true, banks());
        assertTrue(v.started);
        assertEquals(3, v.startupLocality);
        assertFalse(v.shEnable);
        assertArrayEquals(new byte[] {9, 8}, v.platformAuth);
        assertEquals(1, v.nullSeed[0]);
        assertFalse(v.clockSafe);
        assertEquals(0, v.daSelfHealElapsed);
        assertFalse(v.daUsed);
    }
}
