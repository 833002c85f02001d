package org.jswtpm.core.engine;

import java.security.MessageDigest;
import javax.crypto.Mac;
import org.jswtpm.core.TpmException;
import org.jswtpm.core.crypto.HashAlg;
import org.jswtpm.core.crypto.Hmac;
import org.jswtpm.core.marshal.TpmReader;
import org.jswtpm.core.marshal.TpmWriter;
import org.jswtpm.core.types.TpmRc;
import org.jswtpm.core.types.TpmRh;
import org.jswtpm.core.types.TpmSt;

/**
 * The tickets of signing (TCG TPM 2.0 Part 2, 10.7): TPMT_TK_HASHCHECK, which lets a restricted key sign
 * a digest the TPM computed over data that did not start with TPM_GENERATED_VALUE, and TPMT_TK_VERIFIED,
 * which says the TPM checked a signature. Both are HMACs keyed with the hierarchy's proof (the null
 * hierarchy's proof for TPM_RH_NULL, as the reference's HierarchyGetProof gives it).
 */
public final class SigningTickets {
    private SigningTickets() {
    }

    /** A ticket as received: tag, hierarchy, HMAC. */
    public record Ticket(int tag, int hierarchy, byte[] digest) {
        /**
         * Reads a ticket whose tag must be {@code tag} (else TPM_RC_TAG); the hierarchy must be OWNER,
         * ENDORSEMENT, PLATFORM or NULL (else TPM_RC_VALUE).
         */
        public static Ticket read(TpmReader r, int tag) throws TpmException {
            if (r.u16() != tag) {
                throw r.error(TpmRc.TAG);
            }
            int h = r.u32();
            if (h != TpmRh.OWNER && h != TpmRh.ENDORSEMENT && h != TpmRh.PLATFORM && h != TpmRh.NULL) {
                throw r.error(TpmRc.VALUE);
            }
            return new Ticket(tag, h, r.tpm2b(HashAlg.MAX_DIGEST_SIZE));
        }

        public void write(TpmWriter w) {
            w.u16(tag).u32(hierarchy).tpm2b(digest);
        }
    }

    private static Mac start(TpmEngine tpm, int hierarchy, int tag) {
        Mac mac = Hmac.start(Tickets.CONTEXT_INTEGRITY_HASH, tpm.hierarchies().proof(hierarchy));
        mac.update(new byte[] {(byte) (tag >>> 8), (byte) tag});
        return mac;
    }

    /** HMAC(proof, TPM_ST_HASHCHECK || hashAlg || digest). */
    public static byte[] hashCheck(TpmEngine tpm, int hierarchy, HashAlg hashAlg, byte[] digest) {
        Mac mac = start(tpm, hierarchy, TpmSt.HASHCHECK);
        mac.update(new byte[] {(byte) (hashAlg.id() >>> 8), (byte) hashAlg.id()});
        mac.update(digest);
        return mac.doFinal();
    }

    /** True if {@code t} is the hash-check ticket this TPM made for {@code digest} with {@code hashAlg}. */
    public static boolean checkHashCheck(TpmEngine tpm, Ticket t, HashAlg hashAlg, byte[] digest) {
        return MessageDigest.isEqual(t.digest(), hashCheck(tpm, t.hierarchy(), hashAlg, digest));
    }

    /** HMAC(proof, TPM_ST_VERIFIED || digest || keyName) (Part 2, 10.7.4). */
    public static byte[] verified(TpmEngine tpm, int hierarchy, byte[] digest, byte[] keyName) {
        Mac mac = start(tpm, hierarchy, TpmSt.VERIFIED);
        mac.update(digest);
        mac.update(keyName);
        return mac.doFinal();
    }

    /** True if {@code t} is the verified ticket this TPM made for {@code digest} and {@code keyName}. */
    public static boolean checkVerified(TpmEngine tpm, Ticket t, byte[] digest, byte[] keyName) {
        return MessageDigest.isEqual(t.digest(), verified(tpm, t.hierarchy(), digest, keyName));
    }
}
