package org.jswtpm.core;

/** A state blob that is truncated, corrupt, of another kind, or of a version this build cannot read. */
public final class StateFormatException extends Exception {
    public StateFormatException(String message) {
        super(message);
    }
}
