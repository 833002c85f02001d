package org.jswtpm.core.crypto;

import org.jswtpm.core.TpmException;
import org.jswtpm.core.marshal.TpmReader;
import org.jswtpm.core.marshal.TpmWriter;
import org.jswtpm.core.types.TpmAlg;
import org.jswtpm.core.types.TpmRc;

/**
 * TPMT_SIG_SCHEME (TCG TPM 2.0 Part 2, 11.2.1.5): a signing scheme selector (TPMI_ALG_SIG_SCHEME+)
 * followed, unless it is TPM_ALG_NULL, by its hash and, for ECDAA, the commit count.
 *
 * @param alg HMAC, RSASSA, RSAPSS, ECDSA, ECDAA, SM2, ECSCHNORR or NULL
 * @param hashAlg the scheme's hash (TPM_ALG_NULL with the NULL scheme)
 * @param count the ECDAA commit counter; 0 otherwise
 */
public record SigScheme(int alg, int hashAlg, int count) {
    public static final SigScheme NULL = new SigScheme(TpmAlg.NULL.id(), TpmAlg.NULL.id(), 0);

    /** True for the selectors of TPMI_ALG_SIG_SCHEME (without NULL). */
    public static boolean isSigScheme(int alg) {
        return alg == TpmAlg.HMAC.id() || alg == TpmAlg.RSASSA.id() || alg == TpmAlg.RSAPSS.id()
                || alg == TpmAlg.ECDSA.id() || alg == TpmAlg.ECDAA.id() || alg == TpmAlg.SM2.id()
                || alg == TpmAlg.ECSCHNORR.id();
    }

    public boolean isNull() {
        return alg == TpmAlg.NULL.id();
    }

    public HashAlg hash() {
        return HashAlg.of(hashAlg);
    }

    /** Reads a TPMT_SIG_SCHEME: an unknown selector is TPM_RC_SCHEME, a bad hash TPM_RC_HASH. */
    public static SigScheme read(TpmReader r) throws TpmException {
        int alg = r.u16();
        if (alg == TpmAlg.NULL.id()) {
            return NULL;
        }
        if (!isSigScheme(alg)) {
            throw r.error(TpmRc.SCHEME);
        }
        int hash = r.u16();
        if (HashAlg.of(hash) == null) {
            throw r.error(TpmRc.HASH);
        }
        int count = alg == TpmAlg.ECDAA.id() ? r.u16() : 0;
        return new SigScheme(alg, hash, count);
    }

    public void write(TpmWriter w) {
        w.u16(alg);
        if (isNull()) {
            return;
        }
        w.u16(hashAlg);
        if (alg == TpmAlg.ECDAA.id()) {
            w.u16(count);
        }
    }
}
