package org.jswtpm.core.command;

import static org.jswtpm.core.command.PolicyCommands.u32;

import java.security.MessageDigest;
import org.jswtpm.core.TpmException;
import org.jswtpm.core.crypto.HashAlg;
import org.jswtpm.core.crypto.Signatures;
import org.jswtpm.core.crypto.TpmtSignature;
import org.jswtpm.core.engine.AuthTickets;
import org.jswtpm.core.engine.CommandContext;
import org.jswtpm.core.engine.CommandHandler;
import org.jswtpm.core.engine.ConstantTime;
import org.jswtpm.core.engine.Entity;
import org.jswtpm.core.engine.NvEntity;
import org.jswtpm.core.engine.SigningTickets;
import org.jswtpm.core.engine.TpmEngine;
import org.jswtpm.core.engine.session.AuthSession;
import org.jswtpm.core.engine.session.SessionFactory;
import org.jswtpm.core.marshal.TpmReader;
import org.jswtpm.core.object.TpmObject;
import org.jswtpm.core.marshal.TpmWriter;
import org.jswtpm.core.types.TpmCc;
import org.jswtpm.core.types.TpmRc;
import org.jswtpm.core.types.TpmRh;
import org.jswtpm.core.types.TpmSt;
import org.jswtpm.core.types.TpmaNv;

/**
 * TCG TPM 2.0 Part 3, 23: the assertions that name an authority — PolicySigned (a signature,
 * checked by {@link Signatures}), PolicySecret (an entity's authorization), PolicyTicket (a ticket
 * from either) and PolicyAuthorize (a policy approved by a signing key, through a TPMT_TK_VERIFIED
 * from TPM2_VerifySignature) — and what PolicySigned and PolicySecret share: nonceTPM, expiration and
 * cpHashA checks, the policyDigest update H(H(policyDigest || cc || authName) || policyRef), timeouts
 * and TPMT_TK_AUTH tickets (Part 1, 19.7.11 "policy timeout"; Part 3, 23.2 "policy command support").
 */
final class PolicyAuthCommands {
    private PolicyAuthCommands() {
    }

    /** The parameters PolicySigned and PolicySecret share, and the position of each for errors. */
    record Assertion(byte[] nonceTpm, byte[] cpHashA, byte[] policyRef, int expiration) {
    }

    /** nonceTPM, cpHashA, policyRef, expiration: parameters 1 to 4. */
    static Assertion readAssertion(TpmReader in) throws TpmException {
        byte[] nonce = in.parameter(1).tpm2b(HashAlg.MAX_DIGEST_SIZE);
        byte[] cpHash = in.parameter(2).tpm2b(HashAlg.MAX_DIGEST_SIZE);
        byte[] ref = in.parameter(3).tpm2b(HashAlg.MAX_DIGEST_SIZE);
        return new Assertion(nonce, cpHash, ref, in.parameter(4).u32());
    }

    /**
     * The timeout an expiration asks for (Part 3, 23.3.1): 0 for none; with a nonceTPM |expiration|
     * seconds after the session started, without one |expiration| seconds of TPM Time (plus the
     * current milliseconds, so as not to expire early).
     */
    static long authTimeout(TpmEngine tpm, AuthSession s, int expiration, byte[] nonceTpm) {
        if (expiration == 0) {
            return 0;
        }
        long seconds = Math.abs((long) expiration);
        return nonceTpm.length == 0 ? seconds * 1000 + tpm.clock().time() % 1000
                : s.startTime() + seconds * 1000;
    }

    /**
     * Checks of a policy session's assertion: a non-empty nonceTPM must be the session's (TPM_RC_NONCE),
     * a timeout must not have passed (TPM_RC_EXPIRED), a non-empty cpHashA must be of the session hash's
     * size (TPM_RC_SIZE) and agree with a cpHash already set (TPM_RC_CPHASH).
     */
    static void checkAssertion(TpmEngine tpm, AuthSession s, long timeout, byte[] cpHashA, byte[] nonce,
            int nonceParam, int cpHashParam, int expirationParam) throws TpmException {
        if (nonce != null && nonce.length != 0 && !ConstantTime.equals(nonce, s.nonceTpm())) {
            throw new TpmException(TpmRc.NONCE.parameter(nonceParam));
        }
        if (timeout != 0 && (Long.compareUnsigned(timeout, tpm.clock().time()) < 0
                || s.epoch() != SessionFactory.timeEpoch(tpm))) {
            throw new TpmException(TpmRc.EXPIRED.parameter(expirationParam));
        }
        if (cpHashA.length != 0) {
            if (cpHashA.length != s.authHash().digestSize()) {
                throw new TpmException(TpmRc.SIZE.parameter(cpHashParam));
            }
            if (s.constraint() != AuthSession.CONSTRAINT_NONE && !ConstantTime.equals(cpHashA, s.constraintDigest())) {
                throw new TpmException(TpmRc.CPHASH);
            }
        }
    }

