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
 * Differential tests of sessions ({@code differential/tpm2-sessions.corpus}): StartAuthSession and its
 * errors, malformed authorization areas, HMAC sessions without a key, trial and policy sessions and
 * their digests, session slots and capabilities, FlushContext, audit and lockout-bound sessions. The
 * commands go, in order, to a fresh swtpm and a fresh jswtpm and the responses are compared as each case
 * declares (random nonces skipped). Sessions with keys are compared by
 * {@code src/test/scripts/sessions-diff.py}, which computes HMACs. Skipped without swtpm unless
 * {@code jswtpm.requireTools} is true.
 */
class DifferentialSessionTest {
    private static final String CORPUS = "/differential/tpm2-sessions.corpus";

    @TestFactory
    List<DynamicTest> sessions() throws Exception {
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
