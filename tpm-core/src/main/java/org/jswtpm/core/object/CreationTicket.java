package org.jswtpm.core.object;

import org.jswtpm.core.TpmException;
import org.jswtpm.core.crypto.HashAlg;
import org.jswtpm.core.marshal.TpmReader;
import org.jswtpm.core.marshal.TpmWriter;
import org.jswtpm.core.types.TpmRc;
import org.jswtpm.core.types.TpmSt;

/**
 * TPMT_TK_CREATION (TCG TPM 2.0 Part 2, 10.7.3): proof that the TPM created an object with a given
 * creation hash, HMAC(proof of hierarchy, TPM_ST_CREATION || Name || creationHash); TPM2_CertifyCreation
 * checks it.
 */
public record CreationTicket(int hierarchy, byte[] digest) {
    /** Reads a ticket; a tag other than TPM_ST_CREATION is TPM_RC_TAG. */
    public static CreationTicket read(TpmReader r) throws TpmException {
        if (r.u16() != TpmSt.CREATION) {
            throw r.error(TpmRc.TAG);
        }
        return new CreationTicket(r.u32(), r.tpm2b(HashAlg.MAX_DIGEST_SIZE));
    }

    public void write(TpmWriter w) {
        w.u16(TpmSt.CREATION).u32(hierarchy).tpm2b(digest);
    }
}
