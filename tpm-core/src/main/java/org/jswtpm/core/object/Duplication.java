package org.jswtpm.core.object;

import java.security.MessageDigest;
import java.util.Arrays;
import org.jswtpm.core.TpmException;
import org.jswtpm.core.crypto.SymCfb;
import org.jswtpm.core.crypto.HashAlg;
import org.jswtpm.core.marshal.TpmReader;
import org.jswtpm.core.marshal.TpmWriter;
import org.jswtpm.core.types.TpmRc;

/**
 * The duplication blob, a TPM2B_PRIVATE made for another parent (TCG TPM 2.0 Part 1, 23.3 "Protected
 * storage hierarchy" and 23.4 "Duplication"; the reference's SensitiveToDuplicate and
 * DuplicateToSensitive). Inside out:
 * <ul>
 * <li>the object's TPM2B_SENSITIVE, its authValue padded to the nameAlg's digest size;</li>
 * <li>an optional inner wrapper: {@code CFB(encryptionKey, zero IV, TPM2B innerIntegrity || TPM2B
 * sensitive)} with innerIntegrity = H_nameAlg(TPM2B sensitive || Name), the object's own nameAlg;</li>
 * <li>an optional outer wrapper toward the new parent: {@link Protection#outerWrap} with the new parent's
 * nameAlg and symmetric definition, a seed shared with it under the label "DUPLICATE", and no IV.</li>
 * </ul>
 * With neither, the sensitive area travels in the clear (newParentHandle TPM_RH_NULL, symmetricAlg
 * TPM_ALG_NULL).
 */
public final class Duplication {
    /** The secret-sharing label of duplication (Part 1, 23.4). */
    public static final String DUPLICATE = "DUPLICATE";

    private Duplication() {
    }

    /**
     * The duplicate of {@code sensitive} for the object named {@code name}.
     *
     * @param innerSym the inner wrapper's symmetric algorithm (used in CFB mode), {@link SymDef#NULL} for none
     * @param innerKey the inner wrapper's key (ignored without one)
     * @param newParent the new parent, or null for no outer wrapper
     * @param seed the seed shared with {@code newParent} (ignored without one)
     */
    public static byte[] wrap(TpmtSensitive sensitive, byte[] name, HashAlg nameAlg, SymDef innerSym,
            byte[] innerKey, TpmObject newParent, byte[] seed, SymCfb cfb) {
        TpmWriter w = new TpmWriter(512);
        // the authValue padded to the nameAlg's digest size, as in a TPM2B_PRIVATE (the reference's MarshalSensitive)
        new TpmtSensitive(sensitive.type(), Protection.pad(sensitive.authValue(), nameAlg.digestSize()),
                sensitive.seedValue(), sensitive.sensitive()).write2b(w);
        byte[] data = w.toByteArray();
        if (!innerSym.isNull()) {
            MessageDigest md = nameAlg.newDigest();
            md.update(data);
            md.update(name);
            byte[] inner = new TpmWriter(data.length + 70).tpm2b(md.digest()).bytes(data).toByteArray();
            data = cfb.encrypt(innerSym.alg(), innerKey, null, inner);
        }
        if (newParent != null) {
            data = outer(newParent, seed, name, data, cfb);
        }
        return data;
    }

    /** An outer wrapper toward {@code parent} around {@code data} (Duplicate and Rewrap). */
    public static byte[] outer(TpmObject parent, byte[] seed, byte[] name, byte[] data, SymCfb cfb) {
        return Protection.outerWrap(parent.publicArea().nameHash(), seed, Protection.sym(parent), name, null,
                data, cfb);
    }

    /**
     * Removes the outer wrapper of {@code parent} (Rewrap and Import): TPM_RC_INTEGRITY on {@code param} if
     * its HMAC fails, TPM_RC_SIZE or TPM_RC_INSUFFICIENT if its integrity field does not unmarshal.
     */
    public static byte[] unwrapOuter(TpmObject parent, byte[] seed, byte[] name, byte[] blob, SymCfb cfb, int param)
            throws TpmException {
        return Protection.outerUnwrap(parent.publicArea().nameHash(), seed, Protection.sym(parent), name, blob,
                false, cfb, param);
    }

    /**
     * The sensitive area of a duplicate (Import). Response codes, all on {@code param}: TPM_RC_INTEGRITY (the
     * outer HMAC or the inner integrity digest fails: tampered, wrong key, wrong parent, wrong public area);
     * TPM_RC_SIZE, TPM_RC_INSUFFICIENT (a size field that disagrees with the data).
     *
     * @param seed the outer wrapper's seed, empty for no outer wrapper
     * @param innerSym the inner wrapper's symmetric algorithm, {@link SymDef#NULL} for none
     * @param innerKey the inner wrapper's key (ignored without one)
     */
    public static TpmtSensitive unwrap(byte[] blob, byte[] name, HashAlg nameAlg, TpmObject parent, byte[] seed,
            SymDef innerSym, byte[] innerKey, SymCfb cfb, int param) throws TpmException {
        byte[] data = blob;
        if (seed.length != 0) {
            data = unwrapOuter(parent, seed, name, data, cfb, param);
        }
        if (!innerSym.isNull()) {
            data = cfb.decrypt(innerSym.alg(), innerKey, null, data);
            TpmReader r = new TpmReader(data).parameter(param);
            byte[] integrity = r.tpm2b(HashAlg.MAX_DIGEST_SIZE);
            data = Arrays.copyOfRange(data, 2 + integrity.length, data.length);
            MessageDigest md = nameAlg.newDigest();
            md.update(data);
            md.update(name);
            if (!MessageDigest.isEqual(integrity, md.digest())) {
                throw new TpmException(TpmRc.INTEGRITY.parameter(param));
            }
        }
        try {
            return Protection.readSensitive2b(data);
        } catch (TpmException e) {
            throw new TpmException(TpmRc.SIZE.parameter(param));
        }
    }
}
