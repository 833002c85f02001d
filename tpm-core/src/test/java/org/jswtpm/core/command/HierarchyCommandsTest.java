package org.jswtpm.core.command;

import static org.jswtpm.core.command.HierarchyTestSupport.attributes;
import static org.jswtpm.core.command.HierarchyTestSupport.changeAuth;
import static org.jswtpm.core.command.HierarchyTestSupport.clock;
import static org.jswtpm.core.command.HierarchyTestSupport.clockSet;
import static org.jswtpm.core.command.HierarchyTestSupport.daParameters;
import static org.jswtpm.core.command.HierarchyTestSupport.hashTicket;
import static org.jswtpm.core.command.HierarchyTestSupport.permanent;
import static org.jswtpm.core.command.HierarchyTestSupport.powerCycle;
import static org.jswtpm.core.command.HierarchyTestSupport.pw;
import static org.jswtpm.core.command.HierarchyTestSupport.rebuild;
import static org.jswtpm.core.testing.TestTpm.run;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.jswtpm.core.Tpm;
import org.jswtpm.core.engine.LoadedObject;
import org.jswtpm.core.engine.TpmEngine;
import org.jswtpm.core.state.PermanentState;
import org.jswtpm.core.testing.Command;
import org.jswtpm.core.testing.Response;
import org.jswtpm.core.testing.TestObjects;
import org.jswtpm.core.testing.TestTpm;
import org.jswtpm.core.types.TpmAlg;
import org.jswtpm.core.types.TpmCc;
import org.jswtpm.core.types.TpmRc;
import org.jswtpm.core.types.TpmRh;
import org.jswtpm.core.types.TpmSu;
import org.jswtpm.core.types.TpmaNv;
import org.junit.jupiter.api.Test;

/**
 * Part 3, 24: HierarchyChangeAuth, HierarchyControl, SetPrimaryPolicy, ChangePPS, ChangeEPS, Clear and
 * ClearControl, and that what they change is persisted.
 */
class HierarchyCommandsTest {
    private static final int PHENABLE = 1;
    private static final int SHENABLE = 1 << 1;
    private static final int EHENABLE = 1 << 2;
    private static final int PHENABLENV = 1 << 3;

    private final TestTpm.ManualTime time = new TestTpm.ManualTime();
    private final Tpm tpm = HierarchyTestSupport.started(time);

    private Response control(int auth, String password, int enable, int state) {
        return run(tpm, Command.of(TpmCc.HierarchyControl).handle(auth).passwords(pw(password)).u32(enable).u8(state));
    }

    private Response clear(int auth, String password) {
        return run(tpm, Command.of(TpmCc.Clear).handle(auth).passwords(pw(password)));
    }

    private Response clearControl(int auth, int disable) {
        return run(tpm, Command.of(TpmCc.ClearControl).handle(auth).emptyAuth().u8(disable));
    }

    private Response setPolicy(int auth, byte[] policy, int hashAlg) {
        return run(tpm, Command.of(TpmCc.SetPrimaryPolicy).handle(auth).emptyAuth().tpm2b(policy).u16(hashAlg));
    }

    // ---- HierarchyChangeAuth

    @Test
    void ownerAuthChangeTakesEffectAndTheOwnerIsExemptFromDa() throws Exception {
        changeAuth(tpm, TpmRh.OWNER, "", "newpass").okWithSessions(0);
        clockSet(tpm, TpmRh.OWNER, "").assertRc(TpmRc.BAD_AUTH.session(1));
        clockSet(tpm, TpmRh.OWNER, "wrong").assertRc(TpmRc.BAD_AUTH.session(1));
        assertEquals(0, permanent(tpm).failedTries, "owner failures do not count toward lockout");
        clockSet(tpm, TpmRh.OWNER, "newpass").okWithSessions(0);
        assertEquals(1, attributes(tpm)[0] & 1, "TPMA_PERMANENT.ownerAuthSet");
        Tpm again = rebuild(tpm, time);
        clockSet(again, TpmRh.OWNER, "").assertRc(TpmRc.BAD_AUTH.session(1));
        clockSet(again, TpmRh.OWNER, "newpass").okWithSessions(0);
    }

