package org.jswtpm.core.command;

import static org.jswtpm.core.command.PolicyEnforcementTest.sealedObject;
import static org.jswtpm.core.command.PolicyEnforcementTest.unseal;
import static org.jswtpm.core.command.PolicyTrialDigestTest.getDigest;
import static org.jswtpm.core.command.PolicyTrialDigestTest.sha;
import static org.jswtpm.core.testing.SessionClient.cat;
import static org.jswtpm.core.testing.SessionClient.u32;
import static org.jswtpm.core.testing.TestTpm.run;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Arrays;
import org.jswtpm.core.Tpm;
import org.jswtpm.core.crypto.Bytes;
import org.jswtpm.core.marshal.TpmReader;
import org.jswtpm.core.marshal.TpmWriter;
import org.jswtpm.core.testing.Command;
import org.jswtpm.core.testing.SessionClient;
import org.jswtpm.core.testing.TestObjects;
import org.jswtpm.core.testing.TestTpm;
import org.jswtpm.core.types.TpmCc;
import org.jswtpm.core.types.TpmRc;
import org.jswtpm.core.types.TpmRh;
import org.jswtpm.core.types.TpmSt;
import org.junit.jupiter.api.Test;

/**
 * Part 3, 23.3 TPM2_PolicySigned with signatures the JDK makes, and 23.16 TPM2_PolicyAuthorize with
 * the ticket of TPM2_VerifySignature: a secret sealed to "whatever PCR policy this key signs", unsealed
 * with a signed PCR policy, refused when the PCR moves, and unsealed again once the new state is signed.
 */
class PolicySignedTest {
    static final byte[] ZERO = new byte[32];
    static final byte[] NONE = new byte[0];
    static final int RSASSA = 0x0014;

    record Key(KeyPair pair, int handle, byte[] name) {
    }

