package org.jswtpm.core.testing;

import java.nio.charset.StandardCharsets;
import org.jswtpm.core.Tpm;
import org.jswtpm.core.TpmException;
import org.jswtpm.core.engine.LoadedObject;
import org.jswtpm.core.engine.TpmEngine;

/**
 * A test-only loaded object that is subject to dictionary-attack protection (noDA clear) and has an
 * authValue, so DA lockout can be tested before keys exist. Any command with a USER-role object
 * handle authorizes it: {@code TPM2_SequenceUpdate} passes authorization, then answers
 * {@code TPM_RC_MODE} because it is no sequence.
 */
public final class DaProtectedObject extends LoadedObject {
    public DaProtectedObject(byte[] authValue) {
        super(authValue);
    }

    @Override
    public boolean daExempt() {
        return false;
    }

    /** Loads a DA-protected object with authValue {@code auth} into {@code tpm}; returns its handle. */
    public static int load(Tpm tpm, String auth) {
        try {
            return ((TpmEngine) tpm).objects().load(new DaProtectedObject(auth.getBytes(StandardCharsets.US_ASCII)));
        } catch (TpmException e) {
            throw new AssertionError(e);
        }
    }
}
