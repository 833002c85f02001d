package org.jswtpm.core.command;

import java.util.Arrays;
import org.jswtpm.core.TpmException;
import org.jswtpm.core.crypto.HashAlg;
import org.jswtpm.core.engine.CommandContext;
import org.jswtpm.core.engine.CommandHandler;
import org.jswtpm.core.engine.ConstantTime;
import org.jswtpm.core.engine.Entity;
import org.jswtpm.core.engine.NvEntity;
import org.jswtpm.core.engine.SaltDecryptor;
import org.jswtpm.core.engine.session.AuthSession;
import org.jswtpm.core.engine.session.SessionFactory;
import org.jswtpm.core.engine.session.SymmetricDef;
import org.jswtpm.core.marshal.TpmReader;
import org.jswtpm.core.marshal.TpmWriter;
import org.jswtpm.core.types.TpmAlg;
import org.jswtpm.core.types.TpmRc;
import org.jswtpm.core.types.TpmRh;
import org.jswtpm.core.types.TpmaNv;

/** TCG TPM 2.0 Part 3, 11 "Session commands". */
final class SessionCommands {
    /** TPM2B_ENCRYPTED_SECRET maximum: an RSA-4096 ciphertext. */
    static final int MAX_ENCRYPTED_SECRET = 512;
    /** The smallest nonceCaller TPM2_StartAuthSession accepts (Part 3, 11.1.1). */
    static final int MIN_NONCE = 16;

    private SessionCommands() {
    }

    record StartIn(byte[] nonceCaller, byte[] encryptedSalt, int sessionType, SymmetricDef symmetric,
            HashAlg authHash) {
    }

    /**
     * Part 3, 11.1 TPM2_StartAuthSession: starts an HMAC, policy or trial session, unbound or bound
     * to {@code bind}, unsalted or salted with a secret {@code tpmKey} decrypts; returns its handle and
     * its first nonceTPM (as long as nonceCaller). sessionKey = KDFa(authHash, bind.authValue || salt,
     * "ATH", nonceTPM, nonceCaller, digest bits), empty if neither bind nor salt is given. Response
     * codes: TPM_RC_SIZE (parameter 1) for a nonceCaller shorter than 16 bytes or longer than the
     * digest; TPM_RC_VALUE (parameter 2) for a salt without tpmKey or the reverse, or one that does not
     * decrypt; TPM_RC_KEY (handle 1) for a tpmKey that cannot decrypt a salt; TPM_RC_HANDLE (handle 2)
     * for a PIN Pass or PIN Fail index as bind; TPM_RC_VALUE (parameter
     * 3) for an unknown session type; TPM_RC_SYMMETRIC, TPM_RC_VALUE, TPM_RC_MODE (parameter 4) for a
     * bad symmetric definition or a mode other than CFB; TPM_RC_HASH (parameter 5);
     * TPM_RC_SESSION_MEMORY and TPM_RC_SESSION_HANDLES when no session can be started.
     */
    static final class StartAuthSession implements CommandHandler<StartIn> {
        @Override
        public StartIn parse(TpmReader in) throws TpmException {
            byte[] nonceCaller = in.parameter(1).tpm2b(HashAlg.MAX_DIGEST_SIZE);
            byte[] encryptedSalt = in.parameter(2).tpm2b(MAX_ENCRYPTED_SECRET);
            int type = in.parameter(3).u8();
            if (type != AuthSession.SE_HMAC && type != AuthSession.SE_POLICY && type != AuthSession.SE_TRIAL) {
                throw in.error(TpmRc.VALUE);
            }
            SymmetricDef symmetric = SymmetricDef.read(in.parameter(4));
            HashAlg authHash = HashCommands.readHash(in.parameter(5), false);
            return new StartIn(nonceCaller, encryptedSalt, type, symmetric, authHash);
        }

        @Override
        public void execute(CommandContext ctx, StartIn p, TpmWriter out) throws TpmException {
            if (p.nonceCaller().length < MIN_NONCE || p.nonceCaller().length > p.authHash().digestSize()) {
                throw new TpmException(TpmRc.SIZE.parameter(1));
            }
            byte[] salt = salt(ctx, p.encryptedSalt());
            if (!p.symmetric().isNull() && !p.symmetric().isXor() && p.symmetric().mode() != TpmAlg.CFB.id()) {
                throw new TpmException(TpmRc.MODE.parameter(4));
            }
            int bind = ctx.handle(1);
            Entity bindEntity = ctx.authEntity(1);
            if (bindEntity instanceof NvEntity nv && (nv.index().type() == TpmaNv.NT_PIN_PASS
                    || nv.index().type() == TpmaNv.NT_PIN_FAIL)) {
                throw new TpmException(TpmRc.HANDLE.handle(2));
            }
            byte[] bindAuth = bind == TpmRh.NULL ? new byte[0] : trimmed(bindEntity.authValue());
            AuthSession session = SessionFactory.start(ctx.tpm(), p.sessionType(), p.authHash(),
                    p.nonceCaller(), p.symmetric(), bind == TpmRh.NULL ? null : bindEntity, bindAuth, salt);
            Arrays.fill(salt, (byte) 0);
            ctx.responseHandle(session.handle());
            out.tpm2b(session.nonceTpm());
        }

        /** The salt: decrypted by tpmKey, or empty when tpmKey is TPM_RH_NULL. */
        private static byte[] salt(CommandContext ctx, byte[] encryptedSalt) throws TpmException {
            if (ctx.handle(0) == TpmRh.NULL) {
                if (encryptedSalt.length != 0) {
                    throw new TpmException(TpmRc.VALUE.parameter(2));
                }
                return new byte[0];
            }
            if (!(ctx.entity(0) instanceof SaltDecryptor key) || !key.canDecryptSalt()) {
                throw new TpmException(TpmRc.KEY.handle(1));
            }
            if (encryptedSalt.length == 0) {
                throw new TpmException(TpmRc.VALUE.parameter(2));
            }
            key.checkSaltKey();
            return key.decryptSalt(encryptedSalt);
        }
    }

    static byte[] trimmed(byte[] auth) {
        return Arrays.copyOf(auth, ConstantTime.trimmedLength(auth));
    }
}
