package org.jswtpm.core.command;

import static org.jswtpm.core.testing.TestTpm.run;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import org.jswtpm.core.Tpm;
import org.jswtpm.core.marshal.TpmReader;
import org.jswtpm.core.testing.Command;
import org.jswtpm.core.testing.TestObjects;
import org.jswtpm.core.testing.TestTpm;
import org.jswtpm.core.types.TpmCc;
import org.jswtpm.core.types.TpmRc;
import org.jswtpm.core.types.TpmRh;
import org.jswtpm.core.types.TpmSu;
import org.junit.jupiter.api.Test;

/** Part 3, 28.2 TPM2_ContextSave and 28.3 TPM2_ContextLoad of objects. */
class ContextTest {
    static byte[] save(Tpm tpm, int handle) {
        org.jswtpm.core.testing.Response rsp = run(tpm, Command.of(TpmCc.ContextSave).handle(handle));
        rsp.ok();
        return java.util.Arrays.copyOfRange(rsp.bytes, 10, rsp.bytes.length);
    }

    static Command load(byte[] context) {
        return Command.of(TpmCc.ContextLoad).bytes(context);
    }

    @Test
    void saveFlushLoadGivesTheSameObject() throws Exception {
        Tpm tpm = TestTpm.started();
        int parent = TestObjects.createPrimary(tpm, TpmRh.OWNER, TestObjects.rsaStorage(2048)).handle();
        byte[] name = TestObjects.readPublic(tpm, parent)[1];
        byte[] context = save(tpm, parent);
        TpmReader c = new TpmReader(context);
        long sequence = c.u64();
        assertEquals(0x80000000, c.u32(), "savedHandle of an object");
        assertEquals(TpmRh.OWNER, c.u32());
        TestObjects.flush(tpm, parent);
        TpmReader r = run(tpm, load(context)).ok();
        int loaded = r.u32();
        assertArrayEquals(name, TestObjects.readPublic(tpm, loaded)[1]);
        // it still works as a parent
        TestObjects.Blob blob = TestObjects.create(tpm, loaded, TestObjects.sealed(), new byte[0], "x".getBytes());
        TestObjects.load(tpm, loaded, blob);
        // a context can be loaded more than once; the sequence moves on with each save
        run(tpm, load(context)).ok();
        byte[] again = save(tpm, loaded);
        assertNotEquals(sequence, new TpmReader(again).u64());
    }

    @Test
    void tamperedContextsAreIntegrityFailures() throws Exception {
        Tpm tpm = TestTpm.started();
        int key = TestObjects.createPrimary(tpm, TpmRh.OWNER, TestObjects.eccStorage(3)).handle();
        byte[] context = save(tpm, key);
        TestObjects.flush(tpm, key);
        for (int i : new int[] {7, 20, 30, context.length - 1}) {
            byte[] bad = context.clone();
            bad[i] ^= 1;
            run(tpm, load(bad)).assertRc(TpmRc.INTEGRITY.parameter(1));
        }
        byte[] otherHierarchy = context.clone();
        otherHierarchy[15] = 0x0B; // endorsement
        run(tpm, load(otherHierarchy)).assertRc(TpmRc.INTEGRITY.parameter(1));
        byte[] badHandle = context.clone();
        badHandle[11] = 0x05;
        run(tpm, load(badHandle)).assertRc(TpmRc.VALUE.parameter(1));
        byte[] badHierarchy = context.clone();
        badHierarchy[15] = 0x02;
        run(tpm, load(badHierarchy)).assertRc(TpmRc.VALUE.parameter(1));
        run(tpm, load(context)).ok();
    }

    @Test
    void contextsDoNotSurviveATpmReset() throws Exception {
        Tpm tpm = TestTpm.started();
        int key = TestObjects.createPrimary(tpm, TpmRh.OWNER, TestObjects.eccStorage(3)).handle();
        byte[] context = save(tpm, key);
        run(tpm, Command.of(TpmCc.Shutdown).u16(TpmSu.CLEAR)).ok();
        tpm.init();
        run(tpm, Command.of(TpmCc.Startup).u16(TpmSu.CLEAR)).ok();
        run(tpm, load(context)).assertRc(TpmRc.INTEGRITY.parameter(1));
    }

    @Test
    void hashSequencesAreSavedAndResumed() throws Exception {
        Tpm tpm = TestTpm.started();
        int seq = run(tpm, Command.of(TpmCc.HashSequenceStart).tpm2b(new byte[0]).u16(TestObjects.SHA256)).ok().u32();
        run(tpm, Command.of(TpmCc.SequenceUpdate).handle(seq).emptyAuth().tpm2b("abc".getBytes())).ok();
        byte[] context = save(tpm, seq);
        TpmReader c = new TpmReader(context);
        c.u64();
        assertEquals(0x80000001, c.u32(), "savedHandle of a sequence");
        assertEquals(TpmRh.NULL, c.u32());
        TestObjects.flush(tpm, seq);
        byte[] expected = java.security.MessageDigest.getInstance("SHA-256").digest("abcdef".getBytes());
        for (int i = 0; i < 2; i++) {
            int loaded = run(tpm, load(context)).ok().u32();
            TpmReader r = run(tpm, Command.of(TpmCc.SequenceComplete).handle(loaded).emptyAuth()
                    .tpm2b("def".getBytes()).u32(TpmRh.NULL)).okWithSessions(0);
            assertArrayEquals(expected, r.tpm2b(64), "each load resumes the saved state");
        }
        byte[] bad = context.clone();
        bad[bad.length - 1] ^= 1;
        run(tpm, load(bad)).assertRc(TpmRc.INTEGRITY.parameter(1));
        run(tpm, Command.of(TpmCc.Shutdown).u16(TpmSu.CLEAR)).ok();
        tpm.init();
        run(tpm, Command.of(TpmCc.Startup).u16(TpmSu.CLEAR)).ok();
        run(tpm, load(context)).assertRc(TpmRc.INTEGRITY.parameter(1));
    }

    @Test
    void onlyObjectsAreSavedHere() throws Exception {
        Tpm tpm = TestTpm.started();
        run(tpm, Command.of(TpmCc.ContextSave).handle(0x80000002)).assertRc(TpmRc.REFERENCE_H0);
        run(tpm, Command.of(TpmCc.ContextSave).handle(TpmRh.OWNER)).assertRc(TpmRc.VALUE.handle(1));
        int key = TestObjects.createPrimary(tpm, TpmRh.OWNER, TestObjects.eccStorage(3)).handle();
        for (int i = 0; i < 2; i++) {
            TestObjects.createPrimary(tpm, TpmRh.OWNER, TestObjects.eccStorage(3));
        }
        byte[] context = save(tpm, key);
        run(tpm, load(context)).assertRc(TpmRc.OBJECT_MEMORY);
    }
}
