package org.jswtpm.core.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** AES-CMAC against the RFC 4493 test vectors. */
class CmacTest {
    static final HexFormat HEX = HexFormat.of();
    static final int AES = org.jswtpm.core.types.TpmAlg.AES.id();
    static final byte[] KEY = HEX.parseHex("2b7e151628aed2a6abf7158809cf4f3c");
    static final String M = "6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e51"
            + "30c81c46a35ce411e5fbc1191a0a52eff69f2445df4f9b17ad2b417be66c3710";

    static String mac(int bytes) {
        return HEX.formatHex(Cmac.mac(AES, KEY, HEX.parseHex(M.substring(0, bytes * 2))));
    }

    @Test
    void rfc4493() {
        assertEquals("bb1d6929e95937287fa37d129b756746", mac(0));
        assertEquals("070a16b46b4d4144f79bdd9dd04a287c", mac(16));
        assertEquals("dfa66747de9ae63030ca32611497c827", mac(40));
        assertEquals("51f0bebf7e3b9d92fc49741779363cfe", mac(64));
    }

    @Test
    void runningDigestInPiecesAndCloned() throws Exception {
        byte[] m = HEX.parseHex(M);
        for (int n : new int[] {0, 1, 16, 17, 40, 64}) {
            CmacDigest d = new CmacDigest(AES, KEY);
            d.update(m, 0, Math.min(n, 5));
            CmacDigest copy = (CmacDigest) d.clone();
            d.update(m, Math.min(n, 5), n - Math.min(n, 5));
            copy.update(m, Math.min(n, 5), n - Math.min(n, 5));
            byte[] expected = Cmac.mac(AES, KEY, java.util.Arrays.copyOf(m, n));
            org.junit.jupiter.api.Assertions.assertArrayEquals(expected, d.digest(), "n=" + n);
            org.junit.jupiter.api.Assertions.assertArrayEquals(expected, copy.digest(), "clone n=" + n);
        }
    }
}
