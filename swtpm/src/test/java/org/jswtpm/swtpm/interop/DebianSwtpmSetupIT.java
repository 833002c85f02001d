package org.jswtpm.swtpm.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jswtpm.core.testing.ExternalTools;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The EKs jswtpm's swtpm_setup creates and the ones Debian's swtpm_setup creates have the same public
 * template: tpm2_readpublic of both, compared byte for byte up to the unique field (the key itself,
 * which differs because the seeds do). Each state is served by its own swtpm.
 */
class DebianSwtpmSetupIT {
    @TempDir
    Path tmp;

    @Test
    void ekTemplatesMatchDebiansSwtpmSetup() throws Exception {
        String debianSetup = ExternalTools.require("swtpm_setup");
        String debianSwtpm = ExternalTools.require("swtpm");
        ExternalTools.require("tpm2_readpublic");
        Path debState = Files.createDirectories(tmp.resolve("debian"));
        Path ourState = Files.createDirectories(tmp.resolve("jswtpm"));
        Path config = tmp.resolve("swtpm_setup.conf");
        // no certificates: Debian's setup then needs no local CA
        Files.writeString(config, "active_pcr_banks = sha256\n");
        run(debianSetup, "--tpm2", "--tpmstate", debState.toString(), "--createek", "--config", config.toString());
        run(SwtpmSetupIT.launcher("swtpm_setup").toString(), "--tpm2", "--tpmstate", ourState.toString(),
                "--createek", "--config", config.toString());

        for (int[] handleAndUnique : new int[][] {{0x81010001, 258}, {0x81010016, 2 + 48 + 2 + 48}}) {
            String handle = "0x" + Integer.toHexString(handleAndUnique[0]);
            byte[] debian = readPublic(debianSwtpm, debState, handle);
            byte[] ours = readPublic(JswtpmProcess.launcher().toString(), ourState, handle);
            assertEquals(debian.length, ours.length, handle);
            int templateLength = debian.length - handleAndUnique[1];
            assertEquals(HexFormat.of().formatHex(Arrays.copyOf(debian, templateLength)),
                    HexFormat.of().formatHex(Arrays.copyOf(ours, templateLength)), handle);
        }
    }

    /**
     * A local CA directory made by Debian's swtpm_localca (through Debian's swtpm_setup) is reused by
     * jswtpm's swtpm_setup: its EK certificate verifies against Debian's issuer certificate.
     */
    @Test
    void debiansLocalCaDirectoryIsReused() throws Exception {
        String debianSetup = ExternalTools.require("swtpm_setup");
        String localca = ExternalTools.require("swtpm_localca");
        ExternalTools.require("tpm2_nvread");
        Path ca = Files.createDirectories(tmp.resolve("ca"));
        Path caConfig = tmp.resolve("swtpm-localca.conf");
        Files.writeString(caConfig, "statedir = " + ca + "\nsigningkey = " + ca.resolve("signkey.pem")
                + "\nissuercert = " + ca.resolve("issuercert.pem") + "\ncertserial = " + ca.resolve("certserial") + "\n");
        Path config = tmp.resolve("swtpm_setup.conf");
        Files.writeString(config, "create_certs_tool = " + localca + "\ncreate_certs_tool_config = " + caConfig
                + "\nactive_pcr_banks = sha256\n");
        run(debianSetup, "--tpm2", "--tpmstate", Files.createDirectories(tmp.resolve("debian")).toString(),
                "--create-ek-cert", "--config", config.toString());
        Path ours = Files.createDirectories(tmp.resolve("ours"));
        run(SwtpmSetupIT.launcher("swtpm_setup").toString(), "--tpm2", "--tpmstate", ours.toString(),
                "--create-ek-cert", "--config", config.toString());
        try (JswtpmProcess tpm = JswtpmProcess.start(ours, "--flags", "not-need-init,startup-clear")) {
            Path der = tmp.resolve("ek.der");
            new Tpm2Tools(tpm.tcti()).ok("tpm2_nvread", "0x01C00002", "-C", "o", "-o", der.toString());
            java.security.cert.CertificateFactory cf = java.security.cert.CertificateFactory.getInstance("X.509");
            java.security.cert.Certificate issuer;
            try (var in = Files.newInputStream(ca.resolve("issuercert.pem"))) {
                issuer = cf.generateCertificate(in);
            }
            cf.generateCertificate(new java.io.ByteArrayInputStream(Files.readAllBytes(der))).verify(issuer.getPublicKey());
        }
    }

    private byte[] readPublic(String swtpm, Path state, String handle) throws Exception {
        int port = JswtpmProcess.freePort();
        while (!JswtpmProcess.isFree(port + 1)) {
            port = JswtpmProcess.freePort();
        }
        Process p = new ProcessBuilder(swtpm, "socket", "--tpm2", "--server", "type=tcp,port=" + port
                + ",bindaddr=127.0.0.1", "--ctrl", "type=tcp,port=" + (port + 1) + ",bindaddr=127.0.0.1",
                "--tpmstate", "dir=" + state, "--flags", "not-need-init,startup-clear")
                .redirectErrorStream(true).redirectOutput(tmp.resolve("swtpm-" + port + ".log").toFile()).start();
        try {
            Tpm2Tools tools = new Tpm2Tools("swtpm:host=127.0.0.1,port=" + port);
            Path out = tmp.resolve("pub-" + port);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            Tpm2Tools.Result r;
            do {
                Thread.sleep(100);
                r = tools.run("tpm2_readpublic", "-c", handle, "-f", "tpmt", "-o", out.toString());
            } while (r.exit() != 0 && System.nanoTime() < deadline);
            assertEquals(0, r.exit(), r.err());
            return Files.readAllBytes(out);
        } finally {
            p.destroy();
            p.waitFor(20, TimeUnit.SECONDS);
        }
    }

    private static void run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(new ArrayList<>(List.of(cmd))).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), String.join(" ", cmd) + ": " + out);
    }
}
