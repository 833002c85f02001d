package org.jswtpm.core.engine;

import javax.crypto.Mac;
import org.jswtpm.core.crypto.HashAlg;
import org.jswtpm.core.crypto.Hmac;
import org.jswtpm.core.marshal.TpmWriter;
import org.jswtpm.core.types.TpmRh;
import org.jswtpm.core.types.TpmSt;

/**
 * Tickets (TCG TPM 2.0 Part 2, 10.7): HMACs keyed with a hierarchy's proof that let the TPM later
 * trust something it computed earlier.
 */
public final class Tickets {
    /** The hash of context and ticket integrity (TPM_PT_CONTEXT_HASH). */
    public static final HashAlg CONTEXT_INTEGRITY_HASH = HashAlg.SHA512;

    private Tickets() {
    }

    /**
     * Writes a TPMT_TK_HASHCHECK (Part 2, 10.7.6) for {@code digest} computed with {@code hashAlg}:
     * HMAC(proof, TPM_ST_HASHCHECK || hashAlg || digest); the NULL ticket for TPM_RH_NULL or when
     * {@code nullTicket} is set.
     */
    public static void writeHashCheck(TpmWriter w, TpmEngine tpm, int hierarchy, HashAlg hashAlg,
            byte[] digest, boolean nullTicket) {
        w.u16(TpmSt.HASHCHECK);
        if (nullTicket || hierarchy == TpmRh.NULL) {
            w.u32(TpmRh.NULL).u16(0);
            return;
        }
        Mac mac = Hmac.start(CONTEXT_INTEGRITY_HASH, tpm.hierarchies().proof(hierarchy));
        mac.update(new byte[] {(byte) (TpmSt.HASHCHECK >>> 8), (byte) TpmSt.HASHCHECK});
        mac.update(new byte[] {(byte) (hashAlg.id() >>> 8), (byte) hashAlg.id()});
        mac.update(digest);
        w.u32(hierarchy).tpm2b(mac.doFinal());
    }
}
