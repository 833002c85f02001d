package org.jswtpm.core.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import org.junit.jupiter.api.Assumptions;

/**
 * Gate for tests that drive real external programs (Debian's swtpm, tpm2-tools, openssl). Absent
 * tools skip the test with a visible reason, unless the system property {@code jswtpm.requireTools} is
 * {@code true} (CI sets it), in which case a missing tool fails the test.
 */
public final class ExternalTools {
    private ExternalTools() {
    }

    /** The absolute path of {@code program} on PATH, or null. */
    public static String find(String program) {
        String path = System.getenv("PATH");
        if (path == null) {
            return null;
        }
        for (String dir : path.split(File.pathSeparator)) {
            File f = new File(dir, program);
            if (f.isFile() && f.canExecute()) {
                return f.getAbsolutePath();
            }
        }
        return null;
    }

    /** Requires {@code program}; returns its path. */
    public static String require(String program) {
        String found = find(program);
        if (found == null) {
            unavailable(program + " is not installed (Debian: see .ci/run for the packages)");
        }
        return found;
    }

    /** Requires this process to run as root (uid 0), which {@code why} needs. */
    public static void requireRoot(String why) {
        Object uid;
        try {
            uid = java.nio.file.Files.getAttribute(java.nio.file.Path.of("/proc/self"), "unix:uid");
        } catch (java.io.IOException | UnsupportedOperationException e) {
            uid = null;
        }
        if (!Integer.valueOf(0).equals(uid)) {
            unavailable(why + " needs root");
        }
    }

    /** Skips the calling test for {@code reason}, or fails it if {@code jswtpm.requireTools} is true. */
    public static void unavailable(String reason) {
        if (Boolean.getBoolean("jswtpm.requireTools")) {
            fail(reason + "; jswtpm.requireTools=true forbids skipping");
        }
        Assumptions.abort(reason);
    }
}
