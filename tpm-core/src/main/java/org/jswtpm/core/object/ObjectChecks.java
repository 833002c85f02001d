package org.jswtpm.core.object;

import static org.jswtpm.core.types.TpmaObject.DECRYPT;
import static org.jswtpm.core.types.TpmaObject.ENCRYPTED_DUPLICATION;
import static org.jswtpm.core.types.TpmaObject.FIXED_PARENT;
import static org.jswtpm.core.types.TpmaObject.FIXED_TPM;
import static org.jswtpm.core.types.TpmaObject.RESTRICTED;
import static org.jswtpm.core.types.TpmaObject.SENSITIVE_DATA_ORIGIN;
import static org.jswtpm.core.types.TpmaObject.SIGN_ENCRYPT;

import org.jswtpm.core.TpmException;
import org.jswtpm.core.crypto.HashAlg;
import org.jswtpm.core.types.TpmAlg;
import org.jswtpm.core.types.TpmRc;

/**
 * The attribute and scheme rules for object public areas (TCG TPM 2.0 Part 1, 27 "Object attributes"
 * and Part 3, 12.1 "Introduction", as the reference implementation's CreateChecks,
 * PublicAttributesValidation and SchemeChecks apply them). Every failure is blamed on the parameter
 * that carries the public area.
 */
public final class ObjectChecks {
    private ObjectChecks() {
    }

    /**
     * Checks that apply only when the TPM creates the object (Create, CreatePrimary, CreateLoaded):
     * who supplies the sensitive data, then {@link #validate}. {@code parent} is null for a primary.
     */
    public static void forCreate(TpmObject parent, TpmtPublic pub, int dataSize, int param) throws TpmException {
        int a = pub.attributes();
        boolean origin = has(a, SENSITIVE_DATA_ORIGIN);
        if (!origin && dataSize == 0) {
            throw fail(TpmRc.ATTRIBUTES, param);
        }
        if (parent != null && origin && dataSize != 0) {
            throw fail(TpmRc.ATTRIBUTES, param);
        }
        int type = pub.type();
        if (type == TpmAlg.KEYEDHASH.id() || type == TpmAlg.SYMCIPHER.id()) {
            if (type == TpmAlg.KEYEDHASH.id() && !has(a, SIGN_ENCRYPT) && !has(a, DECRYPT) && origin) {
                throw fail(TpmRc.ATTRIBUTES, param);
            }
            if (has(a, RESTRICTED) && !origin && (has(a, FIXED_PARENT) || has(a, FIXED_TPM))) {
                throw fail(TpmRc.ATTRIBUTES, param);
            }
        } else if (!origin) {
            throw fail(TpmRc.ATTRIBUTES, param);
        }
        validate(parent, pub, param);
    }

    /**
     * PublicAttributesValidation: nameAlg and authPolicy size, fixedTPM / fixedParent consistency with
     * the parent, sign / decrypt / restricted combinations, encryptedDuplication, then the schemes.
     */
    public static void validate(TpmObject parent, TpmtPublic pub, int param) throws TpmException {
        int a = pub.attributes();
        HashAlg nameHash = pub.nameHash();
        if (nameHash == null) {
            throw fail(TpmRc.HASH, param);
        }
        if (pub.authPolicy().length != 0 && pub.authPolicy().length != nameHash.digestSize()) {
            throw fail(TpmRc.SIZE, param);
        }
        boolean parentFixedTpm = parent == null || parent.has(FIXED_TPM);
        if (parentFixedTpm) {
            if (has(a, FIXED_PARENT) != has(a, FIXED_TPM)) {
                throw fail(TpmRc.ATTRIBUTES, param);
            }
        } else if (has(a, FIXED_TPM)) {
            throw fail(TpmRc.ATTRIBUTES, param);
        }
        if (has(a, SIGN_ENCRYPT) == has(a, DECRYPT)) {
            if (has(a, RESTRICTED)) {
                throw fail(TpmRc.ATTRIBUTES, param);
            }
            if (pub.type() != TpmAlg.KEYEDHASH.id() && !has(a, SIGN_ENCRYPT)) {
                throw fail(TpmRc.ATTRIBUTES, param);
            }
        }
        if (has(a, FIXED_TPM) && has(a, ENCRYPTED_DUPLICATION)) {
            throw fail(TpmRc.ATTRIBUTES, param);
        }
        if (parent != null && !parent.has(FIXED_TPM)
                && has(a, ENCRYPTED_DUPLICATION) != parent.has(ENCRYPTED_DUPLICATION)) {
            throw fail(TpmRc.ATTRIBUTES, param);
        }
        if (parent != null && parent.isDerivationParent()) {
            // a derived object shares its parent's fixedTPM and is always fixedParent
            if (has(a, FIXED_TPM) != parent.has(FIXED_TPM) || !has(a, FIXED_PARENT)) {
                throw fail(TpmRc.ATTRIBUTES, param);
            }
        }
        schemes(parent, pub, param);
    }

