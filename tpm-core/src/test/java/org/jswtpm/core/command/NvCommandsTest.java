package org.jswtpm.core.command;

import static org.jswtpm.core.command.Nv.AUTH_RW;
import static org.jswtpm.core.command.Nv.INDEX;
import static org.jswtpm.core.command.Nv.NONE;
import static org.jswtpm.core.command.Nv.OWNER;
import static org.jswtpm.core.command.Nv.OWNER_RW;
import static org.jswtpm.core.command.Nv.PLATFORM;
import static org.jswtpm.core.command.Nv.type;
import static org.jswtpm.core.testing.TestTpm.run;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.jswtpm.core.Tpm;
import org.jswtpm.core.TpmException;
import org.jswtpm.core.crypto.HashAlg;
import org.jswtpm.core.marshal.TpmReader;
import org.jswtpm.core.state.NvStore;
import org.jswtpm.core.testing.Command;
import org.jswtpm.core.testing.TestTpm;
import org.jswtpm.core.types.NvPublic;
import org.jswtpm.core.types.TpmAlg;
import org.jswtpm.core.types.TpmCc;
import org.jswtpm.core.types.TpmPt;
import org.jswtpm.core.types.TpmRc;
import org.jswtpm.core.types.TpmRh;
import org.jswtpm.core.types.TpmaNv;
import org.junit.jupiter.api.Test;

/**
 * Part 3, 31.3 TPM2_NV_DefineSpace, 31.4 TPM2_NV_UndefineSpace, 31.5 TPM2_NV_UndefineSpaceSpecial,
 * 31.6 TPM2_NV_ReadPublic, 31.12 TPM2_NV_GlobalWriteLock and 31.15 TPM2_NV_ChangeAuth.
 */
class NvCommandsTest {
    private final Tpm tpm = TestTpm.started();

    private void defineRc(int authHandle, int attributes, int size, TpmRc expected) {
        run(tpm, Nv.define(authHandle, NONE, INDEX, attributes, size)).assertRc(expected);
    }

    static NvPublic readPublic(Tpm tpm, int index) throws TpmException {
        TpmReader r = run(tpm, Nv.readPublic(index)).ok();
        NvPublic pub = NvPublic.readSized(r);
        byte[] name = r.tpm2b(66);
        assertArrayEquals(pub.name(), name, "name");
        return pub;
    }

    @Test
    void defineThenReadPublicThenUndefine() throws TpmException {
        run(tpm, Nv.define(OWNER, "secret".getBytes(), INDEX, OWNER_RW | AUTH_RW, 32)).ok();
        NvPublic pub = readPublic(tpm, INDEX);
        assertEquals(new NvPublic(INDEX, HashAlg.SHA256, OWNER_RW | AUTH_RW, NONE, 32), pub);
        run(tpm, Nv.define(OWNER, NONE, INDEX, OWNER_RW, 32)).assertRc(TpmRc.NV_DEFINED);
        run(tpm, Nv.undefine(OWNER, INDEX)).ok();
        run(tpm, Nv.readPublic(INDEX)).assertRc(TpmRc.HANDLE.handle(1));
        run(tpm, Nv.undefine(OWNER, INDEX)).assertRc(TpmRc.HANDLE.handle(2));
    }

    @Test
    void handlesOutsideTheirTypeAreValue() {
        run(tpm, Nv.readPublic(0x81000000)).assertRc(TpmRc.VALUE.handle(1));
        run(tpm, Nv.define(TpmRh.ENDORSEMENT, NONE, INDEX, OWNER_RW, 8)).assertRc(TpmRc.VALUE.handle(1));
        run(tpm, Nv.read(TpmRh.ENDORSEMENT, INDEX, NONE, 1, 0)).assertRc(TpmRc.VALUE.handle(1));
        run(tpm, Nv.read(OWNER, 0x02000000, NONE, 1, 0)).assertRc(TpmRc.VALUE.handle(2));
        run(tpm, Nv.define(OWNER, NONE, 0x81000001, OWNER_RW, 8)).assertRc(TpmRc.VALUE.parameter(2));
    }

