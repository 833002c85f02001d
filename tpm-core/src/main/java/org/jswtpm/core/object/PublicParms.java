package org.jswtpm.core.object;

import org.jswtpm.core.TpmException;
import org.jswtpm.core.crypto.EccCurve;
import org.jswtpm.core.marshal.TpmReader;
import org.jswtpm.core.marshal.TpmWriter;
import org.jswtpm.core.types.TpmAlg;
import org.jswtpm.core.types.TpmRc;

/**
 * TPMU_PUBLIC_PARMS (TCG TPM 2.0 Part 2, 12.2.3.7), selected by the object type: the algorithm
 * parameters of a key. With its type in front it is TPMT_PUBLIC_PARMS (12.2.3.8), what
 * TPM2_TestParms takes.
 */
public sealed interface PublicParms {
    /** The TPM_ALG_ID of the object type these parameters belong to. */
    int type();

    /** The symmetric algorithm (for a storage parent); {@link SymDef#NULL} when none. */
    SymDef symmetric();

    void write(TpmWriter w);

    /** TPMS_RSA_PARMS. */
    record Rsa(SymDef symmetric, Scheme scheme, int keyBits, int exponent) implements PublicParms {
        @Override
        public int type() {
            return TpmAlg.RSA.id();
        }

        @Override
        public void write(TpmWriter w) {
            symmetric.write(w);
            scheme.write(w);
            w.u16(keyBits).u32(exponent);
        }
    }

    /** TPMS_ECC_PARMS. */
    record Ecc(SymDef symmetric, Scheme scheme, int curveId, Scheme kdf) implements PublicParms {
        @Override
        public int type() {
            return TpmAlg.ECC.id();
        }

        public EccCurve curve() {
            return EccCurve.of(curveId);
        }

        @Override
        public void write(TpmWriter w) {
            symmetric.write(w);
            scheme.write(w);
            w.u16(curveId);
            kdf.write(w);
        }
    }

    /** TPMS_KEYEDHASH_PARMS. */
    record KeyedHash(Scheme scheme) implements PublicParms {
        @Override
        public int type() {
            return TpmAlg.KEYEDHASH.id();
        }

        @Override
        public SymDef symmetric() {
            return SymDef.NULL;
        }

        @Override
        public void write(TpmWriter w) {
            scheme.write(w);
        }
    }

    /** TPMS_SYMCIPHER_PARMS. */
    record SymCipher(SymDef sym) implements PublicParms {
        @Override
        public int type() {
            return TpmAlg.SYMCIPHER.id();
        }

        @Override
        public SymDef symmetric() {
            return sym;
        }

        @Override
        public void write(TpmWriter w) {
            sym.write(w);
        }
    }

    /** Reads the parameters of an object of {@code type}; an unimplemented type is TPM_RC_TYPE. */
    static PublicParms read(TpmReader r, int type) throws TpmException {
        if (type == TpmAlg.RSA.id()) {
            SymDef sym = SymDef.read(r, true);
            Scheme scheme = Scheme.read(r, Scheme.Kind.RSA);
            int bits = r.u16();
            if (bits != 1024 && bits != 2048 && bits != 3072 && bits != 4096) {
                throw r.error(TpmRc.VALUE);
            }
            return new Rsa(sym, scheme, bits, r.u32());
        }
        if (type == TpmAlg.ECC.id()) {
            SymDef sym = SymDef.read(r, true);
            Scheme scheme = Scheme.read(r, Scheme.Kind.ECC);
            int curve = r.u16();
            if (EccCurve.of(curve) == null) {
                throw r.error(TpmRc.CURVE);
            }
            return new Ecc(sym, scheme, curve, Scheme.read(r, Scheme.Kind.KDF));
        }
        if (type == TpmAlg.KEYEDHASH.id()) {
            return new KeyedHash(Scheme.read(r, Scheme.Kind.KEYEDHASH));
        }
        if (type == TpmAlg.SYMCIPHER.id()) {
            return new SymCipher(SymDef.read(r, false));
        }
        throw r.error(TpmRc.TYPE);
    }

    /** TPMT_PUBLIC_PARMS: the type, then the parameters. */
    static PublicParms readWithType(TpmReader r) throws TpmException {
        return read(r, r.u16());
    }

    static void writeWithType(TpmWriter w, PublicParms p) {
        w.u16(p.type());
        p.write(w);
    }
}
