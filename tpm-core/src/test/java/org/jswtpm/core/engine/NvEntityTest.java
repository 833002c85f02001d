package org.jswtpm.core.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.jswtpm.core.crypto.HashAlg;
import org.jswtpm.core.state.NvIndex;
import org.jswtpm.core.types.NvPublic;
import org.jswtpm.core.types.TpmCc;
import org.jswtpm.core.types.TpmaNv;
import org.junit.jupiter.api.Test;

/** An NV index as an entity: which of authValue and authPolicy each command may use (Part 1, 37.2). */
class NvEntityTest {
    static NvEntity entity(int attributes, byte[] policy) {
        NvPublic pub = new NvPublic(0x01000001, HashAlg.SHA256, attributes, policy, 8);
        return new NvEntity(new NvIndex(pub, "auth".getBytes()), null);
    }

    @Test
    void basics() {
        NvEntity e = entity(TpmaNv.OWNERREAD | TpmaNv.OWNERWRITE | TpmaNv.NO_DA, new byte[32]);
        assertEquals(0x01000001, e.handle());
        assertArrayEquals("auth".getBytes(), e.authValue());
        assertTrue(e.daExempt());
        assertFalse(entity(TpmaNv.OWNERREAD | TpmaNv.OWNERWRITE, new byte[0]).daExempt());
        assertArrayEquals(e.index().pub().name(), e.name());
        assertEquals(HashAlg.SHA256.id(), e.authPolicy().hashAlg());
        assertEquals(32, e.authPolicy().digest().length);
        assertEquals(0, entity(TpmaNv.OWNERREAD, new byte[0]).authPolicy().digest().length);
    }

    @Test
    void authValueFollowsAuthReadAndAuthWrite() {
        NvEntity read = entity(TpmaNv.AUTHREAD | TpmaNv.OWNERWRITE, new byte[0]);
        assertTrue(read.authValueAvailable(TpmCc.NV_Read));
        assertTrue(read.authValueAvailable(TpmCc.NV_ReadLock));
        assertFalse(read.authValueAvailable(TpmCc.NV_Write));
        assertFalse(read.authValueAvailable(TpmCc.NV_Increment));
        NvEntity write = entity(TpmaNv.AUTHWRITE | TpmaNv.OWNERREAD, new byte[0]);
        assertTrue(write.authValueAvailable(TpmCc.NV_Extend));
        assertTrue(write.authValueAvailable(TpmCc.NV_WriteLock));
        assertFalse(write.authValueAvailable(TpmCc.NV_Read));
    }

    @Test
    void authPolicyFollowsPolicyReadAndPolicyWriteAndTheRole() {
        NvEntity e = entity(TpmaNv.POLICYWRITE | TpmaNv.OWNERREAD, new byte[32]);
        assertTrue(e.authPolicyAvailable(TpmCc.NV_Write, AuthRole.USER));
        assertFalse(e.authPolicyAvailable(TpmCc.NV_Read, AuthRole.USER));
        assertTrue(e.authPolicyAvailable(TpmCc.NV_ChangeAuth, AuthRole.ADMIN));
        assertFalse(entity(TpmaNv.POLICYWRITE | TpmaNv.OWNERREAD, new byte[0])
                .authPolicyAvailable(TpmCc.NV_ChangeAuth, AuthRole.ADMIN));
        assertTrue(e.policyRequired(AuthRole.ADMIN));
        assertFalse(e.policyRequired(AuthRole.USER));
    }

    @Test
    void pinIndicesNeedToBeWrittenAndBelowTheLimit() {
        NvEntity pin = entity(TpmaNv.withType(TpmaNv.OWNERWRITE | TpmaNv.OWNERREAD, TpmaNv.NT_PIN_PASS), new byte[0]);
        assertFalse(pin.authValueAvailable(TpmCc.NV_Read));
        pin.index().setAttributes(pin.index().attributes() | TpmaNv.WRITTEN);
        pin.index().setUint64(0x0000000100000002L);
        assertTrue(pin.authValueAvailable(TpmCc.NV_Read));
        pin.index().setUint64(0x0000000200000002L);
        assertFalse(pin.authValueAvailable(TpmCc.NV_Read));
    }
}