    @Test
    void defineSizeChecks() {
        run(tpm, Nv.define(OWNER, NONE, Nv.publicArea(INDEX, TpmAlg.SHA256, OWNER_RW, new byte[20], 8)))
                .assertRc(TpmRc.SIZE.parameter(2));
        run(tpm, Nv.define(OWNER, new byte[33], INDEX, OWNER_RW, 8)).ok(); // trailing zeros do not count
        run(tpm, Nv.undefine(OWNER, INDEX)).ok();
        byte[] longAuth = new byte[21];
        longAuth[20] = 1;
        run(tpm, Nv.define(OWNER, longAuth, Nv.publicArea(INDEX, TpmAlg.SHA1, OWNER_RW, NONE, 8)))
                .assertRc(TpmRc.SIZE.parameter(1));
        run(tpm, Nv.define(OWNER, new byte[65], INDEX, OWNER_RW, 8)).assertRc(TpmRc.SIZE.parameter(1));
        defineRc(OWNER, OWNER_RW, NvStore.MAX_INDEX_SIZE + 1, TpmRc.SIZE.parameter(2));
        defineRc(OWNER, OWNER_RW | TpmaNv.WRITEALL, NvStore.MAX_BUFFER_SIZE + 1, TpmRc.SIZE.parameter(2));
        defineRc(OWNER, OWNER_RW | type(TpmaNv.NT_COUNTER), 4, TpmRc.SIZE.parameter(2));
        defineRc(OWNER, OWNER_RW | type(TpmaNv.NT_BITS), 16, TpmRc.SIZE.parameter(2));
        defineRc(OWNER, OWNER_RW | type(TpmaNv.NT_EXTEND), 20, TpmRc.SIZE.parameter(2));
        defineRc(OWNER, OWNER_RW | type(TpmaNv.NT_PIN_PASS), 4, TpmRc.SIZE.parameter(2));
    }

    @Test
    void defineAttributeChecks() {
        TpmRc bad = TpmRc.ATTRIBUTES.parameter(2);
        defineRc(OWNER, OWNER_RW | type(3), 8, bad);
        defineRc(OWNER, OWNER_RW | type(TpmaNv.NT_COUNTER) | TpmaNv.CLEAR_STCLEAR, 8, bad);
        defineRc(OWNER, OWNER_RW | type(TpmaNv.NT_PIN_FAIL), 8, bad); // without NO_DA
        defineRc(OWNER, OWNER_RW | type(TpmaNv.NT_PIN_PASS) | TpmaNv.AUTHWRITE, 8, bad);
        defineRc(OWNER, OWNER_RW | type(TpmaNv.NT_PIN_PASS) | TpmaNv.GLOBALLOCK, 8, bad);
        defineRc(OWNER, OWNER_RW | type(TpmaNv.NT_PIN_FAIL) | TpmaNv.NO_DA | TpmaNv.WRITEDEFINE, 8, bad);
        defineRc(OWNER, OWNER_RW | TpmaNv.WRITTEN, 8, bad);
        defineRc(OWNER, OWNER_RW | TpmaNv.WRITELOCKED, 8, bad);
        defineRc(OWNER, OWNER_RW | TpmaNv.READLOCKED, 8, bad);
        defineRc(OWNER, TpmaNv.OWNERWRITE, 8, bad);
        defineRc(OWNER, TpmaNv.OWNERREAD, 8, bad);
        defineRc(OWNER, OWNER_RW | TpmaNv.CLEAR_STCLEAR | TpmaNv.WRITEDEFINE, 8, bad);
        defineRc(OWNER, OWNER_RW | TpmaNv.POLICY_DELETE, 8, bad);
        defineRc(OWNER, OWNER_RW | TpmaNv.PLATFORMCREATE, 8, TpmRc.ATTRIBUTES.handle(1));
        defineRc(PLATFORM, OWNER_RW, 8, TpmRc.ATTRIBUTES.handle(1));
        defineRc(OWNER, OWNER_RW | 0x100, 8, TpmRc.RESERVED_BITS.parameter(2));
    }

