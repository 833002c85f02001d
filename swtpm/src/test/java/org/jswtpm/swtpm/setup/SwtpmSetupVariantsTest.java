package org.jswtpm.swtpm.setup;

import static org.jswtpm.swtpm.setup.SetupFixture.nvPublic;
import static org.jswtpm.swtpm.setup.SetupFixture.nvRead;
import static org.jswtpm.swtpm.setup.SetupFixture.readPublic;
import static org.jswtpm.swtpm.setup.SetupFixture.run;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.List;
import org.jswtpm.core.Tpm;
import org.jswtpm.core.marshal.TpmReader;
import org.jswtpm.core.testing.Command;
import org.jswtpm.core.types.TpmCc;
import org.jswtpm.core.types.TpmaNv;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** swtpm_setup's other paths: signing EKs and their templates, RSA 3072, reconfiguration, overwrite, config files. */
class SwtpmSetupVariantsTest {
    /** NV 0x01C00004 as Debian's swtpm_setup 0.7.1 wrote it with --allow-signing --decryption. */
    static final String DEBIAN_RSA2048_SIGN_DECRYPT_TEMPLATE = "0001000b000600b20020"
            + "837197674484b3f81a90cc8d46a5d724fd52d76e06520b64f2a1da1b331469aa"
            + "0010001008000000000001" + "00".repeat(257);
    /** NV 0x01C00017 as Debian's swtpm_setup 0.7.1 wrote it with --allow-signing --decryption. */
    static final String DEBIAN_P384_SIGN_DECRYPT_TEMPLATE = "0023000c000600f20030"
            + "b26e7d28d11a50bc53d882bcf5fd3a1a074148bb35d3b4e4cb1c0ad9bde419cacb47ba09699646150f9fc000f3f80e12"
            + "001000100004001000000000";

    @TempDir
    Path tmp;

    private Path stateDir(String name) throws Exception {
        return Files.createDirectories(tmp.resolve(name));
    }

    @Test
    void allowSigningWritesTheTemplatesDebianWrites() throws Exception {
        Path state = stateDir("sign");
        SetupFixture setup = new SetupFixture(tmp.resolve("config"));
        assertEquals(0, setup.run("--tpm2", "--tpmstate", "dir://" + state, "--createek", "--allow-signing",
                "--decryption", "--lock-nvram"), setup.err);
        Tpm tpm = SetupFixture.serve(state, null);
        assertEquals(DEBIAN_RSA2048_SIGN_DECRYPT_TEMPLATE, HexFormat.of().formatHex(nvRead(tpm, 0x01C00004)));
        assertEquals(DEBIAN_P384_SIGN_DECRYPT_TEMPLATE, HexFormat.of().formatHex(nvRead(tpm, 0x01C00017)));
        assertTrue(TpmaNv.has(nvPublic(tpm, 0x01C00004).attributes(), TpmaNv.WRITELOCKED));
        TpmReader ekPublic = new TpmReader(readPublic(tpm, 0x81010001));
        ekPublic.skip(4);
        assertEquals(0x000600B2, ekPublic.u32());
        assertFalse(Files.exists(tmp.resolve("config/jswtpm/localca")), "no CA without certificates");
    }

    @Test
    void rsa3072UsesTheHighRangeTemplateHandleAndIndex() throws Exception {
        Path state = stateDir("rsa3072");
        SetupFixture setup = new SetupFixture(tmp.resolve("config"));
        assertEquals(0, setup.run("--tpm2", "--tpm-state", state.toString(), "--create-ek-cert",
                "--rsa-keysize", "3072", "--pcr-banks", "-"), setup.err);
        Tpm tpm = SetupFixture.serve(state, null);
        byte[] ek = readPublic(tpm, 0x8101001C);
        TpmReader r = new TpmReader(ek);
        assertEquals(0x0001, r.u16());
        assertEquals(0x000C, r.u16());
        assertEquals(0x000300F2, r.u32());
        X509Certificate cert = SetupFixture.certificate(nvRead(tpm, 0x01C0001C));
        assertArrayEquals(EkPublicKey.of(ek).getEncoded(), cert.getPublicKey().getEncoded());
        assertEquals("CN=unknown", cert.getSubjectX500Principal().getName());
        assertFalse(TpmaNv.has(nvPublic(tpm, 0x01C0001C).attributes(), TpmaNv.WRITELOCKED), "no --lock-nvram");
    }

