package org.jswtpm.core.differential;

import java.util.List;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Differential tests of the signing, asymmetric, symmetric and attestation commands: every command of {@code differential/tpm2-crypto.corpus} goes, in order, to a
 * real swtpm (libtpms) over TCP and to an in-process jswtpm engine, and the two responses are compared
 * as the case declares (see {@link Comparison}).
 *
 * <p>Skipped when swtpm is not installed, unless the system property {@code jswtpm.requireTools} is
 * {@code true}: then a missing swtpm is a failure.
 */
class DifferentialCryptoTest {
    @TestFactory
    List<DynamicTest> corpus() throws Exception {
        return CorpusDifferential.tests("/differential/tpm2-crypto.corpus", "jswtpm differential crypto");
    }
}