    /** SchemeChecks: the scheme and symmetric algorithm fit the attributes and the parent. */
    public static void schemes(TpmObject parent, TpmtPublic pub, int param) throws TpmException {
        int a = pub.attributes();
        PublicParms parms = pub.parms();
        SymDef sym = null;
        if (parms instanceof PublicParms.SymCipher s) {
            sym = s.sym();
            if (has(a, DECRYPT) && !SymDef.isMode(sym.mode()) && sym.mode() != TpmAlg.NULL.id()) {
                throw fail(TpmRc.SCHEME, param);
            }
        } else if (parms instanceof PublicParms.KeyedHash k) {
            keyedHashScheme(a, k.scheme(), param);
        } else {
            Scheme scheme = parms instanceof PublicParms.Rsa r ? r.scheme() : ((PublicParms.Ecc) parms).scheme();
            sym = parms.symmetric();
            asymmetricScheme(pub.type(), a, scheme, param);
            if ((!has(a, RESTRICTED) || !has(a, DECRYPT)) && !sym.isNull()) {
                throw fail(TpmRc.SYMMETRIC, param);
            }
            if (parms instanceof PublicParms.Ecc e && !e.kdf().isNull()) {
                throw fail(TpmRc.KDF, param);
            }
        }
        if (sym != null && has(a, RESTRICTED) && has(a, DECRYPT)) {
            if (sym.isNull()) {
                throw fail(TpmRc.SYMMETRIC, param);
            }
            if (has(a, FIXED_PARENT) && parent != null) {
                if (pub.nameAlg() != parent.publicArea().nameAlg()) {
                    throw fail(TpmRc.HASH, param);
                }
                if (!sym.equals(parent.publicArea().parms().symmetric())) {
                    throw fail(TpmRc.SYMMETRIC, param);
                }
            }
        }
    }

    private static void keyedHashScheme(int a, Scheme scheme, int param) throws TpmException {
        if (has(a, SIGN_ENCRYPT) == has(a, DECRYPT)) {
            if (!scheme.isNull()) {
                throw fail(TpmRc.SCHEME, param);
            }
        } else if (has(a, SIGN_ENCRYPT) && scheme.alg() != TpmAlg.HMAC.id()) {
            throw fail(TpmRc.SCHEME, param);
        } else if (has(a, DECRYPT)) {
            if (scheme.alg() != TpmAlg.XOR.id()) {
                throw fail(TpmRc.SCHEME, param);
            }
            if (has(a, RESTRICTED)) {
                if (scheme.extra() != TpmAlg.KDF1_SP800_108.id()) {
                    throw fail(TpmRc.SCHEME, param);
                }
                if (HashAlg.of(scheme.hashAlg()) == null) {
                    throw fail(TpmRc.HASH, param);
                }
            }
        }
    }

    private static void asymmetricScheme(int type, int a, Scheme scheme, int param) throws TpmException {
        if (has(a, SIGN_ENCRYPT) == has(a, DECRYPT)) {
            if (!scheme.isNull()) {
                throw fail(TpmRc.SCHEME, param);
            }
        } else if (has(a, SIGN_ENCRYPT)) {
            if (isSignScheme(type, scheme.alg())) {
                if (scheme.hashAlg() == TpmAlg.NULL.id()) {
                    throw fail(TpmRc.SCHEME, param);
                }
            } else if (has(a, RESTRICTED) || !scheme.isNull()) {
                throw fail(TpmRc.SCHEME, param);
            }
        } else if (has(a, RESTRICTED)) {
            if (!scheme.isNull()) {
                throw fail(TpmRc.SCHEME, param);
            }
        } else if (!scheme.isNull() && !isDecryptScheme(type, scheme.alg())) {
            throw fail(TpmRc.SCHEME, param);
        }
    }

    static boolean isSignScheme(int type, int alg) {
        if (type == TpmAlg.RSA.id()) {
            return alg == TpmAlg.RSASSA.id() || alg == TpmAlg.RSAPSS.id();
        }
        return alg == TpmAlg.ECDSA.id() || alg == TpmAlg.ECSCHNORR.id() || alg == TpmAlg.ECDAA.id()
                || alg == TpmAlg.SM2.id();
    }

    static boolean isDecryptScheme(int type, int alg) {
        if (type == TpmAlg.RSA.id()) {
            return alg == TpmAlg.RSAES.id() || alg == TpmAlg.OAEP.id();
        }
        return alg == TpmAlg.ECDH.id() || alg == TpmAlg.SM2.id();
    }

    private static boolean has(int attributes, int bit) {
        return (attributes & bit) != 0;
    }

    private static TpmException fail(TpmRc rc, int param) {
        return new TpmException(param > 0 ? rc.parameter(param) : rc);
    }
}