    /** A JDK RSA key pair whose public part is loaded into the owner hierarchy. */
    static Key loadKey(Tpm tpm) throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        KeyPair pair = g.generateKeyPair();
        TpmReader r = run(tpm, Command.of(TpmCc.LoadExternal).u16(0)
                .bytes(ObjectCommandsTest.rsaPublic(TestObjects.SHA256, TestObjects.USER_WITH_AUTH | TestObjects.SIGN,
                        ((RSAPublicKey) pair.getPublic()).getModulus(), 2048))
                .u32(TpmRh.OWNER)).ok();
        int handle = r.u32();
        return new Key(pair, handle, r.tpm2b(66));
    }

    /** TPMT_SIGNATURE: RSASSA-SHA256 of {@code message} (the JDK hashes it). */
    static byte[] sign(KeyPair pair, byte[] message) throws Exception {
        Signature s = Signature.getInstance("SHA256withRSA");
        s.initSign(pair.getPrivate());
        s.update(message);
        byte[] sig = s.sign();
        return cat(new byte[] {0, RSASSA, 0, 0x0B}, new byte[] {(byte) (sig.length >> 8), (byte) sig.length}, sig);
    }

    static Command policySigned(Key key, SessionClient p, byte[] nonce, byte[] ref, int expiration, byte[] sig) {
        return Command.of(TpmCc.PolicySigned).handle(key.handle()).handle(p.handle).tpm2b(nonce).tpm2b(NONE)
                .tpm2b(ref).u32(expiration).bytes(sig);
    }

    @Test
    void policySignedWithAJdkSignature() throws Exception {
        Tpm tpm = TestTpm.started();
        Key key = loadKey(tpm);
        byte[] ref = {0x42};
        byte[] policy = sha(sha(ZERO, u32(0x160), key.name()), ref);
        byte[] secret = "signed".getBytes();
        int sealed = sealedObject(tpm, policy, secret);

        SessionClient trial = SessionClient.policy(tpm, true);
        run(tpm, policySigned(key, trial, NONE, ref, 0, new byte[] {0, 0x10})).assertRc(TpmRc.SCHEME.parameter(5));
        run(tpm, policySigned(key, trial, NONE, ref, 0, sign(key.pair(), NONE))).ok();
        assertArrayEquals(policy, getDigest(tpm, trial.handle), "a trial session checks no signature");
        run(tpm, Command.of(TpmCc.FlushContext).u32(trial.handle)).ok();

        SessionClient p = SessionClient.policy(tpm, false);
        int expiration = -300;
        byte[] aHash = cat(p.nonceTpm, u32(expiration), NONE, ref);
        TpmReader out = run(tpm, policySigned(key, p, p.nonceTpm, ref, expiration, sign(key.pair(), aHash))).ok();
        byte[] timeout = out.tpm2b(8);
        assertEquals(TpmSt.AUTH_SIGNED, out.u16());
        assertEquals(TpmRh.OWNER, out.u32());
        byte[] ticket = out.tpm2b(64);
        assertArrayEquals(policy, getDigest(tpm, p.handle));
        assertArrayEquals(secret, run(tpm, unseal(sealed, p)).okWithSessions(0).tpm2b(128));

        // (nonceTPM rolled with the Unseal; these go without one) a signature over other values, a NULL signature
        byte[] other = sign(key.pair(), cat(u32(1), ref));
        run(tpm, policySigned(key, p, NONE, ref, 0, other)).assertRc(TpmRc.SIGNATURE.parameter(5));
        run(tpm, policySigned(key, p, NONE, ref, 0, new byte[] {0, 0x10})).assertRc(TpmRc.SCHEME.parameter(5));
        run(tpm, policySigned(key, p, NONE, ref, 0, sign(key.pair(), cat(u32(0), ref)))).ok();

        // the ticket replays it
        SessionClient q = SessionClient.policy(tpm, false);
        run(tpm, Command.of(TpmCc.PolicyTicket).handle(q.handle).tpm2b(timeout).tpm2b(NONE).tpm2b(ref)
                .tpm2b(key.name()).u16(TpmSt.AUTH_SIGNED).u32(TpmRh.OWNER).tpm2b(ticket)).ok();
        assertArrayEquals(secret, run(tpm, unseal(sealed, q)).okWithSessions(0).tpm2b(128));
    }

    @Test
    void policySignedWithAnEcdsaKey() throws Exception {
        Tpm tpm = TestTpm.started();
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair pair = g.generateKeyPair();
        ECPublicKey pub = (ECPublicKey) pair.getPublic();
        TpmWriter w = new TpmWriter();
        int at = w.startSized16();
        w.u16(TestObjects.ECC).u16(TestObjects.SHA256).u32(TestObjects.USER_WITH_AUTH | TestObjects.SIGN).u16(0)
                .u16(TestObjects.NULL).u16(TestObjects.NULL).u16(3).u16(TestObjects.NULL)
                .tpm2b(Bytes.fixed(pub.getW().getAffineX(), 32))
                .tpm2b(Bytes.fixed(pub.getW().getAffineY(), 32));
        w.endSized16(at);
        TpmReader r = run(tpm, Command.of(TpmCc.LoadExternal).u16(0).bytes(w.toByteArray()).u32(TpmRh.OWNER)).ok();
        int handle = r.u32();
        byte[] name = r.tpm2b(66);
        byte[] policy = sha(sha(ZERO, u32(0x160), name), NONE);
        byte[] secret = "ecdsa".getBytes();
        int sealed = sealedObject(tpm, policy, secret);

        SessionClient p = SessionClient.policy(tpm, false);
        Signature ecdsa = Signature.getInstance("SHA256withECDSAinP1363Format");
        ecdsa.initSign(pair.getPrivate());
        ecdsa.update(cat(p.nonceTpm, u32(0)));
        byte[] rs = ecdsa.sign();
        byte[] sig = cat(new byte[] {0, 0x18, 0, 0x0B}, new byte[] {0, 32}, Arrays.copyOf(rs, 32),
                new byte[] {0, 32}, Arrays.copyOfRange(rs, 32, 64));
        run(tpm, Command.of(TpmCc.PolicySigned).handle(handle).handle(p.handle).tpm2b(p.nonceTpm).tpm2b(NONE)
                .tpm2b(NONE).u32(0).bytes(sig)).ok();
        assertArrayEquals(secret, run(tpm, unseal(sealed, p)).okWithSessions(0).tpm2b(128));
    }

    @Test
    void secretSealedToASignedPcrPolicy() throws Exception {
        Tpm tpm = TestTpm.started();
        Key key = loadKey(tpm);
        byte[] ref = NONE;
        byte[] policy = sha(sha(ZERO, u32(0x16A), key.name()), ref);
        byte[] secret = "authorized".getBytes();
        int sealed = sealedObject(tpm, policy, secret);
        SessionClient trial = SessionClient.policy(tpm, true);
        run(tpm, Command.of(TpmCc.PolicyAuthorize).handle(trial.handle).tpm2b(NONE).tpm2b(ref).tpm2b(key.name())
                .u16(TpmSt.VERIFIED).u32(TpmRh.NULL).u16(0)).ok();
        assertArrayEquals(policy, getDigest(tpm, trial.handle));
        run(tpm, Command.of(TpmCc.FlushContext).u32(trial.handle)).ok();

        byte[] approved = PolicyEnforcementTest.pcrPolicy(tpm);
        byte[] ticket = verify(tpm, key, approved, ref);
        SessionClient p = SessionClient.policy(tpm, false);
        run(tpm, Command.of(TpmCc.PolicyPCR).handle(p.handle).u16(0).bytes(SealedToPolicyTest.PCR_16)).ok();
        run(tpm, authorize(p, approved, ref, key, ticket)).ok();
        assertArrayEquals(policy, getDigest(tpm, p.handle));
        assertArrayEquals(secret, run(tpm, unseal(sealed, p)).okWithSessions(0).tpm2b(128));

        // the PCR moves: the old approval no longer matches
        PolicyEnforcementTest.extend16(tpm);
        run(tpm, Command.of(TpmCc.PolicyPCR).handle(p.handle).u16(0).bytes(SealedToPolicyTest.PCR_16)).ok();
        run(tpm, authorize(p, approved, ref, key, ticket)).assertRc(TpmRc.VALUE.parameter(1));
        byte[] approvedNow = PolicyEnforcementTest.pcrPolicy(tpm);
        run(tpm, authorize(p, approvedNow, ref, key, ticket)).assertRc(TpmRc.VALUE.parameter(4));
        // the owner of the key signs the new state
        run(tpm, authorize(p, approvedNow, ref, key, verify(tpm, key, approvedNow, ref))).ok();
        assertArrayEquals(secret, run(tpm, unseal(sealed, p)).okWithSessions(0).tpm2b(128));
    }

    /** TPM2_VerifySignature of the key's signature over H(approved || ref): the ticket digest. */
    static byte[] verify(Tpm tpm, Key key, byte[] approved, byte[] ref) throws Exception {
        byte[] aHash = sha(approved, ref);
        TpmReader r = run(tpm, Command.of(TpmCc.VerifySignature).handle(key.handle()).tpm2b(aHash)
                .bytes(sign(key.pair(), cat(approved, ref)))).ok();
        assertEquals(TpmSt.VERIFIED, r.u16());
        assertEquals(TpmRh.OWNER, r.u32());
        return r.tpm2b(64);
    }

    static Command authorize(SessionClient p, byte[] approved, byte[] ref, Key key, byte[] ticket) {
        return Command.of(TpmCc.PolicyAuthorize).handle(p.handle).tpm2b(approved).tpm2b(ref).tpm2b(key.name())
                .u16(TpmSt.VERIFIED).u32(TpmRh.OWNER).tpm2b(ticket);
    }
}
