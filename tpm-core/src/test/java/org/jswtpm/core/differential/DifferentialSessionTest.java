package org.jswtpm.core.differential;

import java.util.List;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Differential tests of sessions ({@code differential/tpm2-sessions.corpus}): StartAuthSession and its
 * errors, malformed authorization areas, HMAC sessions without a key, trial and policy sessions and
 * their digests, session slots and capabilities, FlushContext, audit and lockout-bound sessions. The
 * commands go, in order, to a fresh swtpm and a fresh jswtpm and the responses are compared as each case
 * declares (random nonces skipped). Sessions with keys are compared by
 * {@code src/test/scripts/sessions-diff.py}, which computes HMACs. Skipped without swtpm unless
 * {@code jswtpm.requireTools} is true.
 */
class DifferentialSessionTest {
    @TestFactory
    List<DynamicTest> sessions() throws Exception {
        return CorpusDifferential.tests("/differential/tpm2-sessions.corpus", "jswtpm differential");
    }
}
