package org.jswtpm.swtpm;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * Finds external programs for interoperability tests. A missing program skips the test with a visible
 * reason, unless the system property {@code jswtpm.requireTools} is {@code true}: then it fails.
 */
final class ExternalTools {
    private ExternalTools() {
    }

    /** The path of {@code program} on PATH; skips or fails the calling test if there is none. */
    static Path require(String program) {
        String path = System.getenv().getOrDefault("PATH", "");
        for (String dir : path.split(File.pathSeparator)) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, program);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        String reason = program + " is not installed (not found on PATH)";
        if (Boolean.getBoolean("jswtpm.requireTools")) {
            Assertions.fail(reason + " and jswtpm.requireTools=true");
        }
        Assumptions.abort(reason + "; skipping");
        return null;
    }
}
