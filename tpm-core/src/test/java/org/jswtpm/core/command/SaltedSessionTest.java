package org.jswtpm.core.command;

import static org.jswtpm.core.testing.SessionClient.CONTINUE;
import static org.jswtpm.core.testing.SessionClient.ENCRYPT;
import static org.jswtpm.core.testing.TestTpm.run;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigInteger;
import java.security.AlgorithmParameters;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.RSAPublicKeySpec;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.KeyAgreement;
import javax.crypto.spec.OAEPParameterSpec;
import javax.crypto.spec.PSource;
import org.jswtpm.core.Tpm;
import org.jswtpm.core.engine.TpmEngine;
import org.jswtpm.core.marshal.TpmReader;
import org.jswtpm.core.marshal.TpmWriter;
import org.jswtpm.core.testing.Command;
import org.jswtpm.core.testing.SessionClient;
import org.jswtpm.core.testing.TestTpm;
import org.jswtpm.core.types.TpmCc;
import org.jswtpm.core.types.TpmRh;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Salted sessions with primary RSA and ECC storage keys (Part 1, 19.6.13 and 24): the salt is
 * encrypted here with the JDK (RSA-OAEP with label "SECRET"; an ephemeral ECDH key and KDFe), and the
 * session must then carry sessionKey = KDFa(SHA-256, salt, "ATH", nonceTPM, nonceCaller, 256). The keys
 * come from TPM2_CreatePrimary, which belongs to the object subsystem; their class must implement
 * {@code SaltDecryptor} (with {@code engine.session.Salts}). Skipped while the table has no
 * TPM2_CreatePrimary.
 */
class SaltedSessionTest {
    static final int OBJECT_ATTRIBUTES = 0x00030072; // fixedTPM fixedParent sensitiveDataOrigin userWithAuth restricted decrypt

    static Tpm tpmWithObjects() {
        Tpm tpm = TestTpm.started();
        Assumptions.assumeTrue(((TpmEngine) tpm).table().get(TpmCc.CreatePrimary.code()) != null,
                "TPM2_CreatePrimary is not in the command table yet");
        return tpm;
    }

    /** CreatePrimary in the owner hierarchy; returns the reader positioned at outPublic's TPMT_PUBLIC. */
    static TpmReader createPrimary(Tpm tpm, byte[] publicArea, int[] handle) throws Exception {
        Command c = Command.of(TpmCc.CreatePrimary).handle(TpmRh.OWNER).emptyAuth()
                .u16(4).u16(0).u16(0).tpm2b(publicArea).u16(0).u32(0);
        TpmReader r = run(tpm, c).ok();
        handle[0] = r.u32();
        r.u32();
        r.u16();
        return r;
    }

    static byte[] rsaTemplate() {
        TpmWriter w = new TpmWriter();
        w.u16(0x0001).u16(0x000B).u32(OBJECT_ATTRIBUTES).u16(0);
        w.u16(0x0006).u16(128).u16(0x0043).u16(0x0010).u16(2048).u32(0).u16(0);
        return w.toByteArray();
    }

    static byte[] eccTemplate() {
        TpmWriter w = new TpmWriter();
        w.u16(0x0023).u16(0x000B).u32(OBJECT_ATTRIBUTES).u16(0);
        w.u16(0x0006).u16(128).u16(0x0043).u16(0x0010).u16(0x0003).u16(0x0010).u16(0).u16(0);
        return w.toByteArray();
    }

    /** Starts an AES-128-CFB HMAC session salted with {@code key}; checks it with an encrypted GetRandom. */
    static void startAndUse(Tpm tpm, int key, byte[] salt, byte[] encryptedSalt) throws Exception {
        byte[] nonceCaller = new byte[32];
        Arrays.fill(nonceCaller, (byte) 0x4E);
        TpmReader r = run(tpm, Command.of(TpmCc.StartAuthSession).handle(key).handle(TpmRh.NULL)
                .tpm2b(nonceCaller).tpm2b(encryptedSalt).u8(0).u16(0x0006).u16(128).u16(0x0043).u16(0x000B)).ok();
        int handle = r.u32();
        byte[] nonceTpm = r.tpm2b(64);
        byte[] sessionKey = SessionClient.kdfa("SHA-256", salt, "ATH", nonceTpm, nonceCaller, 256);
        SessionClient s = SessionClient.of(handle, sessionKey, SessionClient.ALG_AES, 128, nonceTpm, nonceCaller);
        Command c = s.authorize(Command.of(TpmCc.GetRandom).u16(16), CONTINUE | ENCRYPT, new byte[0]);
        byte[] params = s.verify(run(tpm, c), TpmCc.GetRandom, 0, 0, CONTINUE | ENCRYPT, new byte[0]);
        assertEquals(16, new TpmReader(s.decryptResponse(params, new byte[0])).tpm2b(64).length);
    }

    @Test
    void rsaSaltedSession() throws Exception {
        Tpm tpm = tpmWithObjects();
        int[] handle = new int[1];
        TpmReader pub = createPrimary(tpm, rsaTemplate(), handle);
        pub.skip(2 + 2 + 4 + 2 + 6 + 2 + 2 + 4);
        BigInteger n = new BigInteger(1, pub.tpm2b(512));
        PublicKey key = KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(n, BigInteger.valueOf(65537)));
        byte[] salt = new byte[32];
        Arrays.fill(salt, (byte) 0x5A);
        Cipher oaep = Cipher.getInstance("RSA/ECB/OAEPPadding");
        oaep.init(Cipher.ENCRYPT_MODE, key, new OAEPParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256,
                new PSource.PSpecified("SECRET\0".getBytes("US-ASCII"))));
        startAndUse(tpm, handle[0], salt, oaep.doFinal(salt));
    }

    @Test
    void eccSaltedSession() throws Exception {
        Tpm tpm = tpmWithObjects();
        int[] handle = new int[1];
        TpmReader pub = createPrimary(tpm, eccTemplate(), handle);
        pub.skip(2 + 2 + 4 + 2 + 6 + 2 + 2 + 2);
        byte[] qsX = pub.tpm2b(66);
        byte[] qsY = pub.tpm2b(66);
        AlgorithmParameters p = AlgorithmParameters.getInstance("EC");
        p.init(new ECGenParameterSpec("secp256r1"));
        ECParameterSpec curve = p.getParameterSpec(ECParameterSpec.class);
        PublicKey qs = KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(
                new ECPoint(new BigInteger(1, qsX), new BigInteger(1, qsY)), curve));
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(curve);
        KeyPair ephemeral = g.generateKeyPair();
        KeyAgreement ka = KeyAgreement.getInstance("ECDH");
        ka.init(ephemeral.getPrivate());
        ka.doPhase(qs, true);
        byte[] z = ka.generateSecret();
        ECPoint qe = ((java.security.interfaces.ECPublicKey) ephemeral.getPublic()).getW();
        byte[] qeX = fixed(qe.getAffineX());
        byte[] qeY = fixed(qe.getAffineY());
        byte[] salt = SessionClient.digest("SHA-256", SessionClient.u32(1), z, "SECRET\0".getBytes("US-ASCII"),
                qeX, qsX);
        TpmWriter point = new TpmWriter();
        point.tpm2b(qeX).tpm2b(qeY);
        startAndUse(tpm, handle[0], salt, point.toByteArray());
    }

    static byte[] fixed(BigInteger v) {
        byte[] b = v.toByteArray();
        byte[] out = new byte[32];
        int n = Math.min(b.length, 32);
        System.arraycopy(b, b.length - n, out, 32 - n, n);
        return out;
    }
}
