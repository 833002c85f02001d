package org.jswtpm.core.differential;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jswtpm.core.Tpm;
import org.jswtpm.core.Tpm2;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;

/**
 * Runs one differential corpus: every command goes, in order, to a fresh real swtpm (libtpms) over
 * TCP and to a fresh in-process jswtpm engine, and the two responses are compared as the case
 * declares (see {@link Comparison}). One dynamic test per case; the last one stops swtpm.
 *
 * <p>Without swtpm the list is one skipped test saying why, unless the system property
 * {@code jswtpm.requireTools} is {@code true}: then a missing swtpm fails. With
 * {@code -Djswtpm.differential.verbose=true} both responses of every case are printed.
 */
final class CorpusDifferential {
    private CorpusDifferential() {
    }

    /** The dynamic tests of {@code corpus} (a class-path resource), the engine seeded with {@code seed}. */
    static List<DynamicTest> tests(String corpus, String seed) throws Exception {
        List<CorpusCase> cases = CorpusCase.load(corpus);
        assertFalse(cases.isEmpty(), "empty corpus " + corpus);
        List<DynamicTest> tests = new ArrayList<>();
        Path binary = SwtpmProcess.find();
        if (binary == null) {
            String reason = "swtpm is not installed (looked at -Djswtpm.swtpm, " + SwtpmProcess.BINARY
                    + " and the PATH)";
            if (Boolean.getBoolean("jswtpm.requireTools")) {
                fail(reason + ", and jswtpm.requireTools is true");
            }
            tests.add(DynamicTest.dynamicTest("swtpm-missing",
                    () -> Assumptions.abort(reason + "; " + corpus + " skipped")));
            return tests;
        }
        Tpm engine = Tpm2.builder().deterministicSeed(seed.getBytes(StandardCharsets.US_ASCII)).build();
        SwtpmProcess swtpm = SwtpmProcess.start(binary);
        for (CorpusCase c : cases) {
            tests.add(DynamicTest.dynamicTest(c.name(), () -> run(c, swtpm, engine)));
        }
        tests.add(DynamicTest.dynamicTest("stop-swtpm", swtpm::close));
        return tests;
    }

    private static void run(CorpusCase c, SwtpmProcess swtpm, Tpm engine) throws Exception {
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