    /**
     * policyDigest := H(H(policyDigest || cc || authName) || policyRef); a non-empty cpHashA becomes the
     * session's cpHash; the earlier of the timeouts stays.
     */
    static void update(AuthSession s, TpmCc cc, byte[] authName, byte[] policyRef, byte[] cpHashA, long timeout) {
        s.extendPolicy(u32(cc.code()), authName);
        s.extendPolicy(policyRef);
        if (cpHashA.length != 0) {
            s.constrain(AuthSession.CONSTRAINT_CP_HASH, cpHashA);
        }
        s.limitTimeout(timeout);
    }

    /**
     * The response of PolicySigned and PolicySecret: for a negative expiration in a policy session a
     * TPM2B_TIMEOUT (the timeout, its top bit set if it ends at TPM Reset because there was no
     * nonceTPM) and a TPMT_TK_AUTH of the authority's hierarchy; otherwise an empty timeout and a NULL
     * ticket.
     */
    static void writeTicket(TpmWriter out, CommandContext ctx, AuthSession s, int tag, Assertion p, long timeout,
            Entity authority, int authHandle, boolean ticketAllowed) {
        if (p.expiration() >= 0 || s.isTrial() || !ticketAllowed) {
            out.u16(0).u16(tag).u32(TpmRh.NULL).u16(0);
            return;
        }
        boolean expiresOnReset = p.nonceTpm().length == 0;
        int hierarchy = AuthTickets.hierarchyOf(authority, authHandle);
        byte[] digest = AuthTickets.digest(ctx.tpm(), tag, hierarchy, timeout, expiresOnReset, p.cpHashA(),
                p.policyRef(), name(authority, authHandle));
        out.u16(8).u64(expiresOnReset ? timeout | AuthTickets.EXPIRES_ON_RESET : timeout);
        out.u16(tag).u32(hierarchy).tpm2b(digest);
    }

    static byte[] name(Entity e, int handle) {
        return e != null ? e.name() : u32(handle);
    }

    /**
     * Part 3, 23.4 TPM2_PolicySecret: the pipeline has authorized authHandle (USER role); in a policy
     * session the nonceTPM, expiration and cpHashA checks follow (TPM_RC_NONCE, TPM_RC_EXPIRED,
     * TPM_RC_SIZE, TPM_RC_CPHASH on parameters 1, 4, 2). policyDigest := H(H(policyDigest ||
     * TPM_CC_PolicySecret || authName) || policyRef). A negative expiration returns a TPM_ST_AUTH_SECRET
     * ticket (not for a PIN-pass index).
     */
    static final class PolicySecret implements CommandHandler<Assertion> {
        @Override
        public Assertion parse(TpmReader in) throws TpmException {
            return readAssertion(in);
        }

        @Override
        public void execute(CommandContext ctx, Assertion p, TpmWriter out) throws TpmException {
            AuthSession s = ctx.tpm().sessions().get(ctx.handle(1));
            long timeout = 0;
            if (!s.isTrial()) {
                timeout = authTimeout(ctx.tpm(), s, p.expiration(), p.nonceTpm());
                checkAssertion(ctx.tpm(), s, timeout, p.cpHashA(), p.nonceTpm(), 1, 2, 4);
            }
            Entity authority = ctx.authEntity(0);
            update(s, TpmCc.PolicySecret, name(authority, ctx.handle(0)), p.policyRef(), p.cpHashA(), timeout);
            boolean pinPass = authority instanceof NvEntity nv && nv.index().type() == TpmaNv.NT_PIN_PASS;
            writeTicket(out, ctx, s, TpmSt.AUTH_SECRET, p, timeout, authority, ctx.handle(0), !pinPass);
        }
    }

    record SignedIn(Assertion assertion, TpmtSignature auth) {
    }

