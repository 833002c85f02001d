package org.jswtpm.core.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.crypto.BufferedBlockCipher;
import org.bouncycastle.crypto.engines.CamelliaEngine;
import org.bouncycastle.crypto.macs.CMac;
import org.bouncycastle.crypto.modes.CBCBlockCipher;
import org.bouncycastle.crypto.modes.CFBBlockCipher;
import org.bouncycastle.crypto.modes.OFBBlockCipher;
import org.bouncycastle.crypto.modes.SICBlockCipher;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.crypto.params.ParametersWithIV;
import org.jswtpm.core.types.TpmAlg;
import org.junit.jupiter.api.Test;

/**
 * Camellia (RFC 3713 vectors), TDES (SP 800-67 vector) and the TPM block modes over both, cross-checked
 * against independent implementations: Bouncy Castle's CamelliaEngine and the JDK's DESede.
 */
class SymCiphersTest {
    static final HexFormat HEX = HexFormat.of();
    static final int CAMELLIA = TpmAlg.CAMELLIA.id();
    static final int TDES = TpmAlg.TDES.id();

    @Test
    void camelliaRfc3713() {
        byte[] p = HEX.parseHex("0123456789abcdeffedcba9876543210");
        String[][] vectors = {
            {"0123456789abcdeffedcba9876543210", "67673138549669730857065648eabe43"},
            {"0123456789abcdeffedcba98765432100011223344556677", "b4993401b3e996f84ee5cee7d79b09b9"},
            {"0123456789abcdeffedcba987654321000112233445566778899aabbccddeeff",
                "9acc237dff16d76c20ef7c919e3a7509"}};
        for (String[] v : vectors) {
            Camellia c = new Camellia(HEX.parseHex(v[0]));
            byte[] out = new byte[16];
            c.encryptBlock(p, 0, out, 0);
            assertEquals(v[1], HEX.formatHex(out), v[0]);
            c.decryptBlock(out, 0, out, 0);
            assertArrayEquals(p, out);
        }
    }

    @Test
    void camelliaMatchesBouncyCastleOnRandomBlocks() {
        Random r = new Random(3713);
        for (int bits : new int[] {128, 192, 256}) {
            for (int i = 0; i < 50; i++) {
                byte[] key = bytes(r, bits / 8);
                byte[] block = bytes(r, 16);
                CamelliaEngine bc = new CamelliaEngine();
                bc.init(true, new KeyParameter(key));
                byte[] expected = new byte[16];
                bc.processBlock(block, 0, expected, 0);
                byte[] out = new byte[16];
                new Camellia(key).encryptBlock(block, 0, out, 0);
                assertArrayEquals(expected, out);
            }
        }
    }

    @Test
    void tdesSp80067() {
        byte[] key = HEX.parseHex("0123456789abcdef23456789abcdef01456789abcdef0123");
        byte[] p = "The qufck brown fox jump".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        byte[] c = SymModes.crypt(TDES, TpmAlg.ECB.id(), false, key, null, p);
        assertEquals("a826fd8ce53b855fcce21c8112256fe668d5c05dd9b6b900", HEX.formatHex(c));
        assertArrayEquals(p, SymModes.crypt(TDES, TpmAlg.ECB.id(), true, key, null, c));
        // a two-key TDES key K1 || K2 is K1 || K2 || K1
        byte[] two = Arrays.copyOf(key, 16);
        byte[] three = SymCiphers.tdesKey(two);
        assertArrayEquals(SymModes.crypt(TDES, TpmAlg.ECB.id(), false, three, null, p),
                SymModes.crypt(TDES, TpmAlg.ECB.id(), false, two, null, p));
    }

    @Test
    void camelliaModesMatchBouncyCastle() throws Exception {
        Random r = new Random(26);
        for (int bits : new int[] {128, 256}) {
            byte[] key = bytes(r, bits / 8);
            byte[] iv = bytes(r, 16);
            byte[] data = bytes(r, 64);
            assertMode(CAMELLIA, TpmAlg.CBC.id(), key, iv, data, bc(new CBCBlockCipher(new CamelliaEngine()), key, iv, data));
            byte[] odd = Arrays.copyOf(data, 53);
            assertMode(CAMELLIA, TpmAlg.CFB.id(), key, iv, odd, bc(new CFBBlockCipher(new CamelliaEngine(), 128), key, iv, odd));
            assertMode(CAMELLIA, TpmAlg.OFB.id(), key, iv, odd, bc(new OFBBlockCipher(new CamelliaEngine(), 128), key, iv, odd));
            assertMode(CAMELLIA, TpmAlg.CTR.id(), key, iv, odd, bc(new SICBlockCipher(new CamelliaEngine()), key, iv, odd));
        }
    }