    @Test
    void everyHierarchyAuthCanBeChanged() throws Exception {
        changeAuth(tpm, TpmRh.ENDORSEMENT, "", "e").okWithSessions(0);
        changeAuth(tpm, TpmRh.LOCKOUT, "", "l").okWithSessions(0);
        changeAuth(tpm, TpmRh.PLATFORM, "", "p").okWithSessions(0);
        assertArrayEquals(pw("e"), permanent(tpm).endorsementAuth);
        assertArrayEquals(pw("l"), permanent(tpm).lockoutAuth);
        assertArrayEquals(pw("p"), ((TpmEngine) tpm).runtime().platformAuth);
        clockSet(tpm, TpmRh.PLATFORM, "p").okWithSessions(0);
        assertEquals(0b110, attributes(tpm)[0] & 0b111, "endorsementAuthSet and lockoutAuthSet");
        changeAuth(tpm, TpmRh.NULL, "", "x").assertRc(TpmRc.VALUE.handle(1));
    }

    @Test
    void newAuthLosesTrailingZerosAndMayNotExceedTheLargestDigest() throws Exception {
        run(tpm, Command.of(TpmCc.HierarchyChangeAuth).handle(TpmRh.OWNER).emptyAuth()
                .tpm2b(new byte[] {'a', 'b', 0, 0})).okWithSessions(0);
        assertArrayEquals(pw("ab"), permanent(tpm).ownerAuth);
        clockSet(tpm, TpmRh.OWNER, "ab").okWithSessions(0);
        run(tpm, Command.of(TpmCc.HierarchyChangeAuth).handle(TpmRh.OWNER).passwords(pw("ab"))
                .tpm2b(new byte[65])).assertRc(TpmRc.SIZE.parameter(1));
    }

    @Test
    void platformAuthIsNotPermanent() throws Exception {
        changeAuth(tpm, TpmRh.PLATFORM, "", "p").okWithSessions(0);
        powerCycle(tpm, true);
        clockSet(tpm, TpmRh.PLATFORM, "").okWithSessions(0);
    }

    // ---- HierarchyControl

    @Test
    void disabledOwnerHierarchyIsHierarchyErrorUntilThePlatformEnablesIt() throws Exception {
        control(TpmRh.OWNER, "", TpmRh.OWNER, 0).okWithSessions(0);
        assertEquals(0, attributes(tpm)[1] & SHENABLE);
        clockSet(tpm, TpmRh.OWNER, "").assertRc(TpmRc.HIERARCHY.handle(1));
        assertEquals(64, hashTicket(tpm, TpmRh.OWNER).length, "TPM2_Hash still tickets for a disabled hierarchy");
        control(TpmRh.OWNER, "", TpmRh.OWNER, 1).assertRc(TpmRc.HIERARCHY.handle(1));
        control(TpmRh.PLATFORM, "", TpmRh.OWNER, 1).okWithSessions(0);
        clockSet(tpm, TpmRh.OWNER, "").okWithSessions(0);
        assertEquals(SHENABLE, attributes(tpm)[1] & SHENABLE);
    }

    @Test
    void ownerAndEndorsementMayOnlyDisableThemselves() throws Exception {
        control(TpmRh.OWNER, "", TpmRh.ENDORSEMENT, 0).assertRc(TpmRc.AUTH_TYPE);
        control(TpmRh.ENDORSEMENT, "", TpmRh.OWNER, 0).assertRc(TpmRc.AUTH_TYPE);
        control(TpmRh.OWNER, "", TpmRh.PLATFORM, 0).assertRc(TpmRc.AUTH_TYPE);
        control(TpmRh.ENDORSEMENT, "", TpmRh.PLATFORM_NV, 0).assertRc(TpmRc.AUTH_TYPE);
        control(TpmRh.OWNER, "", TpmRh.OWNER, 1).okWithSessions(0);
        control(TpmRh.ENDORSEMENT, "", TpmRh.ENDORSEMENT, 0).okWithSessions(0);
        clockSet(tpm, TpmRh.ENDORSEMENT, "").assertRc(TpmRc.VALUE.handle(1));
        assertEquals(0, attributes(tpm)[1] & EHENABLE);
    }

    @Test
    void badEnableOrStateIsValue() throws Exception {
        control(TpmRh.PLATFORM, "", TpmRh.NULL, 0).assertRc(TpmRc.VALUE.parameter(1));
        control(TpmRh.PLATFORM, "", TpmRh.LOCKOUT, 0).assertRc(TpmRc.VALUE.parameter(1));
        control(TpmRh.PLATFORM, "", TpmRh.OWNER, 2).assertRc(TpmRc.VALUE.parameter(2));
        control(TpmRh.LOCKOUT, "", TpmRh.OWNER, 0).assertRc(TpmRc.VALUE.handle(1));
    }

