package org.jswtpm.core.differential;

import java.util.List;
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
 *   <li>{@code tpm2-da-objects.corpus}: lockout on a DA-protected key (made with
 *       TPM2_CreatePrimary).</li>
 * </ul>
 */
class DifferentialHierarchyTest {
    @TestFactory
    List<DynamicTest> hierarchyCommands() throws Exception {
        return CorpusDifferential.tests("/differential/tpm2-hierarchy.corpus", "jswtpm differential");
    }

    @TestFactory
    List<DynamicTest> dictionaryAttackOnNvIndices() throws Exception {
        return CorpusDifferential.tests("/differential/tpm2-da-nv.corpus", "jswtpm differential");
    }

    @TestFactory
    List<DynamicTest> dictionaryAttackOnAKey() throws Exception {
        return CorpusDifferential.tests("/differential/tpm2-da-objects.corpus", "jswtpm differential");
    }
}
