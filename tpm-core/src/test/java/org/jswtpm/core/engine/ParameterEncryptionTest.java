package org.jswtpm.core.engine;

import static org.jswtpm.core.testing.SessionClient.ALG_AES;
import static org.jswtpm.core.testing.SessionClient.ALG_XOR;
import static org.jswtpm.core.testing.SessionClient.CONTINUE;
import static org.jswtpm.core.testing.SessionClient.DECRYPT;
import static org.jswtpm.core.testing.SessionClient.ENCRYPT;
import static org.jswtpm.core.testing.SessionClient.cat;
import static org.jswtpm.core.testing.SessionClient.digest;
import static org.jswtpm.core.testing.SessionClient.u32;
import static org.jswtpm.core.testing.TestTpm.run;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.jswtpm.core.Tpm;
import org.jswtpm.core.TpmException;
import org.jswtpm.core.marshal.TpmReader;
import org.jswtpm.core.marshal.TpmWriter;
import org.jswtpm.core.testing.Command;
import org.jswtpm.core.testing.SessionClient;
import org.jswtpm.core.testing.TestTpm;
import org.jswtpm.core.types.TpmAlg;
import org.jswtpm.core.types.TpmCc;
import org.jswtpm.core.types.TpmRc;
import org.jswtpm.core.types.TpmRh;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/**
 * Session-based encryption (Part 1, 21) of the first command and response parameters with XOR and
 * AES-, Camellia- (0x26) and TDES-CFB (0x3), keys and masks computed in the test with the JDK (Camellia:
 * Bouncy Castle).
 */
class ParameterEncryptionTest {
    static final byte[] OWNER_AUTH = "owner".getBytes(StandardCharsets.US_ASCII);

    /** A session bound to the owner, so that its sessionKey is not empty. */
    static SessionClient bound(Tpm tpm, int alg, int bits) {
        ((TpmEngine) tpm).permanent().ownerAuth = OWNER_AUTH;
        return SessionClient.start(tpm, 0, TpmRh.OWNER, OWNER_AUTH, alg, bits, "SHA-256");
    }

    static byte[] getRandom(Tpm tpm, boolean encrypt, int alg, int bits) throws TpmException {
        SessionClient s = bound(tpm, alg, bits);
        if (!encrypt) {
            return run(tpm, Command.of(TpmCc.GetRandom).u16(24)).ok().tpm2b(64);
        }
        int attrs = CONTINUE | ENCRYPT;
        Command c = s.authorize(Command.of(TpmCc.GetRandom).u16(24), attrs, new byte[0]);
        byte[] params = s.verify(run(tpm, c), TpmCc.GetRandom, 0, 0, attrs, new byte[0]);
        byte[] plain = s.decryptResponse(params, new byte[0]);
        assertFalse(Arrays.equals(plain, params), "the response was encrypted");
        return new TpmReader(plain).tpm2b(64);
    }

    @ParameterizedTest
    @CsvSource({"10, 0", "6, 128", "6, 256", "38, 128", "38, 256", "3, 128", "3, 192"})
    void getRandomResponseEncryption(int alg, int bits) throws Exception {
        // Two TPMs with the same seed produce the same random bytes; only one encrypts them.
        byte[] clear = getRandom(TestTpm.started(), false, alg, bits);
        byte[] decrypted = getRandom(TestTpm.started(), true, alg, bits);
        assertArrayEquals(clear, decrypted);
    }

