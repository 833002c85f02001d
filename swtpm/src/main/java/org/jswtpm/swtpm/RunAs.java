package org.jswtpm.swtpm;

import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.io.IOException;

/**
 * {@code -r/--runas <user>}: the process becomes that user, as swtpm's {@code change_process_owner}
 * does it — a name from the password database ({@code getpwnam}): {@code initgroups}, {@code setgid}
 * to its group, {@code setuid}; a decimal uid: {@code setgid} and {@code setuid} to that number (the
 * supplementary groups stay as they were, as in swtpm). The real, effective and saved ids all change,
 * so the switch cannot be undone. glibc applies {@code setuid}/{@code setgid} to every thread of the
 * process, so the JVM's threads all run as the new user.
 *
 * <p>swtpm does this right after the chroot and before any file or socket is opened; {@link Main}
 * keeps that order, and first opens every jar of the class path ({@link Confinement}), since the
 * user may not be allowed to read them. {@code swtpm_setup --runas} uses the same switch.
 */
public final class RunAs {
    private RunAs() {
    }

    /** A user to become. */
    record Target(String name, int uid, int gid) { }

    /**
     * Checks {@code user} as swtpm would when switching: a decimal uid must fit 32 bits; a name must
     * exist (only when {@code lookUpName}: inside a chroot it is looked up there, at the switch).
     *
     * @throws UsageException with swtpm's message
     */
    static void check(String user, boolean lookUpName) throws UsageException {
        if (isNumber(user)) {
            parseUid(user);
        } else if (lookUpName && lookUp(user) == null) {
            throw new UsageException("Error: User '" + user + "' does not exist.");
        }
    }

    /**
     * The ids {@code user} stands for: its uid and primary group from the password database, or a decimal
     * uid that is also the gid.
     *
     * @throws UsageException with swtpm's message if the user does not exist or the number is too large
     */
    static Target resolve(String user) throws UsageException {
        if (isNumber(user)) {
            int uid = parseUid(user);
            return new Target(null, uid, uid);
        }
        Target target = lookUp(user);
        if (target == null) {
            throw new UsageException("Error: User '" + user + "' does not exist.");
        }
        return target;
    }

    /**
     * Becomes {@code user}.
     *
     * @throws IOException with swtpm's message if the user does not exist or a call fails (not root)
     */
    public static void switchTo(String user) throws IOException {
        Target target;
        try {
            target = resolve(user);
        } catch (UsageException e) {
            throw new IOException(e.getMessage(), e);
        }
        if (target.name() != null && LibC.initgroups(target.name(), target.gid()) < 0) {
            throw failed("initgroups(" + target.name() + ", " + Integer.toUnsignedString(target.gid()) + ")");
        }
        if (LibC.setgid(target.gid()) < 0) {
            throw failed("setgid(" + Integer.toUnsignedString(target.gid()) + ")");
        }
        if (LibC.setuid(target.uid()) < 0) {
            throw failed("setuid(" + Integer.toUnsignedString(target.uid()) + ")");
        }
    }

    /** swtpm's message, with the errno it leaves out. */
    private static IOException failed(String call) {
        return new IOException("Error: " + call + " failed (errno " + Native.getLastError() + ").");
    }

    /** swtpm reads the argument with {@code strtoul}; anything it does not consume entirely is a name. */
    private static boolean isNumber(String user) {
        return user.chars().allMatch(c -> c >= '0' && c <= '9');
    }

    private static int parseUid(String user) throws UsageException {
        long uid;
        try {
            uid = user.isEmpty() ? 0 : Long.parseLong(user);
        } catch (NumberFormatException e) {
            uid = -1;
        }
        if (uid < 0 || uid > 0xffffffffL) {
            throw new UsageException("Error: uid " + user + " outside valid range.");
        }
        return (int) uid;
    }

    /** {@code getpwnam}: the name, uid and primary gid of {@code name}, or null if there is none. */
    private static Target lookUp(String name) {
        Pointer pw = LibC.getpwnam(name);
        if (pw == null) {
            return null;
        }
        int p = Native.POINTER_SIZE;
        return new Target(pw.getPointer(0).getString(0), pw.getInt(2L * p), pw.getInt(2L * p + 4));
    }

    /** The effective uid of this process. */
    static long currentUid() {
        return Integer.toUnsignedLong(LibC.geteuid());
    }
}
