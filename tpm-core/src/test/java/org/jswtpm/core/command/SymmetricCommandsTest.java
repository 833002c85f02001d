package org.jswtpm.core.command;

import static org.jswtpm.core.testing.TestObjects.DECRYPT;
import static org.jswtpm.core.testing.TestObjects.FIXED_PARENT;
import static org.jswtpm.core.testing.TestObjects.FIXED_TPM;
import static org.jswtpm.core.testing.TestObjects.NULL;
import static org.jswtpm.core.testing.TestObjects.SHA256;
import static org.jswtpm.core.testing.TestObjects.SIGN;
import static org.jswtpm.core.testing.TestObjects.USER_WITH_AUTH;
import static org.jswtpm.core.testing.TestTpm.run;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.jswtpm.core.Tpm;
import org.jswtpm.core.marshal.TpmReader;
import org.jswtpm.core.testing.Command;
import org.jswtpm.core.testing.Keys;
import org.jswtpm.core.testing.TestObjects;
import org.jswtpm.core.testing.TestTpm;
import org.jswtpm.core.types.TpmCc;
import org.jswtpm.core.types.TpmRc;
import org.jswtpm.core.types.TpmRh;
import org.junit.jupiter.api.Test;

/** Part 3, 15: EncryptDecrypt(2) against javax.crypto.Cipher in each mode; HMAC and HMAC sequences against Mac. */
class SymmetricCommandsTest {
    static final int KEY_ATTRS = FIXED_TPM | FIXED_PARENT | USER_WITH_AUTH | DECRYPT | SIGN;
    static final int CTR = 0x40;
    static final int OFB = 0x41;
    static final int CBC = 0x42;
    static final int CFB = 0x43;
    static final int ECB = 0x44;
    static final byte[] KEY = "0123456789abcdef0123456789abcdef".getBytes();
    static final byte[] IV = "initial vector!!".getBytes();

    static int aesKey(Tpm tpm, int parent, int attrs, int bits, int mode) throws Exception {
        return Keys.child(tpm, parent, Keys.aes(attrs, bits, mode), Arrays.copyOf(KEY, bits / 8)).handle();
    }

    static int parent(Tpm tpm) throws Exception {
        return TestObjects.createPrimary(tpm, TpmRh.OWNER, TestObjects.rsaStorage(2048)).handle();
    }

    static byte[][] crypt2(Tpm tpm, int key, boolean decrypt, int mode, byte[] iv, byte[] data) throws Exception {
        TpmReader r = run(tpm, Command.of(TpmCc.EncryptDecrypt2).handle(key).emptyAuth().tpm2b(data)
                .u8(decrypt ? 1 : 0).u16(mode).tpm2b(iv)).okWithSessions(0);
        return new byte[][] {r.tpm2b(1024), r.tpm2b(16)};
    }

    static byte[][] crypt1(Tpm tpm, int key, boolean decrypt, int mode, byte[] iv, byte[] data) throws Exception {
        TpmReader r = run(tpm, Command.of(TpmCc.EncryptDecrypt).handle(key).emptyAuth().u8(decrypt ? 1 : 0)
                .u16(mode).tpm2b(iv).tpm2b(data)).okWithSessions(0);
        return new byte[][] {r.tpm2b(1024), r.tpm2b(16)};
    }

    static byte[] jdk(String transform, int mode, byte[] key, byte[] iv, byte[] data) throws Exception {
        Cipher c = Cipher.getInstance(transform);
        if (iv == null) {
            c.init(mode, new SecretKeySpec(key, "AES"));
        } else {
            c.init(mode, new SecretKeySpec(key, "AES"), new IvParameterSpec(iv));
        }
        return c.doFinal(data);
    }

