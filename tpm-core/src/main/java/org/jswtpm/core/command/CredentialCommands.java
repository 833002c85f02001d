package org.jswtpm.core.command;

import static org.jswtpm.core.command.ObjectCommands.object;

import org.jswtpm.core.TpmException;
import org.jswtpm.core.crypto.HashAlg;
import org.jswtpm.core.engine.CommandContext;
import org.jswtpm.core.engine.CommandHandler;
import org.jswtpm.core.engine.session.Salts;
import org.jswtpm.core.marshal.TpmReader;
import org.jswtpm.core.marshal.TpmWriter;
import org.jswtpm.core.object.Credentials;
import org.jswtpm.core.object.TpmObject;
import org.jswtpm.core.types.TpmAlg;
import org.jswtpm.core.types.TpmRc;
import org.jswtpm.core.types.TpmaObject;

/**
 * TCG TPM 2.0 Part 3, 12.5 and 12.6: credential protection (Part 1, 24). MakeCredential encrypts a
 * credential to an asymmetric restricted decryption key (typically an EK) for the object of a given Name;
 * ActivateCredential releases it only if that object is loaded with it on the same TPM.
 */
final class CredentialCommands {
    /** TPM2B_NAME maximum: a hash algorithm identifier and a digest. */
    static final int MAX_NAME = 2 + HashAlg.MAX_DIGEST_SIZE;

    private CredentialCommands() {
    }

    /**
     * A protector for credentials and duplication seeds: an RSA or ECC key with restricted and decrypt
     * set, else TPM_RC_TYPE on {@code handle}.
     */
    static TpmObject asymmetricProtector(CommandContext ctx, int i) throws TpmException {
        TpmObject key = object(ctx, i);
        int type = key.publicArea().type();
        if ((type != TpmAlg.RSA.id() && type != TpmAlg.ECC.id()) || !key.has(TpmaObject.DECRYPT)
                || !key.has(TpmaObject.RESTRICTED) || key.publicArea().nameHash() == null) {
            throw new TpmException(TpmRc.TYPE.handle(i + 1));
        }
        return key;
    }

    record MakeIn(byte[] credential, byte[] objectName) {
    }

    /**
     * Part 3, 12.5 TPM2_MakeCredential: a credentialBlob and the secret that opens it, for the key of
     * handle (its public part suffices) and the object named objectName. Response codes: TPM_RC_TYPE
     * (handle is no asymmetric restricted decryption key); TPM_RC_SIZE (credential longer than the key's
     * nameAlg digest, parameter 1); TPM_RC_KEY (the key cannot share a secret).
     */
    static final class MakeCredential implements CommandHandler<MakeIn> {
        @Override
        public MakeIn parse(TpmReader in) throws TpmException {
            byte[] credential = in.parameter(1).tpm2b(HashAlg.MAX_DIGEST_SIZE);
            return new MakeIn(credential, in.parameter(2).tpm2b(MAX_NAME));
        }

        @Override
        public void execute(CommandContext ctx, MakeIn p, TpmWriter out) throws TpmException {
            TpmObject key = asymmetricProtector(ctx, 0);
            if (p.credential().length > key.publicArea().nameHash().digestSize()) {
                throw new TpmException(TpmRc.SIZE.parameter(1));
            }
            Salts.Shared shared = key.encryptSecret(Credentials.IDENTITY, ctx.tpm().drbg());
            out.tpm2b(Credentials.make(key, shared.secret(), p.credential(), p.objectName(),
                    ctx.tpm().objectEngine().cfb()));
            out.tpm2b(shared.encrypted());
        }
    }

    record ActivateIn(byte[] credentialBlob, byte[] secret) {
    }

    /**
     * Part 3, 12.6 TPM2_ActivateCredential: the credential of credentialBlob, if it was made for the Name
     * of activateHandle (ADMIN role) and its secret opens with keyHandle (USER role). Response codes:
     * TPM_RC_TYPE (keyHandle is no asymmetric restricted decryption key, handle 2); TPM_RC_VALUE (secret
     * does not decrypt, parameter 2); TPM_RC_INTEGRITY (credentialBlob fails its HMAC: tampered, made for
     * another object or another key, parameter 1); TPM_RC_SIZE, TPM_RC_INSUFFICIENT (the decrypted
     * credential does not parse, parameter 1).
     */
    static final class ActivateCredential implements CommandHandler<ActivateIn> {
        @Override
        public ActivateIn parse(TpmReader in) throws TpmException {
            byte[] blob = in.parameter(1).tpm2b(Credentials.MAX_ID_OBJECT);
            return new ActivateIn(blob, in.parameter(2).tpm2b(SessionCommands.MAX_ENCRYPTED_SECRET));
        }

        @Override
        public void execute(CommandContext ctx, ActivateIn p, TpmWriter out) throws TpmException {
            TpmObject activate = object(ctx, 0);
            TpmObject key = asymmetricProtector(ctx, 1);
            if (key.isPublicOnly()) {
                throw new TpmException(TpmRc.TYPE.handle(2));
            }
            byte[] seed = key.decryptSecret(Credentials.IDENTITY, p.secret(), 2);
            out.tpm2b(Credentials.activate(key, seed, p.credentialBlob(), activate.name(),
                    ctx.tpm().objectEngine().cfb(), 1));
        }
    }
}
