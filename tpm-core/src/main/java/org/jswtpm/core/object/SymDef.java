package org.jswtpm.core.object;

import org.jswtpm.core.TpmException;
import org.jswtpm.core.marshal.TpmReader;
import org.jswtpm.core.marshal.TpmWriter;
import org.jswtpm.core.types.TpmAlg;
import org.jswtpm.core.types.TpmRc;

/**
 * TPMT_SYM_DEF_OBJECT (TCG TPM 2.0 Part 2, 11.1.7): the symmetric algorithm of a storage parent or a
 * symmetric cipher object. Only AES is implemented; {@code alg} TPM_ALG_NULL carries no key size or mode.
 *
 * @param alg TPM_ALG_AES or TPM_ALG_NULL
 * @param keyBits 128, 192 or 256
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
        if (alg != TpmAlg.AES.id()) {
            throw r.error(TpmRc.SYMMETRIC);
        }
        int bits = r.u16();
        if (bits != 128 && bits != 192 && bits != 256) {
            throw r.error(TpmRc.VALUE);
        }
        int mode = r.u16();
        if (!isMode(mode) && mode != TpmAlg.NULL.id()) {
            throw r.error(TpmRc.MODE);
        }
        return new SymDef(alg, bits, mode);
    }

    static boolean isMode(int mode) {
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