    @Test
    void everyModeMatchesTheJdk() throws Exception {
        Tpm tpm = TestTpm.started();
        int parent = parent(tpm);
        int key = aesKey(tpm, parent, KEY_ATTRS, 256, NULL);
        byte[] blocks = new byte[64];
        for (int i = 0; i < blocks.length; i++) {
            blocks[i] = (byte) (i * 7);
        }
        byte[] odd = Arrays.copyOf(blocks, 45);
        Object[][] modes = {{CFB, "AES/CFB/NoPadding", odd}, {OFB, "AES/OFB/NoPadding", odd},
            {CTR, "AES/CTR/NoPadding", odd}, {CBC, "AES/CBC/NoPadding", blocks}, {ECB, "AES/ECB/NoPadding", blocks}};
        for (Object[] m : modes) {
            int mode = (int) m[0];
            byte[] data = (byte[]) m[2];
            byte[] iv = mode == ECB ? new byte[0] : IV;
            byte[] expected = jdk((String) m[1], Cipher.ENCRYPT_MODE, KEY, mode == ECB ? null : IV, data);
            byte[][] enc = crypt2(tpm, key, false, mode, iv, data);
            assertArrayEquals(expected, enc[0], (String) m[1]);
            assertArrayEquals(expected, crypt1(tpm, key, false, mode, iv, data)[0], (String) m[1]);
            assertArrayEquals(data, crypt2(tpm, key, true, mode, iv, expected)[0], (String) m[1]);
            // ivOut chains: encrypting in two calls gives the same as one
            if (mode != ECB) {
                byte[][] first = crypt2(tpm, key, false, mode, iv, Arrays.copyOf(data, 32));
                byte[][] second = crypt2(tpm, key, false, mode, first[1], Arrays.copyOfRange(data, 32, data.length));
                byte[] joined = Arrays.copyOf(first[0], data.length);
                System.arraycopy(second[0], 0, joined, 32, second[0].length);
                assertArrayEquals(expected, joined, (String) m[1] + " chained");
            }
        }
    }

    @Test
    void modeAndAttributeRules() throws Exception {
        Tpm tpm = TestTpm.started();
        int parent = parent(tpm);
        int cfb = aesKey(tpm, parent, KEY_ATTRS, 128, CFB);
        byte[] data = new byte[32];
        crypt2(tpm, cfb, false, NULL, IV, data);
        run(tpm, Command.of(TpmCc.EncryptDecrypt2).handle(cfb).emptyAuth().tpm2b(data).u8(0).u16(CBC).tpm2b(IV))
                .assertRc(TpmRc.MODE.parameter(3));
        TestObjects.flush(tpm, cfb);
        int any = aesKey(tpm, parent, KEY_ATTRS, 128, NULL);
        run(tpm, Command.of(TpmCc.EncryptDecrypt2).handle(any).emptyAuth().tpm2b(data).u8(0).u16(NULL).tpm2b(IV))
                .assertRc(TpmRc.MODE.parameter(3));
        run(tpm, Command.of(TpmCc.EncryptDecrypt2).handle(any).emptyAuth().tpm2b(data).u8(0).u16(CBC)
                .tpm2b(new byte[8])).assertRc(TpmRc.SIZE.parameter(4));
        run(tpm, Command.of(TpmCc.EncryptDecrypt2).handle(any).emptyAuth().tpm2b(new byte[17]).u8(0).u16(CBC)
                .tpm2b(IV)).assertRc(TpmRc.SIZE.parameter(1));
        run(tpm, Command.of(TpmCc.EncryptDecrypt).handle(any).emptyAuth().u8(0).u16(ECB).tpm2b(IV)
                .tpm2b(data)).assertRc(TpmRc.SIZE.parameter(3));
        int decryptOnly = aesKey(tpm, parent, KEY_ATTRS & ~SIGN, 128, NULL);
        run(tpm, Command.of(TpmCc.EncryptDecrypt2).handle(decryptOnly).emptyAuth().tpm2b(data).u8(0).u16(CFB)
                .tpm2b(IV)).assertRc(TpmRc.ATTRIBUTES.handle(1));
        crypt2(tpm, decryptOnly, true, CFB, IV, data);
        run(tpm, Command.of(TpmCc.EncryptDecrypt2).handle(parent).emptyAuth().tpm2b(data).u8(0).u16(CFB)
                .tpm2b(IV)).assertRc(TpmRc.KEY.handle(1));
        run(tpm, Command.of(TpmCc.EncryptDecrypt2).handle(any).emptyAuth().tpm2b(data).u8(2).u16(CFB)
                .tpm2b(IV)).assertRc(TpmRc.VALUE.parameter(2));
    }

    static final byte[] HMAC_KEY = "an hmac key".getBytes();

