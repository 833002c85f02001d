package org.jswtpm.core.object;

import org.jswtpm.core.TpmException;
import org.jswtpm.core.crypto.SymCfb;
import org.jswtpm.core.crypto.HashAlg;
import org.jswtpm.core.marshal.TpmReader;
import org.jswtpm.core.marshal.TpmWriter;
import org.jswtpm.core.types.TpmRc;

/**
 * The credential blob, TPM2B_ID_OBJECT (TCG TPM 2.0 Part 1, 24 "Credential protection"; Part 2,
 * 12.4.3): the credential as a TPM2B_DIGEST, protected by the outer wrapper of {@link Protection} with the
 * protector's nameAlg and symmetric definition, a seed shared with the protector under the label
 * "IDENTITY", the Name of the object the credential is for as the "STORAGE" context, and no IV:
 * {@code TPM2B integrityHMAC || CFB(TPM2B credential)}.
 */
public final class Credentials {
    /** The secret-sharing label of credentials (Part 1, 24.4). */
    public static final String IDENTITY = "IDENTITY";
    /** sizeof(TPMS_ID_OBJECT): an integrity HMAC and an encrypted TPM2B_DIGEST. */
    public static final int MAX_ID_OBJECT = 2 * (2 + HashAlg.MAX_DIGEST_SIZE);

    private Credentials() {
    }

    /** The credentialBlob for {@code credential} bound to {@code objectName} (the reference's SecretToCredential). */
    public static byte[] make(TpmObject protector, byte[] seed, byte[] credential, byte[] objectName, SymCfb cfb) {
        byte[] plain = new TpmWriter(credential.length + 2).tpm2b(credential).toByteArray();
        return Protection.outerWrap(protector.publicArea().nameHash(), seed, Protection.sym(protector),
                objectName, null, plain, cfb);
    }

    /**
     * The credential of {@code blob} if it was made for {@code name} with {@code seed} (the reference's
     * CredentialToSecret): TPM_RC_INTEGRITY on {@code param} if not; TPM_RC_SIZE or TPM_RC_INSUFFICIENT
     * (on {@code param}) if the decrypted TPM2B_DIGEST does not fill the blob exactly.
     */
    public static byte[] activate(TpmObject protector, byte[] seed, byte[] blob, byte[] name, SymCfb cfb, int param)
            throws TpmException {
        byte[] plain = Protection.outerUnwrap(protector.publicArea().nameHash(), seed, Protection.sym(protector),
                name, blob, false, cfb, param);
        TpmReader r = new TpmReader(plain).parameter(param);
        byte[] credential = r.tpm2b(HashAlg.MAX_DIGEST_SIZE);
        if (r.remaining() != 0) {
            throw new TpmException(TpmRc.SIZE.parameter(param));
        }
        return credential;
    }
}
