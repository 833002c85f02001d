package org.jswtpm.core.command;

import static org.jswtpm.core.command.PolicyTrialDigestTest.getDigest;
import static org.jswtpm.core.command.PolicyTrialDigestTest.nvName;
import static org.jswtpm.core.command.PolicyTrialDigestTest.sha;
import static org.jswtpm.core.command.PolicyTrialDigestTest.u16;
import static org.jswtpm.core.testing.SessionClient.CONTINUE;
import static org.jswtpm.core.testing.SessionClient.cat;
import static org.jswtpm.core.testing.SessionClient.u32;
import static org.jswtpm.core.testing.TestTpm.run;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.jswtpm.core.Tpm;
import org.jswtpm.core.marshal.TpmReader;
import org.jswtpm.core.testing.Command;
import org.jswtpm.core.testing.SessionClient;
import org.jswtpm.core.testing.TestObjects;
import org.jswtpm.core.testing.TestTpm;
import org.jswtpm.core.types.TpmAlg;
import org.jswtpm.core.types.TpmCc;
import org.jswtpm.core.types.TpmRc;
import org.jswtpm.core.types.TpmRh;
import org.jswtpm.core.types.TpmSt;
import org.jswtpm.core.types.TpmSu;
import org.jswtpm.core.types.TpmaNv;
import org.junit.jupiter.api.Test;

/**
 * Part 3, 23 in policy sessions: each assertion's condition checked when it runs or when the session
 * authorizes a command (Part 1, 19.7), with the expected digests computed from the formulas.
 */
class PolicyEnforcementTest {
    static final byte[] ZERO = new byte[32];
    static final byte[] NONE = new byte[0];
    static final long NEW_CLOCK = 1_000_000_000L;

    /** ClockSet(owner, newTime) authorized by policy session {@code p}. */
    static Command clockSet(SessionClient p, long newTime) {
        return Command.of(TpmCc.ClockSet).handle(TpmRh.OWNER).auth(p.handle, p.nonceCaller, CONTINUE, NONE)
                .u64(newTime);
    }

    static Command unseal(int object, SessionClient p) {
        return Command.of(TpmCc.Unseal).handle(object).auth(p.handle, p.nonceCaller, CONTINUE, NONE);
    }

    static Command policySecret(int authHandle, SessionClient p, byte[] nonce, byte[] cpHash, byte[] ref,
            int expiration) {
        return Command.of(TpmCc.PolicySecret).handle(authHandle).handle(p.handle).emptyAuth().tpm2b(nonce)
                .tpm2b(cpHash).tpm2b(ref).u32(expiration);
    }

    static int sealedObject(Tpm tpm, byte[] policy, byte[] secret) throws Exception {
        int parent = TestObjects.createPrimary(tpm, TpmRh.OWNER, TestObjects.eccStorage(3)).handle();
        byte[] template = SealedToPolicyTest.sealedWithPolicy(policy);
        return TestObjects.load(tpm, parent, TestObjects.create(tpm, parent, template, NONE, secret));
    }

    static void extend16(Tpm tpm) throws Exception {
        run(tpm, Command.of(TpmCc.PCR_Extend).handle(16).emptyAuth().u32(1).u16(TestObjects.SHA256)
                .bytes(new byte[32])).okWithSessions(0);
    }

    static byte[] pcrPolicy(Tpm tpm) throws Exception {
        return sha(ZERO, u32(0x17F), SealedToPolicyTest.PCR_16, sha(SealedToPolicyTest.pcr16(tpm)));
    }

    // ---- PolicyOR

    @Test
    void policyOrOverTwoPcrStatesUnseals() throws Exception {
        Tpm tpm = TestTpm.started();
        byte[] stateA = pcrPolicy(tpm);
        extend16(tpm);
        byte[] stateB = pcrPolicy(tpm);
        byte[] policy = sha(ZERO, u32(0x171), stateA, stateB);
        byte[] secret = "or over two PCR states".getBytes();
        int sealed = sealedObject(tpm, policy, secret);

        SessionClient p = SessionClient.policy(tpm, false);
        for (int round = 0; round < 2; round++) {
            run(tpm, Command.of(TpmCc.PolicyPCR).handle(p.handle).u16(0).bytes(SealedToPolicyTest.PCR_16)).ok();
            run(tpm, Command.of(TpmCc.PolicyOR).handle(p.handle).u32(2).tpm2b(stateA).tpm2b(stateB)).ok();
            assertArrayEquals(policy, getDigest(tpm, p.handle));
            assertArrayEquals(secret, run(tpm, unseal(sealed, p)).okWithSessions(0).tpm2b(128));
            // back to state A: PCR 16 is resettable
            run(tpm, Command.of(TpmCc.PCR_Reset).handle(16).emptyAuth()).okWithSessions(0);
        }

        // after a PCR_Extend the PCR is in a third state, in neither branch
        extend16(tpm);
        extend16(tpm);
        run(tpm, Command.of(TpmCc.PolicyRestart).handle(p.handle)).ok();
        run(tpm, Command.of(TpmCc.PolicyPCR).handle(p.handle).u16(0).bytes(SealedToPolicyTest.PCR_16)).ok();
        run(tpm, Command.of(TpmCc.PolicyOR).handle(p.handle).u32(2).tpm2b(stateA).tpm2b(stateB))
                .assertRc(TpmRc.VALUE.parameter(1));
    }

