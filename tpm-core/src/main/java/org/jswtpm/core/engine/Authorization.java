package org.jswtpm.core.engine;

import java.util.ArrayList;
import java.util.List;
import org.jswtpm.core.TpmException;
import org.jswtpm.core.marshal.TpmReader;
import org.jswtpm.core.marshal.TpmWriter;
import org.jswtpm.core.types.TpmRc;
import org.jswtpm.core.types.TpmRh;

/**
 * The authorization area of a command and its checks (TCG TPM 2.0 Part 1, 19 "Authorizations" and
 * 18.7 "Authorization area"; Part 3, 5.4 and 5.5). This slice implements password authorization
 * ({@code TPM_RS_PW}); HMAC and policy sessions plug into {@link #checkOne} and
 * {@link #writeResponse} without changing the pipeline around them.
 */
final class Authorization {
    /** MAX_SESSION_NUM. */
    static final int MAX_SESSIONS = 3;

    /** TPMA_SESSION bits (Part 2, 8.4). */
    static final int CONTINUE_SESSION = 0x01;
    static final int AUDIT_EXCLUSIVE = 0x02;
    static final int AUDIT_RESET = 0x04;
    static final int DECRYPT = 0x20;
    static final int ENCRYPT = 0x40;
    static final int AUDIT = 0x80;

    /** One TPMS_AUTH_COMMAND. */
    record Session(int handle, byte[] nonce, int attributes, byte[] hmac) {
    }

    private Authorization() {
    }

    /** Parses the sessions of an authorization area of exactly {@code area.remaining()} bytes. */
    static List<Session> parse(TpmReader area) throws TpmException {
        List<Session> sessions = new ArrayList<>(MAX_SESSIONS);
        for (int n = 1; area.remaining() > 0; n++) {
            if (n > MAX_SESSIONS) {
                throw new TpmException(TpmRc.SIZE.session(n > 7 ? 7 : n));
            }
            area.session(n);
            int handle = area.u32();
            byte[] nonce = area.tpm2b(64);
            int attributes = area.u8();
            byte[] hmac = area.tpm2b(64);
            if (handle == TpmRh.PW) {
                if ((attributes & (ENCRYPT | DECRYPT | AUDIT | AUDIT_EXCLUSIVE | AUDIT_RESET)) != 0) {
                    throw new TpmException(TpmRc.ATTRIBUTES.session(n));
                }
                if (nonce.length != 0) {
                    throw new TpmException(TpmRc.NONCE.session(n));
                }
            } else {
                int type = TpmRh.type(handle);
                if (type == TpmRh.HT_HMAC_SESSION || type == TpmRh.HT_POLICY_SESSION) {
                    // No HMAC or policy session can be loaded yet.
                    throw new TpmException(TpmRc.REFERENCE_S0.plus(n - 1));
                }
                throw new TpmException(TpmRc.VALUE.session(n));
            }
            sessions.add(new Session(handle, nonce, attributes, hmac));
        }
        return sessions;
    }

    /**
     * Checks that {@code sessions} authorize every handle of {@code spec} that needs it (Part 3, 5.4:
     * handles needing authorization come first and take the sessions in order).
     */
    static void check(TpmEngine tpm, CommandSpec spec, Entity[] entities, int[] handles,
            List<Session> sessions) throws TpmException {
        int authHandles = 0;
        for (AuthRole role : spec.roles()) {
            if (role != AuthRole.NONE) {
                authHandles++;
            }
        }
        if (sessions.size() < authHandles) {
            throw new TpmException(TpmRc.AUTH_MISSING);
        }
        for (int i = 0; i < sessions.size(); i++) {
            Session s = sessions.get(i);
            if (s.handle() == TpmRh.PW && i >= authHandles) {
                throw new TpmException(TpmRc.HANDLE.session(i + 1));
            }
        }
        DictionaryAttack da = tpm.dictionaryAttack();
        for (int i = 0; i < authHandles; i++) {
            checkOne(tpm, da, entityFor(tpm, entities[i], handles[i]), sessions.get(i), i + 1,
                    spec, spec.roles()[i]);
        }
    }

    private static Entity entityFor(TpmEngine tpm, Entity resolved, int handle) {
        return resolved != null ? resolved : tpm.hierarchies().nullOrPcr(handle);
    }

    private static void checkOne(TpmEngine tpm, DictionaryAttack da, Entity entity, Session s, int n,
            CommandSpec spec, AuthRole role) throws TpmException {
        boolean lockoutEntity = entity.handle() == TpmRh.LOCKOUT;
        if (!entity.daExempt()) {
            da.checkNotLockedOut(lockoutEntity);
        }
        if (entity.policyRequired(role)) {
            throw new TpmException(TpmRc.AUTH_TYPE);
        }
        if (!entity.authValueAvailable(spec.cc(), role)) {
            throw new TpmException(TpmRc.AUTH_UNAVAILABLE);
        }
        boolean ok = ConstantTime.authEquals(s.hmac(), entity.authValue());
        entity.authValueChecked(ok);
        if (ok) {
            return;
        }
        if (entity.daExempt()) {
            throw new TpmException(TpmRc.BAD_AUTH.session(n));
        }
        da.registerFailure(lockoutEntity);
        throw new TpmException(TpmRc.AUTH_FAIL.session(n));
    }

    /** Writes the response authorization area: for a password session an empty nonce and HMAC. */
    static void writeResponse(TpmWriter w, List<Session> sessions) {
        for (Session s : sessions) {
            w.u16(0);
            w.u8(CONTINUE_SESSION);
            w.u16(0);
        }
    }
}
