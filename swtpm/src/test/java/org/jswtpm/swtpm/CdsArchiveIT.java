package org.jswtpm.swtpm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Builds {@code swtpm/target/swtpm.jsa}, the class-data-sharing archive that makes {@code bin/swtpm}
 * start faster (docs/performance.md), and proves the JVM can map it with the launcher's class path. It is
 * the first integration test (swtpm's pom runs them in alphabetical order), so the others start
 * {@code bin/swtpm} with the archive.
 */
@Timeout(120)
class CdsArchiveIT {
    @Test
    void archiveIsBuiltAndUsable() throws Exception {
        Path script = Path.of("scripts", "create-cds-archive.sh").toAbsolutePath();
        Process build = new ProcessBuilder("sh", script.toString()).redirectErrorStream(true).start();
        String output = new String(build.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(build.waitFor(100, TimeUnit.SECONDS));
        Path jsa = Path.of("target", "swtpm.jsa");
        assertTrue(Files.size(jsa) > 0, output);

        // -Xshare:on refuses to start unless the archive maps (same JVM, same class path, unchanged jars)
        ProcessBuilder run = new ProcessBuilder(LibvirtArgvIT.launcher().toString(), "--version");
        run.environment().put("JSWTPM_JAVA_OPTS", "-Xshare:on -XX:SharedArchiveFile=" + jsa.toAbsolutePath());
        Process version = run.redirectErrorStream(true).start();
        String text = new String(version.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(version.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, version.exitValue(), text);
        assertTrue(text.startsWith("TPM emulator version"), text);
    }
}
