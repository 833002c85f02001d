package org.jswtpm.swtpm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import org.junit.jupiter.api.Test;

class SubOptionsTest {
    private static final Set<String> NAMES = Set.of("dir", "mode", "lock", "port", "profile");

    @Test
    void bareNameIsTrue() throws Exception {
        SubOptions o = SubOptions.parse("--x", "lock", NAMES);
        assertTrue(o.bool("lock", false));
    }

    @Test
    void onlyTrueAndOneAreTrue() throws Exception {
        assertTrue(SubOptions.parse("--x", "lock=TRUE", NAMES).bool("lock", false));
        assertTrue(SubOptions.parse("--x", "lock=1", NAMES).bool("lock", false));
        for (String v : new String[] {"false", "0", "no", "yes", "on", ""}) {
            assertFalse(SubOptions.parse("--x", "lock=" + v, NAMES).bool("lock", true), v);
        }
    }

    @Test
    void absentBooleanTakesDefault() throws Exception {
        assertTrue(SubOptions.parse("--x", "dir=/a", NAMES).bool("lock", true));
    }

    @Test
    void unknownNameIsAnError() {
        UsageException e = assertThrows(UsageException.class, () -> SubOptions.parse("--x", "dir=/a,bogus", NAMES));
        assertTrue(e.getMessage().contains("bogus"));
    }

    @Test
    void modeIsOctalAndAtMost0777() throws Exception {
        assertEquals(0600, SubOptions.parse("--x", "mode=0600", NAMES).mode("mode", 0640));
        assertEquals(0640, SubOptions.parse("--x", "dir=/a", NAMES).mode("mode", 0640));
        assertEquals(0777, SubOptions.parse("--x", "mode=777", NAMES).mode("mode", 0));
        assertThrows(UsageException.class, () -> SubOptions.parse("--x", "mode=01000", NAMES).mode("mode", 0));
        assertThrows(UsageException.class, () -> SubOptions.parse("--x", "mode=0689", NAMES).mode("mode", 0));
    }

    @Test
    void integersAreDecimalAndRangeChecked() throws Exception {
        assertEquals(2321, SubOptions.parse("--x", "port=2321", NAMES).integer("port", -1, 0, 65535));
        assertThrows(UsageException.class,
                () -> SubOptions.parse("--x", "port=65536", NAMES).integer("port", -1, 0, 65535));
        assertThrows(UsageException.class,
                () -> SubOptions.parse("--x", "port=0x10", NAMES).integer("port", -1, 0, 65535));
    }

    @Test
    void commasInsideBracesDoNotSplit() throws Exception {
        SubOptions o = SubOptions.parse("--x", "profile={\"Name\":\"a\",\"b\":{\"c\":1}},lock", NAMES);
        assertEquals("{\"Name\":\"a\",\"b\":{\"c\":1}}", o.string("profile", null));
        assertTrue(o.bool("lock", false));
    }

    @Test
    void unbalancedBracesAreAnError() {
        assertThrows(UsageException.class, () -> SubOptions.parse("--x", "profile={", NAMES));
        assertThrows(UsageException.class, () -> SubOptions.parse("--x", "profile=}", NAMES));
    }

    @Test
    void unsupportedNamesAreRejectedByName() throws Exception {
        SubOptions o = SubOptions.parse("--x", "dir=/a,port=1", NAMES);
        UsageException e = assertThrows(UsageException.class, () -> o.rejectUnsupported("port"));
        assertTrue(e.getMessage().contains("'port'"));
    }
}
