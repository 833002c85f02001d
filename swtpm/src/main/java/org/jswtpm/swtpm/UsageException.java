package org.jswtpm.swtpm;

/**
 * A command line that swtpm would refuse, or that names something this implementation does not support
 * yet. The message is shown to the user as is; the process then exits with status 1.
 */
public final class UsageException extends Exception {
    /** Creates the exception with the message shown to the user. */
    public UsageException(String message) {
        super(message);
    }
}
