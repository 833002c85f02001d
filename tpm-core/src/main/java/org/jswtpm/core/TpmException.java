package org.jswtpm.core;

import org.jswtpm.core.types.TpmRc;

/**
 * A TPM error raised by a handler or the pipeline. It carries the final response code, already
 * positioned on the handle, parameter or session it concerns (see {@link TpmRc#parameter(int)}).
 * Only the dispatcher turns it into response bytes. It never carries secret material in its message,
 * and it has no stack trace: it is a control-flow value, thrown on malformed input.
 */
public final class TpmException extends Exception {
    private final TpmRc rc;

    public TpmException(TpmRc rc) {
        super(rc.toString(), null, false, false);
        this.rc = rc;
    }

    /** The response code, including its handle, parameter or session position. */
    public TpmRc rc() {
        return rc;
    }
}
