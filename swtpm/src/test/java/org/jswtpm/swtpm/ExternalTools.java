package org.jswtpm.swtpm;

import java.nio.file.Path;

/**
 * Finds external programs for interoperability tests as a {@link Path}: the rules of
 * {@link org.jswtpm.core.testing.ExternalTools} (skip with a reason, fail under {@code jswtpm.requireTools}).
 */
final class ExternalTools {
    private ExternalTools() {
    }

    /** The path of {@code program} on PATH; skips or fails the calling test if there is none. */
    static Path require(String program) {
        return Path.of(org.jswtpm.core.testing.ExternalTools.require(program));
    }
}
