package org.jswtpm.core.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.security.MessageDigest;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/** KDFa and KDFe recomputed from their definitions with the JDK's HMAC and digests. */
class KdfTest {
    static byte[] cat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    @Test
    void kdfaIsSp800108CounterModeWithATerminatedLabel() throws Exception {
        byte[] key = {1, 2, 3, 4};
        byte[] u = {5, 6};
        byte[] v = {7};
        byte[] out = Kdf.kdfa(HashAlg.SHA256, key, "STORAGE", u, v, 384);
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        byte[] label = "STORAGE\0".getBytes("US-ASCII");
        byte[] bits = {0, 0, 1, (byte) 0x80};
        byte[] b1 = mac.doFinal(cat(new byte[] {0, 0, 0, 1}, label, u, v, bits));
        byte[] b2 = mac.doFinal(cat(new byte[] {0, 0, 0, 2}, label, u, v, bits));
        assertArrayEquals(Arrays.copyOf(cat(b1, b2), 48), out);
    }

    @Test
    void kdfaClearsExcessBits() {
        byte[] out = Kdf.kdfa(HashAlg.SHA256, new byte[] {9}, "X", null, null, 12);
        assertEquals(2, out.length);
        assertEquals(0, out[0] & 0xF0);
    }

    @Test
    void kdfeIsTheConcatenationKdf() throws Exception {
        byte[] z = {1, 1, 1};
        byte[] out = Kdf.kdfe(HashAlg.SHA256, z, "SECRET", new byte[] {2}, new byte[] {3}, 256);
        byte[] expected = MessageDigest.getInstance("SHA-256")
                .digest(cat(new byte[] {0, 0, 0, 1}, z, "SECRET\0".getBytes("US-ASCII"), new byte[] {2}, new byte[] {3}));
        assertArrayEquals(expected, out);
    }
}
