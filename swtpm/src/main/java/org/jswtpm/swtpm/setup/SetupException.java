package org.jswtpm.swtpm.setup;

/** A step of swtpm_setup failed; the message is logged as is and the program exits with status 1. */
public final class SetupException extends Exception {
    public SetupException(String message) {
        super(message);
    }

    public SetupException(String message, Throwable cause) {
        super(message, cause);
    }
}
