package org.jswtpm.core.differential;

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
 * Differential tests of the hierarchy commands and dictionary-attack functions: the commands of
 * {@code differential/tpm2-hierarchy.corpus} go, in order, to a fresh swtpm and a fresh jswtpm, and the
 * responses are compared as each case declares, as {@link DifferentialSwtpmTest} does for the basic
 * corpus. Skipped without swtpm unless {@code jswtpm.requireTools} is true.
 */
class DifferentialHierarchyTest {
    private static final String CORPUS = "/differential/tpm2-hierarchy.corpus";

    private static SwtpmProcess swtpm;
    private static Tpm engine;
    private static String missing;

    @BeforeAll
    static void startBoth() throws Exception {
        Path binary = SwtpmProcess.find();
        if (binary == null) {
            if (Boolean.getBoolean("jswtpm.requireTools")) {
                fail("swtpm is not installed, and jswtpm.requireTools is true");
            }
            missing = "swtpm is not installed; differential tests skipped";
            return;
        }
        swtpm = SwtpmProcess.start(binary);
        engine = Tpm2.builder().deterministicSeed("jswtpm differential".getBytes(StandardCharsets.US_ASCII)).build();
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
        List<DynamicTest> tests = new ArrayList<>();
        if (missing != null) {
            tests.add(DynamicTest.dynamicTest("swtpm-missing", () -> Assumptions.abort(missing)));
            return tests;
        }
        for (CorpusCase c : CorpusCase.load(CORPUS)) {
            tests.add(DynamicTest.dynamicTest(c.name(), () -> run(c)));
        }
        return tests;
    }

    private static void run(CorpusCase c) throws Exception {
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