    /** TPML_PCR_SELECTION: SHA-256, PCR 7. */
    static final byte[] PCR_7 = cat(u32(1), new byte[] {0, 0x0B, 3, (byte) 0x80, 0, 0});

    @Test
    void systemdStyleSealSurvivesShutdownStateAndStartupState() throws Exception {
        Tpm tpm = TestTpm.started();
        run(tpm, Command.of(TpmCc.PCR_Extend).handle(7).emptyAuth().u32(1).u16(TestObjects.SHA256)
                .bytes(sha("secure boot".getBytes()))).okWithSessions(0);
        byte[] pcr7 = StartupTestSupport.read(tpm, TpmAlg.SHA256, 7);
        byte[] policy = sha(sha(ZERO, u32(0x17F), PCR_7, sha(pcr7)), u32(0x16B));
        byte[] pin = "1234".getBytes();
        byte[] secret = "disk key".getBytes();
        int parent = TestObjects.createPrimary(tpm, TpmRh.OWNER, TestObjects.eccStorage(3)).handle();
        TestObjects.Blob blob = TestObjects.create(tpm, parent, SealedToPolicyTest.sealedWithPolicy(policy), pin,
                secret);

        run(tpm, Command.of(TpmCc.Shutdown).u16(TpmSu.STATE)).ok();
        tpm.init();
        run(tpm, Command.of(TpmCc.Startup).u16(TpmSu.STATE)).ok();
        assertArrayEquals(pcr7, StartupTestSupport.read(tpm, TpmAlg.SHA256, 7), "PCR 7 is kept by TPM Resume");

        parent = TestObjects.createPrimary(tpm, TpmRh.OWNER, TestObjects.eccStorage(3)).handle();
        int sealed = TestObjects.load(tpm, parent, blob);
        byte[] name = TestObjects.readPublic(tpm, sealed)[1];
        SessionClient p = SessionClient.policy(tpm, false);
        run(tpm, Command.of(TpmCc.PolicyPCR).handle(p.handle).u16(0).bytes(PCR_7)).ok();
        run(tpm, Command.of(TpmCc.PolicyAuthValue).handle(p.handle)).ok();
        run(tpm, p.authorize(Command.of(TpmCc.Unseal).handle(sealed), CONTINUE, "4321".getBytes(), name))
                .assertRc(TpmRc.AUTH_FAIL.session(1));
        var r = run(tpm, p.authorize(Command.of(TpmCc.Unseal).handle(sealed), CONTINUE, pin, name));
        assertArrayEquals(secret, r.okWithSessions(0).tpm2b(128));
    }

    // ---- PolicySecret, tickets, expiration

    @Test
    void policySecretWithTheOwnerHierarchyAndItsTicket() throws Exception {
        Tpm tpm = TestTpm.started();
        byte[] ref = {1, 2, 3};
        byte[] policy = sha(sha(ZERO, u32(0x151), u32(TpmRh.OWNER)), ref);
        byte[] secret = "owner secret".getBytes();
        int sealed = sealedObject(tpm, policy, secret);

        SessionClient p = SessionClient.policy(tpm, false);
        TpmReader out = run(tpm, policySecret(TpmRh.OWNER, p, p.nonceTpm, NONE, ref, -600)).okWithSessions(0);
        byte[] timeout = out.tpm2b(8);
        assertEquals(8, timeout.length);
        long t = new TpmReader(timeout).u64();
        assertEquals(0, t & 0x8000000000000000L, "with nonceTPM the ticket survives a TPM Reset in principle");
        assertEquals(600_000, t, "600 s after the session started at TPM Time 0");
        assertEquals(TpmSt.AUTH_SECRET, out.u16());
        assertEquals(TpmRh.OWNER, out.u32());
        byte[] ticket = out.tpm2b(64);
        assertEquals(64, ticket.length);
        assertArrayEquals(policy, getDigest(tpm, p.handle));
        assertArrayEquals(secret, run(tpm, unseal(sealed, p)).okWithSessions(0).tpm2b(128));

        // the wrong nonceTPM
        run(tpm, policySecret(TpmRh.OWNER, p, new byte[32], NONE, ref, 0)).assertRc(TpmRc.NONCE.parameter(1));
        // the wrong owner password
        run(tpm, Command.of(TpmCc.PolicySecret).handle(TpmRh.OWNER).handle(p.handle).passwords("x".getBytes())
                .tpm2b(NONE).tpm2b(NONE).tpm2b(ref).u32(0)).assertRc(TpmRc.BAD_AUTH.session(1));

        // the ticket replays the assertion in another session
        SessionClient q = SessionClient.policy(tpm, false);
        Command replay = Command.of(TpmCc.PolicyTicket).handle(q.handle).tpm2b(timeout).tpm2b(NONE).tpm2b(ref)
                .tpm2b(u32(TpmRh.OWNER)).u16(TpmSt.AUTH_SECRET).u32(TpmRh.OWNER).tpm2b(ticket);
        run(tpm, replay).ok();
        assertArrayEquals(policy, getDigest(tpm, q.handle));
        assertArrayEquals(secret, run(tpm, unseal(sealed, q)).okWithSessions(0).tpm2b(128));

        byte[] forged = ticket.clone();
        forged[0] ^= 1;
        run(tpm, Command.of(TpmCc.PolicyTicket).handle(q.handle).tpm2b(timeout).tpm2b(NONE).tpm2b(ref)
                .tpm2b(u32(TpmRh.OWNER)).u16(TpmSt.AUTH_SECRET).u32(TpmRh.OWNER).tpm2b(forged))
                .assertRc(TpmRc.TICKET.parameter(5));
        run(tpm, Command.of(TpmCc.PolicyTicket).handle(q.handle).tpm2b(timeout).tpm2b(NONE).tpm2b(new byte[] {1})
                .tpm2b(u32(TpmRh.OWNER)).u16(TpmSt.AUTH_SECRET).u32(TpmRh.OWNER).tpm2b(ticket))
                .assertRc(TpmRc.TICKET.parameter(5));
        run(tpm, Command.of(TpmCc.PolicyTicket).handle(q.handle).tpm2b(timeout).tpm2b(NONE).tpm2b(ref)
                .tpm2b(u32(TpmRh.OWNER)).u16(TpmSt.AUTH_SIGNED).u32(TpmRh.OWNER).tpm2b(ticket))
                .assertRc(TpmRc.TICKET.parameter(5));
    }