    @Test
    void platformDisablesItselfUntilTheNextStartup() throws Exception {
        control(TpmRh.PLATFORM, "", TpmRh.PLATFORM_NV, 0).okWithSessions(0);
        control(TpmRh.PLATFORM, "", TpmRh.PLATFORM, 0).okWithSessions(0);
        assertEquals(0, attributes(tpm)[1] & (PHENABLE | PHENABLENV));
        clockSet(tpm, TpmRh.PLATFORM, "").assertRc(TpmRc.HIERARCHY.handle(1));
        powerCycle(tpm, true);
        assertEquals(PHENABLE | SHENABLE | EHENABLE | PHENABLENV, attributes(tpm)[1] & 0xF);
    }

    @Test
    void phEnableIsSetEvenOnResume() throws Exception {
        control(TpmRh.PLATFORM, "", TpmRh.OWNER, 0).okWithSessions(0);
        control(TpmRh.PLATFORM, "", TpmRh.PLATFORM, 0).okWithSessions(0);
        run(tpm, Command.of(TpmCc.Shutdown).u16(TpmSu.STATE)).ok();
        tpm.stop();
        tpm.init();
        run(tpm, Command.of(TpmCc.Startup).u16(TpmSu.STATE)).ok();
        assertEquals(PHENABLE | EHENABLE | PHENABLENV, attributes(tpm)[1] & 0xF, "shEnable stays clear on Resume");
    }

    @Test
    void hierarchyControlAfterShutdownMakesItDisorderly() throws Exception {
        run(tpm, Command.of(TpmCc.Shutdown).u16(TpmSu.STATE)).ok();
        control(TpmRh.PLATFORM, "", TpmRh.OWNER, 0).okWithSessions(0);
        tpm.stop();
        tpm.init();
        run(tpm, Command.of(TpmCc.Startup).u16(TpmSu.STATE)).assertRc(TpmRc.VALUE.parameter(1));
        run(tpm, Command.of(TpmCc.Startup).u16(TpmSu.CLEAR)).ok();
        assertEquals(0, attributes(tpm)[1] & (1 << 31), "TPMA_STARTUP_CLEAR.orderly: not after a disorderly shutdown");
        powerCycle(tpm, true);
        assertEquals(1 << 31, attributes(tpm)[1] & (1 << 31), "TPMA_STARTUP_CLEAR.orderly after an orderly one");
    }

    /** A loaded object of a given hierarchy, standing in for keys. */
    private static final class HierarchyObject extends LoadedObject {
        private final int hierarchy;

        HierarchyObject(int hierarchy) {
            super(new byte[0]);
            this.hierarchy = hierarchy;
        }

        @Override
        public int hierarchy() {
            return hierarchy;
        }

        @Override
        public boolean daExempt() {
            return true;
        }
    }

    private int load(int hierarchy) throws Exception {
        return ((TpmEngine) tpm).objects().load(new HierarchyObject(hierarchy));
    }

    private boolean loaded(int handle) {
        return ((TpmEngine) tpm).objects().get(handle) != null;
    }

    @Test
    void objectsOfADisabledOrRenewedHierarchyAreFlushed() throws Exception {
        int owner = load(TpmRh.OWNER);
        int endorsement = load(TpmRh.ENDORSEMENT);
        int platform = load(TpmRh.PLATFORM);
        control(TpmRh.PLATFORM, "", TpmRh.PLATFORM_NV, 0).okWithSessions(0);
        control(TpmRh.ENDORSEMENT, "", TpmRh.ENDORSEMENT, 0).okWithSessions(0);
        assertTrue(loaded(owner) && !loaded(endorsement) && loaded(platform));
        run(tpm, Command.of(TpmCc.ChangePPS).handle(TpmRh.PLATFORM).emptyAuth()).okWithSessions(0);
        assertFalse(loaded(platform));
        int sequence = run(tpm, Command.of(TpmCc.HashSequenceStart).tpm2b(new byte[0]).u16(TpmAlg.SHA256.id()))
                .ok().u32();
        clear(TpmRh.PLATFORM, "").okWithSessions(0);
        assertFalse(loaded(owner));
        assertTrue(loaded(sequence), "sequences belong to no hierarchy");
        int endorsementAgain = load(TpmRh.ENDORSEMENT);
        run(tpm, Command.of(TpmCc.ChangeEPS).handle(TpmRh.PLATFORM).emptyAuth()).okWithSessions(0);
        assertFalse(loaded(endorsementAgain));
    }

