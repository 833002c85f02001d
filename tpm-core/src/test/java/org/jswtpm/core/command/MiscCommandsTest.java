package org.jswtpm.core.command;

import static org.jswtpm.core.testing.TestTpm.run;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import org.jswtpm.core.Tpm;
import org.jswtpm.core.TpmException;
import org.jswtpm.core.marshal.TpmReader;
import org.jswtpm.core.testing.Command;
import org.jswtpm.core.testing.TestTpm;
import org.jswtpm.core.types.TpmCc;
import org.jswtpm.core.types.TpmRc;
import org.junit.jupiter.api.Test;

/** Part 3, 10 self tests, 16 random numbers and 30.3 TPM2_TestParms. */
class MiscCommandsTest {
    static byte[] random(Tpm tpm, int n) throws TpmException {
        return run(tpm, Command.of(TpmCc.GetRandom).u16(n)).ok().tpm2b(64);
    }

    @Test
    void getRandomIsCappedAtTheLargestDigestAndDeterministicWithASeed() throws TpmException {
        Tpm a = TestTpm.started();
        Tpm b = TestTpm.started();
        assertEquals(64, random(a, 1000).length);
        random(b, 1000);
        assertEquals(0, random(a, 0).length);
        random(b, 0);
        byte[] x = random(a, 32);
        assertArrayEquals(x, random(b, 32), "same seed, same sequence");
        assertFalse(java.util.Arrays.equals(x, random(a, 32)), "the sequence moves on");
    }

    @Test
    void stirRandomChangesTheSequence() throws TpmException {
        Tpm a = TestTpm.started();
        Tpm b = TestTpm.started();
        run(a, Command.of(TpmCc.StirRandom).tpm2b(new byte[] {1, 2, 3})).ok();
        assertFalse(java.util.Arrays.equals(random(a, 32), random(b, 32)));
        run(a, Command.of(TpmCc.StirRandom).tpm2b(new byte[129])).assertRc(TpmRc.SIZE.parameter(1));
    }

    @Test
    void selfTestsPass() throws TpmException {
        Tpm tpm = TestTpm.started();
        run(tpm, Command.of(TpmCc.SelfTest).u8(1)).ok();
        run(tpm, Command.of(TpmCc.SelfTest).u8(2)).assertRc(TpmRc.VALUE.parameter(1));
        TpmReader inc = run(tpm, Command.of(TpmCc.IncrementalSelfTest).u32(1).u16(0x000B)).ok();
        assertEquals(0, inc.u32(), "nothing left to test");
        TpmReader result = run(tpm, Command.of(TpmCc.GetTestResult)).ok();
        assertEquals(0, result.tpm2b(1024).length);
        assertEquals(0, result.u32());
    }

    @Test
    void testParmsAcceptsImplementedParametersOnly() {
        Tpm tpm = TestTpm.started();
        run(tpm, Command.of(TpmCc.TestParms).u16(0x0001).u16(0x0010).u16(0x0010).u16(2048).u32(0)).ok();
        run(tpm, Command.of(TpmCc.TestParms).u16(0x0001).u16(0x0010).u16(0x0010).u16(1000).u32(0))
                .assertRc(TpmRc.VALUE.parameter(1));
        run(tpm, Command.of(TpmCc.TestParms).u16(0x0023).u16(0x0010).u16(0x0010).u16(0x0003).u16(0x0010)).ok();
        run(tpm, Command.of(TpmCc.TestParms).u16(0x0023).u16(0x0010).u16(0x0010).u16(0x0001).u16(0x0010)).ok();
        run(tpm, Command.of(TpmCc.TestParms).u16(0x0023).u16(0x0010).u16(0x0010).u16(0x0006).u16(0x0010))
                .assertRc(TpmRc.CURVE.parameter(1));
        run(tpm, Command.of(TpmCc.TestParms).u16(0x0025).u16(0x0006).u16(256).u16(0x0043)).ok();
        run(tpm, Command.of(TpmCc.TestParms).u16(0x0025).u16(0x0006).u16(100).u16(0x0043))
                .assertRc(TpmRc.VALUE.parameter(1));
        run(tpm, Command.of(TpmCc.TestParms).u16(0x0008).u16(0x0005).u16(0x000B)).ok();
        run(tpm, Command.of(TpmCc.TestParms).u16(0x0013)).assertRc(TpmRc.TYPE.parameter(1));
    }
}
