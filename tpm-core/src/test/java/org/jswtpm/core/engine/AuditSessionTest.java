package org.jswtpm.core.engine;

import static org.jswtpm.core.testing.SessionClient.CONTINUE;
import static org.jswtpm.core.testing.SessionClient.digest;
import static org.jswtpm.core.testing.TestTpm.run;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.jswtpm.core.Tpm;
import org.jswtpm.core.testing.Command;
import org.jswtpm.core.testing.SessionClient;
import org.jswtpm.core.testing.TestTpm;
import org.jswtpm.core.types.TpmCc;
import org.jswtpm.core.types.TpmRc;
import org.junit.jupiter.api.Test;

/** Session audit (Part 1, 19.6.14): the audit digest, auditExclusive and auditReset. */
class AuditSessionTest {
    static final int AUDIT = 0x80;
    static final int EXCLUSIVE = 0x02;
    static final int RESET = 0x04;

    /** Runs GetRandom audited by {@code s}; checks the response HMAC; returns H(old || cpHash || rpHash). */
    static byte[] audited(Tpm tpm, SessionClient s, int attrs, int responseAttrs, byte[] oldDigest) {
        Command c = Command.of(TpmCc.GetRandom).u16(4);
        byte[] cp = s.cpHash(c);
        s.authorize(c, attrs, new byte[0]);
        // The response HMAC covers the attributes as returned (auditExclusive reported by the TPM).
        SessionClient.Parsed p = SessionClient.parse(run(tpm, c), 0);
        SessionClient.Auth a = p.auths().get(0);
        s.nonceTpm = a.nonce();
        byte[] expected = SessionClient.hmac("SHA-256", s.sessionKey, s.rpHash(TpmCc.GetRandom, p.params()),
                s.nonceTpm, s.nonceCaller, new byte[] {(byte) responseAttrs});
        org.junit.jupiter.api.Assertions.assertEquals(responseAttrs, a.attributes());
        assertArrayEquals(expected, a.hmac());
        return digest("SHA-256", oldDigest, cp, s.rpHash(TpmCc.GetRandom, p.params()));
    }

    static byte[] auditDigest(Tpm tpm, SessionClient s) {
        return ((TpmEngine) tpm).sessions().get(s.handle).auditDigest();
    }

    @Test
    void auditDigestExclusivityAndReset() {
        Tpm tpm = TestTpm.started();
        SessionClient s = SessionClient.hmac(tpm);
        byte[] d = audited(tpm, s, CONTINUE | AUDIT, CONTINUE | AUDIT | EXCLUSIVE, new byte[32]);
        assertArrayEquals(d, auditDigest(tpm, s));
        d = audited(tpm, s, CONTINUE | AUDIT | EXCLUSIVE, CONTINUE | AUDIT | EXCLUSIVE, d);
        assertArrayEquals(d, auditDigest(tpm, s));

        // A command without this session ends exclusivity.
        run(tpm, Command.of(TpmCc.GetRandom).u16(1)).ok();
        run(tpm, s.authorize(Command.of(TpmCc.GetRandom).u16(4), CONTINUE | AUDIT | EXCLUSIVE, new byte[0]))
                .assertRc(TpmRc.EXCLUSIVE);
        d = audited(tpm, s, CONTINUE | AUDIT, CONTINUE | AUDIT, d);
        assertArrayEquals(d, auditDigest(tpm, s));

        // auditReset starts over and makes the session exclusive again.
        d = audited(tpm, s, CONTINUE | AUDIT | RESET, CONTINUE | AUDIT | RESET | EXCLUSIVE, new byte[32]);
        assertArrayEquals(d, auditDigest(tpm, s));
    }

    @Test
    void onlyOneAuditSessionAndNeverAPolicySession() {
        Tpm tpm = TestTpm.started();
        SessionClient a = SessionClient.hmac(tpm);
        SessionClient b = SessionClient.hmac(tpm);
        Command c = Command.of(TpmCc.GetRandom).u16(4);
        a.authorize(c, CONTINUE | AUDIT, new byte[0]);
        b.authorize(c, CONTINUE | AUDIT, new byte[0]);
        run(tpm, c).assertRc(TpmRc.ATTRIBUTES.session(2));
    }
}