    @Test
    void persistentObjectsGoWithTheirHierarchy() throws Exception {
        int owner = TestObjects.createPrimary(tpm, TpmRh.OWNER, TestObjects.eccStorage(3)).handle();
        int platform = TestObjects.createPrimary(tpm, TpmRh.PLATFORM, TestObjects.eccStorage(3)).handle();
        run(tpm, EvictControlTest.evict(TpmRh.OWNER, owner, 0x81000001)).ok();
        run(tpm, EvictControlTest.evict(TpmRh.PLATFORM, platform, 0x81800001)).ok();
        control(TpmRh.OWNER, "", TpmRh.OWNER, 0).okWithSessions(0);
        assertFalse(loaded(owner), "a disabled hierarchy's loaded objects are flushed");
        run(tpm, Command.of(TpmCc.ReadPublic).handle(0x81000001)).assertRc(TpmRc.HANDLE.handle(1));
        control(TpmRh.PLATFORM, "", TpmRh.OWNER, 1).okWithSessions(0);
        run(tpm, Command.of(TpmCc.ReadPublic).handle(0x81000001)).ok();
        clear(TpmRh.PLATFORM, "").okWithSessions(0);
        assertArrayEquals(new int[] {0x81800001}, EvictControlTest.persistentHandles(tpm), "Clear removes owner's");
        assertTrue(loaded(platform));
        run(tpm, Command.of(TpmCc.ChangePPS).handle(TpmRh.PLATFORM).emptyAuth()).okWithSessions(0);
        assertFalse(loaded(platform));
        assertArrayEquals(new int[0], EvictControlTest.persistentHandles(tpm));
        assertEquals(0, permanent(rebuild(tpm, time)).persistentObjects.size(), "persisted");
    }

    // ---- SetPrimaryPolicy

    @Test
    void primaryPolicyMustMatchItsHashAndIsPersisted() throws Exception {
        byte[] digest = new byte[32];
        Arrays.fill(digest, (byte) 7);
        setPolicy(TpmRh.OWNER, digest, TpmAlg.SHA256.id()).okWithSessions(0);
        setPolicy(TpmRh.LOCKOUT, new byte[48], TpmAlg.SHA384.id()).okWithSessions(0);
        setPolicy(TpmRh.PLATFORM, new byte[32], TpmAlg.SHA256.id()).okWithSessions(0);
        setPolicy(TpmRh.ENDORSEMENT, new byte[20], TpmAlg.SHA256.id()).assertRc(TpmRc.SIZE.parameter(1));
        setPolicy(TpmRh.ENDORSEMENT, new byte[1], TpmAlg.NULL.id()).assertRc(TpmRc.SIZE.parameter(1));
        setPolicy(TpmRh.ENDORSEMENT, new byte[32], 0x0099).assertRc(TpmRc.HASH.parameter(2));
        setPolicy(TpmRh.NULL, new byte[0], TpmAlg.NULL.id()).assertRc(TpmRc.VALUE.handle(1));
        assertEquals(TpmAlg.SHA256.id(), ((TpmEngine) tpm).runtime().platformPolicy.hashAlg());
        PermanentState p = permanent(rebuild(tpm, time));
        assertEquals(TpmAlg.SHA256.id(), p.ownerPolicy.hashAlg());
        assertArrayEquals(digest, p.ownerPolicy.digest());
        assertEquals(TpmAlg.SHA384.id(), p.lockoutPolicy.hashAlg());
        setPolicy(TpmRh.OWNER, new byte[0], TpmAlg.NULL.id()).okWithSessions(0);
        assertEquals(0, permanent(tpm).ownerPolicy.digest().length);
        assertEquals(TpmAlg.NULL.id(), permanent(tpm).ownerPolicy.hashAlg());
    }

    // ---- Clear and ClearControl

