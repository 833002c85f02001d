package org.jswtpm.core.command;

import org.jswtpm.core.TpmException;
import org.jswtpm.core.crypto.AesModes;
import org.jswtpm.core.crypto.HashAlg;
import org.jswtpm.core.crypto.Hmac;
import org.jswtpm.core.engine.CommandContext;
import org.jswtpm.core.engine.CommandHandler;
import org.jswtpm.core.marshal.TpmReader;
import org.jswtpm.core.marshal.TpmWriter;
import org.jswtpm.core.object.PublicParms;
import org.jswtpm.core.object.Scheme;
import org.jswtpm.core.object.SymDef;
import org.jswtpm.core.object.TpmObject;
import org.jswtpm.core.types.TpmAlg;
import org.jswtpm.core.types.TpmRc;
import org.jswtpm.core.types.TpmaObject;

/** TCG TPM 2.0 Part 3, 15 "Symmetric Primitives". */
final class SymmetricCommands {
    static final int MAX_BUFFER = HashCommands.MAX_BUFFER;
    /** TPM2B_IV: MAX_SYM_BLOCK_SIZE. */
    static final int MAX_IV = AesModes.BLOCK;

    private SymmetricCommands() {
    }

    /** TPMI_ALG_CIPHER_MODE+: CTR, OFB, CBC, CFB, ECB or NULL; else TPM_RC_MODE. */
    static int readMode(TpmReader in) throws TpmException {
        int m = in.u16();
        if (m != TpmAlg.NULL.id() && m != TpmAlg.CTR.id() && m != TpmAlg.OFB.id() && m != TpmAlg.CBC.id()
                && m != TpmAlg.CFB.id() && m != TpmAlg.ECB.id()) {
            throw in.error(TpmRc.MODE);
        }
        return m;
    }

    /** TPMI_YES_NO: 0 or 1; else TPM_RC_VALUE. */
    static boolean readYesNo(TpmReader in) throws TpmException {
        int v = in.u8();
        if (v > 1) {
            throw in.error(TpmRc.VALUE);
        }
        return v == 1;
    }

    record CryptIn(boolean decrypt, int mode, byte[] ivIn, byte[] inData) {
    }

    /**
     * The work shared by EncryptDecrypt and EncryptDecrypt2 (the reference's EncryptDecryptShared);
     * {@code modeParam}, {@code ivParam}, {@code dataParam} say where each parameter sits for error codes.
     */
    static void encryptDecrypt(CommandContext ctx, CryptIn p, TpmWriter out, int modeParam, int ivParam,
            int dataParam) throws TpmException {
        TpmObject key = ObjectCommands.object(ctx, 0);
        if (!(key.publicArea().parms() instanceof PublicParms.SymCipher sc)) {
            throw new TpmException(TpmRc.KEY.handle(1));
        }
        if (key.has(TpmaObject.RESTRICTED)
                || !key.has(p.decrypt() ? TpmaObject.DECRYPT : TpmaObject.SIGN_ENCRYPT)) {
            throw new TpmException(TpmRc.ATTRIBUTES.handle(1));
        }
        SymDef sym = sc.sym();
        int mode = sym.mode();
        if (mode != TpmAlg.NULL.id()) {
            if (p.mode() != TpmAlg.NULL.id() && p.mode() != mode) {
                throw new TpmException(TpmRc.MODE.parameter(modeParam));
            }
        } else if (p.mode() == TpmAlg.NULL.id()) {
            throw new TpmException(TpmRc.MODE.parameter(modeParam));
        } else {
            mode = p.mode();
        }
        boolean ecb = mode == TpmAlg.ECB.id();
        if (ecb ? p.ivIn().length != 0 : p.ivIn().length != AesModes.BLOCK) {
            throw new TpmException(TpmRc.SIZE.parameter(ivParam));
        }
        if ((ecb || mode == TpmAlg.CBC.id()) && p.inData().length % AesModes.BLOCK != 0) {
            throw new TpmException(TpmRc.SIZE.parameter(dataParam));
        }
        byte[] iv = p.ivIn().clone();
        byte[] data = AesModes.crypt(mode, p.decrypt(), key.sensitive().sensitive(), iv, p.inData());
        out.tpm2b(data).tpm2b(iv);
    }

    /**
     * Part 3, 15.2 TPM2_EncryptDecrypt: AES with a symmetric-cipher key in the key's mode, or the mode
     * given when the key has none. Response codes: TPM_RC_KEY (keyHandle is no symmetric cipher key);
     * TPM_RC_ATTRIBUTES (restricted; decrypt without the decrypt attribute; encrypt without sign);
     * TPM_RC_MODE (mode conflicts with the key's, or both NULL); TPM_RC_SIZE (ivIn is not a block, or
     * not empty for ECB; inData not whole blocks for CBC and ECB).
     */
    static final class EncryptDecrypt implements CommandHandler<CryptIn> {
        @Override
        public CryptIn parse(TpmReader in) throws TpmException {
            boolean decrypt = readYesNo(in.parameter(1));
            int mode = readMode(in.parameter(2));
            byte[] iv = in.parameter(3).tpm2b(MAX_IV);
            return new CryptIn(decrypt, mode, iv, in.parameter(4).tpm2b(MAX_BUFFER));
        }

