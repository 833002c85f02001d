package org.jswtpm.core.engine.session;

import org.jswtpm.core.TpmException;
import org.jswtpm.core.crypto.HashAlg;
import org.jswtpm.core.marshal.TpmReader;
import org.jswtpm.core.marshal.TpmWriter;
import org.jswtpm.core.object.SymDef;
import org.jswtpm.core.types.TpmAlg;
import org.jswtpm.core.types.TpmRc;

/**
 * TPMT_SYM_DEF as a session's parameter-encryption algorithm (TCG TPM 2.0 Part 2, 11.1.6; Part 1, 21
 * "Session-based encryption"): TPM_ALG_NULL, TPM_ALG_XOR with a hash, or a block cipher (AES, Camellia,
 * TDES, as libtpms 0.9) with a key size and a mode (only CFB is usable for sessions).
 *
 * @param algorithm {@link TpmAlg#NULL}, {@link TpmAlg#XOR}, {@link TpmAlg#AES}, {@link TpmAlg#CAMELLIA} or
 *     {@link TpmAlg#TDES}
 * @param keyBits the cipher's key size; for XOR the TPM_ALG_ID of its hash; 0 for NULL
 * @param mode the block-cipher mode (TPM_ALG_ID), 0 for XOR and NULL
 */
public record SymmetricDef(TpmAlg algorithm, int keyBits, int mode) {
    public static final SymmetricDef NULL = new SymmetricDef(TpmAlg.NULL, 0, 0);

    public boolean isNull() {
        return algorithm == TpmAlg.NULL;
    }

    public boolean isXor() {
        return algorithm == TpmAlg.XOR;
    }

    /**
     * Reads a TPMT_SYM_DEF: an unknown algorithm is {@code TPM_RC_SYMMETRIC}, a key size libtpms does not
     * build (see {@link SymDef#isKeySize}) {@code TPM_RC_VALUE}, an unknown mode {@code TPM_RC_MODE}, an XOR hash that is
     * not implemented {@code TPM_RC_HASH}; all blamed where the reader points.
     */
    public static SymmetricDef read(TpmReader in) throws TpmException {
        int alg = in.u16();
        if (alg == TpmAlg.NULL.id()) {
            return NULL;
        }
        if (alg == TpmAlg.XOR.id()) {
            int hash = in.u16();
            if (HashAlg.of(hash) == null) {
                throw in.error(TpmRc.HASH);
            }
            return new SymmetricDef(TpmAlg.XOR, hash, 0);
        }
        if (!SymDef.isBlockCipher(alg)) {
            throw in.error(TpmRc.SYMMETRIC);
        }
        int keyBits = in.u16();
        if (!SymDef.isKeySize(alg, keyBits)) {
            throw in.error(TpmRc.VALUE);
        }
        int mode = in.u16();
        if (!isBlockMode(mode)) {
            throw in.error(TpmRc.MODE);
        }
        return new SymmetricDef(TpmAlg.of(alg), keyBits, mode);
    }

    /** TPMI_ALG_SYM_MODE: CTR, OFB, CBC, CFB, ECB. */
    private static boolean isBlockMode(int mode) {
        return mode == 0x0040 || mode == 0x0041 || mode == 0x0042 || mode == 0x0043 || mode == 0x0044;
    }

    public void write(TpmWriter w) {
        w.u16(algorithm.id());
        if (algorithm == TpmAlg.XOR) {
            w.u16(keyBits);
        } else if (algorithm != TpmAlg.NULL) {
            w.u16(keyBits).u16(mode);
        }
    }
}