    @ParameterizedTest
    @CsvSource({"10, 0", "6, 128", "6, 256", "38, 128", "38, 256", "3, 128", "3, 192"})
    void hashCommandAndResponseEncryption(int alg, int bits) throws Exception {
        Tpm tpm = TestTpm.started();
        SessionClient s = bound(tpm, alg, bits);
        byte[] data = "secret data to hash".getBytes(StandardCharsets.US_ASCII);
        Command c = Command.of(TpmCc.Hash).tpm2b(data).u16(TpmAlg.SHA256.id()).u32(TpmRh.NULL);
        s.nextNonce();
        byte[] encrypted = s.encryptCommand(c.parameters(), new byte[0]);
        assertFalse(Arrays.equals(encrypted, c.parameters()));
        c.parameters(encrypted);
        int attrs = CONTINUE | DECRYPT | ENCRYPT;
        c.auth(s.handle, s.nonceCaller, attrs, s.commandHmac(s.cpHash(c), attrs, new byte[0]));
        byte[] params = s.verify(run(tpm, c), TpmCc.Hash, 0, 0, attrs, new byte[0]);
        TpmReader r = new TpmReader(s.decryptResponse(params, new byte[0]));
        assertArrayEquals(digest("SHA-256", data), r.tpm2b(64));
    }

    @Test
    void stirRandomCommandEncryptionWithAWrongKeyStillAuthorizesButStirsOtherData() throws Exception {
        Tpm tpm = TestTpm.started();
        SessionClient s = bound(tpm, ALG_XOR, 0);
        Command c = Command.of(TpmCc.StirRandom).tpm2b(new byte[] {1, 2, 3, 4});
        s.nextNonce();
        c.parameters(s.encryptCommand(c.parameters(), new byte[0]));
        int attrs = CONTINUE | DECRYPT;
        c.auth(s.handle, s.nonceCaller, attrs, s.commandHmac(s.cpHash(c), attrs, new byte[0]));
        s.verify(run(tpm, c), TpmCc.StirRandom, 0, 0, attrs, new byte[0]);
    }

    /**
     * Session 1 authorizes PCR_Event, session 2 only decrypts its eventData: session 1's HMAC then
     * includes session 2's nonceTPM (nonceTPMdecrypt), and the decryption key includes no authValue.
     */
    @Test
    void aSecondSessionDecryptsAndItsNonceIsInTheFirstSessionsHmac() throws Exception {
        Tpm tpm = TestTpm.started();
        SessionClient auth = SessionClient.hmac(tpm);
        SessionClient enc = bound(tpm, ALG_AES, 128);
        byte[] event = "boot event".getBytes(StandardCharsets.US_ASCII);
        Command c = Command.of(TpmCc.PCR_Event).handle(11).tpm2b(event);
        enc.nextNonce();
        auth.nextNonce();
        c.parameters(enc.encryptCommand(c.parameters(), new byte[0]));
        byte[] cp = auth.cpHash(c, u32(11));
        c.auth(auth.handle, auth.nonceCaller, CONTINUE, auth.commandHmac(cp, CONTINUE, new byte[0], enc.nonceTpm));
        int encAttrs = CONTINUE | DECRYPT;
        c.auth(enc.handle, enc.nonceCaller, encAttrs, enc.commandHmac(cp, encAttrs, new byte[0]));
        var r = run(tpm, c);
        auth.verify(r, TpmCc.PCR_Event, 0, 0, CONTINUE, new byte[0]);
        enc.verify(r, TpmCc.PCR_Event, 0, 1, encAttrs, new byte[0]);
        assertArrayEquals(digest("SHA-256", new byte[32], digest("SHA-256", event)),
                HmacSessionTest.pcr(tpm, 11));
    }

