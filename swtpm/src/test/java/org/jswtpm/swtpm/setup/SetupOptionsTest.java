package org.jswtpm.swtpm.setup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Set;
import org.jswtpm.swtpm.UsageException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SetupOptionsTest {

    @Test
    void libvirtFirstStartArgv() throws Exception {
        SetupOptions o = SetupOptions.parse(new String[] {"--tpm2", "--pwdfile-fd", "33", "--cipher", "aes-256-cbc",
            "--tpm-state", "/var/lib/libvirt/swtpm/u/tpm2", "--vmid", "vm:u", "--logfile", "/var/log/x.log",
            "--createek", "--create-ek-cert", "--create-platform-cert", "--lock-nvram", "--not-overwrite"});
        assertEquals(SetupOptions.Action.SETUP, o.action());
        assertTrue(o.tpm2 && o.createEk && o.createEkCert && o.createPlatformCert && o.lockNvram && o.notOverwrite);
        assertFalse(o.overwrite);
        assertEquals(33, o.pwdfileFd);
        assertEquals("pwdfd=33,mode=aes-256-cbc", o.keyOption());
        assertEquals("backend-uri=dir:///var/lib/libvirt/swtpm/u/tpm2,lock", o.tpmStateOption());
        assertEquals("vm:u", o.vmid);
        assertEquals(Path.of("/var/log/x.log"), o.logfile);
        assertEquals(2048, o.rsaKeyBits());
    }

    @Test
    void libvirtReconfigureArgv() throws Exception {
        SetupOptions o = SetupOptions.parse(new String[] {"--tpm2", "--tpm-state", "/s", "--logfile", "/l",
            "--pcr-banks", "sha256,sha384", "--reconfigure"});
        assertTrue(o.reconfigure);
        assertEquals("sha256,sha384", o.pcrBanks);
        assertNull(o.keyOption());
    }

    @Test
    void equalsFormAndUris() throws Exception {
        SetupOptions o = SetupOptions.parse(new String[] {"--tpm2", "--tpmstate=file:///tmp/tpm.img",
            "--keyfile=/k", "--rsa-keysize=3072", "--write-ek-cert-files", "/certs"});
        assertEquals("backend-uri=file:///tmp/tpm.img,lock", o.tpmStateOption());
        assertEquals("file=/k", o.keyOption());
        assertEquals(3072, o.rsaKeyBits());
        assertEquals(Path.of("/certs"), o.writeEkCertFiles);
        assertEquals("backend-uri=dir:///d,lock",
                SetupOptions.parse(new String[] {"--tpm2", "--tpm-state", "dir:///d"}).tpmStateOption());
    }

    @Test
    void certificatesImplyCreateEk() throws Exception {
        assertTrue(SetupOptions.parse(new String[] {"--tpm2", "--tpm-state", "/s", "--create-ek-cert"}).createEk);
        assertTrue(SetupOptions.parse(new String[] {"--tpm2", "--tpm-state", "/s", "--create-platform-cert"}).createEk);
    }

    @Test
    void actionsNeedNoTpm2() throws Exception {
        assertEquals(SetupOptions.Action.PRINT_CAPABILITIES,
                SetupOptions.parse(new String[] {"--print-capabilities"}).action());
        assertEquals(SetupOptions.Action.VERSION, SetupOptions.parse(new String[] {"--version"}).action());
        assertEquals(SetupOptions.Action.HELP, SetupOptions.parse(new String[] {"--help"}).action());
        SetupOptions c = SetupOptions.parse(new String[] {"--create-config-files", "skip-if-exist"});
        assertEquals(SetupOptions.Action.CREATE_CONFIG_FILES, c.action());
        assertEquals(Set.of("skip-if-exist"), c.createConfigFiles);
        assertEquals(Set.of("overwrite", "root"),
                SetupOptions.parse(new String[] {"--create-config-files=overwrite,root"}).createConfigFiles);
        assertEquals(Set.of(), SetupOptions.parse(new String[] {"--create-config-files"}).createConfigFiles);
    }

    @Test
    void tpm12IsRefused() {
        UsageException e = assertThrows(UsageException.class,
                () -> SetupOptions.parse(new String[] {"--tpm-state", "/s", "--createek"}));
        assertTrue(e.getMessage().contains("TPM 1.2"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"--take-ownership", "--tpm", "--swtpm_ioctl", "--create-spk", "--ownerpass",
        "--srk-well-known", "--profile", "--ek2keyalgo", "--print-profiles"})
    void unsupportedOptionsAreNamed(String option) {
        UsageException e = assertThrows(UsageException.class,
                () -> SetupOptions.parse(new String[] {"--tpm2", "--tpm-state", "/s", option, "x"}));
        assertTrue(e.getMessage().contains(option) && e.getMessage().contains("not supported"), e.getMessage());
    }

    @Test
    void runasTakesAUser() throws Exception {
        assertEquals("tss", SetupOptions.parse(new String[] {"--tpm2", "--tpm-state", "/s", "--runas", "tss"}).runAs);
        assertEquals("0", SetupOptions.parse(new String[] {"--tpm2", "--tpm-state", "/s", "--runas=0"}).runAs);
        assertMessage("Option --runas requires an argument", "--tpm2", "--tpm-state", "/s", "--runas");
    }

    @Test
    void malformedCommandLines() {
        assertMessage("Unknown option --bogus", "--tpm2", "--tpm-state", "/s", "--bogus");
        assertMessage("requires an argument", "--tpm2", "--tpm-state");
        assertMessage("--tpm-state must be provided", "--tpm2", "--createek");
        assertMessage("Unsupported cipher", "--tpm2", "--tpm-state", "/s", "--cipher", "des");
        assertMessage("cannot be used together", "--tpm2", "--tpm-state", "/s", "--overwrite", "--not-overwrite");
        assertMessage("Only one of", "--tpm2", "--tpm-state", "/s", "--pwdfile", "/p", "--keyfile", "/k");
        assertMessage("Reconfiguration is not supported", "--tpm2", "--tpm-state", "/s", "--reconfigure", "--createek");
        assertMessage("4096 bit RSA", "--tpm2", "--tpm-state", "/s", "--rsa-keysize", "4096");
        assertMessage("Invalid file descriptor", "--tpm2", "--tpm-state", "/s", "--pwdfile-fd", "x");
        assertMessage("Unsupported parameter", "--create-config-files", "sometimes");
    }

    private static void assertMessage(String expected, String... args) {
        UsageException e = assertThrows(UsageException.class, () -> SetupOptions.parse(args));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }
}
