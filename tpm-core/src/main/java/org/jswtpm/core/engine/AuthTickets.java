package org.jswtpm.core.engine;

import javax.crypto.Mac;
import org.jswtpm.core.crypto.Hmac;
import org.jswtpm.core.engine.session.SessionFactory;
import org.jswtpm.core.object.TpmObject;
import org.jswtpm.core.types.TpmRh;
import org.jswtpm.core.types.TpmaNv;

/**
 * TPMT_TK_AUTH tickets (TCG TPM 2.0 Part 2, 10.7.5; Part 3, 23.3 to 23.5) that PolicySigned and
 * PolicySecret hand out for a negative expiration and PolicyTicket takes back: HMAC(proof of the
 * authorizing entity's hierarchy, tag || cpHashA || policyRef || authName || timeout), with the time
 * epoch and, for a ticket that ends at the next TPM Reset, the reset count also in the HMAC when there
 * is a timeout. The HMAC is internal to this TPM; only its inputs are specified.
 */
public final class AuthTickets {
    /** The bit of a TPM2B_TIMEOUT value that marks a ticket expiring on TPM Reset (no nonceTPM). */
    public static final long EXPIRES_ON_RESET = 0x8000000000000000L;

    private AuthTickets() {
    }

    /** The ticket's digest, or null if {@code hierarchy} has no proof. */
    public static byte[] digest(TpmEngine tpm, int tag, int hierarchy, long timeout, boolean expiresOnReset,
            byte[] cpHash, byte[] policyRef, byte[] authName) {
        byte[] proof = tpm.hierarchies().proof(hierarchy);
        if (proof == null) {
            return null;
        }
        Mac mac = Hmac.start(Tickets.CONTEXT_INTEGRITY_HASH, proof);
        mac.update(new byte[] {(byte) (tag >>> 8), (byte) tag});
        mac.update(cpHash);
        mac.update(policyRef);
        mac.update(authName);
        mac.update(u64(timeout));
        if (timeout != 0) {
            mac.update(u64(SessionFactory.timeEpoch(tpm)));
            if (expiresOnReset) {
                mac.update(u64(tpm.permanent().resetCount));
            }
        }
        return mac.doFinal();
    }

    /**
     * The hierarchy of an entity for its tickets (the reference's EntityGetHierarchy): an object's
     * hierarchy; TPM_RH_PLATFORM for an index with TPMA_NV_PLATFORMCREATE, else TPM_RH_OWNER; a
     * permanent handle's own hierarchy (TPM_RH_OWNER for lockout and PCRs).
     */
    public static int hierarchyOf(Entity entity, int handle) {
        if (entity instanceof TpmObject o) {
            return o.hierarchy();
        }
        if (entity instanceof NvEntity nv) {
            return nv.index().has(TpmaNv.PLATFORMCREATE) ? TpmRh.PLATFORM : TpmRh.OWNER;
        }
        if (entity instanceof LoadedObject) {
            return TpmRh.NULL;
        }
        switch (handle) {
            case TpmRh.PLATFORM:
            case TpmRh.ENDORSEMENT:
            case TpmRh.NULL:
                return handle;
            default:
                return TpmRh.OWNER;
        }
    }

    static byte[] u64(long v) {
        byte[] b = new byte[8];
        for (int i = 0; i < 8; i++) {
            b[i] = (byte) (v >>> (56 - 8 * i));
        }
        return b;
    }
}