    @Test
    void reconfigureReallocatesBanksAndKeepsTheRest() throws Exception {
        Path state = stateDir("reconf");
        SetupFixture setup = new SetupFixture(tmp.resolve("config"));
        assertEquals(0, setup.run("--tpm2", "--tpm-state", state.toString(), "--createek"), setup.err);
        byte[] ek = readPublic(SetupFixture.serve(state, null), 0x81010001);
        assertEquals(0, setup.run("--tpm2", "--tpm-state", state.toString(), "--pcr-banks", "sha1,sha512",
                "--reconfigure"), setup.err);
        assertTrue(setup.out.contains("Starting vTPM reconfiguration as " + SwtpmSetup.userAndGroup() + " @ "),
                setup.out);
        assertTrue(SwtpmSetup.userAndGroup().matches("[^:]+:[^:]+"), "user:group, as swtpm_setup logs it");
        Tpm tpm = SetupFixture.serve(state, null);
        assertEquals(List.of("sha1", "sha512"), activeBanks(tpm));
        assertArrayEquals(ek, readPublic(tpm, 0x81010001), "the EK survives reconfiguration");
    }

    @Test
    void reconfigureAnEncryptedStateKeepsItEncryptedWithTheSameKey() throws Exception {
        Path state = stateDir("reconf-enc");
        Path pwd = tmp.resolve("pwd");
        Files.writeString(pwd, "secret");
        SetupFixture setup = new SetupFixture(tmp.resolve("config"));
        assertEquals(0, setup.run("--tpm2", "--pwdfile", pwd.toString(), "--cipher", "aes-256-cbc",
                "--tpm-state", state.toString(), "--createek"), setup.err);
        assertEquals(0, setup.run("--tpm2", "--pwdfile", pwd.toString(), "--cipher", "aes-256-cbc",
                "--tpm-state", state.toString(), "--pcr-banks", "sha256,sha512", "--reconfigure"), setup.err);
        assertEquals(0x09, Files.readAllBytes(state.resolve("tpm2-00.permall"))[5]);
        Tpm tpm = SetupFixture.serve(state, "pwdfile=" + pwd + ",mode=aes-256-cbc");
        assertEquals(List.of("sha256", "sha512"), activeBanks(tpm));
        readPublic(tpm, 0x81010001);
        assertEquals(1, setup.run("--tpm2", "--tpm-state", state.toString(), "--pcr-banks", "sha1", "--reconfigure"));
        assertTrue(setup.err.contains("Could not load the TPM state"), setup.err);
    }

    @Test
    void overwriteReplacesTheState() throws Exception {
        Path state = stateDir("over");
        SetupFixture setup = new SetupFixture(tmp.resolve("config"));
        assertEquals(0, setup.run("--tpm2", "--tpm-state", state.toString(), "--createek"), setup.err);
        byte[] first = readPublic(SetupFixture.serve(state, null), 0x81010001);
        assertEquals(0, setup.run("--tpm2", "--tpm-state", state.toString(), "--createek", "--overwrite"), setup.err);
        byte[] second = readPublic(SetupFixture.serve(state, null), 0x81010001);
        assertFalse(java.util.Arrays.equals(first, second), "a new TPM has new seeds, so a new EK");
    }

    @Test
    void defaultBanksComeFromTheConfigFile() throws Exception {
        Path state = stateDir("conf");
        Path config = tmp.resolve("my-setup.conf");
        Files.writeString(config, "# test\nactive_pcr_banks = sha384\n");
        SetupFixture setup = new SetupFixture(tmp.resolve("config"));
        assertEquals(0, setup.run("--tpm2", "--tpm-state", state.toString(), "--config", config.toString()), setup.err);
        assertEquals(List.of("sha384"), activeBanks(SetupFixture.serve(state, null)));
        assertEquals(1, setup.run("--tpm2", "--tpm-state", stateDir("x").toString(), "--config",
                tmp.resolve("missing.conf").toString()));
        assertTrue(setup.err.contains("cannot read config file"), setup.err);
    }

    @Test
    void createdConfigFilesPlaceTheLocalCa() throws Exception {
        SetupFixture setup = new SetupFixture(tmp.resolve("xdg"));
        assertEquals(0, setup.run("--create-config-files"), setup.err);
        Path conf = tmp.resolve("xdg/swtpm_setup.conf");
        assertTrue(Files.readString(conf).contains("active_pcr_banks = sha256"));
        assertEquals(1, setup.run("--create-config-files"));
        assertEquals(0, setup.run("--create-config-files", "skip-if-exist"));
        assertEquals(0, setup.run("--create-config-files", "overwrite"));

        Path state = stateDir("withca");
        assertEquals(0, setup.run("--tpm2", "--tpm-state", state.toString(), "--create-ek-cert", "--config",
                conf.toString()), setup.err);
        Path ca = tmp.resolve("xdg/var/lib/swtpm-localca");
        X509Certificate issuer = LocalCa.readCertificate(ca.resolve(LocalCa.ISSUER_CERT));
        SetupFixture.certificate(nvRead(SetupFixture.serve(state, null), 0x01C00002)).verify(issuer.getPublicKey());
        assertEquals("2", Files.readString(ca.resolve(LocalCa.CERT_SERIAL)).strip(), "two EK certificates issued");
    }

