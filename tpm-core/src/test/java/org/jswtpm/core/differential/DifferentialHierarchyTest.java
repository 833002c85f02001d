package org.jswtpm.core.differential;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jswtpm.core.Tpm;
import org.jswtpm.core.Tpm2;
import org.jswtpm.core.engine.TpmEngine;
import org.jswtpm.core.types.TpmCc;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Differential tests of the hierarchy commands and dictionary-attack functions: the commands of a
 * corpus go, in order, to a fresh swtpm and a fresh jswtpm, and the responses are compared as each case
 * declares, as {@link DifferentialSwtpmTest} does for the basic corpus. Skipped without swtpm unless
 * {@code jswtpm.requireTools} is true.
 *
 * <ul>
 *   <li>{@code tpm2-hierarchy.corpus}: HierarchyChangeAuth, HierarchyControl, SetPrimaryPolicy, Clear,
 *       ClearControl, ChangePPS, ChangeEPS, DictionaryAttackParameters and LockReset, lockoutAuth;</li>
 *   <li>{@code tpm2-da-nv.corpus}: lockout on a DA-protected NV index, and an index with
 *       TPMA_NV_NO_DA;</li>
 *   <li>{@code tpm2-da-objects.corpus}: lockout on a DA-protected key; runs once the engine implements
 *       TPM2_CreatePrimary.</li>
 * </ul>
 */
class DifferentialHierarchyTest {
    @TestFactory
    List<DynamicTest> hierarchyCommands() throws Exception {
        return corpus("/differential/tpm2-hierarchy.corpus", null);
    }

    @TestFactory
    List<DynamicTest> dictionaryAttackOnNvIndices() throws Exception {
        return corpus("/differential/tpm2-da-nv.corpus", TpmCc.NV_DefineSpace);
    }

    @TestFactory
    List<DynamicTest> dictionaryAttackOnAKey() throws Exception {
        return corpus("/differential/tpm2-da-objects.corpus", TpmCc.CreatePrimary);
    }

    /** One dynamic test per case, on a new swtpm and engine; the last one stops swtpm. */
    private static List<DynamicTest> corpus(String resource, TpmCc needs) throws Exception {
        List<DynamicTest> tests = new ArrayList<>();
        Tpm engine = Tpm2.builder().deterministicSeed("jswtpm differential".getBytes(StandardCharsets.US_ASCII)).build();
        if (needs != null && ((TpmEngine) engine).table().get(needs.code()) == null) {
            String why = "the engine does not implement TPM2_" + needs.name() + " yet; " + resource + " skipped";
            tests.add(DynamicTest.dynamicTest("engine-incomplete", () -> Assumptions.abort(why)));
            return tests;
        }
        Path binary = SwtpmProcess.find();
        if (binary == null) {
            if (Boolean.getBoolean("jswtpm.requireTools")) {
                fail("swtpm is not installed, and jswtpm.requireTools is true");
            }
            tests.add(DynamicTest.dynamicTest("swtpm-missing",
                    () -> Assumptions.abort("swtpm is not installed; differential tests skipped")));
            return tests;
        }
        SwtpmProcess swtpm = SwtpmProcess.start(binary);
        for (CorpusCase c : CorpusCase.load(resource)) {
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
