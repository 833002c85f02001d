package org.jswtpm.core.command;

import org.jswtpm.core.TpmException;
import org.jswtpm.core.crypto.HashAlg;
import org.jswtpm.core.crypto.SigScheme;
import org.jswtpm.core.crypto.Signatures;
import org.jswtpm.core.crypto.TpmtSignature;
import org.jswtpm.core.engine.CommandContext;
import org.jswtpm.core.engine.CommandHandler;
import org.jswtpm.core.engine.SigningTickets;
import org.jswtpm.core.marshal.TpmReader;
import org.jswtpm.core.marshal.TpmWriter;
import org.jswtpm.core.object.TpmObject;
import org.jswtpm.core.types.TpmAlg;
import org.jswtpm.core.types.TpmRc;
import org.jswtpm.core.types.TpmRh;
import org.jswtpm.core.types.TpmSt;
import org.jswtpm.core.types.TpmaObject;

/** TCG TPM 2.0 Part 3, 20 "Signing and Signature Verification". */
final class SigningCommands {
    private SigningCommands() {
    }

    /**
     * The signing key of handle {@code i} with the scheme to sign with (the reference's IsSigningObject
     * and CryptSelectSignScheme, as Sign and the attestation commands use them): TPM_RC_KEY on the
     * handle when it is no signing key or has no private part, TPM_RC_SCHEME on parameter
     * {@code schemeParam} when no scheme can be chosen.
     */
    static SigScheme signingScheme(TpmObject key, int i, SigScheme in, int schemeParam) throws TpmException {
        if (!Signatures.isSigningKey(key.publicArea()) || key.isPublicOnly()) {
            throw new TpmException(TpmRc.KEY.handle(i + 1));
        }
        SigScheme s = Signatures.select(key.publicArea(), in);
        if (s == null) {
            throw new TpmException(TpmRc.SCHEME.parameter(schemeParam));
        }
        return s;
    }

    record SignIn(byte[] digest, SigScheme inScheme, SigningTickets.Ticket validation) {
    }

    /**
     * Part 3, 20.2 TPM2_Sign: signs an externally provided digest. A restricted key, or any key when a
     * ticket is given, needs a hash-check ticket showing that the TPM hashed the data and that it did
     * not start with TPM_GENERATED_VALUE. Response codes: TPM_RC_KEY (keyHandle is no signing key);
     * TPM_RC_SCHEME (inScheme not compatible with the key); TPM_RC_TICKET (validation is not the
     * ticket for this digest and hash); TPM_RC_SIZE (without a ticket, digest is not the scheme's hash
     * size); TPM_RC_VALUE (the digest does not fit the RSA key); TPM_RC_TAG, TPM_RC_VALUE (a malformed
     * ticket).
     */
    static final class Sign implements CommandHandler<SignIn> {
        @Override
        public SignIn parse(TpmReader in) throws TpmException {
            byte[] digest = in.parameter(1).tpm2b(HashAlg.MAX_DIGEST_SIZE);
            SigScheme scheme = SigScheme.read(in.parameter(2));
            return new SignIn(digest, scheme, SigningTickets.Ticket.read(in.parameter(3), TpmSt.HASHCHECK));
        }

        @Override
        public void execute(CommandContext ctx, SignIn p, TpmWriter out) throws TpmException {
            TpmObject key = ObjectCommands.object(ctx, 0);
            SigScheme scheme = signingScheme(key, 0, p.inScheme(), 2);
            if (p.validation().digest().length != 0 || key.has(TpmaObject.RESTRICTED)) {
                if (!SigningTickets.checkHashCheck(ctx.tpm(), p.validation(), scheme.hash(), p.digest())) {
                    throw new TpmException(TpmRc.TICKET.parameter(3));
                }
            } else if (p.digest().length != scheme.hash().digestSize()) {
                throw new TpmException(TpmRc.SIZE.parameter(1));
            }
            Signatures.sign(key, scheme, p.digest(), ctx.tpm().drbg(),
                    ctx.tpm().objectEngine().commitments()).write(out);
        }
    }

    record VerifyIn(byte[] digest, TpmtSignature signature) {
    }

    /**
     * Part 3, 20.1 TPM2_VerifySignature: checks a signature with a loaded key and returns a
     * TPMT_TK_VERIFIED (the NULL ticket for a key of the null hierarchy or without nameAlg). Response
     * codes: TPM_RC_ATTRIBUTES (keyHandle has no sign attribute); TPM_RC_SIGNATURE (the signature is
     * NULL or wrong); TPM_RC_SCHEME (its scheme does not fit the key); TPM_RC_HANDLE (an HMAC with a
     * public-only key), all on the signature parameter.
     */
    static final class VerifySignature implements CommandHandler<VerifyIn> {
        @Override
        public VerifyIn parse(TpmReader in) throws TpmException {
            byte[] digest = in.parameter(1).tpm2b(HashAlg.MAX_DIGEST_SIZE);
            return new VerifyIn(digest, TpmtSignature.read(in.parameter(2)));
        }

        @Override
        public void execute(CommandContext ctx, VerifyIn p, TpmWriter out) throws TpmException {
            TpmObject key = ObjectCommands.object(ctx, 0);
            if (!key.has(TpmaObject.SIGN_ENCRYPT)) {
                throw new TpmException(TpmRc.ATTRIBUTES.handle(1));
            }
            try {
                Signatures.verify(key, p.digest(), p.signature());
            } catch (TpmException e) {
                throw new TpmException(e.rc().parameter(2));
            }
            int hierarchy = key.hierarchy();
            if (hierarchy == TpmRh.NULL || key.publicArea().nameAlg() == TpmAlg.NULL.id()) {
                new SigningTickets.Ticket(TpmSt.VERIFIED, TpmRh.NULL, new byte[0]).write(out);
            } else {
                new SigningTickets.Ticket(TpmSt.VERIFIED, hierarchy,
                        SigningTickets.verified(ctx.tpm(), hierarchy, p.digest(), key.name())).write(out);
            }
        }
    }
}
