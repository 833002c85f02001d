package org.jswtpm.swtpm.interop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jswtpm.core.testing.ExternalTools;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/swtpm_setup} run as libvirt runs it unprivileged ({@code --create-config-files skip-if-exist},
 * then encrypted with a passphrase on descriptor 3, certificates, locked NV), then {@code bin/swtpm --key pwdfile=...} serving that state to
 * tpm2-tools, which read the EK certificate from NV 0x01C00002.
 */
class SwtpmSetupIT {
    @TempDir
    Path tmp;

    static Path launcher(String name) {
        return Path.of("..", "bin", name).toAbsolutePath().normalize();
    }

    /** Runs bin/swtpm_setup with {@code fd3} open on descriptor 3 (as libvirt passes --pwdfile-fd). */
    private ProcessResult setup(Map<String, String> env, Path fd3, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("sh", "-c", "exec \"$0\" \"$@\" 3<\"$FD3\"",
                launcher("swtpm_setup").toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().putAll(env);
        pb.environment().put("FD3", fd3.toString());
        Path out = tmp.resolve("setup.out");
        pb.redirectErrorStream(true).redirectOutput(out.toFile());
        Process p = pb.start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("swtpm_setup timed out");
        }
        return new ProcessResult(p.exitValue(), Files.readString(out));
    }

    record ProcessResult(int exit, String output) {
    }

    @Test
    void setupStateIsServedByBinSwtpmWithTheSameKey() throws Exception {
        String nvread = ExternalTools.require("tpm2_nvread");
        Path state = Files.createDirectories(tmp.resolve("tpm2"));
        Path pwd = tmp.resolve("pwd");
        Files.writeString(pwd, "a libvirt secret", StandardCharsets.US_ASCII);
        Path xdg = tmp.resolve("config");
        Map<String, String> env = Map.of("XDG_CONFIG_HOME", xdg.toString());
        // libvirt's unprivileged flow: config files first, then the setup with the passphrase on a descriptor
        assertEquals(0, setup(env, pwd, "--create-config-files", "skip-if-exist").exit());
        ProcessResult r = setup(env, pwd, "--tpm2", "--pwdfile-fd", "3",
                "--cipher", "aes-256-cbc", "--tpm-state", state.toString(), "--vmid", "guest:1234",
                "--logfile", tmp.resolve("log").toString(), "--createek", "--create-ek-cert",
                "--create-platform-cert", "--lock-nvram", "--not-overwrite");
        assertEquals(0, r.exit(), r.output() + Files.readString(tmp.resolve("log")));

        try (JswtpmProcess tpm = JswtpmProcess.start(state, "--flags", "not-need-init",
                "--key", "pwdfile=" + pwd + ",mode=aes-256-cbc")) {
            Tpm2Tools tools = new Tpm2Tools(tpm.tcti());
            tools.ok("tpm2_startup", "-c");
            Path der = tmp.resolve("ek.der");
            tools.ok(nvread, "0x01C00002", "-C", "o", "-o", der.toString());
            X509Certificate cert = (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(Files.readAllBytes(der)));
            Path issuerFile = xdg.resolve("var/lib/swtpm-localca/issuercert.pem");
            X509Certificate issuer;
            try (var in = Files.newInputStream(issuerFile)) {
                issuer = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
            }
            cert.verify(issuer.getPublicKey());
            assertEquals("CN=guest:1234", cert.getSubjectX500Principal().getName());
            String pub = tools.ok("tpm2_readpublic", "-c", "0x81010001");
            assertTrue(pub.contains("raw: 0x300b2"), pub);
            String modulus = pub.lines().filter(l -> l.startsWith("rsa: ")).findFirst().orElseThrow().substring(5);
            byte[] certModulus = ((java.security.interfaces.RSAPublicKey) cert.getPublicKey()).getModulus().toByteArray();
            byte[] unsigned = certModulus[0] == 0 ? java.util.Arrays.copyOfRange(certModulus, 1, certModulus.length)
                    : certModulus;
            assertArrayEquals(java.util.HexFormat.of().parseHex(modulus), unsigned);
            assertTrue(tools.run(nvread, "0x01C08000", "-C", "o").exit() == 0, "platform certificate readable");
            assertTrue(tools.ok("tpm2_nvreadpublic", "0x01C00016").contains("writelocked"));
        }
    }
}
