package org.jswtpm.core.differential;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jswtpm.core.Tpm;
import org.jswtpm.core.Tpm2;
import org.junit.jupiter.api.Assumptions;
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
    private static final String CORPUS = "/differential/tpm2-policy.corpus";

    @TestFactory
    List<DynamicTest> policies() throws Exception {
        List<DynamicTest> tests = new ArrayList<>();
        Path binary = SwtpmProcess.find();
        if (binary == null) {
            if (Boolean.getBoolean("jswtpm.requireTools")) {
                fail("swtpm is not installed, and jswtpm.requireTools is true");
            }
            tests.add(DynamicTest.dynamicTest("swtpm-missing",
                    () -> Assumptions.abort("swtpm is not installed; differential tests skipped")));
            return tests;
        }
        Tpm engine = Tpm2.builder().deterministicSeed("jswtpm differential".getBytes(StandardCharsets.US_ASCII))
                .build();
        SwtpmProcess swtpm = SwtpmProcess.start(binary);
        for (CorpusCase c : CorpusCase.load(CORPUS)) {
            tests.add(DynamicTest.dynamicTest(c.name(), () -> run(c, swtpm, engine)));
        }
        tests.add(DynamicTest.dynamicTest("stop-swtpm", swtpm::close));
        return tests;
    }

    private static void run(CorpusCase c, SwtpmProcess swtpm, Tpm engine) throws Exception {
        byte[] theirs = swtpm.execute(c.command());
        byte[] ours = engine.execute(c.command());
        String why = c.comparison().disagreement(ours, theirs);
        if (why != null) {
            fail(c + ": " + why
                    + "\n  command: " + Comparison.hex(c.command())
                    + "\n  jswtpm:  " + Comparison.hex(ours)
                    + "\n  swtpm:   " + (theirs.length == 0 ? "(no response)" : Comparison.hex(theirs)));
        }
    }
}
