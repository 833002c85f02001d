package org.jswtpm.core.engine;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.jswtpm.core.TpmException;
import org.jswtpm.core.crypto.HashAlg;
import org.jswtpm.core.engine.session.AuthSession;
import org.jswtpm.core.engine.session.CpHash;
import org.jswtpm.core.engine.session.ParameterCipher;
import org.jswtpm.core.engine.session.SessionHmac;
import org.jswtpm.core.engine.session.SessionSlots;
import org.jswtpm.core.marshal.TpmReader;
import org.jswtpm.core.marshal.TpmWriter;
import org.jswtpm.core.state.PermanentState;
import org.jswtpm.core.types.TpmCc;
import org.jswtpm.core.types.TpmRc;
import org.jswtpm.core.types.TpmRh;

/**
 * The authorization area of one command and everything the pipeline does with it (TCG TPM 2.0 Part 1,
 * 19 "Authorizations and acknowledgments", 21 "Session-based encryption"; Part 3, 5.4 to 5.6):
 * parsing the sessions, the consistency checks, password, HMAC and policy authorization with
 * dictionary-attack accounting, decryption of the first command parameter; then, for the response,
 * nonce rolling, encryption of the first response parameter, the response HMACs and the end of
 * sessions that are not continued. One instance lives for one command.
 */
final class Authorization {
    /** MAX_SESSION_NUM. */
    static final int MAX_SESSIONS = 3;

    /** TPMA_SESSION bits (Part 2, 8.4). */
    static final int CONTINUE_SESSION = 0x01;
    static final int AUDIT_EXCLUSIVE = 0x02;
    static final int AUDIT_RESET = 0x04;
    static final int RESERVED = 0x18;
    static final int DECRYPT = 0x20;
    static final int ENCRYPT = 0x40;
    static final int AUDIT = 0x80;

    /** One TPMS_AUTH_COMMAND. */
    record Session(int handle, byte[] nonce, int attributes, byte[] hmac) {
        boolean has(int bit) {
            return (attributes & bit) != 0;
        }

        boolean isPassword() {
            return handle == TpmRh.PW;
        }
    }

    private final TpmEngine tpm;
    private final CommandSpec spec;
    private final List<Session> sessions;
    /** The loaded session of each entry; null for TPM_RS_PW. */
    private final AuthSession[] loaded;
    /** The entity each session authorizes; null for a session that authorizes nothing. */
    private final Entity[] associated;
    private final AuthRole[] roles;
    private final boolean[] includeAuth;
    /** The authValue each session used at check time (for entities the command flushes). */
    private final byte[][] checkedAuth;
    private int decryptIndex = -1;
    private int encryptIndex = -1;
    private int auditIndex = -1;
    private CpHash cpHash;
    private int locality;

    private Authorization(TpmEngine tpm, CommandSpec spec) {
        this.tpm = tpm;
        this.spec = spec;
        this.sessions = new ArrayList<>(MAX_SESSIONS);
        this.loaded = new AuthSession[MAX_SESSIONS];
        this.associated = new Entity[MAX_SESSIONS];
        this.roles = new AuthRole[MAX_SESSIONS];
        this.includeAuth = new boolean[MAX_SESSIONS];
        this.checkedAuth = new byte[MAX_SESSIONS][];
    }

    int size() {
        return sessions.size();
    }

    // ---- command side

    /**
     * Parses the sessions of an authorization area of exactly {@code area.remaining()} bytes and checks
     * what can be checked of each alone (Part 3, 5.4 "authorization area"): handle range, nonce and
     * HMAC sizes, reserved and password attributes, that the session is loaded (TPM_RC_REFERENCE_S0
     * onward), not named twice, and that decrypt, encrypt and audit appear once each and only where
     * the command allows them.
     */
    static Authorization parse(TpmEngine tpm, CommandSpec spec, TpmReader area) throws TpmException {
        Authorization a = new Authorization(tpm, spec);
        for (int n = 1; area.remaining() > 0; n++) {
            if (n > MAX_SESSIONS) {
                throw new TpmException(TpmRc.SIZE.session(n));
            }
            Session s = read(area.session(n));
            a.sessions.add(s);
            if (s.isPassword()) {
                checkPassword(s, n);
            } else {
                a.admit(s, n);
            }
        }
        return a;
    }

