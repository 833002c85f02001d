package org.jswtpm.core.command;

import static org.jswtpm.core.testing.SessionClient.cat;
import static org.jswtpm.core.testing.SessionClient.digest;
import static org.jswtpm.core.testing.SessionClient.u32;
import static org.jswtpm.core.testing.TestTpm.run;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.nio.charset.StandardCharsets;
import org.jswtpm.core.Tpm;
import org.jswtpm.core.testing.Command;
import org.jswtpm.core.testing.SessionClient;
import org.jswtpm.core.testing.TestTpm;
import org.jswtpm.core.types.TpmCc;
import org.jswtpm.core.types.TpmRc;
import org.jswtpm.core.types.TpmRh;
import org.jswtpm.core.types.TpmSt;
import org.jswtpm.core.types.TpmaNv;
import org.junit.jupiter.api.Test;

/**
 * Part 3, 23: the trial-session digest of every chapter 23 assertion added after the first six,
 * each computed here from its section's formula with the JDK's SHA-256.
 */
class PolicyTrialDigestTest {
    static final byte[] ZERO = new byte[32];
    static final byte[] A = digest("SHA-256", "a".getBytes(StandardCharsets.US_ASCII));
    static final byte[] B = digest("SHA-256", "b".getBytes(StandardCharsets.US_ASCII));

    static byte[] sha(byte[]... parts) {
        return digest("SHA-256", parts);
    }

    static byte[] u16(int v) {
        return new byte[] {(byte) (v >>> 8), (byte) v};
    }

    static byte[] b2(byte[] v) {
        return cat(u16(v.length), v);
    }

    static byte[] getDigest(Tpm tpm, int session) throws Exception {
        return run(tpm, Command.of(TpmCc.PolicyGetDigest).handle(session)).ok().tpm2b(64);
    }

    /** Runs one assertion on a fresh trial session; returns the digest it leaves. */
    static byte[] trial(Tpm tpm, TpmCc cc, byte[] params) throws Exception {
        SessionClient t = SessionClient.policy(tpm, true);
        run(tpm, Command.of(cc).handle(t.handle).bytes(params)).ok();
        byte[] d = getDigest(tpm, t.handle);
        run(tpm, Command.of(TpmCc.FlushContext).u32(t.handle)).ok();
        return d;
    }

    /** The Name of an NV index, from NV_ReadPublic. */
    static byte[] nvName(Tpm tpm, int index) throws Exception {
        var r = run(tpm, Nv.readPublic(index)).ok();
        r.tpm2b(200);
        return r.tpm2b(100);
    }

    @Test
    void policyOr() throws Exception {
        Tpm tpm = TestTpm.started();
        assertArrayEquals(sha(ZERO, u32(0x171), A, B),
                trial(tpm, TpmCc.PolicyOR, cat(u32(2), b2(A), b2(B))));
        run(tpm, Command.of(TpmCc.PolicyOR).handle(SessionClient.policy(tpm, true).handle).u32(1).tpm2b(A))
                .assertRc(TpmRc.SIZE.parameter(1));
    }

    @Test
    void policyLocalityAndPhysicalPresence() throws Exception {
        Tpm tpm = TestTpm.started();
        assertArrayEquals(sha(ZERO, u32(0x16F), new byte[] {0x08}),
                trial(tpm, TpmCc.PolicyLocality, new byte[] {0x08}));
        assertArrayEquals(sha(ZERO, u32(0x16F), new byte[] {(byte) 0x80}),
                trial(tpm, TpmCc.PolicyLocality, new byte[] {(byte) 0x80}));
        assertArrayEquals(sha(ZERO, u32(0x187)), trial(tpm, TpmCc.PolicyPhysicalPresence, new byte[0]));
        run(tpm, Command.of(TpmCc.PolicyLocality).handle(SessionClient.policy(tpm, true).handle).u8(0))
                .assertRc(TpmRc.RANGE.parameter(1));
    }

    @Test
    void policyCpHashNameHashTemplate() throws Exception {
        Tpm tpm = TestTpm.started();
        assertArrayEquals(sha(ZERO, u32(0x16E), A), trial(tpm, TpmCc.PolicyCpHash, b2(A)));
        assertArrayEquals(sha(ZERO, u32(0x170), A), trial(tpm, TpmCc.PolicyNameHash, b2(A)));
        assertArrayEquals(sha(ZERO, u32(0x190), A), trial(tpm, TpmCc.PolicyTemplate, b2(A)));
        SessionClient t = SessionClient.policy(tpm, true);
        run(tpm, Command.of(TpmCc.PolicyCpHash).handle(t.handle).tpm2b(new byte[20])).assertRc(TpmRc.SIZE.parameter(1));
        run(tpm, Command.of(TpmCc.PolicyCpHash).handle(t.handle).tpm2b(A)).ok();
        run(tpm, Command.of(TpmCc.PolicyCpHash).handle(t.handle).tpm2b(A)).ok();
        run(tpm, Command.of(TpmCc.PolicyCpHash).handle(t.handle).tpm2b(B)).assertRc(TpmRc.CPHASH);
        run(tpm, Command.of(TpmCc.PolicyNameHash).handle(t.handle).tpm2b(A)).assertRc(TpmRc.CPHASH);
        run(tpm, Command.of(TpmCc.PolicyTemplate).handle(t.handle).tpm2b(A)).assertRc(TpmRc.CPHASH);
    }

