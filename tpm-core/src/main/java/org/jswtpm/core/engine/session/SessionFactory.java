package org.jswtpm.core.engine.session;

import java.util.Arrays;
import org.jswtpm.core.TpmException;
import org.jswtpm.core.crypto.HashAlg;
import org.jswtpm.core.crypto.Kdf;
import org.jswtpm.core.engine.Entity;
import org.jswtpm.core.engine.TpmEngine;
import org.jswtpm.core.types.TpmRh;

/** Creates sessions for TPM2_StartAuthSession (TCG TPM 2.0 Part 1, 19.6.8 "sessionKey creation"). */
public final class SessionFactory {
    private SessionFactory() {
    }

    /**
     * Starts a session and puts it in a free slot.
     *
     * @param bind the bind entity, or null for TPM_RH_NULL
     * @param bindAuth the bind entity's authValue with trailing zeros removed (empty without bind)
     * @param salt the decrypted salt, empty for an unsalted session
     */
    public static AuthSession start(TpmEngine tpm, int type, HashAlg authHash, byte[] nonceCaller,
            SymmetricDef symmetric, Entity bind, byte[] bindAuth, byte[] salt) throws TpmException {
        SessionSlots slots = tpm.sessions();
        int handle = slots.allocate(type != AuthSession.SE_HMAC);
        byte[] nonceTpm = tpm.drbg().generate(nonceCaller.length);
        byte[] sessionKey = bind == null && salt.length == 0 ? new byte[0]
                : sessionKey(authHash, bindAuth, salt, nonceTpm, nonceCaller);
        AuthSession.Binding binding = bind != null && type == AuthSession.SE_HMAC
                ? new AuthSession.Binding(bind.name(), bindAuth.clone()) : null;
        boolean daBound = bind != null && !bind.daExempt();
        boolean lockoutBound = daBound && bind.handle() == TpmRh.LOCKOUT;
        AuthSession session = new AuthSession(handle, type, authHash, sessionKey, nonceTpm, symmetric,
                binding, daBound, lockoutBound);
        session.started(tpm.clock().time(), timeEpoch(tpm));
        slots.add(session);
        return session;
    }

    /**
     * The epoch TPM Time counts in: Time restarts at every _TPM_Init, after which resetCount or
     * restartCount differ, so a timeout of another epoch is expired.
     */
    public static long timeEpoch(TpmEngine tpm) {
        return ((long) tpm.permanent().resetCount << 32) | (tpm.permanent().restartCount & 0xFFFFFFFFL);
    }

    /** KDFa(authHash, bindAuth || salt, "ATH", nonceTPM, nonceCaller, digest bits). */
    public static byte[] sessionKey(HashAlg hash, byte[] bindAuth, byte[] salt, byte[] nonceTpm,
            byte[] nonceCaller) {
        byte[] key = Arrays.copyOf(bindAuth, bindAuth.length + salt.length);
        System.arraycopy(salt, 0, key, bindAuth.length, salt.length);
        try {
            return Kdf.kdfa(hash, key, "ATH", nonceTpm, nonceCaller, hash.digestSize() * 8);
        } finally {
            Arrays.fill(key, (byte) 0);
        }
    }
}