    /** One TPMS_AUTH_COMMAND: TPM_RC_VALUE for a handle that is no session, TPM_RC_RESERVED_BITS. */
    private static Session read(TpmReader area) throws TpmException {
        int handle = area.u32();
        if (handle != TpmRh.PW && !inSessionRange(handle)) {
            throw area.error(TpmRc.VALUE);
        }
        byte[] nonce = area.tpm2b(HashAlg.MAX_DIGEST_SIZE);
        int attributes = area.u8();
        if ((attributes & RESERVED) != 0) {
            throw area.error(TpmRc.RESERVED_BITS);
        }
        byte[] hmac = area.tpm2b(HashAlg.MAX_DIGEST_SIZE);
        return new Session(handle, nonce, attributes, hmac);
    }

    /** A password session has no nonce and no attribute but continueSession. */
    private static void checkPassword(Session s, int n) throws TpmException {
        if (s.has(ENCRYPT | DECRYPT | AUDIT | AUDIT_EXCLUSIVE | AUDIT_RESET)) {
            throw new TpmException(TpmRc.ATTRIBUTES.session(n));
        }
        if (s.nonce().length != 0) {
            throw new TpmException(TpmRc.NONCE.session(n));
        }
    }

    /**
     * An HMAC or policy session: loaded, of the handle's type, named once, and the only one to
     * decrypt, encrypt or audit, each where the command allows it.
     */
    private void admit(Session s, int n) throws TpmException {
        int handle = s.handle();
        AuthSession session = tpm.sessions().loadedAt(handle);
        if (session == null) {
            throw new TpmException(TpmRc.REFERENCE_S0.plus(n - 1));
        }
        if (session.handle() != handle) {
            throw new TpmException(TpmRc.HANDLE.session(n));
        }
        for (int i = 0; i < n - 1; i++) {
            if (sessions.get(i).handle() == handle) {
                throw new TpmException(TpmRc.HANDLE.session(n));
            }
        }
        if (s.has(DECRYPT)) {
            checkCipher(session, spec.has(CommandSpec.DECRYPT), decryptIndex, n);
            decryptIndex = n - 1;
        }
        if (s.has(ENCRYPT)) {
            checkCipher(session, spec.has(CommandSpec.ENCRYPT), encryptIndex, n);
            encryptIndex = n - 1;
        }
        if (s.has(AUDIT)) {
            if (auditIndex >= 0 || session.isPolicy()) {
                throw new TpmException(TpmRc.ATTRIBUTES.session(n));
            }
            if (!s.has(AUDIT_RESET) && session.isAudit() && s.has(AUDIT_EXCLUSIVE)
                    && tpm.sessions().exclusiveAudit() != handle) {
                throw new TpmException(TpmRc.EXCLUSIVE);
            }
            auditIndex = n - 1;
        }
        loaded[n - 1] = session;
    }

    private static boolean inSessionRange(int handle) {
        return AuthSession.isSessionHandle(handle) && (handle & 0x00FFFFFF) < SessionSlots.MAX_ACTIVE;
    }

    private static void checkCipher(AuthSession session, boolean allowed, int already, int n)
            throws TpmException {
        if (!allowed || already >= 0) {
            throw new TpmException(TpmRc.ATTRIBUTES.session(n));
        }
        if (session.symmetric().isNull()) {
            throw new TpmException(TpmRc.SYMMETRIC.session(n));
        }
    }

    /**
     * Checks that the sessions authorize every handle of the command that needs it, in order (Part 3,
     * 5.6; handles needing authorization come first and take the sessions in order), that every other
     * session is an encrypt, decrypt or audit session with a correct HMAC, and then decrypts the first
     * parameter in {@code params} in place.
     *
     * @param commandLocality the locality the command came from (for PolicyLocality)
     * @param command the command; its parameters are the {@code length} bytes from {@code offset}
     * @return a reader over the parameters, decrypted if a session asked for it
     */
    TpmReader check(int commandLocality, Entity[] entities, int[] handles, byte[] command, int offset,
            int length) throws TpmException {
        locality = commandLocality;
        int authHandles = 0;
        for (AuthRole role : spec.roles()) {
            if (role != AuthRole.NONE) {
                authHandles++;
            }
        }
        if (sessions.size() < authHandles) {
            throw new TpmException(TpmRc.AUTH_MISSING);
        }
        for (int i = 0; i < authHandles; i++) {
            associated[i] = entities[i] != null ? entities[i] : tpm.hierarchies().nullOrPcr(handles[i]);
            roles[i] = spec.roles()[i];
        }
        cpHash = new CpHash(spec.cc().code(), entities, handles, command, offset, length);
        DictionaryAttack da = tpm.dictionaryAttack();
        boolean ppRequired = tpm.permanent().ppCommands.contains(spec.cc().code());
        for (int i = 0; i < sessions.size(); i++) {
            // Physical presence (the reference's CheckAuthSession): this platform never asserts it, so
            // a command on the PP list fails for the platform's authorization before anything else.
            if (ppRequired && i < authHandles && handles[i] == TpmRh.PLATFORM) {
                throw new TpmException(TpmRc.PP.session(i + 1));
            }
            checkSession(da, i);
        }
        if (decryptIndex < 0) {
            return new TpmReader(command, offset, length);
        }
        byte[] params = Arrays.copyOfRange(command, offset, offset + length);
        decrypt(params);
        return new TpmReader(params);
    }

