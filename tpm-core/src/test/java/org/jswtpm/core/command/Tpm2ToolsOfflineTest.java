package org.jswtpm.core.command;

import static org.jswtpm.core.testing.TestTpm.run;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;
import org.jswtpm.core.marshal.TpmReader;
import org.jswtpm.core.testing.ExternalTools;
import org.jswtpm.core.testing.TestObjects;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Duplicates made offline by {@code tpm2_duplicate --tcti none} (an OpenSSL key wrapped for a jswtpm
 * parent) import and load on jswtpm; credentials made offline by tpm2-tools ({@code tpm2_makecredential --tcti none}, what a Keylime-style
 * verifier runs) for an RSA and an ECC protector of jswtpm activate on jswtpm. Skipped without tpm2-tools
 * unless {@code jswtpm.requireTools} is true.
 */
class Tpm2ToolsOfflineTest {
    static final byte[] SECRET = "credential from tpm2-tools".getBytes(StandardCharsets.US_ASCII);

    @TempDir
    Path dir;

    @Test
    void tpm2MakecredentialBlobsActivate() throws Exception {
        String tool = ExternalTools.require("tpm2_makecredential");
        for (byte[] template : new byte[][] {TestObjects.rsaStorage(2048), TestObjects.eccStorage(3)}) {
            CredentialCommandsTest.Setup s = CredentialCommandsTest.setup(template);
            Path pub = dir.resolve("protector.pub");
            Files.write(pub, TestObjects.tpm2b(s.key().outPublic()));
            Files.write(dir.resolve("secret"), SECRET);
            Path out = dir.resolve("cred.out");
            Files.deleteIfExists(out);
            Process p = new ProcessBuilder(tool, "--tcti", "none", "-u", pub.toString(), "-s",
                    dir.resolve("secret").toString(), "-n", HexFormat.of().formatHex(s.objectName()), "-o",
                    out.toString()).redirectErrorStream(true).start();
            String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor(30, TimeUnit.SECONDS);
            assertEquals(0, p.exitValue(), log);
            // tpm2-tools' credential file: magic 0xBADCC0DE, version 1, TPM2B_ID_OBJECT, TPM2B_ENCRYPTED_SECRET
            TpmReader r = new TpmReader(Files.readAllBytes(out));
            assertEquals(0xBADCC0DE, r.u32());
            assertEquals(1, r.u32());
            byte[] blob = r.tpm2b(200);
            byte[] secret = r.tpm2b(600);
            byte[] certInfo = run(s.tpm(), CredentialCommandsTest.activate(s.object(), s.key().handle(), blob, secret))
                    .okWithSessions(0).tpm2b(64);
            assertArrayEquals(SECRET, certInfo);
        }
    }

    static String tool(Path dir, String... command) throws Exception {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(30, TimeUnit.SECONDS);
        assertEquals(0, p.exitValue(), String.join(" ", command) + "\n" + log);
        return log;
    }

    @Test
    void tpm2DuplicateBlobsImport() throws Exception {
        String tool = ExternalTools.require("tpm2_duplicate");
        java.security.KeyPairGenerator g = java.security.KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        java.security.KeyPair kp = g.generateKeyPair();
        Files.writeString(dir.resolve("key.pem"), "-----BEGIN PRIVATE KEY-----\n"
                + java.util.Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                        .encodeToString(kp.getPrivate().getEncoded()) + "\n-----END PRIVATE KEY-----\n");
        for (byte[] template : new byte[][] {TestObjects.rsaStorage(2048), TestObjects.eccStorage(3)}) {
            org.jswtpm.core.Tpm tpm = org.jswtpm.core.testing.TestTpm.started();
            TestObjects.Created parent = TestObjects.createPrimary(tpm, org.jswtpm.core.types.TpmRh.OWNER, template);
            Files.write(dir.resolve("parent.pub"), TestObjects.tpm2b(parent.outPublic()));
            tool(dir, tool, "--tcti", "none", "-U", "parent.pub", "-G", "rsa", "-k", "key.pem", "-u", "dup.pub",
                    "-r", "dup.dpriv", "-s", "dup.seed");
            byte[] pub = new TpmReader(Files.readAllBytes(dir.resolve("dup.pub"))).tpm2b(1024);
            byte[] dup = new TpmReader(Files.readAllBytes(dir.resolve("dup.dpriv"))).tpm2b(2048);
            byte[] seed = new TpmReader(Files.readAllBytes(dir.resolve("dup.seed"))).tpm2b(600);
            byte[] priv = run(tpm, DuplicationCommandsTest.importCommand(parent.handle(), new byte[0], pub, dup, seed,
                    DuplicationCommandsTest.SYM_NULL)).okWithSessions(0).tpm2b(2048);
            int h = TestObjects.load(tpm, parent.handle(), new TestObjects.Blob(TestObjects.tpm2b(priv),
                    TestObjects.tpm2b(pub)));
            byte[] n = ((java.security.interfaces.RSAPublicKey) kp.getPublic()).getModulus().toByteArray();
            TpmReader r = new TpmReader(TestObjects.readPublic(tpm, h)[0]);
            r.skip(2 + 2 + 4);
            r.tpm2b(64);
            r.skip(2 + 2 + 2 + 4);
            assertArrayEquals(java.util.Arrays.copyOfRange(n, n.length - 256, n.length), r.tpm2b(512));
            // a flipped bit anywhere in the outer wrapper fails its HMAC
            dup[dup.length - 3] ^= 1;
            run(tpm, DuplicationCommandsTest.importCommand(parent.handle(), new byte[0], pub, dup, seed,
                    DuplicationCommandsTest.SYM_NULL)).assertRc(org.jswtpm.core.types.TpmRc.INTEGRITY.parameter(3));
        }
    }
}
