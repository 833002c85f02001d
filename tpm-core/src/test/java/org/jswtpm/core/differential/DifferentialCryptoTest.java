package org.jswtpm.core.differential;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jswtpm.core.Tpm;
import org.jswtpm.core.Tpm2;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Differential tests of the signing, asymmetric, symmetric and attestation commands: every command of {@code differential/tpm2-objects.corpus} goes, in order, to a
 * real swtpm (libtpms) over TCP and to an in-process jswtpm engine, and the two responses are compared
 * as the case declares (see {@link Comparison}).
 *
 * <p>Skipped when swtpm is not installed, unless the system property {@code jswtpm.requireTools} is
 * {@code true}: then a missing swtpm is a failure.
 */
class DifferentialCryptoTest {
    private static final String CORPUS = "/differential/tpm2-crypto.corpus";

    private static SwtpmProcess swtpm;
    private static Tpm engine;
    private static String missing;

    @BeforeAll
    static void startBoth() throws Exception {
        Path binary = SwtpmProcess.find();
        if (binary == null) {
            String reason = "swtpm is not installed (looked at -Djswtpm.swtpm, " + SwtpmProcess.BINARY + " and the PATH)";
            if (Boolean.getBoolean("jswtpm.requireTools")) {
                fail(reason + ", and jswtpm.requireTools is true");
            }
            missing = reason + "; differential tests skipped";
            return;
        }
        swtpm = SwtpmProcess.start(binary);
        engine = Tpm2.builder().deterministicSeed("jswtpm differential crypto".getBytes(StandardCharsets.US_ASCII)).build();
    }

    @AfterAll
    static void stopSwtpm() throws Exception {
        if (swtpm != null) {
            swtpm.close();
            swtpm = null;
        }
    }

    @TestFactory
    List<DynamicTest> corpus() throws Exception {
        List<CorpusCase> cases = CorpusCase.load(CORPUS);
        assertFalse(cases.isEmpty(), "empty corpus " + CORPUS);
        List<DynamicTest> tests = new ArrayList<>();
        if (missing != null) {
            // A skipped test (not an aborted class) so that the reason shows in every report.
            tests.add(DynamicTest.dynamicTest("swtpm-missing", () -> Assumptions.abort(missing)));
            return tests;
        }
        for (CorpusCase c : cases) {
            tests.add(DynamicTest.dynamicTest(c.name(), () -> run(c)));
        }
        return tests;
    }

    private static void run(CorpusCase c) throws Exception {
        assertNotNull(swtpm, "swtpm is not running");
        byte[] theirs = swtpm.execute(c.command());
        byte[] ours = engine.execute(c.command());
        if (Boolean.getBoolean("jswtpm.differential.verbose")) {
            System.out.println(c.name() + "\n  jswtpm: " + Comparison.hex(ours) + "\n  swtpm:  " + Comparison.hex(theirs));
        }
        String why = c.comparison().disagreement(ours, theirs);
        if (why != null) {
            fail(c + ": " + why
                    + "\n  command: " + Comparison.hex(c.command())
                    + "\n  jswtpm:  " + Comparison.hex(ours)
                    + "\n  swtpm:   " + (theirs.length == 0 ? "(no response)" : Comparison.hex(theirs)));
        }
    }
}