    static byte[] jdkHmac(byte[] data) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(HMAC_KEY, "HmacSHA256"));
        return mac.doFinal(data);
    }

    @Test
    void hmacAndHmacSequenceMatchTheJdk() throws Exception {
        Tpm tpm = TestTpm.started();
        int parent = parent(tpm);
        // sign and decrypt both SET: the scheme must be NULL, and the command names the hash
        int key = Keys.child(tpm, parent, Keys.keyedHash(FIXED_TPM | FIXED_PARENT | USER_WITH_AUTH | SIGN | DECRYPT,
                NULL, 0),
                HMAC_KEY).handle();
        byte[] data = "some data to mac".getBytes();
        byte[] mac = run(tpm, Command.of(TpmCc.HMAC).handle(key).emptyAuth().tpm2b(data).u16(SHA256))
                .okWithSessions(0).tpm2b(64);
        assertArrayEquals(jdkHmac(data), mac);
        run(tpm, Command.of(TpmCc.HMAC).handle(key).emptyAuth().tpm2b(data).u16(NULL))
                .assertRc(TpmRc.VALUE.parameter(2));

        byte[] big = new byte[2500];
        Arrays.fill(big, (byte) 0x5A);
        int seq = run(tpm, Command.of(TpmCc.HMAC_Start).handle(key).emptyAuth().tpm2b("seq".getBytes()).u16(SHA256))
                .ok().u32();
        run(tpm, Command.of(TpmCc.SequenceUpdate).handle(seq).passwords("seq".getBytes())
                .tpm2b(Arrays.copyOf(big, 1000))).ok();
        run(tpm, Command.of(TpmCc.SequenceUpdate).handle(seq).passwords("seq".getBytes())
                .tpm2b(Arrays.copyOfRange(big, 1000, 2000))).ok();
        TpmReader r = run(tpm, Command.of(TpmCc.SequenceComplete).handle(seq).passwords("seq".getBytes())
                .tpm2b(Arrays.copyOfRange(big, 2000, 2500)).u32(TpmRh.OWNER)).okWithSessions(0);
        assertArrayEquals(jdkHmac(big), r.tpm2b(64));
        // an HMAC sequence gets the NULL ticket
        assertArrayEquals(new byte[] {(byte) 0x80, 0x24, 0x40, 0, 0, 7, 0, 0}, r.bytes(8));

        // rules: a keyed hash with a scheme fixes the hash; sign CLEAR is TPM_RC_KEY; not a keyed hash is TYPE
        TestObjects.flush(tpm, key);
        int sha256Key = Keys.child(tpm, parent, Keys.keyedHash(FIXED_TPM | FIXED_PARENT | USER_WITH_AUTH | SIGN,
                0x05, SHA256), HMAC_KEY).handle();
        run(tpm, Command.of(TpmCc.HMAC).handle(sha256Key).emptyAuth().tpm2b(data).u16(0x0C))
                .assertRc(TpmRc.VALUE.parameter(2));
        assertArrayEquals(jdkHmac(data), run(tpm, Command.of(TpmCc.HMAC).handle(sha256Key).emptyAuth().tpm2b(data)
                .u16(NULL)).okWithSessions(0).tpm2b(64));
        run(tpm, Command.of(TpmCc.HMAC).handle(parent).emptyAuth().tpm2b(data).u16(SHA256))
                .assertRc(TpmRc.TYPE.handle(1));
    }

    @Test
    void hmacSequenceSurvivesContextSaveAndLoad() throws Exception {
        Tpm tpm = TestTpm.started();
        int parent = parent(tpm);
        int key = Keys.child(tpm, parent, Keys.keyedHash(FIXED_TPM | FIXED_PARENT | USER_WITH_AUTH | SIGN, 0x05, SHA256),
                HMAC_KEY).handle();
        int seq = run(tpm, Command.of(TpmCc.HMAC_Start).handle(key).emptyAuth().tpm2b(new byte[0]).u16(NULL)).ok().u32();
        byte[] first = "first part, ".getBytes();
        run(tpm, Command.of(TpmCc.SequenceUpdate).handle(seq).emptyAuth().tpm2b(first)).ok();
        TpmReader saved = run(tpm, Command.of(TpmCc.ContextSave).handle(seq)).ok();
        byte[] context = saved.bytes(saved.remaining());
        byte[] live = run(tpm, Command.of(TpmCc.SequenceComplete).handle(seq).emptyAuth().tpm2b("live".getBytes())
                .u32(TpmRh.NULL)).okWithSessions(0).tpm2b(64);
        assertArrayEquals(jdkHmac("first part, live".getBytes()), live);
        int restored = run(tpm, Command.of(TpmCc.ContextLoad).bytes(context)).ok().u32();
        byte[] again = run(tpm, Command.of(TpmCc.SequenceComplete).handle(restored).emptyAuth()
                .tpm2b("restored".getBytes()).u32(TpmRh.NULL)).okWithSessions(0).tpm2b(64);
        assertArrayEquals(jdkHmac("first part, restored".getBytes()), again);
    }
}
