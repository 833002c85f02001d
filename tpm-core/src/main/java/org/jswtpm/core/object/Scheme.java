package org.jswtpm.core.object;

import org.jswtpm.core.TpmException;
import org.jswtpm.core.crypto.HashAlg;
import org.jswtpm.core.marshal.TpmReader;
import org.jswtpm.core.marshal.TpmWriter;
import org.jswtpm.core.types.TpmAlg;
import org.jswtpm.core.types.TpmRc;

/**
 * A scheme with its details (TCG TPM 2.0 Part 2, 11.2): TPMT_RSA_SCHEME, TPMT_ECC_SCHEME,
 * TPMT_KEYEDHASH_SCHEME and TPMT_KDF_SCHEME all marshal as an algorithm followed, unless it is
 * TPM_ALG_NULL, by a hash and, for ECDAA and XOR, one more 16-bit field.
 *
 * @param alg the scheme
 * @param hashAlg its hash (TPM_ALG_NULL when the scheme has none)
 * @param extra the ECDAA count or the XOR KDF; 0 otherwise
 */
public record Scheme(int alg, int hashAlg, int extra) {
    public static final Scheme NULL = new Scheme(TpmAlg.NULL.id(), TpmAlg.NULL.id(), 0);

    /** Which union a scheme belongs to, and so which selectors and details it allows. */
    public enum Kind {
        RSA(TpmAlg.RSASSA, TpmAlg.RSAPSS, TpmAlg.RSAES, TpmAlg.OAEP),
        ECC(TpmAlg.ECDSA, TpmAlg.ECDH, TpmAlg.ECSCHNORR, TpmAlg.ECDAA, TpmAlg.SM2),
        KEYEDHASH(TpmAlg.HMAC, TpmAlg.XOR),
        KDF(TpmAlg.KDF1_SP800_56A, TpmAlg.KDF2, TpmAlg.KDF1_SP800_108, TpmAlg.MGF1);

        private final TpmAlg[] allowed;

        Kind(TpmAlg... allowed) {
            this.allowed = allowed;
        }

        boolean allows(int alg) {
            for (TpmAlg a : allowed) {
                if (a.id() == alg) {
                    return true;
                }
            }
            return false;
        }
    }

    public boolean isNull() {
        return alg == TpmAlg.NULL.id();
    }

    /** Reads a scheme of {@code kind}; an unknown selector is TPM_RC_VALUE (TPM_RC_SCHEME for ECC,
     * TPM_RC_KDF for a KDF), as the reference unmarshalling code reports it. */
    public static Scheme read(TpmReader r, Kind kind) throws TpmException {
        int alg = r.u16();
        if (alg == TpmAlg.NULL.id()) {
            return NULL;
        }
        if (!kind.allows(alg)) {
            throw r.error(kind == Kind.KDF ? TpmRc.KDF : kind == Kind.ECC ? TpmRc.SCHEME : TpmRc.VALUE);
        }
        if (alg == TpmAlg.RSAES.id()) {
            return new Scheme(alg, TpmAlg.NULL.id(), 0);
        }
        int hash = r.u16();
        if (HashAlg.of(hash) == null && !(hash == TpmAlg.NULL.id() && alg == TpmAlg.XOR.id())) {
            throw r.error(TpmRc.HASH);
        }
        int extra = 0;
        if (alg == TpmAlg.ECDAA.id()) {
            extra = r.u16();
        } else if (alg == TpmAlg.XOR.id()) {
            extra = r.u16();
            if (extra != TpmAlg.NULL.id() && !Kind.KDF.allows(extra)) {
                throw r.error(TpmRc.KDF);
            }
        }
        return new Scheme(alg, hash, extra);
    }

    public void write(TpmWriter w) {
        w.u16(alg);
        if (isNull()) {
            return;
        }
        if (alg != TpmAlg.RSAES.id()) {
            w.u16(hashAlg);
        }
        if (alg == TpmAlg.ECDAA.id() || alg == TpmAlg.XOR.id()) {
            w.u16(extra);
        }
    }
}