    @Test
    void everyTypeCanBeDefined() {
        int[][] types = {{TpmaNv.NT_ORDINARY, 100}, {TpmaNv.NT_COUNTER, 8}, {TpmaNv.NT_BITS, 8},
            {TpmaNv.NT_EXTEND, 32}, {TpmaNv.NT_PIN_PASS, 8}, {TpmaNv.NT_PIN_FAIL, 8}};
        int handle = INDEX;
        for (int[] t : types) {
            run(tpm, Nv.define(OWNER, NONE, handle++, OWNER_RW | TpmaNv.NO_DA | type(t[0]), t[1])).ok();
        }
    }

    @Test
    void platformIndicesAndPhEnableNv() {
        int platform = OWNER_RW | TpmaNv.PPWRITE | TpmaNv.PPREAD | TpmaNv.PLATFORMCREATE;
        run(tpm, Nv.define(PLATFORM, NONE, INDEX, platform, 8)).ok();
        run(tpm, Nv.undefine(OWNER, INDEX)).assertRc(TpmRc.NV_AUTHORIZATION);
        run(tpm, Nv.undefine(PLATFORM, INDEX)).ok();
        run(tpm, Nv.define(OWNER, NONE, INDEX, OWNER_RW, 8)).ok();
        run(tpm, Nv.undefine(PLATFORM, INDEX)).ok(); // the platform may delete owner indices
    }

    @Test
    void policyDeleteIndicesNeedUndefineSpaceSpecialWithAPolicySession() {
        int attrs = OWNER_RW | TpmaNv.PLATFORMCREATE | TpmaNv.POLICY_DELETE;
        run(tpm, Nv.define(PLATFORM, NONE, Nv.publicArea(INDEX, TpmAlg.SHA256, attrs, new byte[32], 8))).ok();
        run(tpm, Nv.undefine(PLATFORM, INDEX)).assertRc(TpmRc.ATTRIBUTES.handle(2));
        // ADMIN role on an NV index: a password session is TPM_RC_AUTH_TYPE.
        run(tpm, Command.of(TpmCc.NV_UndefineSpaceSpecial).handle(INDEX).handle(PLATFORM).passwords(NONE, NONE))
                .assertRc(TpmRc.AUTH_TYPE);
        run(tpm, Command.of(TpmCc.NV_UndefineSpaceSpecial).handle(INDEX).handle(OWNER).passwords(NONE, NONE))
                .assertRc(TpmRc.VALUE.handle(2));
        run(tpm, Command.of(TpmCc.NV_UndefineSpaceSpecial).handle(INDEX + 1).handle(PLATFORM).passwords(NONE, NONE))
                .assertRc(TpmRc.HANDLE.handle(1));
    }

    @Test
    void changeAuthNeedsAPolicySession() {
        run(tpm, Nv.define(OWNER, NONE, INDEX, OWNER_RW | AUTH_RW, 8)).ok();
        run(tpm, Command.of(TpmCc.NV_ChangeAuth).handle(INDEX).emptyAuth().tpm2b("new".getBytes()))
                .assertRc(TpmRc.AUTH_TYPE);
        run(tpm, Command.of(TpmCc.NV_ChangeAuth).handle(INDEX).tpm2b("new".getBytes()))
                .assertRc(TpmRc.AUTH_MISSING);
    }

    @Test
    void globalWriteLockLocksOnlyGlobalLockIndices() throws TpmException {
        run(tpm, Nv.define(OWNER, NONE, INDEX, OWNER_RW | TpmaNv.GLOBALLOCK, 8)).ok();
        run(tpm, Nv.define(OWNER, NONE, INDEX + 1, OWNER_RW, 8)).ok();
        run(tpm, Nv.globalWriteLock(OWNER)).ok();
        assertEquals(TpmaNv.WRITELOCKED, readPublic(tpm, INDEX).attributes() & TpmaNv.WRITELOCKED);
        assertEquals(0, readPublic(tpm, INDEX + 1).attributes() & TpmaNv.WRITELOCKED);
        run(tpm, Nv.write(OWNER, INDEX, NONE, new byte[8], 0)).assertRc(TpmRc.NV_LOCKED);
        run(tpm, Nv.write(OWNER, INDEX + 1, NONE, new byte[8], 0)).ok();
        run(tpm, Nv.globalWriteLock(TpmRh.ENDORSEMENT)).assertRc(TpmRc.VALUE.handle(1));
    }