    private void checkSession(DictionaryAttack da, int i) throws TpmException {
        Session s = sessions.get(i);
        AuthSession session = loaded[i];
        int n = i + 1;
        if (s.isPassword()) {
            if (associated[i] == null) {
                throw new TpmException(TpmRc.HANDLE.session(n));
            }
        } else {
            if (session.isTrial()) {
                throw new TpmException(TpmRc.ATTRIBUTES.session(n));
            }
            if (session.isDaBound()) {
                da.checkNotLockedOut(session.isLockoutBound());
            }
        }
        if (associated[i] != null) {
            checkAuthorization(da, i);
            return;
        }
        if (!s.has(AUDIT | ENCRYPT | DECRYPT)) {
            throw new TpmException(TpmRc.ATTRIBUTES.session(n));
        }
        includeAuth[i] = false;
        checkHmac(da, i);
    }

    /** Part 1, 19.6 and 19.7: authorization of {@code associated[i]} by session {@code i}. */
    private void checkAuthorization(DictionaryAttack da, int i) throws TpmException {
        Session s = sessions.get(i);
        AuthSession session = loaded[i];
        Entity entity = associated[i];
        AuthRole role = roles[i];
        int n = i + 1;
        byte[] auth = trimmedAuth(entity);
        checkedAuth[i] = auth;
        boolean policy = session != null && session.isPolicy();
        if (session == null) {
            includeAuth[i] = true;
        } else if (policy) {
            includeAuth[i] = session.authValueNeeded() || session.passwordNeeded();
        } else {
            includeAuth[i] = session.binding() == null || !session.binding().matches(entity.name(), auth);
        }
        if (includeAuth[i] && !entity.daExempt()) {
            da.checkNotLockedOut(entity.handle() == TpmRh.LOCKOUT);
        }
        if (!policy) {
            if (entity.policyRequired(role)) {
                throw new TpmException(TpmRc.AUTH_TYPE);
            }
            if (!entity.authValueAvailable(spec.cc()) || !entity.authValueAllowed(role)) {
                throw new TpmException(TpmRc.AUTH_UNAVAILABLE);
            }
        } else {
            if (!entity.authPolicyAvailable(spec.cc(), role)) {
                throw new TpmException(TpmRc.AUTH_UNAVAILABLE);
            }
            checkPolicy(session, entity, role, n);
        }
        boolean ok = session == null || session.passwordNeeded()
                ? ConstantTime.authEquals(s.hmac(), auth)
                : ConstantTime.equals(s.hmac(), commandHmac(i));
        if (includeAuth[i]) {
            entity.authValueChecked(ok);
        }
        if (!ok) {
            throw failure(da, i);
        }
    }

    /** Part 3, 5.6.3 / Part 1, 19.7.3: the policy session's state must fit this command and entity. */
    private void checkPolicy(AuthSession session, Entity entity, AuthRole role, int n) throws TpmException {
        if (spec.cc() == TpmCc.PolicySecret && !session.authValueNeeded() && !session.passwordNeeded()) {
            throw new TpmException(TpmRc.MODE.session(n));
        }
        if (session.pcrChecked() && session.pcrUpdateCounter() != tpm.pcrs().updateCounter()) {
            throw new TpmException(TpmRc.PCR_CHANGED);
        }
        PermanentState.Policy authPolicy = entity.authPolicy();
        if (!ConstantTime.equals(session.policyDigest(), authPolicy.digest())
                || authPolicy.hashAlg() != session.authHash().id()) {
            throw new TpmException(TpmRc.POLICY_FAIL.session(n));
        }
        PolicyConditions.checkTimeout(tpm, session, n);
        if (session.commandCode() != 0) {
            if (session.commandCode() != spec.cc().code()) {
                throw new TpmException(TpmRc.POLICY_CC.session(n));
            }
        } else if (role == AuthRole.ADMIN || role == AuthRole.DUP) {
            throw new TpmException(TpmRc.POLICY_FAIL.session(n));
        }
        PolicyConditions.check(tpm, spec, session, entity, cpHash, locality, n);
    }