    @Test
    void policySecretThroughAPolicySessionNeedsTheAuthValue() throws Exception {
        Tpm tpm = TestTpm.started();
        byte[] cc = sha(ZERO, u32(0x16C), u32(TpmCc.PolicySecret.code()));
        SessionClient p = SessionClient.policy(tpm, false);
        SessionClient q = SessionClient.policy(tpm, false);
        Command secret = Command.of(TpmCc.PolicySecret).handle(TpmRh.OWNER).handle(q.handle)
                .auth(p.handle, p.nonceCaller, CONTINUE, NONE).tpm2b(NONE).tpm2b(NONE).tpm2b(NONE).u32(0);
        PolicyCommandsTest.ownerPolicy(tpm, cc);
        run(tpm, Command.of(TpmCc.PolicyCommandCode).handle(p.handle).u32(TpmCc.PolicySecret.code())).ok();
        run(tpm, secret).assertRc(TpmRc.MODE.session(1));
        PolicyCommandsTest.ownerPolicy(tpm, sha(cc, u32(0x16B)));
        run(tpm, Command.of(TpmCc.PolicyAuthValue).handle(p.handle)).ok();
        run(tpm, secret).okWithSessions(0);
        assertArrayEquals(sha(sha(ZERO, u32(0x151), u32(TpmRh.OWNER)), NONE), getDigest(tpm, q.handle));
    }

    @Test
    void policySecretWithAPinPassIndexCountsAUseAndGivesNoTicket() throws Exception {
        Tpm tpm = TestTpm.started();
        byte[] pin = "pin".getBytes();
        run(tpm, Nv.define(Nv.OWNER, pin, NV_DATA, Nv.OWNER_RW | TpmaNv.AUTHREAD | TpmaNv.NO_DA
                | Nv.type(TpmaNv.NT_PIN_PASS), 8)).okWithSessions(0);
        run(tpm, Nv.write(Nv.OWNER, NV_DATA, NONE, cat(u32(0), u32(1)), 0)).okWithSessions(0);
        SessionClient p = SessionClient.policy(tpm, false);
        Command secret = Command.of(TpmCc.PolicySecret).handle(NV_DATA).handle(p.handle).passwords(pin)
                .tpm2b(NONE).tpm2b(NONE).tpm2b(NONE).u32(-10);
        TpmReader out = run(tpm, secret).okWithSessions(0);
        assertEquals(0, out.tpm2b(8).length, "no timeout for a PIN Pass index");
        assertEquals(TpmSt.AUTH_SECRET, out.u16());
        assertEquals(TpmRh.NULL, out.u32(), "and a NULL ticket");
        assertArrayEquals(sha(sha(ZERO, u32(0x151), nvName(tpm, NV_DATA)), NONE), getDigest(tpm, p.handle));
        // pinCount reached pinLimit: the PIN no longer authorizes
        run(tpm, secret).assertRc(TpmRc.AUTH_UNAVAILABLE);
    }

