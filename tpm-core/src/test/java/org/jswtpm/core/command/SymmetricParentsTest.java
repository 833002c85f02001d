package org.jswtpm.core.command;

import static org.jswtpm.core.testing.TestTpm.run;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.jswtpm.core.Tpm;
import org.jswtpm.core.marshal.TpmReader;
import org.jswtpm.core.testing.Command;
import org.jswtpm.core.testing.TestObjects;
import org.jswtpm.core.testing.TestTpm;
import org.jswtpm.core.types.TpmAlg;
import org.jswtpm.core.types.TpmCc;
import org.jswtpm.core.types.TpmRc;
import org.jswtpm.core.types.TpmRh;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Storage parents with Camellia or TDES as their symmetric algorithm (Part 1, 23): children's
 * TPM2B_PRIVATE carry an IV of the cipher's block size and load and unseal again, through two levels;
 * symmetric-cipher objects of both ciphers en- and decrypt through the TPM.
 */
class SymmetricParentsTest {
    static final byte[] SECRET = "sealed under another cipher".getBytes();

    @ParameterizedTest
    @CsvSource({"38, 128", "38, 256", "3, 128", "3, 192", "6, 256"})
    void childrenOfCamelliaAndTdesParentsLoadAndUnseal(int alg, int bits) throws Exception {
        Tpm tpm = TestTpm.started();
        byte[] storage = TestObjects.eccStorage(3, alg, bits);
        int parent = TestObjects.createPrimary(tpm, TpmRh.OWNER, storage).handle();
        TestObjects.Blob blob = TestObjects.create(tpm, parent, TestObjects.sealed(), "pw".getBytes(), SECRET);
        TpmReader priv = new TpmReader(blob.privateBlob());
        priv.u16();
        priv.tpm2b(64);
        assertEquals(alg == TpmAlg.TDES.id() ? 8 : 16, priv.tpm2b(64).length, "the IV is a block");
        int sealed = TestObjects.load(tpm, parent, blob);
        assertArrayEquals(SECRET, run(tpm, ObjectCommandsTest.unseal(sealed, "pw".getBytes())).okWithSessions(0)
                .tpm2b(128));
        TestObjects.flush(tpm, sealed);
        // a fixedParent child storage key must repeat its parent's symmetric definition
        int child = TestObjects.load(tpm, parent, TestObjects.create(tpm, parent, storage, new byte[0], new byte[0]));
        int grandchild = TestObjects.load(tpm, child,
                TestObjects.create(tpm, child, TestObjects.sealed(), new byte[0], SECRET));
        assertArrayEquals(SECRET, run(tpm, ObjectCommandsTest.unseal(grandchild, new byte[0])).okWithSessions(0)
                .tpm2b(128));
        TestObjects.flush(tpm, grandchild);
        byte[] other = TestObjects.eccStorage(3, alg == TpmAlg.AES.id() ? TpmAlg.CAMELLIA.id() : TpmAlg.AES.id(), 128);
        run(tpm, Command.of(TpmCc.Create).handle(parent).emptyAuth()
                .bytes(TestObjects.sensitive(new byte[0], new byte[0])).bytes(other).u16(0).u32(0))
                .assertRc(TpmRc.SYMMETRIC.parameter(2));
    }

    @ParameterizedTest
    @CsvSource({"38, 128, 16", "38, 256, 16", "3, 128, 8", "3, 192, 8"})
    void generatedSymmetricKeysEncryptAndDecrypt(int alg, int bits, int block) throws Exception {
        Tpm tpm = TestTpm.started();
        byte[] template = TestObjects.symKey(TestObjects.USER_WITH_AUTH | TestObjects.SIGN | TestObjects.DECRYPT
                | TestObjects.SENSITIVE_DATA_ORIGIN, alg, bits, TpmAlg.CBC.id());
        int key = TestObjects.createPrimary(tpm, TpmRh.OWNER, template).handle();
        byte[] data = new byte[block * 3];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) i;
        }
        byte[] iv = new byte[block];
        TpmReader enc = run(tpm, Command.of(TpmCc.EncryptDecrypt2).handle(key).passwords(new byte[0]).tpm2b(data)
                .u8(0).u16(TpmAlg.NULL.id()).tpm2b(iv)).okWithSessions(0);
        byte[] cipher = enc.tpm2b(1024);
        TpmReader dec = run(tpm, Command.of(TpmCc.EncryptDecrypt2).handle(key).passwords(new byte[0]).tpm2b(cipher)
                .u8(1).u16(TpmAlg.NULL.id()).tpm2b(iv)).okWithSessions(0);
        assertArrayEquals(data, dec.tpm2b(1024));
        run(tpm, Command.of(TpmCc.EncryptDecrypt2).handle(key).passwords(new byte[0]).tpm2b(data)
                .u8(0).u16(TpmAlg.NULL.id()).tpm2b(new byte[24 - block])).assertRc(TpmRc.SIZE.parameter(4));
    }
}
