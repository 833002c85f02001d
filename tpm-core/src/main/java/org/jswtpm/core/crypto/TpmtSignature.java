package org.jswtpm.core.crypto;

import java.util.Arrays;
import org.jswtpm.core.TpmException;
import org.jswtpm.core.marshal.TpmReader;
import org.jswtpm.core.marshal.TpmWriter;
import org.jswtpm.core.types.TpmAlg;
import org.jswtpm.core.types.TpmRc;

/**
 * TPMT_SIGNATURE (TCG TPM 2.0 Part 2, 11.3.4): the signature algorithm, then TPMU_SIGNATURE selected by
 * it: for RSASSA and RSAPSS the hash and a TPM2B_PUBLIC_KEY_RSA; for the ECC schemes the hash and the
 * TPM2B_ECC_PARAMETERs r and s; for HMAC a TPMT_HA; nothing for TPM_ALG_NULL.
 *
 * @param sigAlg the signature scheme
 * @param hashAlg the hash the scheme used (TPM_ALG_NULL for the NULL signature)
 * @param sig the RSA signature, the ECC r, or the HMAC digest
 * @param s the ECC s; null for the other schemes
 */
public record TpmtSignature(int sigAlg, int hashAlg, byte[] sig, byte[] s) {
    /** MAX_RSA_KEY_BYTES. */
    static final int MAX_RSA_BYTES = 512;
    /** MAX_ECC_KEY_BYTES: libtpms 0.9 builds BN P-638, whose coordinates are 80 bytes. */
    static final int MAX_ECC_BYTES = 80;

    public static final TpmtSignature NULL = new TpmtSignature(TpmAlg.NULL.id(), TpmAlg.NULL.id(), null, null);

    public static TpmtSignature rsa(int sigAlg, int hashAlg, byte[] sig) {
        return new TpmtSignature(sigAlg, hashAlg, sig, null);
    }

    public static TpmtSignature ecc(int sigAlg, int hashAlg, byte[] r, byte[] s) {
        return new TpmtSignature(sigAlg, hashAlg, r, s);
    }

    public static TpmtSignature hmac(int hashAlg, byte[] digest) {
        return new TpmtSignature(TpmAlg.HMAC.id(), hashAlg, digest, null);
    }

    public boolean isNull() {
        return sigAlg == TpmAlg.NULL.id();
    }

    static boolean isRsa(int alg) {
        return alg == TpmAlg.RSASSA.id() || alg == TpmAlg.RSAPSS.id();
    }

    static boolean isEcc(int alg) {
        return alg == TpmAlg.ECDSA.id() || alg == TpmAlg.ECDAA.id() || alg == TpmAlg.SM2.id()
                || alg == TpmAlg.ECSCHNORR.id();
    }

    /** The ECC r (same as {@link #sig()}). */
    public byte[] r() {
        return sig;
    }

    /**
     * Reads a TPMT_SIGNATURE sent as a command parameter: an unknown or NULL sigAlg is TPM_RC_SCHEME, a
     * bad hash TPM_RC_HASH, an oversized field TPM_RC_SIZE.
     */
    public static TpmtSignature read(TpmReader r) throws TpmException {
        return read(r, false);
    }

    /**
     * Reads a TPMT_SIGNATURE; the NULL signature only with {@code allowNull} (a response), as a command
     * parameter it is TPM_RC_SCHEME like any other unknown selector.
     */
    public static TpmtSignature read(TpmReader r, boolean allowNull) throws TpmException {
        int alg = r.u16();
        if (alg == TpmAlg.NULL.id()) {
            if (!allowNull) {
                throw r.error(TpmRc.SCHEME);
            }
            return NULL;
        }
        if (!SigScheme.isSigScheme(alg)) {
            throw r.error(TpmRc.SCHEME);
        }
        int hashId = r.u16();
        HashAlg hash = HashAlg.of(hashId);
        if (hash == null) {
            throw r.error(TpmRc.HASH);
        }
        if (alg == TpmAlg.HMAC.id()) {
            return hmac(hashId, r.bytes(hash.digestSize()));
        }
        if (isRsa(alg)) {
            return rsa(alg, hashId, r.tpm2b(MAX_RSA_BYTES));
        }
        byte[] sr = r.tpm2b(MAX_ECC_BYTES);
        return ecc(alg, hashId, sr, r.tpm2b(MAX_ECC_BYTES));
    }

    public void write(TpmWriter w) {
        w.u16(sigAlg);
        if (isNull()) {
            return;
        }
        w.u16(hashAlg);
        if (sigAlg == TpmAlg.HMAC.id()) {
            w.bytes(sig);
        } else if (isRsa(sigAlg)) {
            w.tpm2b(sig);
        } else {
            w.tpm2b(sig).tpm2b(s);
        }
    }

    public byte[] toBytes() {
        TpmWriter w = new TpmWriter(600);
        write(w);
        return w.toByteArray();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TpmtSignature t && t.sigAlg == sigAlg && t.hashAlg == hashAlg
                && Arrays.equals(t.sig, sig) && Arrays.equals(t.s, s);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * sigAlg + hashAlg) + Arrays.hashCode(sig);
    }

    @Override
    public String toString() {
        return "TpmtSignature[" + TpmAlg.of(sigAlg) + "/" + TpmAlg.of(hashAlg) + "]";
    }
}
