package org.jswtpm.core.differential;

import java.util.List;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Differential tests of the chapter 23 policy assertions ({@code differential/tpm2-policy.corpus}):
 * trial-session digests byte for byte, parameter errors, and policy-session checks (PolicyNV
 * comparisons, PolicyOR, PolicyAuthorize, PolicyAuthorizeNV, PolicyCounterTimer, PolicySecret,
 * PolicyTicket) whose responses hold no random values. Commands go, in order, to a fresh swtpm and a
 * fresh jswtpm. Skipped without swtpm unless {@code jswtpm.requireTools} is true.
 */
class DifferentialPolicyTest {
    @TestFactory
    List<DynamicTest> policies() throws Exception {
        return CorpusDifferential.tests("/differential/tpm2-policy.corpus", "jswtpm differential");
    }
}
