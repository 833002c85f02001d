package org.jswtpm.core.object;

import org.jswtpm.core.TpmException;
import org.jswtpm.core.marshal.TpmReader;
import org.jswtpm.core.marshal.TpmWriter;
import org.jswtpm.core.types.TpmAlg;
import org.jswtpm.core.types.TpmRc;

/**
 * TPMT_SYM_DEF_OBJECT (TCG TPM 2.0 Part 2, 11.1.7): the symmetric algorithm of a storage parent or a
 * symmetric cipher object: AES, Camellia or TDES with the key sizes libtpms 0.9 builds (its TpmProfile.h:
 * AES_128, AES_256, CAMELLIA_128, CAMELLIA_256, TDES_128, TDES_192); {@code alg} TPM_ALG_NULL carries no
 * key size or mode.
 *
 * @param alg TPM_ALG_AES, TPM_ALG_CAMELLIA, TPM_ALG_TDES or TPM_ALG_NULL
 * @param keyBits 128 or 256 (AES, Camellia), 128 or 192 (TDES)
 * @param mode the block mode (TPM_ALG_CFB, CTR, OFB, CBC, ECB) or TPM_ALG_NULL
 */
public record SymDef(int alg, int keyBits, int mode) {
    public static final SymDef NULL = new SymDef(TpmAlg.NULL.id(), 0, 0);

    public boolean isNull() {
        return alg == TpmAlg.NULL.id();
    }

    /** Reads a TPMT_SYM_DEF_OBJECT; {@code allowNull} for the "+" form of TPMI_ALG_SYM_OBJECT. */
    public static SymDef read(TpmReader r, boolean allowNull) throws TpmException {
        int alg = r.u16();
        if (alg == TpmAlg.NULL.id() && allowNull) {
            return NULL;
        }
        if (!isBlockCipher(alg)) {
            throw r.error(TpmRc.SYMMETRIC);
        }
        int bits = r.u16();
        if (!isKeySize(alg, bits)) {
            throw r.error(TpmRc.VALUE);
        }
        int mode = r.u16();
        if (!isMode(mode) && mode != TpmAlg.NULL.id()) {
            throw r.error(TpmRc.MODE);
        }
        return new SymDef(alg, bits, mode);
    }

    /** TPMI_ALG_SYM_OBJECT without NULL: the block ciphers libtpms 0.9 implements. */
    public static boolean isBlockCipher(int alg) {
        return alg == TpmAlg.AES.id() || alg == TpmAlg.CAMELLIA.id() || alg == TpmAlg.TDES.id();
    }

    /**
     * TPMI_AES_KEY_BITS, TPMI_CAMELLIA_KEY_BITS, TPMI_TDES_KEY_BITS as libtpms 0.9 unmarshals them: AES and
     * Camellia 128 or 256 (AES_192 and CAMELLIA_192 are NO in its profile), TDES 128 or 192.
     */
    public static boolean isKeySize(int alg, int bits) {
        if (alg == TpmAlg.TDES.id()) {
            return bits == 128 || bits == 192;
        }
        return bits == 128 || bits == 256;
    }

    /** The cipher's block size in bytes (16, or 8 for TDES), which is also its IV size. */
    public int blockSize() {
        return org.jswtpm.core.crypto.SymCiphers.blockSize(alg);
    }

    public static boolean isMode(int mode) {
        return mode == TpmAlg.CFB.id() || mode == TpmAlg.CTR.id() || mode == TpmAlg.OFB.id()
                || mode == TpmAlg.CBC.id() || mode == TpmAlg.ECB.id();
    }

    public void write(TpmWriter w) {
        w.u16(alg);
        if (!isNull()) {
            w.u16(keyBits).u16(mode);
        }
    }
}
