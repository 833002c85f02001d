package org.jswtpm.core.command;

import static org.jswtpm.core.testing.SessionClient.CONTINUE;
import static org.jswtpm.core.testing.TestTpm.run;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.jswtpm.core.Tpm;
import org.jswtpm.core.engine.TpmEngine;
import org.jswtpm.core.marshal.TpmReader;
import org.jswtpm.core.testing.Command;
import org.jswtpm.core.testing.SessionClient;
import org.jswtpm.core.testing.TestTpm;
import org.jswtpm.core.types.TpmCc;
import org.jswtpm.core.types.TpmRc;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * TPM2_ContextSave and TPM2_ContextLoad of a session through the command table (tpm2-tools saves every
 * session it starts this way). The handlers for these commands belong to the object subsystem; for a
 * session handle they must call {@code engine.session.SessionContexts.save} and {@code load}. Skipped
 * while the table has no TPM2_ContextSave.
 */
class SessionContextCommandsTest {
    @Test
    void aSessionGoesOutAndComesBackThroughTheCommands() throws Exception {
        Tpm tpm = TestTpm.started();
        Assumptions.assumeTrue(((TpmEngine) tpm).table().get(TpmCc.ContextSave.code()) != null,
                "TPM2_ContextSave is not in the command table yet");
        SessionClient s = SessionClient.hmac(tpm);
        var saved = run(tpm, Command.of(TpmCc.ContextSave).handle(s.handle));
        assertEquals(0, saved.rc, "ContextSave of a session: delegate session handles to SessionContexts.save");
        byte[] context = new TpmReader(saved.bytes, 10, saved.bytes.length - 10).bytes(saved.bytes.length - 10);
        run(tpm, s.authorize(Command.of(TpmCc.PCR_Extend).handle(10).u32(0), CONTINUE, new byte[0],
                SessionClient.u32(10))).assertRc(TpmRc.REFERENCE_S0);
        TpmReader loaded = run(tpm, Command.of(TpmCc.ContextLoad).bytes(context)).ok();
        assertEquals(s.handle, loaded.u32(), "ContextLoad of a session: delegate to SessionContexts.load");
        s.verify(run(tpm, s.authorize(Command.of(TpmCc.PCR_Extend).handle(10).u32(0), CONTINUE, new byte[0],
                SessionClient.u32(10))), TpmCc.PCR_Extend, 0, 0, CONTINUE, new byte[0]);
        run(tpm, Command.of(TpmCc.ContextLoad).bytes(context)).assertRc(TpmRc.HANDLE.parameter(1));
    }
}