        @Override
        public void execute(CommandContext ctx, CryptIn p, TpmWriter out) throws TpmException {
            encryptDecrypt(ctx, p, out, 2, 3, 4);
        }
    }

    /**
     * Part 3, 15.3 TPM2_EncryptDecrypt2: as TPM2_EncryptDecrypt with inData first, so that a session can
     * encrypt it. Response codes as TPM2_EncryptDecrypt, positioned on this command's parameters.
     */
    static final class EncryptDecrypt2 implements CommandHandler<CryptIn> {
        @Override
        public CryptIn parse(TpmReader in) throws TpmException {
            byte[] data = in.parameter(1).tpm2b(MAX_BUFFER);
            boolean decrypt = readYesNo(in.parameter(2));
            int mode = readMode(in.parameter(3));
            return new CryptIn(decrypt, mode, in.parameter(4).tpm2b(MAX_IV), data);
        }

        @Override
        public void execute(CommandContext ctx, CryptIn p, TpmWriter out) throws TpmException {
            encryptDecrypt(ctx, p, out, 3, 4, 1);
        }
    }

    /**
     * The HMAC key of handle 0 and the hash to use (the checks of TPM2_HMAC and TPM2_HMAC_Start):
     * TPM_RC_TYPE (no keyed hash), TPM_RC_ATTRIBUTES (restricted), TPM_RC_KEY (sign CLEAR), all on the
     * handle; TPM_RC_VALUE on {@code hashParam} when the hash is NULL or conflicts with the key's.
     */
    static HashAlg hmacKey(CommandContext ctx, HashAlg requested, int hashParam) throws TpmException {
        TpmObject key = ObjectCommands.object(ctx, 0);
        if (!(key.publicArea().parms() instanceof PublicParms.KeyedHash kh)) {
            throw new TpmException(TpmRc.TYPE.handle(1));
        }
        if (key.has(TpmaObject.RESTRICTED)) {
            throw new TpmException(TpmRc.ATTRIBUTES.handle(1));
        }
        if (!key.has(TpmaObject.SIGN_ENCRYPT)) {
            throw new TpmException(TpmRc.KEY.handle(1));
        }
        Scheme s = kh.scheme();
        HashAlg hash = requested;
        if (!s.isNull()) {
            hash = HashAlg.of(s.hashAlg());
            if (requested != null && requested != hash) {
                hash = null;
            }
        }
        if (hash == null) {
            throw new TpmException(TpmRc.VALUE.parameter(hashParam));
        }
        return hash;
    }

    record HmacIn(byte[] buffer, HashAlg hash) {
    }

    /**
     * Part 3, 15.4 TPM2_HMAC: the HMAC of buffer with a keyed-hash key. Response codes: TPM_RC_TYPE,
     * TPM_RC_ATTRIBUTES, TPM_RC_KEY (on the handle), TPM_RC_VALUE (hashAlg NULL with a key without
     * scheme, or different from the key's), TPM_RC_HASH (hashAlg not implemented).
     */
    static final class HmacCommand implements CommandHandler<HmacIn> {
        @Override
        public HmacIn parse(TpmReader in) throws TpmException {
            byte[] buffer = in.parameter(1).tpm2b(MAX_BUFFER);
            return new HmacIn(buffer, HashCommands.readHash(in.parameter(2), true));
        }

        @Override
        public void execute(CommandContext ctx, HmacIn p, TpmWriter out) throws TpmException {
            HashAlg hash = hmacKey(ctx, p.hash(), 2);
            TpmObject key = ObjectCommands.object(ctx, 0);
            out.tpm2b(Hmac.start(hash, key.sensitive().sensitive()).doFinal(p.buffer()));
        }
    }

    record HmacStartIn(byte[] auth, HashAlg hash) {
    }

    /**
     * Part 3, 17.2 / 15.5 TPM2_HMAC_Start: an HMAC sequence, continued with TPM2_SequenceUpdate and
     * finished with TPM2_SequenceComplete (whose ticket is then the NULL ticket). Response codes: as
     * TPM2_HMAC; TPM_RC_OBJECT_MEMORY (no free slot).
     */
    static final class HmacStart implements CommandHandler<HmacStartIn> {
        @Override
        public HmacStartIn parse(TpmReader in) throws TpmException {
            byte[] auth = in.parameter(1).tpm2b(HashCommands.MAX_AUTH);
            return new HmacStartIn(auth, HashCommands.readHash(in.parameter(2), true));
        }

        @Override
        public void execute(CommandContext ctx, HmacStartIn p, TpmWriter out) throws TpmException {
            HashAlg hash = hmacKey(ctx, p.hash(), 2);
            TpmObject key = ObjectCommands.object(ctx, 0);
            ctx.responseHandle(ctx.tpm().objects().load(
                    HashSequence.hmac(p.auth(), hash, key.sensitive().sensitive())));
        }
    }
}
