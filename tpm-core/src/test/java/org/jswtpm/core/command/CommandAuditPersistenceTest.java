package org.jswtpm.core.command;

import static org.jswtpm.core.testing.TestTpm.run;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.jswtpm.core.StateKind;
import org.jswtpm.core.Tpm;
import org.jswtpm.core.Tpm2;
import org.jswtpm.core.TpmException;
import org.jswtpm.core.engine.TpmEngine;
import org.jswtpm.core.marshal.TpmReader;
import org.jswtpm.core.testing.Command;
import org.jswtpm.core.testing.TestTpm;
import org.jswtpm.core.types.TpmCap;
import org.jswtpm.core.types.TpmCc;
import org.jswtpm.core.types.TpmRh;
import org.jswtpm.core.types.TpmSu;
import org.junit.jupiter.api.Test;

/** The command audit list, hash and counter are permanent state (Part 1, 33): they survive a restart. */
class CommandAuditPersistenceTest {
    static List<Integer> auditedCommands(Tpm tpm) throws TpmException {
        TpmReader r = run(tpm, Command.of(TpmCc.GetCapability).u32(TpmCap.AUDIT_COMMANDS).u32(0).u32(100)).ok();
        r.u8();
        r.u32();
        List<Integer> codes = new ArrayList<>();
        for (int n = r.u32(); n > 0; n--) {
            codes.add(r.u32());
        }
        return codes;
    }

    @Test
    void theAuditListHashAndCounterSurviveARebuild() throws Exception {
        Tpm tpm = TestTpm.started();
        run(tpm, Command.of(TpmCc.SetCommandCodeAuditStatus).handle(TpmRh.OWNER).emptyAuth()
                .u16(0x000B).u32(0).u32(0)).ok();
        run(tpm, Command.of(TpmCc.SetCommandCodeAuditStatus).handle(TpmRh.OWNER).emptyAuth()
                .u16(0x0010).u32(1).u32(TpmCc.GetRandom.code()).u32(0)).ok();
        run(tpm, Command.of(TpmCc.GetRandom).u16(8)).ok();
        long counter = ((TpmEngine) tpm).commandAudit().counter();
        assertEquals(List.of(TpmCc.SetCommandCodeAuditStatus.code(), TpmCc.GetRandom.code()), auditedCommands(tpm));
        run(tpm, Command.of(TpmCc.Shutdown).u16(TpmSu.CLEAR)).ok();

        Tpm again = Tpm2.builder().state(StateKind.PERMANENT, tpm.getState(StateKind.PERMANENT)).build();
        run(again, Command.of(TpmCc.Startup).u16(TpmSu.CLEAR)).ok();
        assertEquals(List.of(TpmCc.SetCommandCodeAuditStatus.code(), TpmCc.GetRandom.code()), auditedCommands(again));
        assertEquals(0x000B, ((TpmEngine) again).commandAudit().hash().id());
        assertEquals(counter, ((TpmEngine) again).commandAudit().counter());
        run(again, Command.of(TpmCc.GetRandom).u16(8)).ok();
        assertEquals(counter + 1, ((TpmEngine) again).commandAudit().counter(), "a new digest after the reset steps the counter");
    }
}