    @Test
    void encryptionNeedsASymmetricAlgorithmAndAnEligibleCommand() throws Exception {
        Tpm tpm = TestTpm.started();
        SessionClient plain = SessionClient.hmac(tpm);
        Command c = Command.of(TpmCc.GetRandom).u16(8);
        run(tpm, plain.authorize(c, CONTINUE | ENCRYPT, new byte[0])).assertRc(TpmRc.SYMMETRIC.session(1));
        SessionClient xor = bound(tpm, ALG_XOR, 0);
        run(tpm, xor.authorize(Command.of(TpmCc.GetRandom).u16(8), CONTINUE | DECRYPT, new byte[0]))
                .assertRc(TpmRc.ATTRIBUTES.session(1));
        run(tpm, xor.authorize(Command.of(TpmCc.ReadClock), CONTINUE | ENCRYPT, new byte[0]))
                .assertRc(TpmRc.ATTRIBUTES.session(1));
        // A session that neither authorizes nor encrypts nor audits has nothing to do.
        run(tpm, xor.authorize(Command.of(TpmCc.GetRandom).u16(8), CONTINUE, new byte[0]))
                .assertRc(TpmRc.ATTRIBUTES.session(1));
        // A decrypted size larger than the parameter area.
        Command bad = Command.of(TpmCc.StirRandom).u16(40).bytes(new byte[4]);
        run(tpm, xor.authorize(bad, CONTINUE | DECRYPT, new byte[0])).assertRc(TpmRc.SIZE.session(1));
    }

    /** A stand-in salt key: "decrypts" by XOR with a fixed pad, enough to test the salted key schedule. */
    static final class FakeSaltKey extends LoadedObject implements SaltDecryptor {
        FakeSaltKey() {
            super(new byte[0]);
        }

        @Override
        public boolean daExempt() {
            return true;
        }

        @Override
        public void checkSaltKey() {
        }

        @Override
        public byte[] decryptSalt(byte[] encryptedSalt) {
            byte[] out = encryptedSalt.clone();
            for (int i = 0; i < out.length; i++) {
                out[i] ^= 0x33;
            }
            return out;
        }
    }

    @Test
    void saltedSessionKeyIsKdfaOfTheSalt() throws Exception {
        Tpm tpm = TestTpm.started();
        int key = ((TpmEngine) tpm).objects().load(new FakeSaltKey());
        byte[] salt = new byte[32];
        Arrays.fill(salt, (byte) 7);
        byte[] encrypted = salt.clone();
        for (int i = 0; i < encrypted.length; i++) {
            encrypted[i] ^= 0x33;
        }
        byte[] nonceCaller = new byte[16];
        TpmWriter sym = new TpmWriter();
        sym.u16(TpmAlg.XOR.id()).u16(TpmAlg.SHA256.id());
        TpmReader r = run(tpm, Command.of(TpmCc.StartAuthSession).handle(key).handle(TpmRh.NULL)
                .tpm2b(nonceCaller).tpm2b(encrypted).u8(0).bytes(sym.toByteArray()).u16(TpmAlg.SHA256.id())).ok();
        int handle = r.u32();
        byte[] nonceTpm = r.tpm2b(64);
        byte[] sessionKey = SessionClient.kdfa("SHA-256", salt, "ATH", nonceTpm, nonceCaller, 256);
        // Prove the TPM holds that key: an encrypt-only session on GetRandom needs the right HMAC.
        byte[] newNonce = cat(new byte[15], new byte[] {1});
        Command c = Command.of(TpmCc.GetRandom).u16(8);
        byte[] cp = digest("SHA-256", u32(TpmCc.GetRandom.code()), c.parameters());
        byte[] hmac = SessionClient.hmac("SHA-256", sessionKey, cp, newNonce, nonceTpm, new byte[] {0x41});
        run(tpm, c.auth(handle, newNonce, 0x41, hmac)).ok();
        // A salt with tpmKey TPM_RH_NULL, or none with a key, is TPM_RC_VALUE on encryptedSalt.
        run(tpm, Command.of(TpmCc.StartAuthSession).handle(key).handle(TpmRh.NULL).tpm2b(nonceCaller)
                .tpm2b(new byte[0]).u8(0).u16(TpmAlg.NULL.id()).u16(TpmAlg.SHA256.id()))
                .assertRc(TpmRc.VALUE.parameter(2));
    }