    /**
     * Part 3, 23.3 TPM2_PolicySigned: in a policy session, after the nonceTPM, expiration and cpHashA
     * checks, auth must be authObject's signature over aHash = H_sigHash(nonceTPM || expiration ||
     * cpHashA || policyRef) (TPM_RC_SCHEME, TPM_RC_SIGNATURE, parameter 5; TPM_RC_ATTRIBUTES, handle 1,
     * for a key that does not sign). policyDigest := H(H(policyDigest || TPM_CC_PolicySigned ||
     * authObject Name) || policyRef); a negative expiration returns a TPM_ST_AUTH_SIGNED ticket. A trial
     * session checks nothing, but a NULL signature is TPM_RC_SCHEME (parameter 5) in any session, as the
     * reference's unmarshalling rejects it.
     */
    static final class PolicySigned implements CommandHandler<SignedIn> {
        @Override
        public SignedIn parse(TpmReader in) throws TpmException {
            Assertion a = readAssertion(in);
            TpmReader r = in.parameter(5);
            TpmtSignature sig = TpmtSignature.read(r);
            if (sig.isNull()) {
                throw r.error(TpmRc.SCHEME);
            }
            return new SignedIn(a, sig);
        }

        @Override
        public void execute(CommandContext ctx, SignedIn in, TpmWriter out) throws TpmException {
            AuthSession s = ctx.tpm().sessions().get(ctx.handle(1));
            TpmObject key = ObjectCommands.object(ctx, 0);
            Assertion p = in.assertion();
            long timeout = 0;
            if (!s.isTrial()) {
                timeout = authTimeout(ctx.tpm(), s, p.expiration(), p.nonceTpm());
                checkAssertion(ctx.tpm(), s, timeout, p.cpHashA(), p.nonceTpm(), 1, 2, 4);
                verify(key, p, in.auth());
            }
            update(s, TpmCc.PolicySigned, key.name(), p.policyRef(), p.cpHashA(), timeout);
            writeTicket(out, ctx, s, TpmSt.AUTH_SIGNED, p, timeout, key, ctx.handle(0), true);
        }

        private static void verify(TpmObject key, Assertion p, TpmtSignature sig) throws TpmException {
            HashAlg hash = HashAlg.of(sig.hashAlg());
            if (sig.isNull() || hash == null) {
                throw new TpmException(TpmRc.SCHEME.parameter(5));
            }
            if (!Signatures.isSigningKey(key.publicArea())) {
                throw new TpmException(TpmRc.ATTRIBUTES.handle(1));
            }
            MessageDigest md = hash.newDigest();
            md.update(p.nonceTpm());
            md.update(u32(p.expiration()));
            md.update(p.cpHashA());
            md.update(p.policyRef());
            try {
                Signatures.verify(key, md.digest(), sig);
            } catch (TpmException e) {
                throw new TpmException(e.rc().parameter(5));
            }
        }
    }

    record TicketIn(byte[] timeout, byte[] cpHashA, byte[] policyRef, byte[] authName, int tag, int hierarchy,
            byte[] digest) {
    }

    /** TPMI_RH_HIERARCHY+ of a ticket: TPM_RC_VALUE for anything else. */
    static int ticketHierarchy(TpmReader in) throws TpmException {
        int h = in.u32();
        if (h != TpmRh.OWNER && h != TpmRh.ENDORSEMENT && h != TpmRh.PLATFORM && h != TpmRh.NULL) {
            throw in.error(TpmRc.VALUE);
        }
        return h;
    }

    /**
     * Part 3, 23.5 TPM2_PolicyTicket: replays a PolicySigned or PolicySecret through the ticket either
     * returned. TPM_RC_ATTRIBUTES (handle 1) in a trial session; TPM_RC_SIZE (parameter 1) for a
     * timeout that is not 8 bytes; TPM_RC_EXPIRED (parameter 1), TPM_RC_SIZE (parameter 2) and
     * TPM_RC_CPHASH as for the assertion; TPM_RC_TICKET (parameter 5) for a ticket this TPM did not
     * make for exactly these values.
     */
    static final class PolicyTicket implements CommandHandler<TicketIn> {
        @Override
        public TicketIn parse(TpmReader in) throws TpmException {
            byte[] timeout = in.parameter(1).tpm2b(8);
            byte[] cpHash = in.parameter(2).tpm2b(HashAlg.MAX_DIGEST_SIZE);
            byte[] ref = in.parameter(3).tpm2b(HashAlg.MAX_DIGEST_SIZE);
            byte[] name = in.parameter(4).tpm2b(PolicyAssertionCommands.MAX_NAME);
            TpmReader t = in.parameter(5);
            int tag = t.u16();
            if (tag != TpmSt.AUTH_SIGNED && tag != TpmSt.AUTH_SECRET) {
                throw t.error(TpmRc.TAG);
            }
            int hierarchy = ticketHierarchy(t);
            byte[] digest = t.tpm2b(HashAlg.MAX_DIGEST_SIZE);
            return new TicketIn(timeout, cpHash, ref, name, tag, hierarchy, digest);
        }