    @Test
    void expiredPolicies() throws Exception {
        TestTpm.ManualTime time = new TestTpm.ManualTime();
        Tpm tpm = TestTpm.fresh(time);
        run(tpm, Command.of(TpmCc.Startup).u16(TpmSu.CLEAR)).ok();
        byte[] policy = sha(sha(ZERO, u32(0x151), u32(TpmRh.OWNER)), NONE);
        byte[] secret = "expires".getBytes();
        int sealed = sealedObject(tpm, policy, secret);

        SessionClient p = SessionClient.policy(tpm, false);
        run(tpm, policySecret(TpmRh.OWNER, p, p.nonceTpm, NONE, NONE, 10)).okWithSessions(0);
        time.advance(5_000);
        assertArrayEquals(secret, run(tpm, unseal(sealed, p)).okWithSessions(0).tpm2b(128));

        p = SessionClient.policy(tpm, false);
        time.advance(1_000);
        run(tpm, policySecret(TpmRh.OWNER, p, p.nonceTpm, NONE, NONE, 10)).okWithSessions(0);
        time.advance(10_500);
        run(tpm, unseal(sealed, p)).assertRc(TpmRc.EXPIRED.session(1));
        // 10.5 s after the session started, an expiration of 10 s from its start has passed already
        run(tpm, policySecret(TpmRh.OWNER, p, p.nonceTpm, NONE, NONE, 10)).assertRc(TpmRc.EXPIRED.parameter(4));
        // without nonceTPM the expiration counts in TPM Time: 1 s is long gone
        run(tpm, policySecret(TpmRh.OWNER, p, NONE, NONE, NONE, 1)).assertRc(TpmRc.EXPIRED.parameter(4));
        // the earliest timeout stays
        SessionClient q = SessionClient.policy(tpm, false);
        run(tpm, policySecret(TpmRh.OWNER, q, NONE, NONE, NONE, 100)).okWithSessions(0);
        time.advance(200_000);
        run(tpm, unseal(sealed, q)).assertRc(TpmRc.EXPIRED.session(1));

        // a ticket of a policy that expired is refused
        run(tpm, Command.of(TpmCc.FlushContext).u32(p.handle)).ok();
        run(tpm, Command.of(TpmCc.FlushContext).u32(q.handle)).ok();
        SessionClient r = SessionClient.policy(tpm, false);
        TpmReader out = run(tpm, policySecret(TpmRh.OWNER, r, r.nonceTpm, NONE, NONE, -2)).okWithSessions(0);
        byte[] timeout = out.tpm2b(8);
        out.u16();
        out.u32();
        byte[] ticket = out.tpm2b(64);
        time.advance(3_000);
        SessionClient s = SessionClient.policy(tpm, false);
        run(tpm, Command.of(TpmCc.PolicyTicket).handle(s.handle).tpm2b(timeout).tpm2b(NONE).tpm2b(NONE)
                .tpm2b(u32(TpmRh.OWNER)).u16(TpmSt.AUTH_SECRET).u32(TpmRh.OWNER).tpm2b(ticket))
                .assertRc(TpmRc.EXPIRED.parameter(1));
    }

    @Test
    void ticketsWithATimeoutEndWithThePowerCycle() throws Exception {
        Tpm tpm = TestTpm.started();
        SessionClient p = SessionClient.policy(tpm, false);
        TpmReader out = run(tpm, policySecret(TpmRh.OWNER, p, NONE, NONE, NONE, -1000)).okWithSessions(0);
        byte[] timeout = out.tpm2b(8);
        assertEquals(0x8000000000000000L, new TpmReader(timeout).u64() & 0x8000000000000000L,
                "without nonceTPM the ticket expires on TPM Reset");
        out.u16();
        out.u32();
        byte[] ticket = out.tpm2b(64);
        Command replay = Command.of(TpmCc.PolicyTicket).handle(0x03000001).tpm2b(timeout).tpm2b(NONE).tpm2b(NONE)
                .tpm2b(u32(TpmRh.OWNER)).u16(TpmSt.AUTH_SECRET).u32(TpmRh.OWNER).tpm2b(ticket);
        assertEquals(0x03000001, SessionClient.policy(tpm, false).handle);
        run(tpm, replay).ok();

        run(tpm, Command.of(TpmCc.Shutdown).u16(TpmSu.STATE)).ok();
        tpm.init();
        run(tpm, Command.of(TpmCc.Startup).u16(TpmSu.STATE)).ok();
        assertEquals(0x03000000, SessionClient.policy(tpm, false).handle);
        assertEquals(0x03000001, SessionClient.policy(tpm, false).handle);
        run(tpm, replay).assertRc(TpmRc.TICKET.parameter(5));
    }

    // ---- cpHash, nameHash, template