    /** Compares the command HMAC of session {@code i} (Part 1, 19.6.5). */
    private void checkHmac(DictionaryAttack da, int i) throws TpmException {
        Session s = sessions.get(i);
        byte[] expected = commandHmac(i);
        if (!ConstantTime.equals(s.hmac(), expected)) {
            throw failure(da, i);
        }
    }

    /**
     * HMAC(sessionKey || authValue, cpHash || nonceCaller || nonceTPM || nonceTPMdecrypt ||
     * nonceTPMencrypt || sessionAttributes); the extra nonces only in the first session when it
     * authorizes a handle and another session decrypts or encrypts. An empty key with an empty HMAC
     * in the command is an empty HMAC.
     */
    private byte[] commandHmac(int i) {
        Session s = sessions.get(i);
        AuthSession session = loaded[i];
        byte[] key = SessionHmac.key(session, includeAuth[i] ? checkedAuth[i] : null);
        if (key.length == 0 && s.hmac().length == 0) {
            return new byte[0];
        }
        byte[] nonceDecrypt = null;
        byte[] nonceEncrypt = null;
        if (i == 0 && associated[0] != null) {
            if (decryptIndex > 0) {
                nonceDecrypt = loaded[decryptIndex].nonceTpm();
            }
            if (encryptIndex > 0 && encryptIndex != decryptIndex) {
                nonceEncrypt = loaded[encryptIndex].nonceTpm();
            }
        }
        return SessionHmac.command(session, key, cpHash.digest(session.authHash()), s.nonce(), nonceDecrypt,
                nonceEncrypt, s.attributes());
    }

    private static byte[] trimmedAuth(Entity e) {
        byte[] v = e.authValue();
        return Arrays.copyOf(v, ConstantTime.trimmedLength(v));
    }

    /**
     * A failed authorization (Part 1, 19.8.4): TPM_RC_AUTH_FAIL when it counts toward lockout, because
     * the entity or the session's bind entity is DA-protected; TPM_RC_BAD_AUTH otherwise.
     */
    private TpmException failure(DictionaryAttack da, int i) {
        AuthSession session = loaded[i];
        Entity entity = associated[i];
        int n = i + 1;
        boolean lockout = entity != null && entity.handle() == TpmRh.LOCKOUT;
        boolean exempt = entity == null || entity.daExempt();
        if (session == null) {
            if (exempt) {
                return new TpmException(TpmRc.BAD_AUTH.session(n));
            }
        } else {
            if (session.isLockoutBound()) {
                lockout = true;
                exempt = false;
            }
            if (!session.isDaBound() && (exempt || !includeAuth[i])) {
                return new TpmException(TpmRc.BAD_AUTH.session(n));
            }
        }
        da.registerFailure(lockout);
        return new TpmException(TpmRc.AUTH_FAIL.session(n));
    }

    /** Part 1, 21: decrypts the first command parameter (a TPM2B) in place. */
    private void decrypt(byte[] params) throws TpmException {
        int n = decryptIndex + 1;
        if (params.length < 2) {
            throw new TpmException(TpmRc.INSUFFICIENT.session(n));
        }
        int size = ((params[0] & 0xFF) << 8) | (params[1] & 0xFF);
        if (size > params.length - 2) {
            throw new TpmException(TpmRc.SIZE.session(n));
        }
        AuthSession session = loaded[decryptIndex];
        byte[] key = SessionHmac.key(session, associated[decryptIndex] != null ? checkedAuth[decryptIndex] : null);
        ParameterCipher.apply(tpm.sessions().aesCfb(), session, false, key, sessions.get(decryptIndex).nonce(),
                session.nonceTpm(), params, 2, size);
    }

    // ---- response side

    /**
     * Prepares the response sessions once the command succeeded: rolls every session's nonceTPM, then
     * encrypts the first response parameter (a TPM2B at the start of {@code params}) in place.
     */
    void beforeResponse(byte[] params, int length) {
        for (AuthSession s : loaded) {
            if (s != null) {
                s.rollNonce(tpm.drbg().generate(s.nonceTpm().length));
            }
        }
        if (encryptIndex < 0 || length < 2) {
            return;
        }
        int size = ((params[0] & 0xFF) << 8) | (params[1] & 0xFF);
        size = Math.min(size, length - 2);
        AuthSession session = loaded[encryptIndex];
        byte[] key = SessionHmac.key(session, associated[encryptIndex] != null ? responseAuth(encryptIndex) : null);
        ParameterCipher.apply(tpm.sessions().aesCfb(), session, true, key, session.nonceTpm(),
                sessions.get(encryptIndex).nonce(), params, 2, size);
    }

