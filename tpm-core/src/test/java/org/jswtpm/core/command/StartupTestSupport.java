package org.jswtpm.core.command;

import static org.jswtpm.core.testing.TestTpm.run;

import org.jswtpm.core.Tpm;
import org.jswtpm.core.TpmException;
import org.jswtpm.core.marshal.TpmReader;
import org.jswtpm.core.testing.Command;
import org.jswtpm.core.types.TpmAlg;
import org.jswtpm.core.types.TpmCc;

/** PCR reading shared by the command tests. */
final class StartupTestSupport {
    private StartupTestSupport() {
    }

    /** The value of one PCR in one bank; an empty array if that bank is not allocated. */
    static byte[] read(Tpm tpm, TpmAlg alg, int pcr) throws TpmException {
        byte[] select = new byte[3];
        select[pcr / 8] = (byte) (1 << (pcr % 8));
        TpmReader r = run(tpm, Command.of(TpmCc.PCR_Read).u32(1).u16(alg.id()).u8(3).bytes(select)).ok();
        r.u32();
        r.skip(4 + 2 + 1 + 3);
        int n = r.u32();
        return n == 0 ? new byte[0] : r.tpm2b(64);
    }

    static long counter(Tpm tpm) throws TpmException {
        TpmReader r = run(tpm, Command.of(TpmCc.PCR_Read).u32(0)).ok();
        return Integer.toUnsignedLong(r.u32());
    }
}
