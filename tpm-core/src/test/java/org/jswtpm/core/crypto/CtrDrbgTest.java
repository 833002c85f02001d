package org.jswtpm.core.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/**
 * CtrDrbg against a literal, block-at-a-time transcription of SP 800-90A 10.2.1 (CTR_DRBG, AES-256, no
 * derivation function), and pinned outputs: a given seed must always give the same bytes.
 */
class CtrDrbgTest {
    private static final HexFormat HEX = HexFormat.of();

    /** SP 800-90A 10.2.1.2 / 10.2.1.5.1, one block per cipher call, the key set up after every update. */
    private static final class Reference {
        private byte[] key = new byte[32];
        private byte[] v = new byte[16];

        Reference(byte[] seed) throws Exception {
            update(seed.length == 48 ? seed : HashAlg.SHA384.digest(seed));
        }

        private byte[] encrypt(byte[] block) throws Exception {
            Cipher c = Cipher.getInstance("AES/ECB/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"));
            return c.doFinal(block);
        }

        private void increment() {
            for (int i = 15; i >= 0 && ++v[i] == 0; i--) {
                // carry
            }
        }

        void update(byte[] provided) throws Exception {
            byte[] temp = new byte[48];
            for (int i = 0; i < 48; i += 16) {
                increment();
                System.arraycopy(encrypt(v), 0, temp, i, 16);
            }
            for (int i = 0; provided != null && i < 48; i++) {
                temp[i] ^= provided[i];
            }
            key = java.util.Arrays.copyOfRange(temp, 0, 32);
            v = java.util.Arrays.copyOfRange(temp, 32, 48);
        }

        byte[] generate(int n) throws Exception {
            byte[] out = new byte[n];
            for (int done = 0; done < n; done += 16) {
                increment();
                byte[] b = encrypt(v);
                System.arraycopy(b, 0, out, done, Math.min(16, n - done));
            }
            update(null);
            return out;
        }

        void reseed(byte[] input) throws Exception {
            update(input.length == 48 ? input : HashAlg.SHA384.digest(input));
        }
    }

    @Test
    void matchesTheBlockAtATimeConstruction() throws Exception {
        byte[] seed = "jswtpm drbg test".getBytes(StandardCharsets.US_ASCII);
        CtrDrbg drbg = new CtrDrbg(seed);
        Reference ref = new Reference(seed);
        int[] sizes = {32, 0, 1, 15, 16, 17, 48, 64, 255, 256, 257, 271, 272, 273, 300, 511, 512, 513, 1000, 4096, 5};
        for (int n : sizes) {
            assertArrayEquals(ref.generate(n), drbg.generate(n), "request of " + n + " bytes");
        }
        byte[] stir = new byte[48];
        stir[7] = 9;
        drbg.reseed(stir);
        ref.reseed(stir);
        assertArrayEquals(ref.generate(40), drbg.generate(40));
        drbg.reseed("stir".getBytes(StandardCharsets.US_ASCII));
        ref.reseed("stir".getBytes(StandardCharsets.US_ASCII));
        byte[] out = new byte[100];
        drbg.generate(out, 30, 40);
        byte[] expected = new byte[100];
        System.arraycopy(ref.generate(40), 0, expected, 30, 40);
        assertArrayEquals(expected, out);
    }

    @Test
    void pinnedOutput() {
        CtrDrbg drbg = new CtrDrbg("jswtpm drbg test".getBytes(StandardCharsets.US_ASCII));
        assertEquals("ac38b67d074c4d4cbd9da25e327acb8dee6dfe9e6add186cce16a6c181bc1112",
                HEX.formatHex(drbg.generate(32)));
        assertEquals("", HEX.formatHex(drbg.generate(0)));
        assertEquals("9f", HEX.formatHex(drbg.generate(1)));
        assertEquals("d8c5699f553bb46051d7d15312cf4b", HEX.formatHex(drbg.generate(15)));
    }
}