    @Test
    void policyDuplicationSelect() throws Exception {
        Tpm tpm = TestTpm.started();
        byte[] object = cat(u16(0x000B), A);
        byte[] parent = cat(u16(0x000B), B);
        assertArrayEquals(sha(ZERO, u32(0x188), object, parent, new byte[] {1}),
                trial(tpm, TpmCc.PolicyDuplicationSelect, cat(b2(object), b2(parent), new byte[] {1})));
        assertArrayEquals(sha(ZERO, u32(0x188), parent, new byte[] {0}),
                trial(tpm, TpmCc.PolicyDuplicationSelect, cat(b2(object), b2(parent), new byte[] {0})));
        SessionClient t = SessionClient.policy(tpm, true);
        run(tpm, Command.of(TpmCc.PolicyCommandCode).handle(t.handle).u32(TpmCc.Unseal.code())).ok();
        run(tpm, Command.of(TpmCc.PolicyDuplicationSelect).handle(t.handle).tpm2b(object).tpm2b(parent).u8(0))
                .assertRc(TpmRc.COMMAND_CODE);
    }

    @Test
    void policyNvWrittenAndCounterTimer() throws Exception {
        Tpm tpm = TestTpm.started();
        assertArrayEquals(sha(ZERO, u32(0x18F), new byte[] {1}), trial(tpm, TpmCc.PolicyNvWritten, new byte[] {1}));
        assertArrayEquals(sha(ZERO, u32(0x18F), new byte[] {0}), trial(tpm, TpmCc.PolicyNvWritten, new byte[] {0}));
        byte[] operand = {0, 0, 0, 0, 0, 0, 0x10, 0};
        byte[] args = sha(operand, u16(8), u16(3));
        assertArrayEquals(sha(ZERO, u32(0x16D), args),
                trial(tpm, TpmCc.PolicyCounterTimer, cat(b2(operand), u16(8), u16(3))));
        SessionClient t = SessionClient.policy(tpm, true);
        run(tpm, Command.of(TpmCc.PolicyCounterTimer).handle(t.handle).tpm2b(operand).u16(26).u16(0))
                .assertRc(TpmRc.VALUE.parameter(2));
        run(tpm, Command.of(TpmCc.PolicyCounterTimer).handle(t.handle).tpm2b(operand).u16(20).u16(0))
                .assertRc(TpmRc.RANGE);
        run(tpm, Command.of(TpmCc.PolicyCounterTimer).handle(t.handle).tpm2b(operand).u16(0).u16(12))
                .assertRc(TpmRc.VALUE.parameter(3));
    }

    @Test
    void policyNvAndAuthorizeNv() throws Exception {
        Tpm tpm = TestTpm.started();
        run(tpm, Nv.define(Nv.OWNER, Nv.NONE, Nv.INDEX, Nv.OWNER_RW | TpmaNv.AUTHREAD, 34)).okWithSessions(0);
        byte[] name = nvName(tpm, Nv.INDEX);
        byte[] operand = {1, 2};
        SessionClient t = SessionClient.policy(tpm, true);
        run(tpm, Command.of(TpmCc.PolicyNV).handle(Nv.OWNER).handle(Nv.INDEX).handle(t.handle).emptyAuth()
                .tpm2b(operand).u16(4).u16(0)).okWithSessions(0);
        assertArrayEquals(sha(ZERO, u32(0x149), sha(operand, u16(4), u16(0)), name), getDigest(tpm, t.handle));

        run(tpm, Command.of(TpmCc.PolicyAuthorizeNV).handle(Nv.OWNER).handle(Nv.INDEX).handle(t.handle)
                .emptyAuth()).okWithSessions(0);
        assertArrayEquals(sha(ZERO, u32(0x192), name), getDigest(tpm, t.handle));
    }

    @Test
    void policySecretAndAuthorize() throws Exception {
        Tpm tpm = TestTpm.started();
        byte[] ref = {9, 8, 7};
        SessionClient t = SessionClient.policy(tpm, true);
        var out = run(tpm, Command.of(TpmCc.PolicySecret).handle(TpmRh.OWNER).handle(t.handle).emptyAuth()
                .tpm2b(new byte[0]).tpm2b(new byte[0]).tpm2b(ref).u32(-60)).okWithSessions(0);
        assertArrayEquals(new byte[0], out.tpm2b(8), "a trial session returns no timeout");
        assertArrayEquals(cat(u16(TpmSt.AUTH_SECRET), u32(TpmRh.NULL), u16(0)), out.bytes(8), "and a NULL ticket");
        assertArrayEquals(sha(sha(ZERO, u32(0x151), u32(TpmRh.OWNER)), ref), getDigest(tpm, t.handle));

        byte[] keySign = cat(u16(0x000B), A);
        run(tpm, Command.of(TpmCc.PolicyAuthorize).handle(t.handle).tpm2b(B).tpm2b(ref).tpm2b(keySign)
                .u16(TpmSt.VERIFIED).u32(TpmRh.NULL).u16(0)).ok();
        assertArrayEquals(sha(sha(ZERO, u32(0x16A), keySign), ref), getDigest(tpm, t.handle));
        run(tpm, Command.of(TpmCc.PolicyAuthorize).handle(t.handle).tpm2b(B).tpm2b(ref).tpm2b(new byte[] {0, 0x0B})
                .u16(TpmSt.VERIFIED).u32(TpmRh.NULL).u16(0)).assertRc(TpmRc.SIZE.parameter(3));
        run(tpm, Command.of(TpmCc.PolicyTicket).handle(t.handle).tpm2b(new byte[8]).tpm2b(new byte[0])
                .tpm2b(new byte[0]).tpm2b(u32(TpmRh.OWNER)).u16(TpmSt.AUTH_SECRET).u32(TpmRh.OWNER).u16(0))
                .assertRc(TpmRc.ATTRIBUTES.handle(1));
    }
}
