package org.jswtpm.core.command;

import static org.jswtpm.core.testing.TestTpm.run;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.jswtpm.core.StateKind;
import org.jswtpm.core.Tpm;
import org.jswtpm.core.Tpm2;
import org.jswtpm.core.marshal.TpmReader;
import org.jswtpm.core.testing.Command;
import org.jswtpm.core.testing.TestObjects;
import org.jswtpm.core.testing.TestTpm;
import org.jswtpm.core.types.TpmCap;
import org.jswtpm.core.types.TpmCc;
import org.jswtpm.core.types.TpmPt;
import org.jswtpm.core.types.TpmRc;
import org.jswtpm.core.types.TpmRh;
import org.jswtpm.core.types.TpmSu;
import org.junit.jupiter.api.Test;

/** Part 3, 28.5 TPM2_EvictControl and persistent handles (0x81). */
class EvictControlTest {
    static final int OWNER_HANDLE = 0x81000001;
    static final int PLATFORM_HANDLE = 0x81800001;

    static Command evict(int auth, int object, int persistent) {
        return Command.of(TpmCc.EvictControl).handle(auth).handle(object).emptyAuth().u32(persistent);
    }

    static int[] persistentHandles(Tpm tpm) throws Exception {
        TpmReader r = run(tpm, Command.of(TpmCc.GetCapability).u32(TpmCap.HANDLES).u32(0x81000000).u32(100)).ok();
        r.u8();
        r.u32();
        int[] h = new int[r.u32()];
        for (int i = 0; i < h.length; i++) {
            h[i] = r.u32();
        }
        return h;
    }

    static int property(Tpm tpm, int pt) throws Exception {
        TpmReader r = run(tpm, Command.of(TpmCc.GetCapability).u32(TpmCap.TPM_PROPERTIES).u32(pt).u32(1)).ok();
        r.u8();
        r.u32();
        r.u32();
        assertEquals(pt, r.u32());
        return r.u32();
    }

    @Test
    void persistedObjectSurvivesARebuildFromThePermanentState() throws Exception {
        Tpm tpm = TestTpm.started();
        TestObjects.Created p = TestObjects.createPrimary(tpm, TpmRh.OWNER, TestObjects.rsaStorage(2048));
        run(tpm, evict(TpmRh.OWNER, p.handle(), OWNER_HANDLE)).ok();
        byte[][] read = TestObjects.readPublic(tpm, OWNER_HANDLE);
        assertArrayEquals(p.name(), read[1]);
        assertArrayEquals(new int[] {OWNER_HANDLE}, persistentHandles(tpm));
        assertEquals(1, property(tpm, TpmPt.HR_PERSISTENT));
        assertEquals(7, property(tpm, TpmPt.HR_PERSISTENT_AVAIL));

        byte[] permanent = tpm.getState(StateKind.PERMANENT);
        Tpm rebuilt = Tpm2.builder().state(StateKind.PERMANENT, permanent).build();
        run(rebuilt, Command.of(TpmCc.Startup).u16(TpmSu.CLEAR)).ok();
        assertArrayEquals(p.name(), TestObjects.readPublic(rebuilt, OWNER_HANDLE)[1]);
        // the persistent parent works as a parent
        TestObjects.Blob blob = TestObjects.create(rebuilt, OWNER_HANDLE, TestObjects.sealed(), new byte[0], "s".getBytes());
        int sealed = TestObjects.load(rebuilt, OWNER_HANDLE, blob);
        assertArrayEquals("s".getBytes(), run(rebuilt, Command.of(TpmCc.Unseal).handle(sealed).emptyAuth())
                .okWithSessions(0).tpm2b(128));
        // and the blob made under the transient copy loads under the persistent one
        TestObjects.Blob early = TestObjects.create(tpm, p.handle(), TestObjects.sealed(), new byte[0], "e".getBytes());
        TestObjects.load(rebuilt, OWNER_HANDLE, early);

        run(rebuilt, evict(TpmRh.OWNER, OWNER_HANDLE, OWNER_HANDLE)).ok();
        run(rebuilt, Command.of(TpmCc.ReadPublic).handle(OWNER_HANDLE)).assertRc(TpmRc.HANDLE.handle(1));
        assertArrayEquals(new int[0], persistentHandles(rebuilt));
    }