    @Test
    void aFailedSetupLeavesNoState() throws Exception {
        Path state = stateDir("failed");
        SetupFixture setup = new SetupFixture(tmp.resolve("config"));
        assertEquals(1, setup.run("--tpm2", "--tpm-state", state.toString(), "--createek", "--pcr-banks", "md5"));
        assertTrue(setup.err.contains("No PCR banks could be allocated"), setup.err);
        assertTrue(setup.err.contains("Authoring the TPM state failed"), setup.err);
        assertFalse(Files.exists(state.resolve("tpm2-00.permall")));
    }

    @Test
    void badLogfileAndCertDirectoryAreRefusedBeforeAnything() throws Exception {
        Path state = stateDir("refused");
        Path link = tmp.resolve("log-link");
        Files.createSymbolicLink(link, tmp.resolve("log-target"));
        SetupFixture setup = new SetupFixture(tmp.resolve("config"));
        assertEquals(1, setup.run("--tpm2", "--tpm-state", state.toString(), "--logfile", link.toString()));
        assertTrue(setup.err.contains("symlink"), setup.err);
        assertEquals(1, setup.run("--tpm2", "--tpm-state", state.toString(), "--create-ek-cert",
                "--write-ek-cert-files", tmp.resolve("no-such-dir").toString()));
        assertTrue(setup.err.contains("Cannot write the EK certificate files"), setup.err);
        assertFalse(Files.exists(state.resolve("tpm2-00.permall")));
    }

    @Test
    void linearFileStateWithAKeyFile() throws Exception {
        Path image = tmp.resolve("tpm.img");
        Path keyfile = tmp.resolve("key");
        Files.writeString(keyfile, "00112233445566778899aabbccddeeff\n");
        SetupFixture setup = new SetupFixture(tmp.resolve("config"));
        assertEquals(0, setup.run("--tpm2", "--tpm-state", "file://" + image, "--keyfile", keyfile.toString(),
                "--createek"), setup.err);
        Tpm tpm = SetupFixture.serveTpmstate("backend-uri=file://" + image, "file=" + keyfile);
        TpmReader ekPublic = new TpmReader(readPublic(tpm, 0x81010001));
        ekPublic.skip(4);
        assertEquals(0x000300B2, ekPublic.u32());
        assertEquals(0, setup.run("--tpm2", "--tpm-state", "file://" + image, "--keyfile", keyfile.toString(),
                "--createek", "--not-overwrite"), setup.err);
        assertTrue(setup.out.contains("Not overwriting"), setup.out);
    }

    @Test
    void missingStateDirectoryFails() {
        SetupFixture setup = new SetupFixture(tmp.resolve("config"));
        assertEquals(1, setup.run("--tpm2", "--tpm-state", tmp.resolve("nope").toString(), "--createek"));
        assertTrue(setup.err.contains("does not exist"), setup.err);
    }

    @Test
    void informationalActions() {
        SetupFixture setup = new SetupFixture(tmp.resolve("config"));
        assertEquals(0, setup.run("--print-capabilities"));
        assertEquals("{ \"type\": \"swtpm_setup\", \"features\": [ \"tpm-2.0\", \"cmdarg-keyfile-fd\","
                + " \"cmdarg-pwdfile-fd\", \"cmdarg-write-ek-cert-files\", \"cmdarg-create-config-files\","
                + " \"cmdarg-reconfigure-pcr-banks\", \"tpm2-rsa-keysize-2048\", \"tpm2-rsa-keysize-3072\" ],"
                + " \"version\": \"0.1.0\" }\n", setup.out);
        assertEquals(0, setup.run("--version"));
        assertTrue(setup.out.startsWith("TPM emulator setup tool version "), setup.out);
        assertEquals(0, setup.run("--help"));
        assertTrue(setup.out.contains("--pwdfile-fd"), setup.out);
        assertEquals(1, setup.run("--tpm2", "--tpm-state", "/x", "--take-ownership"));
        assertTrue(setup.err.contains("--take-ownership"), setup.err);
    }

    static List<String> activeBanks(Tpm tpm) throws Exception {
        TpmReader r = run(tpm, Command.of(TpmCc.GetCapability).u32(5).u32(0).u32(16)).ok();
        r.u8();
        r.u32();
        List<String> active = new java.util.ArrayList<>();
        int count = r.u32();
        for (int i = 0; i < count; i++) {
            int alg = r.u16();
            byte[] select = r.bytes(r.u8());
            if ((select[0] & 0xFF) == 0xFF) {
                active.add(SetupTpm.bankName(alg));
            }
        }
        return active;
    }
}
