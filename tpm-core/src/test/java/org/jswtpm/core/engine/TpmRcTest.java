package org.jswtpm.core.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.jswtpm.core.types.TpmRc;
import org.junit.jupiter.api.Test;

/** Response codes laid out as TCG TPM 2.0 Part 2, Table 16 says, checked against known wire values. */
class TpmRcTest {
    @Test
    void format1CodesCarryTheirPosition() {
        assertEquals(0x1C4, TpmRc.VALUE.parameter(1).value());
        assertEquals(0x18B, TpmRc.HANDLE.handle(1).value());
        assertEquals(0x98E, TpmRc.AUTH_FAIL.session(1).value());
        assertEquals(0x9A2, TpmRc.BAD_AUTH.session(1).value());
        assertEquals(0x2C3, TpmRc.HASH.parameter(2).value());
        assertEquals(TpmRc.VALUE, TpmRc.VALUE.parameter(5).base());
    }

    @Test
    void format0AndWarningsIgnorePositions() {
        assertEquals(0x100, TpmRc.INITIALIZE.parameter(1).value());
        assertEquals(0x907, TpmRc.LOCALITY.handle(1).value());
        assertEquals(0x921, TpmRc.LOCKOUT.value());
        assertEquals(0x902, TpmRc.OBJECT_MEMORY.value());
        assertEquals(0x143, TpmRc.COMMAND_CODE.value());
        assertEquals(0x01E, TpmRc.BAD_TAG.value());
        assertEquals(0x911, TpmRc.REFERENCE_H0.plus(1).value());
    }

    @Test
    void constantTimeAuthComparisonIgnoresTrailingZeros() {
        assertEquals(true, ConstantTime.authEquals(new byte[] {1, 2, 0, 0}, new byte[] {1, 2}));
        assertEquals(false, ConstantTime.authEquals(new byte[] {1, 2, 3}, new byte[] {1, 2}));
        assertEquals(true, ConstantTime.authEquals(new byte[0], new byte[] {0}));
        assertEquals(false, ConstantTime.authEquals(new byte[] {0, 1}, new byte[] {1}));
    }
}
