package org.jswtpm.core.command;

import static org.jswtpm.core.testing.TestTpm.run;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.jswtpm.core.StateKind;
import org.jswtpm.core.Tpm;
import org.jswtpm.core.Tpm2;
import org.jswtpm.core.state.PcrBanks;
import org.jswtpm.core.state.RuntimeState;
import org.jswtpm.core.testing.Command;
import org.jswtpm.core.testing.TestObjects;
import org.jswtpm.core.testing.TestTpm;
import org.jswtpm.core.types.TpmCc;
import org.jswtpm.core.types.TpmRc;
import org.jswtpm.core.types.TpmRh;
import org.jswtpm.core.types.TpmSu;
import org.junit.jupiter.api.Test;

/** Loaded objects travel in the volatile state (migration, suspend) and are gone after a Startup. */
class VolatileObjectsTest {
    @Test
    void loadedObjectsSurviveAMoveThroughTheVolatileState() throws Exception {
        Tpm tpm = TestTpm.started();
        int parent = TestObjects.createPrimary(tpm, TpmRh.OWNER, TestObjects.rsaStorage(2048)).handle();
        int sealed = TestObjects.load(tpm, parent, TestObjects.create(tpm, parent, TestObjects.sealed(), "pw".getBytes(),
                "moved".getBytes()));
        byte[][] before = TestObjects.readPublic(tpm, parent);
        byte[] permanent = tpm.getState(StateKind.PERMANENT);
        byte[] volatileState = tpm.getState(StateKind.VOLATILE);
        tpm.stop();

        Tpm moved = Tpm2.builder().state(StateKind.PERMANENT, permanent).state(StateKind.VOLATILE, volatileState)
                .build();
        assertArrayEquals(before[1], TestObjects.readPublic(moved, parent)[1]);
        assertArrayEquals(before[2], TestObjects.readPublic(moved, parent)[2]);
        assertArrayEquals("moved".getBytes(), run(moved, Command.of(TpmCc.Unseal).handle(sealed)
                .passwords("pw".getBytes())).okWithSessions(0).tpm2b(128));
        // transient objects do not survive a Startup
        run(moved, Command.of(TpmCc.Shutdown).u16(TpmSu.STATE)).ok();
        moved.init();
        run(moved, Command.of(TpmCc.Startup).u16(TpmSu.STATE)).ok();
        run(moved, Command.of(TpmCc.ReadPublic).handle(parent)).assertRc(TpmRc.REFERENCE_H0);
    }

    @Test
    void versionTwoVolatileBlobsStillRead() throws Exception {
        RuntimeState s = new RuntimeState();
        s.nullSeed = new byte[64];
        s.nullProof = new byte[64];
        s.pcrs = new PcrBanks(PcrBanks.maskOf(org.jswtpm.core.crypto.HashAlg.SHA256));
        byte[] v2 = s.serialize(true);
        // version 2 is the current version without the object count (version 3) and the DA fields
        // (version 4: two u64, two u8), the PCR authValue (version 5: an empty TPM2B) and the session
        // context bookkeeping (version 6: u64 context counter, u8 saved-session count 0)
        int trailing = 1 + 8 + 8 + 1 + 1 + 2 + 8 + 1;
        org.jswtpm.core.marshal.TpmWriter w = new org.jswtpm.core.marshal.TpmWriter();
        w.u32(0x4A535756).u16(2).u32(v2.length - 10 - trailing).bytes(v2, 10, v2.length - 10 - trailing);
        RuntimeState v1 = RuntimeState.deserialize(w.toByteArray(), true,
                new PcrBanks(PcrBanks.maskOf(org.jswtpm.core.crypto.HashAlg.SHA256)));
        assertTrue(v1.loadedObjects.isEmpty());
        assertEquals(64, v1.nullSeed.length);
    }
}
