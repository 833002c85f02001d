package org.jswtpm.core.object;

import org.jswtpm.core.TpmException;
import org.jswtpm.core.crypto.HashAlg;
import org.jswtpm.core.marshal.TpmReader;
import org.jswtpm.core.marshal.TpmWriter;
import org.jswtpm.core.types.TpmAlg;
import org.jswtpm.core.types.TpmRc;

/**
 * TPMT_SENSITIVE (TCG TPM 2.0 Part 2, 12.3.2.5): the secret half of an object.
 *
 * @param type the object type, as in the public area
 * @param authValue the object's authorization value
 * @param seedValue for a storage parent the seed of its children's protection; for a symmetric object
 *        the obfuscation value hashed into its unique field
 * @param sensitive TPMU_SENSITIVE_COMPOSITE: an RSA prime, an ECC private scalar, the keyed-hash key or
 *        sealed data, or the symmetric key
 */
public record TpmtSensitive(int type, byte[] authValue, byte[] seedValue, byte[] sensitive) {
    /** MAX_SYM_DATA: largest sealed data object. */
    public static final int MAX_SYM_DATA = 128;

    static int maxSensitive(int type) {
        if (type == TpmAlg.RSA.id()) {
            return TpmtPublic.MAX_RSA_KEY_BYTES * 5 / 2;
        }
        if (type == TpmAlg.ECC.id()) {
            return TpmtPublic.MAX_ECC_KEY_BYTES;
        }
        if (type == TpmAlg.KEYEDHASH.id()) {
            return MAX_SYM_DATA;
        }
        return 32;
    }

    public static TpmtSensitive read(TpmReader r) throws TpmException {
        int type = r.u16();
        if (type != TpmAlg.RSA.id() && type != TpmAlg.ECC.id() && type != TpmAlg.KEYEDHASH.id()
                && type != TpmAlg.SYMCIPHER.id()) {
            throw r.error(TpmRc.TYPE);
        }
        byte[] auth = r.tpm2b(HashAlg.MAX_DIGEST_SIZE);
        byte[] seed = r.tpm2b(HashAlg.MAX_DIGEST_SIZE);
        return new TpmtSensitive(type, auth, seed, r.tpm2b(maxSensitive(type)));
    }

    public void write(TpmWriter w) {
        w.u16(type).tpm2b(authValue).tpm2b(seedValue).tpm2b(sensitive);
    }

    /** TPM2B_SENSITIVE: a size, then the TPMT_SENSITIVE. A zero size means "none" and reads as null. */
    public static TpmtSensitive read2b(TpmReader r) throws TpmException {
        int size = r.u16();
        if (size == 0) {
            return null;
        }
        TpmReader inner = r.slice(size);
        TpmtSensitive s = read(inner);
        if (inner.remaining() != 0) {
            throw r.error(TpmRc.SIZE);
        }
        return s;
    }

    public void write2b(TpmWriter w) {
        int at = w.startSized16();
        write(w);
        w.endSized16(at);
    }

    public TpmtSensitive withAuth(byte[] auth) {
        return new TpmtSensitive(type, auth, seedValue, sensitive);
    }
}