    @Test
    void policyCommandCodeAndCpHash() throws Exception {
        Tpm tpm = TestTpm.started();
        byte[] cpHash = sha(u32(TpmCc.ClockSet.code()), u32(TpmRh.OWNER), cat(u32(0), u32((int) NEW_CLOCK)));
        byte[] policy = sha(sha(ZERO, u32(0x16C), u32(TpmCc.ClockSet.code())), u32(0x16E), cpHash);
        PolicyCommandsTest.ownerPolicy(tpm, policy);

        SessionClient p = SessionClient.policy(tpm, false);
        run(tpm, Command.of(TpmCc.PolicyCommandCode).handle(p.handle).u32(TpmCc.ClockSet.code())).ok();
        run(tpm, Command.of(TpmCc.PolicyCpHash).handle(p.handle).tpm2b(cpHash)).ok();
        run(tpm, Command.of(TpmCc.PolicyCpHash).handle(p.handle).tpm2b(sha(cpHash))).assertRc(TpmRc.CPHASH);
        assertArrayEquals(policy, getDigest(tpm, p.handle));
        run(tpm, clockSet(p, NEW_CLOCK + 1)).assertRc(TpmRc.POLICY_FAIL.session(1));
        run(tpm, clockSet(p, NEW_CLOCK)).okWithSessions(0);

        // the command code is checked before the cpHash
        run(tpm, Command.of(TpmCc.PolicyCommandCode).handle(p.handle).u32(TpmCc.ClockRateAdjust.code())).ok();
        run(tpm, Command.of(TpmCc.PolicyCpHash).handle(p.handle).tpm2b(cpHash)).ok();
        run(tpm, clockSet(p, NEW_CLOCK)).assertRc(TpmRc.POLICY_FAIL.session(1));
        PolicyCommandsTest.ownerPolicy(tpm, getDigest(tpm, p.handle));
        run(tpm, clockSet(p, NEW_CLOCK)).assertRc(TpmRc.POLICY_CC.session(1));
    }

    @Test
    void policySecretWithCpHashALimitsTheCommand() throws Exception {
        Tpm tpm = TestTpm.started();
        byte[] cpHash = sha(u32(TpmCc.ClockSet.code()), u32(TpmRh.OWNER), cat(u32(0), u32((int) NEW_CLOCK)));
        PolicyCommandsTest.ownerPolicy(tpm, sha(sha(ZERO, u32(0x151), u32(TpmRh.OWNER)), NONE));
        SessionClient p = SessionClient.policy(tpm, false);
        run(tpm, policySecret(TpmRh.OWNER, p, NONE, cpHash, NONE, 0)).okWithSessions(0);
        run(tpm, policySecret(TpmRh.OWNER, p, NONE, sha(cpHash), NONE, 0)).assertRc(TpmRc.CPHASH);
        run(tpm, Command.of(TpmCc.PolicyNameHash).handle(p.handle).tpm2b(sha(NONE))).assertRc(TpmRc.CPHASH);
        run(tpm, clockSet(p, NEW_CLOCK + 1)).assertRc(TpmRc.POLICY_FAIL.session(1));
        run(tpm, clockSet(p, NEW_CLOCK)).okWithSessions(0);
    }

    @Test
    void policyNameHash() throws Exception {
        Tpm tpm = TestTpm.started();
        byte[] nameHash = sha(u32(TpmRh.OWNER));
        PolicyCommandsTest.ownerPolicy(tpm, sha(ZERO, u32(0x170), nameHash));
        run(tpm, Nv.define(Nv.OWNER, NONE, Nv.INDEX, Nv.OWNER_RW, 8)).okWithSessions(0);

        SessionClient p = SessionClient.policy(tpm, false);
        run(tpm, Command.of(TpmCc.PolicyNameHash).handle(p.handle).tpm2b(nameHash)).ok();
        run(tpm, Command.of(TpmCc.NV_UndefineSpace).handle(TpmRh.OWNER).handle(Nv.INDEX)
                .auth(p.handle, p.nonceCaller, CONTINUE, NONE)).assertRc(TpmRc.POLICY_FAIL.session(1));
        // a failed authorization leaves the session as it was
        run(tpm, Command.of(TpmCc.PolicyNameHash).handle(p.handle).tpm2b(nameHash)).assertRc(TpmRc.CPHASH);
        run(tpm, clockSet(p, NEW_CLOCK)).okWithSessions(0);
    }

    @Test
    void policyTemplate() throws Exception {
        Tpm tpm = TestTpm.started();
        byte[] template = TestObjects.hmacKey();
        byte[] templateHash = sha(Arrays.copyOfRange(template, 2, template.length));
        PolicyCommandsTest.ownerPolicy(tpm, sha(ZERO, u32(0x190), templateHash));

        SessionClient p = SessionClient.policy(tpm, false);
        run(tpm, Command.of(TpmCc.PolicyTemplate).handle(p.handle).tpm2b(templateHash)).ok();
        run(tpm, createPrimary(p, TestObjects.sealed())).assertRc(TpmRc.POLICY_FAIL.session(1));
        run(tpm, clockSet(p, NEW_CLOCK)).assertRc(TpmRc.POLICY_FAIL.session(1));
        run(tpm, createPrimary(p, template)).okWithSessions(1);
    }