    @Test
    void rangesAndRules() throws Exception {
        Tpm tpm = TestTpm.started();
        int h = TestObjects.createPrimary(tpm, TpmRh.OWNER, TestObjects.eccStorage(3)).handle();
        run(tpm, evict(TpmRh.OWNER, h, PLATFORM_HANDLE)).assertRc(TpmRc.RANGE.parameter(1));
        // the platform persists only platform objects, the owner only others
        run(tpm, evict(TpmRh.PLATFORM, h, OWNER_HANDLE)).assertRc(TpmRc.HIERARCHY.handle(2));
        run(tpm, evict(TpmRh.PLATFORM, h, PLATFORM_HANDLE)).assertRc(TpmRc.HIERARCHY.handle(2));
        run(tpm, evict(TpmRh.OWNER, h, 0x80000001)).assertRc(TpmRc.VALUE.parameter(1));
        run(tpm, evict(TpmRh.OWNER, h, OWNER_HANDLE)).ok();
        run(tpm, evict(TpmRh.OWNER, h, OWNER_HANDLE)).assertRc(TpmRc.NV_DEFINED);
        // removing needs the same handle in both places
        run(tpm, evict(TpmRh.OWNER, OWNER_HANDLE, OWNER_HANDLE + 1)).assertRc(TpmRc.HANDLE.handle(2));
        run(tpm, evict(TpmRh.OWNER, 0x81000077, 0x81000077)).assertRc(TpmRc.HANDLE.handle(2));
        TestObjects.flush(tpm, h);
        // null-hierarchy and stClear objects cannot be persisted
        int nullKey = TestObjects.createPrimary(tpm, TpmRh.NULL, TestObjects.eccStorage(3)).handle();
        run(tpm, evict(TpmRh.OWNER, nullKey, OWNER_HANDLE + 2)).assertRc(TpmRc.ATTRIBUTES.handle(2));
        TestObjects.flush(tpm, nullKey);
        int stClear = TestObjects.createPrimary(tpm, TpmRh.OWNER, TestObjects.ecc(TestObjects.STORAGE | TestObjects.ST_CLEAR, 3,
                TestObjects.NULL, 0)).handle();
        run(tpm, evict(TpmRh.OWNER, stClear, OWNER_HANDLE + 2)).assertRc(TpmRc.ATTRIBUTES.handle(2));
        TestObjects.flush(tpm, stClear);
        // platform objects are the platform's
        int platformKey = TestObjects.createPrimary(tpm, TpmRh.PLATFORM, TestObjects.eccStorage(3)).handle();
        run(tpm, evict(TpmRh.OWNER, platformKey, OWNER_HANDLE + 3)).assertRc(TpmRc.HIERARCHY.handle(2));
        run(tpm, evict(TpmRh.PLATFORM, platformKey, OWNER_HANDLE + 3)).assertRc(TpmRc.RANGE.parameter(1));
        run(tpm, evict(TpmRh.PLATFORM, platformKey, PLATFORM_HANDLE + 1)).ok();
        assertArrayEquals(new int[] {OWNER_HANDLE, PLATFORM_HANDLE + 1}, persistentHandles(tpm));
        // the owner cannot remove the platform's, the platform can remove the owner's
        run(tpm, evict(TpmRh.OWNER, PLATFORM_HANDLE + 1, PLATFORM_HANDLE + 1)).assertRc(TpmRc.HIERARCHY.handle(2));
        run(tpm, evict(TpmRh.PLATFORM, OWNER_HANDLE, OWNER_HANDLE)).ok();
        assertArrayEquals(new int[] {PLATFORM_HANDLE + 1}, persistentHandles(tpm));
    }