    /**
     * Three sessions on SequenceComplete: session 1 authorizes the sequence, session 2 decrypts the
     * last data, session 3 encrypts the digest. Session 1's HMAC carries both other nonceTPMs.
     */
    @Test
    void threeSessionsAuthorizeDecryptAndEncrypt() throws Exception {
        Tpm tpm = TestTpm.started();
        byte[] seqAuth = "seq".getBytes(StandardCharsets.US_ASCII);
        int seq = run(tpm, Command.of(TpmCc.HashSequenceStart).tpm2b(seqAuth).u16(TpmAlg.SHA256.id())).ok().u32();
        SessionClient auth = SessionClient.hmac(tpm);
        SessionClient dec = bound(tpm, ALG_XOR, 0);
        SessionClient enc = bound(tpm, ALG_AES, 256);
        byte[] data = "the last block".getBytes(StandardCharsets.US_ASCII);
        Command c = Command.of(TpmCc.SequenceComplete).handle(seq).tpm2b(data).u32(TpmRh.NULL);
        auth.nextNonce();
        dec.nextNonce();
        enc.nextNonce();
        c.parameters(dec.encryptCommand(c.parameters(), new byte[0]));
        byte[] cp = auth.cpHash(c);
        c.auth(auth.handle, auth.nonceCaller, CONTINUE,
                auth.commandHmac(cp, CONTINUE, seqAuth, dec.nonceTpm, enc.nonceTpm));
        c.auth(dec.handle, dec.nonceCaller, CONTINUE | DECRYPT, dec.commandHmac(cp, CONTINUE | DECRYPT, new byte[0]));
        c.auth(enc.handle, enc.nonceCaller, CONTINUE | ENCRYPT, enc.commandHmac(cp, CONTINUE | ENCRYPT, new byte[0]));
        var r = run(tpm, c);
        auth.verify(r, TpmCc.SequenceComplete, 0, 0, CONTINUE, seqAuth);
        dec.verify(r, TpmCc.SequenceComplete, 0, 1, CONTINUE | DECRYPT, new byte[0]);
        byte[] params = enc.verify(r, TpmCc.SequenceComplete, 0, 2, CONTINUE | ENCRYPT, new byte[0]);
        assertArrayEquals(digest("SHA-256", data), new TpmReader(enc.decryptResponse(params, new byte[0])).tpm2b(64));
    }

    /** A session that authorizes and decrypts: its key includes the entity's authValue. */
    @Test
    void theAuthorizingSessionsCipherKeyIncludesTheAuthValue() throws Exception {
        Tpm tpm = TestTpm.started();
        byte[] seqAuth = "seq-auth".getBytes(StandardCharsets.US_ASCII);
        int seq = run(tpm, Command.of(TpmCc.HashSequenceStart).tpm2b(seqAuth).u16(TpmAlg.SHA256.id())).ok().u32();
        SessionClient s = bound(tpm, ALG_AES, 128);
        byte[] data = "first".getBytes(StandardCharsets.US_ASCII);
        Command update = Command.of(TpmCc.SequenceUpdate).handle(seq).tpm2b(data);
        s.nextNonce();
        update.parameters(s.encryptCommand(update.parameters(), seqAuth));
        int attrs = CONTINUE | DECRYPT;
        update.auth(s.handle, s.nonceCaller, attrs, s.commandHmac(s.cpHash(update), attrs, seqAuth));
        s.verify(run(tpm, update), TpmCc.SequenceUpdate, 0, 0, attrs, seqAuth);
        Command complete = Command.of(TpmCc.SequenceComplete).handle(seq).tpm2b(new byte[0]).u32(TpmRh.NULL);
        byte[] params = s.verify(run(tpm, s.authorize(complete, CONTINUE | ENCRYPT, seqAuth)),
                TpmCc.SequenceComplete, 0, 0, CONTINUE | ENCRYPT, seqAuth);
        assertArrayEquals(digest("SHA-256", data), new TpmReader(s.decryptResponse(params, seqAuth)).tpm2b(64));
    }
}