    static Command createPrimary(SessionClient p, byte[] template) {
        return Command.of(TpmCc.CreatePrimary).handle(TpmRh.OWNER).auth(p.handle, p.nonceCaller, CONTINUE, NONE)
                .bytes(TestObjects.sensitive(NONE, NONE)).bytes(template).u16(0).u32(0);
    }

    // ---- locality, physical presence, counter/timer

    @Test
    void policyLocality() throws Exception {
        Tpm tpm = TestTpm.started();
        PolicyCommandsTest.ownerPolicy(tpm, sha(ZERO, u32(0x16F), new byte[] {0x08}));
        SessionClient p = SessionClient.policy(tpm, false);
        run(tpm, Command.of(TpmCc.PolicyLocality).handle(p.handle).u8(0x18)).ok();
        run(tpm, Command.of(TpmCc.PolicyLocality).handle(p.handle).u8(0x0C)).ok();
        run(tpm, Command.of(TpmCc.PolicyLocality).handle(p.handle).u8(0x01)).assertRc(TpmRc.RANGE.parameter(1));
        run(tpm, Command.of(TpmCc.PolicyLocality).handle(p.handle).u8(0x40)).assertRc(TpmRc.RANGE.parameter(1));
        run(tpm, Command.of(TpmCc.PolicyRestart).handle(p.handle)).ok();

        run(tpm, Command.of(TpmCc.PolicyLocality).handle(p.handle).u8(0x08)).ok();
        run(tpm, 0, clockSet(p, NEW_CLOCK)).assertRc(TpmRc.LOCALITY);
        run(tpm, 3, clockSet(p, NEW_CLOCK)).okWithSessions(0);
    }

    @Test
    void conditionsSurviveContextSaveAndLoad() throws Exception {
        Tpm tpm = TestTpm.started();
        byte[] cpHash = sha(u32(TpmCc.ClockSet.code()), u32(TpmRh.OWNER), cat(u32(0), u32((int) NEW_CLOCK)));
        PolicyCommandsTest.ownerPolicy(tpm, sha(sha(ZERO, u32(0x16F), new byte[] {0x08}), u32(0x16E), cpHash));
        SessionClient p = SessionClient.policy(tpm, false);
        run(tpm, Command.of(TpmCc.PolicyLocality).handle(p.handle).u8(0x08)).ok();
        run(tpm, Command.of(TpmCc.PolicyCpHash).handle(p.handle).tpm2b(cpHash)).ok();
        var saved = run(tpm, Command.of(TpmCc.ContextSave).handle(p.handle));
        byte[] context = Arrays.copyOfRange(saved.bytes, 10, saved.bytes.length);
        assertEquals(p.handle, run(tpm, Command.of(TpmCc.ContextLoad).bytes(context)).ok().u32());
        run(tpm, 0, clockSet(p, NEW_CLOCK)).assertRc(TpmRc.LOCALITY);
        run(tpm, 3, clockSet(p, NEW_CLOCK + 1)).assertRc(TpmRc.POLICY_FAIL.session(1));
        run(tpm, 3, clockSet(p, NEW_CLOCK)).okWithSessions(0);
    }

    @Test
    void policyPhysicalPresenceIsNeverSatisfied() throws Exception {
        Tpm tpm = TestTpm.started();
        PolicyCommandsTest.ownerPolicy(tpm, sha(ZERO, u32(0x187)));
        SessionClient p = SessionClient.policy(tpm, false);
        run(tpm, Command.of(TpmCc.PolicyPhysicalPresence).handle(p.handle)).ok();
        run(tpm, clockSet(p, NEW_CLOCK)).assertRc(TpmRc.PP.session(1));
    }

    @Test
    void policyCounterTimer() throws Exception {
        Tpm tpm = TestTpm.started();
        TpmReader clock = run(tpm, Command.of(TpmCc.ReadClock)).ok();
        clock.u64();
        clock.u64();
        int resetCount = clock.u32();
        SessionClient p = SessionClient.policy(tpm, false);
        // resetCount (offset 16) == 0, safe (offset 24) == 1, Time (offset 0) < 1 hour
        run(tpm, Command.of(TpmCc.PolicyCounterTimer).handle(p.handle).tpm2b(u32(resetCount)).u16(16).u16(0)).ok();
        run(tpm, Command.of(TpmCc.PolicyCounterTimer).handle(p.handle).tpm2b(new byte[] {1}).u16(24).u16(0)).ok();
        run(tpm, Command.of(TpmCc.PolicyCounterTimer).handle(p.handle).tpm2b(cat(u32(0), u32(3_600_000)))
                .u16(0).u16(5)).ok();
        run(tpm, Command.of(TpmCc.PolicyCounterTimer).handle(p.handle).tpm2b(u32(resetCount + 1)).u16(16).u16(0))
                .assertRc(TpmRc.POLICY);
        byte[] args = sha(u32(resetCount), u16(16), u16(0));
        byte[] d1 = sha(ZERO, u32(0x16D), args);
        byte[] d2 = sha(d1, u32(0x16D), sha(new byte[] {1}, u16(24), u16(0)));
        byte[] d3 = sha(d2, u32(0x16D), sha(cat(u32(0), u32(3_600_000)), u16(0), u16(5)));
        assertArrayEquals(d3, getDigest(tpm, p.handle));
    }