    @Test
    void tdesModesMatchTheJdk() throws Exception {
        Random r = new Random(67);
        for (int bytes : new int[] {16, 24}) {
            byte[] key = bytes(r, bytes);
            byte[] iv = bytes(r, 8);
            byte[] data = bytes(r, 40);
            byte[] odd = Arrays.copyOf(data, 37);
            assertMode(TDES, TpmAlg.CBC.id(), key, iv, data, jdk("DESede/CBC/NoPadding", key, iv, data));
            assertMode(TDES, TpmAlg.CFB.id(), key, iv, odd, jdk("DESede/CFB/NoPadding", key, iv, odd));
            assertMode(TDES, TpmAlg.OFB.id(), key, iv, odd, jdk("DESede/OFB/NoPadding", key, iv, odd));
            assertMode(TDES, TpmAlg.CTR.id(), key, iv, odd, jdk("DESede/CTR/NoPadding", key, iv, odd));
        }
    }

    @Test
    void opensslCfbVectorsForCamelliaAndTdes() {
        // openssl enc -camellia-128-cfb / -des-ede3-cfb, key 000102..., IV 0, 11 zero bytes
        byte[] zeros = new byte[11];
        assertEquals("477650012aa6284033e1b8", HEX.formatHex(new SymCfb().encrypt(CAMELLIA,
                HEX.parseHex("000102030405060708090a0b0c0d0e0f"), null, zeros)));
        assertEquals("a5173ad5957b4370796ffd", HEX.formatHex(new SymCfb().encrypt(TDES,
                HEX.parseHex("000102030405060700010203040506070001020304050607"), null, zeros)));
    }

    @Test
    void camelliaCmacMatchesBouncyCastle() {
        Random r = new Random(4493);
        for (int n : new int[] {0, 1, 16, 17, 40, 64}) {
            byte[] key = bytes(r, 32);
            byte[] data = bytes(r, n);
            CMac mac = new CMac(new CamelliaEngine());
            mac.init(new KeyParameter(key));
            mac.update(data, 0, n);
            byte[] expected = new byte[16];
            mac.doFinal(expected, 0);
            assertArrayEquals(expected, Cmac.mac(CAMELLIA, key, data), "n=" + n);
        }
        assertEquals(8, Cmac.mac(TDES, bytes(r, 24), bytes(r, 13)).length);
    }

    @Test
    void tdesKeyRules() {
        byte[] good = HEX.parseHex("0123456789abcdef23456789abcdef01");
        assertTrue(Tdes.isValidKey(good));
        assertFalse(Tdes.isValidKey(HEX.parseHex("0101010101010101" + "23456789abcdef01")), "weak K1");
        assertFalse(Tdes.isValidKey(HEX.parseHex("0000000000000000" + "23456789abcdef01")), "weak after parity");
        assertFalse(Tdes.isValidKey(HEX.parseHex("0123456789abcdef" + "0022446688aaccee")), "K1 = K2 after parity");
        assertFalse(Tdes.isValidKey(HEX.parseHex("0123456789abcdef23456789abcdef0123456789abcdef01")), "K2 = K3");
        assertFalse(Tdes.isValidKey(new byte[8]));
        assertEquals(0x0101010101010101L, Tdes.oddParity(0));
        assertEquals(0x01020407080B0D0EL, Tdes.oddParity(0x00020406080A0C0EL));
        // generated keys have odd parity in every byte and skip weak draws
        Random r = new Random(1);
        byte[][] draws = {HEX.parseHex("0000000000000000" + "23456789abcdef01"), bytes(r, 16)};
        int[] next = {0};
        byte[] key = Tdes.generateKey(16, n -> draws[next[0]++].clone());
        assertEquals(2, next[0]);
        for (byte b : key) {
            assertEquals(1, Integer.bitCount(b & 0xFF) % 2);
        }
    }

    private static void assertMode(int alg, int mode, byte[] key, byte[] iv, byte[] data, byte[] expected) {
        byte[] ivOut = iv.clone();
        byte[] c = SymModes.crypt(alg, mode, false, key, ivOut, data);
        assertArrayEquals(expected, c, "mode 0x" + Integer.toHexString(mode));
        assertArrayEquals(data, SymModes.crypt(alg, mode, true, key, iv.clone(), c));
        if (mode == TpmAlg.CBC.id()) {
            assertArrayEquals(Arrays.copyOfRange(c, c.length - iv.length, c.length), ivOut, "CBC ivOut");
        }
    }

    private static byte[] bc(org.bouncycastle.crypto.BlockCipher mode, byte[] key, byte[] iv, byte[] data)
            throws Exception {
        BufferedBlockCipher c = new BufferedBlockCipher(mode);
        c.init(true, new ParametersWithIV(new KeyParameter(key), iv));
        byte[] out = new byte[data.length];
        int n = c.processBytes(data, 0, data.length, out, 0);
        c.doFinal(out, n);
        return out;
    }

    private static byte[] jdk(String transformation, byte[] key, byte[] iv, byte[] data) throws Exception {
        Cipher c = Cipher.getInstance(transformation);
        c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(SymCiphers.tdesKey(key), "DESede"), new IvParameterSpec(iv));
        return c.doFinal(data);
    }

    private static byte[] bytes(Random r, int n) {
        byte[] b = new byte[n];
        r.nextBytes(b);
        return b;
    }
}
