package org.jswtpm.swtpm;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code -r/--runas <user>}: swtpm switches to that user (a name from the password database, or a
 * decimal uid that is then also the gid). jswtpm cannot switch users yet, so it accepts the option
 * only when the process already runs as that user, and otherwise fails at once.
 */
final class RunAs {
    private RunAs() {
    }

    /**
     * Checks {@code user} against the effective uid of this process.
     *
     * @throws UsageException if the user does not exist, its uid is out of range, or it is another user
     */
    static void check(String user) throws UsageException {
        check(user, currentUid(), Path.of("/etc/passwd"));
    }

    static void check(String user, long currentUid, Path passwd) throws UsageException {
        long uid;
        if (!user.isEmpty() && user.chars().allMatch(c -> c >= '0' && c <= '9')) {
            try {
                uid = Long.parseLong(user);
            } catch (NumberFormatException e) {
                uid = -1;
            }
            if (uid < 0 || uid > 0xffffffffL) {
                throw new UsageException("Error: uid " + user + " outside valid range.");
            }
        } else {
            uid = lookUp(user, passwd);
            if (uid < 0) {
                throw new UsageException("Error: User '" + user + "' does not exist.");
            }
        }
        if (uid != currentUid) {
            throw new UsageException("--runas " + user + ": switching users is not supported by jswtpm yet (the"
                    + " process runs as uid " + currentUid + "); start it as that user instead");
        }
    }

    /** The uid of {@code name} in a passwd-format file, or -1. */
    private static long lookUp(String name, Path passwd) throws UsageException {
        List<String> lines;
        try {
            lines = Files.readAllLines(passwd, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UsageException("Error: cannot read " + passwd + ": " + e.getMessage());
        }
        for (String line : lines) {
            String[] fields = line.split(":", -1);
            if (fields.length >= 3 && fields[0].equals(name)) {
                try {
                    return Long.parseLong(fields[2]);
                } catch (NumberFormatException e) {
                    return -1;
                }
            }
        }
        return -1;
    }

    /** The effective uid, from {@code /proc/self/status} ({@code Uid: real effective saved fs}). */
    static long currentUid() throws UsageException {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"), StandardCharsets.UTF_8)) {
                if (line.startsWith("Uid:")) {
                    return Long.parseLong(line.substring(4).trim().split("\\s+")[1]);
                }
            }
        } catch (IOException | RuntimeException e) {
            throw new UsageException("--runas: cannot determine the current uid: " + e.getMessage());
        }
        throw new UsageException("--runas: cannot determine the current uid");
    }
}
