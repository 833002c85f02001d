package org.jswtpm.swtpm.setup;

import static org.jswtpm.swtpm.setup.SetupFixture.nvPublic;
import static org.jswtpm.swtpm.setup.SetupFixture.nvRead;
import static org.jswtpm.swtpm.setup.SetupFixture.readPublic;
import static org.jswtpm.swtpm.setup.SetupFixture.run;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jswtpm.core.Tpm;
import org.jswtpm.core.marshal.TpmReader;
import org.jswtpm.core.testing.Command;
import org.jswtpm.core.types.TpmCc;
import org.jswtpm.core.types.TpmRc;
import org.jswtpm.core.types.TpmRh;
import org.jswtpm.core.types.TpmaNv;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * swtpm_setup run in-process as libvirt runs it on a domain's first start (encrypted, certificates,
 * locked NV), then the stored state served by an engine loaded the way {@code bin/swtpm} loads it.
 */
class SwtpmSetupTest {
    static final String PASSPHRASE = "correct horse battery staple";

    @TempDir
    static Path tmp;
    static Path state;
    static Path pwdfile;
    static Path certs;
    static SetupFixture setup;
    static int status;
    static Tpm tpm;

    @BeforeAll
    static void manufacture() throws Exception {
        state = Files.createDirectories(tmp.resolve("tpm2"));
        certs = Files.createDirectories(tmp.resolve("certs"));
        pwdfile = tmp.resolve("pwd");
        Files.writeString(pwdfile, PASSPHRASE, StandardCharsets.US_ASCII);
        setup = new SetupFixture(tmp.resolve("config"));
        status = setup.run("--tpm2", "--pwdfile", pwdfile.toString(), "--cipher", "aes-256-cbc",
                "--tpm-state", state.toString(), "--vmid", "vm1:0f3c", "--logfile", tmp.resolve("setup.log").toString(),
                "--createek", "--create-ek-cert", "--create-platform-cert", "--lock-nvram", "--not-overwrite",
                "--pcr-banks", "sha256,sha384", "--write-ek-cert-files", certs.toString());
        tpm = SetupFixture.serve(state, "pwdfile=" + pwdfile + ",mode=aes-256-cbc");
    }

    @Test
    void succeedsAndLogsToTheLogfile() throws Exception {
        assertEquals(0, status, setup.err);
        String log = Files.readString(tmp.resolve("setup.log"));
        assertTrue(log.contains("Successfully created RSA 2048 EK with handle 0x81010001."), log);
        assertTrue(log.contains("Successfully created ECC EK with handle 0x81010016."), log);
        assertTrue(log.contains("Successfully activated PCR banks sha256,sha384 among sha1,sha256,sha384,sha512."), log);
        assertTrue(log.contains("Successfully authored TPM state."), log);
        assertEquals("", setup.out);
    }

    @Test
    void rsaEkHasTheProfileTemplate() throws Exception {
        byte[] ek = readPublic(tpm, 0x81010001);
        byte[] template = EkTemplates.RSA2048.template(false, false);
        // everything but the unique field (256 zero bytes in the template, the modulus in the key)
        assertArrayEquals(Arrays.copyOf(template, template.length - 256), Arrays.copyOf(ek, ek.length - 256));
        TpmReader r = new TpmReader(ek);
        assertEquals(0x0001, r.u16()); // RSA
        assertEquals(0x000B, r.u16()); // SHA-256
        assertEquals(0x000300B2, r.u32()); // fixedTPM|fixedParent|sensitiveDataOrigin|adminWithPolicy|restricted|decrypt
        assertEquals("837197674484b3f81a90cc8d46a5d724fd52d76e06520b64f2a1da1b331469aa",
                HexFormat.of().formatHex(r.tpm2b(64))); // PolicyA
        assertEquals(0x0006, r.u16()); // AES
        assertEquals(128, r.u16());
        assertEquals(0x0043, r.u16()); // CFB
    }

    @Test
    void eccEkHasTheHighRangeP384Template() throws Exception {
        byte[] ek = readPublic(tpm, 0x81010016);
        byte[] template = EkTemplates.ECC_NIST_P384.template(false, false);
        assertArrayEquals(Arrays.copyOf(template, template.length - 4), Arrays.copyOf(ek, template.length - 4));
        TpmReader r = new TpmReader(ek);
        assertEquals(0x0023, r.u16()); // ECC
        assertEquals(0x000C, r.u16()); // SHA-384
        assertEquals(0x000300F2, r.u32()); // ... | userWithAuth
        assertEquals(48, r.tpm2b(64).length); // PolicyB SHA-384
        assertEquals(0x0006, r.u16());
        assertEquals(256, r.u16());
        assertEquals(0x0043, r.u16());
        assertEquals(0x0010, r.u16()); // scheme
        assertEquals(0x0004, r.u16()); // NIST P-384
    }