    @Test
    void clearRenewsTheOwnerProofAndResetsOwnerState() throws Exception {
        byte[] ownerTicket = hashTicket(tpm, TpmRh.OWNER);
        byte[] endorsementTicket = hashTicket(tpm, TpmRh.ENDORSEMENT);
        byte[] platformTicket = hashTicket(tpm, TpmRh.PLATFORM);
        byte[] storageSeed = permanent(tpm).storageSeed.clone();
        byte[] endorsementSeed = permanent(tpm).endorsementSeed.clone();
        setPolicy(TpmRh.OWNER, new byte[32], TpmAlg.SHA256.id()).okWithSessions(0);
        setPolicy(TpmRh.LOCKOUT, new byte[32], TpmAlg.SHA256.id()).okWithSessions(0);
        changeAuth(tpm, TpmRh.OWNER, "", "o").okWithSessions(0);
        changeAuth(tpm, TpmRh.ENDORSEMENT, "", "e").okWithSessions(0);
        changeAuth(tpm, TpmRh.LOCKOUT, "", "l").okWithSessions(0);
        daParameters(tpm, "l", 10, 20, 30).okWithSessions(0);
        clockSet(tpm, TpmRh.OWNER, "o").okWithSessions(0);
        control(TpmRh.OWNER, "o", TpmRh.OWNER, 0).okWithSessions(0);
        assertTrue(clock(tpm) >= 1000);

        clear(TpmRh.LOCKOUT, "l").okWithSessions(0);

        assertFalse(Arrays.equals(ownerTicket, hashTicket(tpm, TpmRh.OWNER)), "new storage proof");
        assertFalse(Arrays.equals(endorsementTicket, hashTicket(tpm, TpmRh.ENDORSEMENT)), "new endorsement proof");
        assertArrayEquals(platformTicket, hashTicket(tpm, TpmRh.PLATFORM), "platform proof kept");
        PermanentState p = permanent(tpm);
        assertFalse(Arrays.equals(storageSeed, p.storageSeed), "new storage seed");
        assertArrayEquals(endorsementSeed, p.endorsementSeed, "endorsement seed kept");
        assertEquals(0, p.ownerAuth.length + p.endorsementAuth.length + p.lockoutAuth.length);
        assertEquals(PermanentState.Policy.NONE, p.ownerPolicy);
        assertEquals(PermanentState.Policy.NONE, p.lockoutPolicy);
        assertEquals(3, p.maxTries);
        assertEquals(1000, p.recoveryTime);
        assertEquals(1000, p.lockoutRecovery);
        assertEquals(0, p.resetCount);
        assertEquals(0, p.restartCount);
        assertTrue(clock(tpm) < 1000, "Clock restarts at zero");
        clockSet(tpm, TpmRh.OWNER, "").okWithSessions(0);
        clockSet(tpm, TpmRh.ENDORSEMENT, "").assertRc(TpmRc.VALUE.handle(1));
        assertEquals(SHENABLE | EHENABLE, attributes(tpm)[1] & (SHENABLE | EHENABLE));
        assertEquals(0, attributes(tpm)[0] & 0b111, "no hierarchy auth set");
    }

    @Test
    void clearRemovesOwnerNvIndicesOnly() throws Exception {
        int platformCreated = Nv.OWNER_RW | TpmaNv.PPWRITE | TpmaNv.PPREAD | TpmaNv.PLATFORMCREATE;
        run(tpm, Nv.define(TpmRh.OWNER, Nv.NONE, 0x01000001, Nv.OWNER_RW, 8)).okWithSessions(0);
        run(tpm, Nv.define(TpmRh.PLATFORM, Nv.NONE, 0x01000002, platformCreated, 8)).okWithSessions(0);
        run(tpm, Command.of(TpmCc.ChangePPS).handle(TpmRh.PLATFORM).emptyAuth()).okWithSessions(0);
        assertEquals(2, permanent(tpm).nv.size(), "ChangePPS keeps NV indices");
        clear(TpmRh.PLATFORM, "").okWithSessions(0);
        run(tpm, Nv.readPublic(0x01000001)).assertRc(TpmRc.HANDLE.handle(1));
        run(tpm, Nv.readPublic(0x01000002)).ok();
        assertEquals(1, permanent(rebuild(tpm, time)).nv.size(), "persisted");
    }

    @Test
    void clearIsPersisted() throws Exception {
        changeAuth(tpm, TpmRh.OWNER, "", "o").okWithSessions(0);
        byte[] before = hashTicket(tpm, TpmRh.OWNER);
        clear(TpmRh.PLATFORM, "").okWithSessions(0);
        byte[] after = hashTicket(tpm, TpmRh.OWNER);
        Tpm again = rebuild(tpm, time);
        assertArrayEquals(after, hashTicket(again, TpmRh.OWNER));
        assertFalse(Arrays.equals(before, after));
        clockSet(again, TpmRh.OWNER, "").okWithSessions(0);
    }