    // ---- NV

    static final int NV_DATA = 0x01000020;

    @Test
    void policyNvComparisons() throws Exception {
        Tpm tpm = TestTpm.started();
        run(tpm, Nv.define(Nv.OWNER, NONE, NV_DATA, Nv.OWNER_RW, 4)).okWithSessions(0);
        SessionClient p = SessionClient.policy(tpm, false);
        run(tpm, nv(p, new byte[] {0}, 0, 0)).assertRc(TpmRc.NV_UNINITIALIZED);
        run(tpm, Nv.write(Nv.OWNER, NV_DATA, NONE, new byte[] {0x00, 0x10, (byte) 0xF0, 0x05}, 0)).okWithSessions(0);

        byte[] digest = ZERO;
        byte[] name = nvName(tpm, NV_DATA);
        Object[][] pass = {
            {new byte[] {0x00, 0x10}, 0, 0}, // EQ
            {new byte[] {0x00, 0x11}, 0, 1}, // NEQ
            {new byte[] {(byte) 0x80}, 2, 2}, // 0xF0 > 0x80 signed (-16 > -128)
            {new byte[] {0x04}, 3, 3}, // 0x05 > 0x04 unsigned
            {new byte[] {0x01}, 2, 4}, // 0xF0 < 0x01 signed
            {new byte[] {0x06}, 3, 5},
            {new byte[] {0x05}, 3, 6},
            {new byte[] {(byte) 0xF0}, 2, 7},
            {new byte[] {0x05}, 3, 8},
            {new byte[] {0x05}, 3, 9},
            {new byte[] {(byte) 0xC0}, 2, 10}, // BITSET
            {new byte[] {0x0F}, 2, 11}, // BITCLEAR
        };
        for (Object[] c : pass) {
            byte[] operand = (byte[]) c[0];
            run(tpm, nv(p, operand, (int) c[1], (int) c[2])).okWithSessions(0);
            digest = sha(digest, u32(0x149), sha(operand, u16((int) c[1]), u16((int) c[2])), name);
        }
        assertArrayEquals(digest, getDigest(tpm, p.handle));

        run(tpm, nv(p, new byte[] {0x00, 0x11}, 0, 0)).assertRc(TpmRc.POLICY);
        run(tpm, nv(p, new byte[] {(byte) 0xF0}, 2, 3)).assertRc(TpmRc.POLICY); // not > itself
        run(tpm, nv(p, new byte[] {0x01}, 2, 2)).assertRc(TpmRc.POLICY); // -16 > 1 signed is false
        run(tpm, nv(p, new byte[] {0x0F}, 3, 10)).assertRc(TpmRc.POLICY);
        run(tpm, nv(p, new byte[] {0x01}, 3, 11)).assertRc(TpmRc.POLICY);
        run(tpm, nv(p, new byte[] {0}, 5, 0)).assertRc(TpmRc.VALUE.parameter(2));
        run(tpm, nv(p, new byte[] {0, 0}, 3, 0)).assertRc(TpmRc.SIZE.parameter(1));
        run(tpm, nv(p, new byte[] {0}, 0, 12)).assertRc(TpmRc.VALUE.parameter(3));
    }

    static Command nv(SessionClient p, byte[] operand, int offset, int operation) {
        return Command.of(TpmCc.PolicyNV).handle(Nv.OWNER).handle(NV_DATA).handle(p.handle).emptyAuth()
                .tpm2b(operand).u16(offset).u16(operation);
    }

    @Test
    void operandComparisons() {
        byte[] a = {(byte) 0xFF, 0x00};
        assertTrue(PolicyOperandCommands.holds(4, a, 0, new byte[] {0, 0})); // -256 < 0 signed
        assertTrue(PolicyOperandCommands.holds(3, a, 0, new byte[] {0, 0})); // 0xFF00 > 0 unsigned
        assertFalse(PolicyOperandCommands.holds(2, a, 0, new byte[] {0x7F, 0}));
        assertTrue(PolicyOperandCommands.holds(0, a, 0, new byte[0]));
        assertTrue(PolicyOperandCommands.holds(8, new byte[] {(byte) 0x80}, 0, new byte[] {(byte) 0x80}));
    }