    @Test
    void nvSpaceIsBoundedAndReported() throws TpmException {
        assertEquals(NvStore.MAX_INDEX_SIZE, property(TpmPt.NV_INDEX_MAX));
        assertEquals(NvStore.MAX_BUFFER_SIZE, property(TpmPt.NV_BUFFER_MAX));
        assertEquals(NvStore.MAX_COUNTERS, property(TpmPt.NV_COUNTERS_MAX));
        assertEquals(0, property(TpmPt.HR_NV_INDEX));
        int defined = 0;
        TpmRc rc;
        do {
            rc = TpmRc.of(run(tpm, Nv.define(OWNER, NONE, INDEX + defined, OWNER_RW, 2048)).rc);
            if (rc.value() == 0) {
                defined++;
            }
        } while (rc.value() == 0 && defined < 1000);
        assertEquals(TpmRc.NV_SPACE, rc);
        assertEquals(defined, property(TpmPt.HR_NV_INDEX));
        assertEquals(NvStore.SPACE / NvStore.cost(2048, 0), defined);
        run(tpm, Nv.undefine(OWNER, INDEX)).ok();
        run(tpm, Nv.define(OWNER, NONE, INDEX, OWNER_RW, 2048)).ok();
    }

    @Test
    void countersAreBoundedAndCounted() throws TpmException {
        int counter = OWNER_RW | type(TpmaNv.NT_COUNTER);
        for (int i = 0; i < NvStore.MAX_COUNTERS; i++) {
            assertEquals(NvStore.MAX_COUNTERS - i, property(TpmPt.NV_COUNTERS_AVAIL));
            run(tpm, Nv.define(OWNER, NONE, INDEX + i, counter, 8)).ok();
        }
        assertEquals(NvStore.MAX_COUNTERS, property(TpmPt.NV_COUNTERS));
        assertEquals(0, property(TpmPt.NV_COUNTERS_AVAIL));
        run(tpm, Nv.define(OWNER, NONE, INDEX + 100, counter, 8)).assertRc(TpmRc.NV_SPACE);
        run(tpm, Nv.define(OWNER, NONE, INDEX + 100, OWNER_RW, 8)).ok();
    }

    @Test
    void getCapabilityListsDefinedIndicesInOrder() throws TpmException {
        run(tpm, Nv.define(OWNER, NONE, 0x01800000, OWNER_RW, 8)).ok();
        run(tpm, Nv.define(OWNER, NONE, 0x01000001, OWNER_RW, 8)).ok();
        run(tpm, Nv.define(OWNER, NONE, 0x01400000, OWNER_RW, 8)).ok();
        assertEquals(List.of(0x01000001, 0x01400000, 0x01800000), handles(0x01000000, 10));
        assertEquals(List.of(0x01400000, 0x01800000), handles(0x01000002, 10));
        assertEquals(List.of(0x01000001), handles(0x01000000, 1));
    }

    private List<Integer> handles(int from, int count) throws TpmException {
        TpmReader r = run(tpm, Command.of(TpmCc.GetCapability).u32(1).u32(from).u32(count)).ok();
        r.u8();
        r.u32();
        int n = r.u32();
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(r.u32());
        }
        return out;
    }

    private int property(int pt) throws TpmException {
        TpmReader r = run(tpm, Command.of(TpmCc.GetCapability).u32(6).u32(pt).u32(1)).ok();
        r.u8();
        r.u32();
        assertEquals(1, r.u32());
        assertEquals(pt, r.u32());
        return r.u32();
    }
}
