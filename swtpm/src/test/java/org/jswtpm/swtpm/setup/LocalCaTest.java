package org.jswtpm.swtpm.setup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalCaTest {
    static final LocalCa.TpmIdentity TPM = new LocalCa.TpmIdentity("id:4A535754", "jswtpm", "id:00000001", "2.0", 0, 164);

    @TempDir
    Path tmp;

    @Test
    void createdOnceThenReusedWithCountingSerials() throws Exception {
        Path dir = tmp.resolve("ca");
        LocalCa first = LocalCa.open(dir, null, null, null);
        KeyPair ek = ecKey();
        X509Certificate one = first.issueEkCertificate(ek.getPublic(), "vm", TPM, false, false);
        LocalCa second = LocalCa.open(dir, null, null, null);
        assertEquals(first.issuerCertificate(), second.issuerCertificate(), "the CA is kept, not made anew");
        X509Certificate two = second.issuePlatformCertificate(ek.getPublic(), null,
                new LocalCa.PlatformIdentity("m", "model", "1"));
        assertEquals(BigInteger.ONE, one.getSerialNumber());
        assertEquals(BigInteger.TWO, two.getSerialNumber());
        assertEquals("2", Files.readString(dir.resolve(LocalCa.CERT_SERIAL)));
        two.verify(first.issuerCertificate().getPublicKey());
        first.issuerCertificate().verify(second.rootCertificate().getPublicKey());
        assertEquals(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE),
                Files.getPosixFilePermissions(dir.resolve(LocalCa.SIGN_KEY)), "private keys are 0600");
        assertTrue(Files.exists(dir.resolve(LocalCa.LOCK_FILE)));
    }

    @Test
    void garbledSerialFileStartsOver() throws Exception {
        Path dir = tmp.resolve("ca");
        LocalCa ca = LocalCa.open(dir, null, null, null);
        Files.writeString(dir.resolve(LocalCa.CERT_SERIAL), "not a number");
        assertEquals(BigInteger.ONE, ca.issueEkCertificate(ecKey().getPublic(), "x", TPM, false, false).getSerialNumber());
    }

    @Test
    void eccEkGetsKeyAgreementAndSigningEkDigitalSignature() throws Exception {
        LocalCa ca = LocalCa.open(tmp.resolve("ca"), null, null, null);
        boolean[] usage = ca.issueEkCertificate(ecKey().getPublic(), "x", TPM, false, false).getKeyUsage();
        assertTrue(usage[4] && !usage[0] && !usage[2]);
        usage = ca.issueEkCertificate(ecKey().getPublic(), "x", TPM, true, false).getKeyUsage();
        assertTrue(usage[0] && !usage[4]);
        usage = ca.issueEkCertificate(ecKey().getPublic(), "x", TPM, true, true).getKeyUsage();
        assertTrue(usage[0] && usage[4]);
    }

    @Test
    void anEncryptedSigningKeyIsRefusedWithAReason() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("ca"));
        Files.writeString(dir.resolve(LocalCa.SIGN_KEY), "-----BEGIN ENCRYPTED PRIVATE KEY-----\nMAA=\n"
                + "-----END ENCRYPTED PRIVATE KEY-----\n");
        LocalCa.open(tmp.resolve("other"), null, null, null); // a valid issuer certificate to pair with it
        Files.copy(tmp.resolve("other").resolve(LocalCa.ISSUER_CERT), dir.resolve(LocalCa.ISSUER_CERT));
        Exception e = assertThrows(Exception.class, () -> LocalCa.open(dir, null, null, null));
        assertTrue(String.valueOf(e.getMessage()).contains(LocalCa.SIGN_KEY), e.getMessage());
    }

    private static KeyPair ecKey() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp384r1"));
        return g.generateKeyPair();
    }
}