    /**
     * The entity's authValue for response computations: as it is now (a changed hierarchy or NV
     * authValue answers with the new one), unless the command flushed the object (its authValue as
     * checked) or deleted the NV index with NV_UndefineSpaceSpecial (then the session answers for
     * TPM_RH_NULL, whose authValue is empty, as the reference implementation does).
     */
    private byte[] responseAuth(int i) {
        if (spec.has(CommandSpec.FLUSHED) && associated[i] instanceof LoadedObject) {
            return checkedAuth[i];
        }
        if (spec.cc() == TpmCc.NV_UndefineSpaceSpecial && i == 0) {
            return new byte[0];
        }
        return trimmedAuth(associated[i]);
    }

    /**
     * Writes the response authorization area (Part 1, 19.6.6; Part 3, 5.7): per session nonceTPM, the
     * attributes as received (continueSession always set for a password) and the response HMAC over
     * rpHash = H(TPM_RC_SUCCESS || commandCode || parameters); then restarts continued policy sessions
     * and ends the sessions whose continueSession was clear.
     */
    void writeResponse(TpmWriter w, byte[] params, int length) {
        int auditAttributes = 0;
        if (auditIndex >= 0) {
            auditAttributes = audit(sessions.get(auditIndex).attributes(), params, length);
        } else {
            tpm.sessions().exclusiveAudit(0);
        }
        for (int i = 0; i < sessions.size(); i++) {
            Session s = sessions.get(i);
            AuthSession session = loaded[i];
            if (session == null) {
                w.u16(0).u8(s.attributes() | CONTINUE_SESSION).u16(0);
                continue;
            }
            int attributes = i == auditIndex ? auditAttributes : s.attributes();
            w.tpm2b(session.nonceTpm()).u8(attributes).tpm2b(responseHmac(i, attributes, params, length));
            if (s.has(CONTINUE_SESSION)) {
                session.resetPolicy();
            } else {
                tpm.sessions().flush(session.handle());
            }
        }
    }

    /**
     * The response HMAC of session {@code i}: empty for a policy session with PolicyPassword, and when
     * both the key and the command's HMAC were empty.
     */
    private byte[] responseHmac(int i, int attributes, byte[] params, int length) {
        AuthSession session = loaded[i];
        Session s = sessions.get(i);
        if (session.isPolicy() && session.passwordNeeded()) {
            return new byte[0];
        }
        byte[] key = SessionHmac.key(session, includeAuth[i] && associated[i] != null ? responseAuth(i) : null);
        if (key.length == 0 && s.hmac().length == 0) {
            return new byte[0];
        }
        byte[] rpHash = SessionHmac.rpHash(session.authHash(), spec.cc().code(), params, length);
        return SessionHmac.response(session, key, rpHash, s.nonce(), attributes);
    }

    /**
     * Session audit (Part 1, 19.6.14): on first use or auditReset the session starts a zero digest and
     * becomes the exclusive audit session; a use after any command that was not audited by it ends
     * its exclusivity. Extends the digest with cpHash and rpHash; returns the response attributes with
     * auditExclusive telling whether the session is still exclusive.
     */
    private int audit(int attributes, byte[] params, int length) {
        AuthSession session = loaded[auditIndex];
        SessionSlots slots = tpm.sessions();
        if (!session.isAudit() || (attributes & AUDIT_RESET) != 0) {
            session.startAudit();
            slots.exclusiveAudit(session.handle());
        } else if (slots.exclusiveAudit() != session.handle()) {
            slots.exclusiveAudit(0);
        }
        byte[] rpHash = SessionHmac.rpHash(session.authHash(), spec.cc().code(), params, length);
        session.extendAudit(cpHash.digest(session.authHash()), rpHash);
        return slots.exclusiveAudit() == session.handle() ? attributes | AUDIT_EXCLUSIVE
                : attributes & ~AUDIT_EXCLUSIVE;
    }

    /** A command that allows sessions ran without an audit session: no session is exclusive any more. */
    static void notAudited(TpmEngine tpm) {
        tpm.sessions().exclusiveAudit(0);
    }
}