    @Test
    void policyNvWrittenMakesAWriteOnceIndex() throws Exception {
        Tpm tpm = TestTpm.started();
        byte[] policy = sha(sha(ZERO, u32(0x18F), new byte[] {0}), u32(0x16C), u32(TpmCc.NV_Write.code()));
        run(tpm, Nv.define(Nv.OWNER, NONE, Nv.publicArea(NV_DATA, TpmAlg.SHA256,
                TpmaNv.POLICYWRITE | TpmaNv.AUTHREAD, policy, 4))).okWithSessions(0);
        SessionClient p = SessionClient.policy(tpm, false);
        for (int i = 0; i < 2; i++) {
            run(tpm, Command.of(TpmCc.PolicyNvWritten).handle(p.handle).u8(0)).ok();
            run(tpm, Command.of(TpmCc.PolicyCommandCode).handle(p.handle).u32(TpmCc.NV_Write.code())).ok();
            var r = run(tpm, Command.of(TpmCc.NV_Write).handle(NV_DATA).handle(NV_DATA)
                    .auth(p.handle, p.nonceCaller, CONTINUE, NONE).tpm2b(new byte[] {1, 2, 3, 4}).u16(0));
            if (i == 0) {
                r.okWithSessions(0);
            } else {
                r.assertRc(TpmRc.POLICY_FAIL.session(1));
            }
        }
        run(tpm, Command.of(TpmCc.PolicyRestart).handle(p.handle)).ok();
        run(tpm, Command.of(TpmCc.PolicyNvWritten).handle(p.handle).u8(1)).ok();
        run(tpm, Command.of(TpmCc.PolicyNvWritten).handle(p.handle).u8(0)).assertRc(TpmRc.VALUE.parameter(1));
        run(tpm, Command.of(TpmCc.PolicyRestart).handle(p.handle)).ok();
        // an entity that is not an NV index fails the assertion
        PolicyCommandsTest.ownerPolicy(tpm, sha(ZERO, u32(0x18F), new byte[] {1}));
        run(tpm, Command.of(TpmCc.PolicyNvWritten).handle(p.handle).u8(1)).ok();
        run(tpm, clockSet(p, NEW_CLOCK)).assertRc(TpmRc.POLICY_FAIL.session(1));
    }

    @Test
    void policyAuthorizeNvTakesThePolicyFromTheIndex() throws Exception {
        Tpm tpm = TestTpm.started();
        byte[] approved = sha(ZERO, u32(0x16C), u32(TpmCc.ClockSet.code()));
        run(tpm, Nv.define(Nv.OWNER, NONE, NV_DATA, Nv.OWNER_RW, 34)).okWithSessions(0);
        run(tpm, Nv.write(Nv.OWNER, NV_DATA, NONE, cat(u16(0x000B), approved), 0)).okWithSessions(0);
        PolicyCommandsTest.ownerPolicy(tpm, sha(ZERO, u32(0x192), nvName(tpm, NV_DATA)));

        SessionClient p = SessionClient.policy(tpm, false);
        run(tpm, Command.of(TpmCc.PolicyCommandCode).handle(p.handle).u32(TpmCc.ClockSet.code())).ok();
        run(tpm, authorizeNv(p)).okWithSessions(0);
        run(tpm, clockSet(p, NEW_CLOCK)).okWithSessions(0);

        run(tpm, Command.of(TpmCc.PolicyCommandCode).handle(p.handle).u32(TpmCc.ClockRateAdjust.code())).ok();
        run(tpm, authorizeNv(p)).assertRc(TpmRc.VALUE);
        run(tpm, Nv.write(Nv.OWNER, NV_DATA, NONE, u16(0x0004), 0)).okWithSessions(0);
        run(tpm, Command.of(TpmCc.PolicyRestart).handle(p.handle)).ok();
        run(tpm, authorizeNv(p)).assertRc(TpmRc.HASH);
    }

    static Command authorizeNv(SessionClient p) {
        return Command.of(TpmCc.PolicyAuthorizeNV).handle(Nv.OWNER).handle(NV_DATA).handle(p.handle).emptyAuth();
    }

    @Test
    void policyDuplicationSelectLimitsToDuplicate() throws Exception {
        Tpm tpm = TestTpm.started();
        SessionClient p = SessionClient.policy(tpm, false);
        byte[] object = cat(u16(0x000B), PolicyTrialDigestTest.A);
        byte[] parent = cat(u16(0x000B), PolicyTrialDigestTest.B);
        run(tpm, Command.of(TpmCc.PolicyDuplicationSelect).handle(p.handle).tpm2b(object).tpm2b(parent).u8(1)).ok();
        PolicyCommandsTest.ownerPolicy(tpm, getDigest(tpm, p.handle));
        run(tpm, clockSet(p, NEW_CLOCK)).assertRc(TpmRc.POLICY_CC.session(1));
        run(tpm, Command.of(TpmCc.PolicyDuplicationSelect).handle(p.handle).tpm2b(object).tpm2b(parent).u8(2))
                .assertRc(TpmRc.VALUE.parameter(3));
        run(tpm, Command.of(TpmCc.PolicyRestart).handle(p.handle)).ok();
        run(tpm, Command.of(TpmCc.PolicyDuplicationSelect).handle(p.handle).tpm2b(object).tpm2b(parent).u8(1)).ok();
        assertArrayEquals(sha(ZERO, u32(0x188), object, parent, new byte[] {1}), getDigest(tpm, p.handle));
    }
}