    @Test
    void clearNeedsLockoutOrPlatform() throws Exception {
        clear(TpmRh.OWNER, "").assertRc(TpmRc.VALUE.handle(1));
        clear(TpmRh.ENDORSEMENT, "").assertRc(TpmRc.VALUE.handle(1));
        run(tpm, Command.of(TpmCc.Clear).handle(TpmRh.LOCKOUT)).assertRc(TpmRc.AUTH_MISSING);
    }

    @Test
    void clearControlDisablesClear() throws Exception {
        clearControl(TpmRh.LOCKOUT, 1).okWithSessions(0);
        assertEquals(1 << 8, attributes(tpm)[0] & (1 << 8), "TPMA_PERMANENT.disableClear");
        clear(TpmRh.LOCKOUT, "").assertRc(TpmRc.DISABLED);
        clear(TpmRh.PLATFORM, "").assertRc(TpmRc.DISABLED);
        clearControl(TpmRh.LOCKOUT, 0).assertRc(TpmRc.AUTH_FAIL);
        clearControl(TpmRh.PLATFORM, 2).assertRc(TpmRc.VALUE.parameter(1));
        assertTrue(permanent(rebuild(tpm, time)).disableClear, "persisted");
        clearControl(TpmRh.PLATFORM, 0).okWithSessions(0);
        assertEquals(0, attributes(tpm)[0] & (1 << 8));
        clear(TpmRh.LOCKOUT, "").okWithSessions(0);
    }

    // ---- ChangePPS and ChangeEPS

    @Test
    void changePpsRenewsThePlatformSeedAndProof() throws Exception {
        byte[] platformTicket = hashTicket(tpm, TpmRh.PLATFORM);
        byte[] ownerTicket = hashTicket(tpm, TpmRh.OWNER);
        byte[] seed = permanent(tpm).platformSeed.clone();
        setPolicy(TpmRh.PLATFORM, new byte[32], TpmAlg.SHA256.id()).okWithSessions(0);
        run(tpm, Command.of(TpmCc.ChangePPS).handle(TpmRh.PLATFORM).emptyAuth()).okWithSessions(0);
        byte[] after = hashTicket(tpm, TpmRh.PLATFORM);
        assertFalse(Arrays.equals(platformTicket, after));
        assertFalse(Arrays.equals(seed, permanent(tpm).platformSeed));
        assertArrayEquals(ownerTicket, hashTicket(tpm, TpmRh.OWNER));
        assertEquals(0, ((TpmEngine) tpm).runtime().platformPolicy.digest().length);
        assertArrayEquals(after, hashTicket(rebuild(tpm, time), TpmRh.PLATFORM), "persisted");
        run(tpm, Command.of(TpmCc.ChangePPS).handle(TpmRh.OWNER).emptyAuth()).assertRc(TpmRc.VALUE.handle(1));
    }

    @Test
    void changeEpsRenewsTheEndorsementSeedAndResetsItsAuth() throws Exception {
        byte[] ticket = hashTicket(tpm, TpmRh.ENDORSEMENT);
        byte[] seed = permanent(tpm).endorsementSeed.clone();
        changeAuth(tpm, TpmRh.ENDORSEMENT, "", "e").okWithSessions(0);
        control(TpmRh.ENDORSEMENT, "e", TpmRh.ENDORSEMENT, 0).okWithSessions(0);
        run(tpm, Command.of(TpmCc.ChangeEPS).handle(TpmRh.PLATFORM).emptyAuth()).okWithSessions(0);
        assertFalse(Arrays.equals(ticket, hashTicket(tpm, TpmRh.ENDORSEMENT)));
        assertFalse(Arrays.equals(seed, permanent(tpm).endorsementSeed));
        assertEquals(0, permanent(tpm).endorsementAuth.length);
        assertEquals(EHENABLE, attributes(tpm)[1] & EHENABLE);
        assertFalse(Arrays.equals(seed, permanent(rebuild(tpm, time)).endorsementSeed), "persisted");
    }

    @Test
    void commandsAreListedWithTheirAttributes() throws Exception {
        TpmEngine engine = (TpmEngine) tpm;
        assertEquals(0x0C00126 | (1 << 25), engine.table().get(TpmCc.Clear.code()).tpmaCc());
        assertEquals(0x0400129 | (1 << 25), engine.table().get(TpmCc.HierarchyChangeAuth.code()).tpmaCc());
    }
}
