package org.jswtpm.core.differential;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** The corpus format and comparison modes, without swtpm: each mode must be able to fail. */
class DifferentialComparisonTest {
    private static byte[] hex(String s) {
        return HexFormat.of().parseHex(s);
    }

    private static final byte[] RANDOM_A = hex("80010000001400000000000801020304050607aa");
    private static final byte[] RANDOM_B = hex("80010000001400000000000811121314151617aa");
    private static final byte[] ERROR = hex("80010000000a00000143");

    @Test
    void exactRejectsAnyDifferentByte() {
        Comparison exact = Comparison.parse("exact");
        assertNull(exact.disagreement(RANDOM_A, RANDOM_A.clone()));
        assertNotNull(exact.disagreement(RANDOM_A, RANDOM_B));
    }

    @Test
    void rcComparesOnlyTheResponseCode() {
        Comparison rc = Comparison.parse("rc");
        assertNull(rc.disagreement(RANDOM_A, RANDOM_B));
        assertNotNull(rc.disagreement(RANDOM_A, ERROR));
    }

    @Test
    void skipFieldsIgnoresOnlyTheGivenRanges() {
        assertNull(Comparison.parse("skip-fields=12..19").disagreement(RANDOM_A, RANDOM_B));
        assertNotNull(Comparison.parse("skip-fields=12..18").disagreement(RANDOM_A, RANDOM_B));
        assertNotNull(Comparison.parse("skip-fields=12..19").disagreement(RANDOM_A, hex("80010000001500000000000801020304050607aaff")));
    }

    @Test
    void knownDiffFailsOnceTheResponsesAgree() {
        Comparison known = Comparison.parse("rc-known-diff");
        assertNull(known.disagreement(RANDOM_A, ERROR));
        assertNotNull(known.disagreement(ERROR, ERROR.clone()));
    }

    @Test
    void corpusLinesParse() {
        CorpusCase c = CorpusCase.parse("startup | exact | 8001 0000000c 00000144 0000", 7);
        assertEquals("startup", c.name());
        assertEquals(12, c.command().length);
        assertThrows(IllegalArgumentException.class, () -> CorpusCase.parse("startup | exact", 1));
        assertThrows(IllegalArgumentException.class, () -> Comparison.parse("skip-fields=2..8"));
        assertThrows(IllegalArgumentException.class, () -> Comparison.parse("fuzzy"));
    }
}