    @Test
    void capacityIsReportedAndEnforced() throws Exception {
        Tpm tpm = TestTpm.started();
        int capacity = property(tpm, TpmPt.HR_PERSISTENT_MIN);
        int h = TestObjects.createPrimary(tpm, TpmRh.OWNER, TestObjects.eccStorage(3)).handle();
        for (int i = 0; i < capacity; i++) {
            run(tpm, evict(TpmRh.OWNER, h, OWNER_HANDLE + i)).ok();
        }
        run(tpm, evict(TpmRh.OWNER, h, OWNER_HANDLE + capacity)).assertRc(TpmRc.NV_SPACE);
        assertEquals(0, property(tpm, TpmPt.HR_PERSISTENT_AVAIL));
    }

    @Test
    void flushingAHierarchyDropsItsTransientAndPersistentObjects() throws Exception {
        Tpm tpm = TestTpm.started();
        int owner = TestObjects.createPrimary(tpm, TpmRh.OWNER, TestObjects.eccStorage(3)).handle();
        int platform = TestObjects.createPrimary(tpm, TpmRh.PLATFORM, TestObjects.eccStorage(3)).handle();
        run(tpm, evict(TpmRh.OWNER, owner, OWNER_HANDLE)).ok();
        run(tpm, evict(TpmRh.PLATFORM, platform, PLATFORM_HANDLE)).ok();
        org.jswtpm.core.engine.TpmEngine engine = (org.jswtpm.core.engine.TpmEngine) tpm;
        org.junit.jupiter.api.Assertions.assertTrue(engine.objectEngine().flushHierarchy(TpmRh.OWNER));
        run(tpm, Command.of(TpmCc.ReadPublic).handle(owner)).assertRc(TpmRc.REFERENCE_H0);
        run(tpm, Command.of(TpmCc.ReadPublic).handle(OWNER_HANDLE)).assertRc(TpmRc.HANDLE.handle(1));
        TestObjects.readPublic(tpm, platform);
        assertArrayEquals(new int[] {PLATFORM_HANDLE}, persistentHandles(tpm));
    }

    @Test
    void aPersistentObjectHoldsASlotWhileACommandUsesIt() throws Exception {
        Tpm tpm = TestTpm.started();
        int h = TestObjects.createPrimary(tpm, TpmRh.OWNER, TestObjects.eccStorage(3)).handle();
        run(tpm, evict(TpmRh.OWNER, h, OWNER_HANDLE)).ok();
        TestObjects.createPrimary(tpm, TpmRh.OWNER, TestObjects.eccStorage(3));
        // slots 0 and 1 taken: the persistent parent borrows slot 2, nothing is left for Create
        run(tpm, Command.of(TpmCc.Create).handle(OWNER_HANDLE).emptyAuth().bytes(TestObjects.sensitive(new byte[0],
                "x".getBytes())).bytes(TestObjects.sealed()).u16(0).u32(0)).assertRc(TpmRc.OBJECT_MEMORY);
        TestObjects.flush(tpm, 0x80000001);
        // slot 1 is lent to the parent during CreateLoaded, so the child lands in slot 2
        org.jswtpm.core.marshal.TpmReader r = run(tpm, Command.of(TpmCc.CreateLoaded).handle(OWNER_HANDLE)
                .emptyAuth().bytes(TestObjects.sensitive(new byte[0], "x".getBytes())).bytes(TestObjects.sealed())).ok();
        assertEquals(0x80000002, r.u32());
        // and the loan ends with the command
        assertEquals(0x80000001, TestObjects.createPrimary(tpm, TpmRh.NULL, TestObjects.eccStorage(3)).handle());
        run(tpm, Command.of(TpmCc.ReadPublic).handle(OWNER_HANDLE)).assertRc(TpmRc.OBJECT_MEMORY);
    }
}