    @Test
    void ekCertificatesVerifyAgainstTheLocalCaAndCertifyTheEk() throws Exception {
        X509Certificate issuer = issuer();
        for (EkTemplates ek : List.of(EkTemplates.RSA2048, EkTemplates.ECC_NIST_P384)) {
            X509Certificate cert = SetupFixture.certificate(nvRead(tpm, ek.certIndex()));
            cert.verify(issuer.getPublicKey());
            assertEquals(issuer.getSubjectX500Principal(), cert.getIssuerX500Principal());
            assertArrayEquals(EkPublicKey.of(readPublic(tpm, ek.persistentHandle())).getEncoded(),
                    cert.getPublicKey().getEncoded(), ek + ": the certificate certifies the EK");
            assertEquals("CN=vm1:0f3c", cert.getSubjectX500Principal().getName());
            assertEquals(List.of("2.23.133.8.1"), cert.getExtendedKeyUsage());
            assertEquals(-1, cert.getBasicConstraints());
            assertTrue(cert.getCriticalExtensionOIDs().contains("2.5.29.17"), "critical subject alternative name");
            boolean[] usage = cert.getKeyUsage();
            assertTrue(ek.isEcc() ? usage[4] : usage[2], "keyAgreement (ECC) / keyEncipherment (RSA)");
        }
    }

    @Test
    void localCaChainsToItsRoot() throws Exception {
        Path ca = tmp.resolve("config/jswtpm/localca");
        X509Certificate root = LocalCa.readCertificate(ca.resolve(LocalCa.ROOT_CERT));
        root.verify(root.getPublicKey());
        issuer().verify(root.getPublicKey());
        assertEquals(0, issuer().getBasicConstraints());
    }

    @Test
    void platformCertificateCertifiesTheRsaEk() throws Exception {
        X509Certificate cert = SetupFixture.certificate(nvRead(tpm, SwtpmSetup.PLATFORM_CERT_INDEX));
        cert.verify(issuer().getPublicKey());
        assertArrayEquals(EkPublicKey.of(readPublic(tpm, 0x81010001)).getEncoded(), cert.getPublicKey().getEncoded());
        assertEquals(List.of("2.23.133.8.2"), cert.getExtendedKeyUsage());
    }

    @Test
    void nvIndicesHaveTheReferenceAttributesAndAreWriteLocked() throws Exception {
        for (int index : new int[] {0x01C00002, 0x01C00016, 0x01C08000}) {
            SetupFixture.NvPublic pub = nvPublic(tpm, index);
            assertEquals(0x000B, pub.nameAlg());
            assertEquals(0x42072001 | TpmaNv.WRITTEN | TpmaNv.WRITELOCKED, pub.attributes(),
                    Integer.toHexString(index));
            run(tpm, Command.of(TpmCc.NV_Write).handle(TpmRh.PLATFORM).handle(index).emptyAuth()
                    .tpm2b(new byte[] {1}).u16(0)).assertRc(TpmRc.NV_LOCKED);
        }
        // no templates without --allow-signing
        assertEquals(TpmRc.HANDLE.value() | 0x100,
                run(tpm, Command.of(TpmCc.NV_ReadPublic).handle(0x01C00004)).rc & 0xFFF);
    }

    @Test
    void pcrBanksAreTheOnesAsked() throws Exception {
        TpmReader r = run(tpm, Command.of(TpmCc.GetCapability).u32(5).u32(0).u32(16)).ok();
        r.u8();
        r.u32();
        Map<Integer, Integer> banks = new LinkedHashMap<>();
        int count = r.u32();
        for (int i = 0; i < count; i++) {
            int alg = r.u16();
            byte[] select = r.bytes(r.u8());
            int bits = 0;
            for (byte b : select) {
                bits += Integer.bitCount(b & 0xFF);
            }
            banks.put(alg, bits);
        }
        assertEquals(Map.of(0x0004, 0, 0x000B, 24, 0x000C, 24, 0x000D, 0), banks);
    }

    @Test
    void stateIsEncryptedAndOnlyServedWithThePassphrase() throws Exception {
        byte[] raw = Files.readAllBytes(state.resolve("tpm2-00.permall"));
        assertEquals(0x01 | 0x08, raw[5] & 0xFF, "header flags ENCRYPTED | ENCRYPTED_256BIT_KEY");
        Path wrong = tmp.resolve("wrong");
        Files.writeString(wrong, "not the passphrase");
        assertThrows(Exception.class, () -> SetupFixture.serve(state, "pwdfile=" + wrong + ",mode=aes-256-cbc"));
        assertThrows(Exception.class, () -> SetupFixture.serve(state, null));
    }

    @Test
    void ekCertificateFilesAreWritten() throws Exception {
        X509Certificate rsa = SetupFixture.certificate(Files.readAllBytes(certs.resolve("ek-rsa2048.crt")));
        assertArrayEquals(nvRead(tpm, 0x01C00002), rsa.getEncoded());
        assertTrue(Files.exists(certs.resolve("ek-secp384r1.crt")));
    }

    @Test
    void notOverwriteLeavesTheStateAloneAndSucceeds() throws Exception {
        byte[] before = Files.readAllBytes(state.resolve("tpm2-00.permall"));
        SetupFixture again = new SetupFixture(tmp.resolve("config"));
        assertEquals(0, again.run("--tpm2", "--tpm-state", state.toString(), "--createek", "--not-overwrite"));
        assertTrue(again.out.contains("Not overwriting existing state file."), again.out);
        assertArrayEquals(before, Files.readAllBytes(state.resolve("tpm2-00.permall")));
        assertEquals(1, again.run("--tpm2", "--tpm-state", state.toString(), "--createek"));
        assertTrue(again.err.contains("Found existing TPM state"), again.err);
        assertArrayEquals(before, Files.readAllBytes(state.resolve("tpm2-00.permall")));
    }

    private static X509Certificate issuer() throws Exception {
        return LocalCa.readCertificate(tmp.resolve("config/jswtpm/localca").resolve(LocalCa.ISSUER_CERT));
    }
}
