package org.jswtpm.core.command;

import static org.jswtpm.core.testing.SessionClient.CONTINUE;
import static org.jswtpm.core.testing.SessionClient.cat;
import static org.jswtpm.core.testing.SessionClient.digest;
import static org.jswtpm.core.testing.SessionClient.u32;
import static org.jswtpm.core.testing.TestTpm.run;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.jswtpm.core.Tpm;
import org.jswtpm.core.marshal.TpmWriter;
import org.jswtpm.core.testing.Command;
import org.jswtpm.core.testing.TestObjects;
import org.jswtpm.core.testing.SessionClient;
import org.jswtpm.core.testing.TestTpm;
import org.jswtpm.core.types.TpmCc;
import org.jswtpm.core.types.TpmRc;
import org.jswtpm.core.types.TpmRh;
import org.junit.jupiter.api.Test;

/**
 * Objects and policy sessions together: data sealed to PCR 16 (authPolicy = PolicyPCR, userWithAuth
 * clear) unseals through a policy session while the PCR holds its value, never with a password, and no
 * longer after the PCR is extended.
 */
class SealedToPolicyTest {
    static final byte[] SECRET = "sealed to PCR 16".getBytes();
    /** TPML_PCR_SELECTION: SHA-256, PCR 16. */
    static final byte[] PCR_16 = cat(u32(1), new byte[] {0, 0x0B, 3, 0, 0, 1});

    /** The sealed template with an authPolicy and userWithAuth clear. */
    static byte[] sealedWithPolicy(byte[] policy) {
        TpmWriter w = new TpmWriter();
        int at = w.startSized16();
        w.u16(TestObjects.KEYEDHASH).u16(TestObjects.SHA256).u32(TestObjects.FIXED_TPM | TestObjects.FIXED_PARENT).tpm2b(policy)
                .u16(TestObjects.NULL).u16(0);
        w.endSized16(at);
        return w.toByteArray();
    }

    static byte[] pcr16(Tpm tpm) throws Exception {
        return StartupTestSupport.read(tpm, org.jswtpm.core.types.TpmAlg.SHA256, 16);
    }

    @Test
    void unsealThroughAPcrPolicy() throws Exception {
        Tpm tpm = TestTpm.started();
        // the policy: PolicyPCR over PCR 16's current value
        byte[] pcrDigest = digest("SHA-256", pcr16(tpm));
        byte[] policy = digest("SHA-256", new byte[32], u32(TpmCc.PolicyPCR.code()), PCR_16, pcrDigest);
        SessionClient trial = SessionClient.policy(tpm, true);
        run(tpm, Command.of(TpmCc.PolicyPCR).handle(trial.handle).u16(0).bytes(PCR_16)).ok();
        assertArrayEquals(policy, run(tpm, Command.of(TpmCc.PolicyGetDigest).handle(trial.handle)).ok().tpm2b(64),
                "the trial session computes the same policy");

        int parent = TestObjects.createPrimary(tpm, TpmRh.OWNER, TestObjects.eccStorage(3)).handle();
        int sealed = TestObjects.load(tpm, parent, TestObjects.create(tpm, parent, sealedWithPolicy(policy), new byte[0],
                SECRET));
        run(tpm, Command.of(TpmCc.Unseal).handle(sealed).emptyAuth()).assertRc(TpmRc.AUTH_UNAVAILABLE);

        SessionClient p = SessionClient.policy(tpm, false);
        run(tpm, Command.of(TpmCc.PolicyPCR).handle(p.handle).u16(0).bytes(PCR_16)).ok();
        byte[] out = run(tpm, Command.of(TpmCc.Unseal).handle(sealed).auth(p.handle, p.nonceCaller, CONTINUE,
                new byte[0])).okWithSessions(0).tpm2b(128);
        assertArrayEquals(SECRET, out);

        run(tpm, Command.of(TpmCc.PCR_Extend).handle(16).emptyAuth().u32(1).u16(TestObjects.SHA256)
                .bytes(new byte[32])).ok();
        run(tpm, Command.of(TpmCc.PolicyRestart).handle(p.handle)).ok();
        run(tpm, Command.of(TpmCc.PolicyPCR).handle(p.handle).u16(0).bytes(PCR_16)).ok();
        run(tpm, Command.of(TpmCc.Unseal).handle(sealed).auth(p.handle, p.nonceCaller, CONTINUE, new byte[0]))
                .assertRc(TpmRc.POLICY_FAIL.session(1));
    }
}
