package org.jswtpm.swtpm.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.jswtpm.swtpm.interop.RawTpm.indexOf;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.jswtpm.core.testing.ExternalTools;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A secret sealed into a persistent object never appears in plaintext in the state files when a
 * state key is given ({@code --key pwdfile=...}), while the same TPM without a key does keep the
 * persistent object's sensitive area readable on disk (which shows the search would find it).
 */
class SealedSecretAtRestIT {
    static final String MARKER = "jswtpm-sealed-marker-4f2a91";

    @TempDir
    Path dir;

    @BeforeAll
    static void tools() {
        ExternalTools.require("tpm2_create");
    }

    /** Seals {@link #MARKER} into a persistent object through tpm2-tools; returns the unsealed value. */
    static String sealAndPersist(JswtpmProcess tpm, Path work) throws Exception {
        Tpm2Tools tools = new Tpm2Tools(tpm.tcti());
        Path secret = Files.writeString(work.resolve("secret"), MARKER);
        // Without a resource manager every tool leaves its objects loaded: flush between steps.
        tools.ok("tpm2_createprimary", "-C", "o", "-G", "ecc", "-c", work.resolve("p.ctx").toString());
        tools.ok("tpm2_flushcontext", "-t");
        tools.ok("tpm2_create", "-C", work.resolve("p.ctx").toString(), "-i", secret.toString(),
                "-u", work.resolve("s.pub").toString(), "-r", work.resolve("s.priv").toString());
        tools.ok("tpm2_flushcontext", "-t");
        tools.ok("tpm2_load", "-C", work.resolve("p.ctx").toString(), "-u", work.resolve("s.pub").toString(),
                "-r", work.resolve("s.priv").toString(), "-c", work.resolve("s.ctx").toString());
        tools.ok("tpm2_flushcontext", "-t");
        tools.ok("tpm2_evictcontrol", "-C", "o", "-c", work.resolve("s.ctx").toString(), "0x81000010");
        return tools.ok("tpm2_unseal", "-c", "0x81000010");
    }

    static boolean anyFileContains(Path state, String text) throws Exception {
        byte[] needle = text.getBytes(StandardCharsets.US_ASCII);
        try (Stream<Path> files = Files.list(state)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                if (Files.isRegularFile(f) && indexOf(Files.readAllBytes(f), needle) >= 0) {
                    return true;
                }
            }
        }
        return false;
    }

    @Test
    void theMarkerIsAbsentFromEveryEncryptedStateFile() throws Exception {
        Path state = Files.createDirectories(dir.resolve("encrypted"));
        Path work = Files.createDirectories(dir.resolve("work-encrypted"));
        Path pw = Files.writeString(dir.resolve("pw"), "a state passphrase\n");
        try (JswtpmProcess tpm = JswtpmProcess.start(state, "--flags", "not-need-init,startup-clear",
                "--key", "pwdfile=" + pw + ",mode=aes-256-cbc")) {
            assertEquals(MARKER, sealAndPersist(tpm, work));
            Tpm2Tools tools = new Tpm2Tools(tpm.tcti());
            tools.ok("tpm2_shutdown", "-c");
        }
        assertTrue(Files.exists(state.resolve("tpm2-00.permall")));
        assertFalse(anyFileContains(state, MARKER), "the sealed marker is on disk in plaintext");
    }

    @Test
    void withoutAKeyThePersistentObjectIsReadableOnDisk() throws Exception {
        Path state = Files.createDirectories(dir.resolve("plain"));
        Path work = Files.createDirectories(dir.resolve("work-plain"));
        try (JswtpmProcess tpm = JswtpmProcess.start(state, "--flags", "not-need-init,startup-clear")) {
            assertEquals(MARKER, sealAndPersist(tpm, work));
        }
        assertTrue(anyFileContains(state, MARKER),
                "control: without a key the search finds the sealed marker, so the encrypted case means something");
    }
}