        @Override
        public void execute(CommandContext ctx, TicketIn p, TpmWriter out) throws TpmException {
            AuthSession s = ctx.tpm().sessions().get(ctx.handle(0));
            if (s.isTrial()) {
                throw new TpmException(TpmRc.ATTRIBUTES.handle(1));
            }
            if (p.timeout().length != 8) {
                throw new TpmException(TpmRc.SIZE.parameter(1));
            }
            long value = new TpmReader(p.timeout()).u64();
            boolean expiresOnReset = (value & AuthTickets.EXPIRES_ON_RESET) != 0;
            long timeout = value & ~AuthTickets.EXPIRES_ON_RESET;
            checkAssertion(ctx.tpm(), s, timeout, p.cpHashA(), null, 0, 2, 1);
            byte[] expected = AuthTickets.digest(ctx.tpm(), p.tag(), p.hierarchy(), timeout, expiresOnReset,
                    p.cpHashA(), p.policyRef(), p.authName());
            if (expected == null || !ConstantTime.equals(expected, p.digest())) {
                throw new TpmException(TpmRc.TICKET.parameter(5));
            }
            TpmCc cc = p.tag() == TpmSt.AUTH_SIGNED ? TpmCc.PolicySigned : TpmCc.PolicySecret;
            update(s, cc, p.authName(), p.policyRef(), p.cpHashA(), timeout);
        }
    }

    record AuthorizeIn(byte[] approvedPolicy, byte[] policyRef, byte[] keySign, int hierarchy, byte[] digest) {
    }

    /**
     * Part 3, 23.16 TPM2_PolicyAuthorize: replaces the policyDigest by one that names the signing key
     * (H(H(zeros || TPM_CC_PolicyAuthorize || keySign) || policyRef)) when, in a policy session,
     * approvedPolicy is the current policyDigest (TPM_RC_VALUE, parameter 1) and checkTicket is
     * TPM2_VerifySignature's ticket for H(approvedPolicy || policyRef) under the key named keySign
     * (TPM_RC_VALUE, parameter 4). keySign must be a Name with a known hash (TPM_RC_SIZE,
     * TPM_RC_HASH, parameter 3).
     */
    static final class PolicyAuthorize implements CommandHandler<AuthorizeIn> {
        @Override
        public AuthorizeIn parse(TpmReader in) throws TpmException {
            byte[] approved = in.parameter(1).tpm2b(HashAlg.MAX_DIGEST_SIZE);
            byte[] ref = in.parameter(2).tpm2b(HashAlg.MAX_DIGEST_SIZE);
            byte[] keySign = in.parameter(3).tpm2b(PolicyAssertionCommands.MAX_NAME);
            TpmReader t = in.parameter(4);
            if (t.u16() != TpmSt.VERIFIED) {
                throw t.error(TpmRc.TAG);
            }
            int hierarchy = ticketHierarchy(t);
            return new AuthorizeIn(approved, ref, keySign, hierarchy, t.tpm2b(HashAlg.MAX_DIGEST_SIZE));
        }

        @Override
        public void execute(CommandContext ctx, AuthorizeIn p, TpmWriter out) throws TpmException {
            AuthSession s = ctx.tpm().sessions().get(ctx.handle(0));
            byte[] keySign = p.keySign();
            if (keySign.length < 2) {
                throw new TpmException(TpmRc.SIZE.parameter(3));
            }
            HashAlg hash = HashAlg.of(((keySign[0] & 0xFF) << 8) | (keySign[1] & 0xFF));
            if (hash == null) {
                throw new TpmException(TpmRc.HASH.parameter(3));
            }
            if (hash.digestSize() != keySign.length - 2) {
                throw new TpmException(TpmRc.SIZE.parameter(3));
            }
            if (!s.isTrial()) {
                if (!ConstantTime.equals(s.policyDigest(), p.approvedPolicy())) {
                    throw new TpmException(TpmRc.VALUE.parameter(1));
                }
                MessageDigest md = hash.newDigest();
                md.update(p.approvedPolicy());
                md.update(p.policyRef());
                byte[] expected = SigningTickets.verified(ctx.tpm(), p.hierarchy(), md.digest(), keySign);
                if (!ConstantTime.equals(expected, p.digest())) {
                    throw new TpmException(TpmRc.VALUE.parameter(4));
                }
            }
            s.clearPolicyDigest();
            update(s, TpmCc.PolicyAuthorize, keySign, p.policyRef(), new byte[0], 0);
        }
    }
}
