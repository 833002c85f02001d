package org.jswtpm.core.command;

import org.jswtpm.core.TpmException;
import org.jswtpm.core.crypto.SymModes;
import org.jswtpm.core.crypto.Cmac;
import org.jswtpm.core.crypto.HashAlg;
import org.jswtpm.core.crypto.Hmac;
import org.jswtpm.core.engine.CommandContext;
import org.jswtpm.core.engine.CommandHandler;
import org.jswtpm.core.marshal.TpmReader;
import org.jswtpm.core.marshal.TpmWriter;
import org.jswtpm.core.object.PublicParms;
import org.jswtpm.core.object.SymDef;
import org.jswtpm.core.object.TpmObject;
import org.jswtpm.core.types.TpmAlg;
import org.jswtpm.core.types.TpmRc;
import org.jswtpm.core.types.TpmaObject;

/** TCG TPM 2.0 Part 3, 15 "Symmetric Primitives". */
final class SymmetricCommands {
    static final int MAX_BUFFER = HashCommands.MAX_BUFFER;
    /** TPM2B_IV: MAX_SYM_BLOCK_SIZE. */
    static final int MAX_IV = 16;

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
        int block = sym.blockSize();
        if (ecb ? p.ivIn().length != 0 : p.ivIn().length != block) {
            throw new TpmException(TpmRc.SIZE.parameter(ivParam));
        }
        if ((ecb || mode == TpmAlg.CBC.id()) && p.inData().length % block != 0) {
            throw new TpmException(TpmRc.SIZE.parameter(dataParam));
        }
        byte[] iv = p.ivIn().clone();
        byte[] data = SymModes.crypt(sym.alg(), mode, p.decrypt(), key.sensitive().sensitive(), iv, p.inData());
        out.tpm2b(data).tpm2b(iv);
    }

    /**
     * Part 3, 15.2 TPM2_EncryptDecrypt: the key's block cipher (AES, Camellia, TDES) in the key's mode, or
     * the mode given when the key has none. Response codes: TPM_RC_KEY (keyHandle is no symmetric cipher key);
     * TPM_RC_ATTRIBUTES (restricted; decrypt without the decrypt attribute; encrypt without sign);
     * TPM_RC_MODE (mode conflicts with the key's, or both NULL); TPM_RC_SIZE (ivIn is not a block (16
     * bytes, 8 for TDES), or
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
     * The MAC algorithm for the key of handle 0 (the checks of TPM2_MAC / TPM2_HMAC and their _Start, as
     * the reference's CryptSelectMac): a keyed hash MACs with its scheme's hash or the one asked for, a
     * symmetric-cipher key with CMAC. TPM_RC_TYPE on the handle for another key type; on {@code
     * schemeParam} TPM_RC_VALUE when the request conflicts with the key or neither names one, and
     * TPM_RC_SCHEME when the algorithm does not fit the key; then TPM_RC_ATTRIBUTES (restricted) and
     * TPM_RC_KEY (sign CLEAR) on the handle.
     */
    static int selectMac(CommandContext ctx, int requested, int schemeParam) throws TpmException {
        TpmObject key = ObjectCommands.object(ctx, 0);
        int macAlg;
        int type = key.publicArea().type();
        if (key.publicArea().parms() instanceof PublicParms.KeyedHash kh) {
            macAlg = kh.scheme().isNull() ? TpmAlg.NULL.id() : kh.scheme().hashAlg();
        } else if (key.publicArea().parms() instanceof PublicParms.SymCipher sc) {
            macAlg = sc.sym().isNull() ? TpmAlg.NULL.id() : sc.sym().mode();
        } else {
            throw new TpmException(TpmRc.TYPE.handle(1));
        }
        int mac = requested;
        if (mac != TpmAlg.NULL.id()) {
            if (macAlg != TpmAlg.NULL.id() && mac != macAlg) {
                throw new TpmException(TpmRc.VALUE.parameter(schemeParam));
            }
        } else if (macAlg == TpmAlg.NULL.id()) {
            throw new TpmException(TpmRc.VALUE.parameter(schemeParam));
        } else {
            mac = macAlg;
        }
        boolean fits = type == TpmAlg.KEYEDHASH.id() ? HashAlg.of(mac) != null : mac == TpmAlg.CMAC.id();
        if (!fits) {
            throw new TpmException(TpmRc.SCHEME.parameter(schemeParam));
        }
        if (key.has(TpmaObject.RESTRICTED)) {
            throw new TpmException(TpmRc.ATTRIBUTES.handle(1));
        }
        if (!key.has(TpmaObject.SIGN_ENCRYPT)) {
            throw new TpmException(TpmRc.KEY.handle(1));
        }
        return mac;
    }

    /** TPMI_ALG_MAC_SCHEME+: a hash, CMAC or NULL; else TPM_RC_SYMMETRIC. */
    static int readMacScheme(TpmReader in) throws TpmException {
        int alg = in.u16();
        if (alg != TpmAlg.NULL.id() && alg != TpmAlg.CMAC.id() && HashAlg.of(alg) == null) {
            throw in.error(TpmRc.SYMMETRIC);
        }
        return alg;
    }

    record HmacIn(byte[] buffer, int scheme) {
    }

    /**
     * Part 3, 15.6 TPM2_MAC (command code of TPM2_HMAC, which it replaces, as in libtpms): the HMAC of
     * buffer with a keyed-hash key, or its CMAC with a symmetric-cipher key (AES, Camellia, TDES). Response codes: as
     * {@link #selectMac}; TPM_RC_SYMMETRIC (inScheme is no hash, CMAC or NULL).
     */
    static final class HmacCommand implements CommandHandler<HmacIn> {
        @Override
        public HmacIn parse(TpmReader in) throws TpmException {
            byte[] buffer = in.parameter(1).tpm2b(MAX_BUFFER);
            return new HmacIn(buffer, readMacScheme(in.parameter(2)));
        }

        @Override
        public void execute(CommandContext ctx, HmacIn p, TpmWriter out) throws TpmException {
            int mac = selectMac(ctx, p.scheme(), 2);
            TpmObject k = ObjectCommands.object(ctx, 0);
            byte[] key = k.sensitive().sensitive();
            out.tpm2b(mac == TpmAlg.CMAC.id() ? Cmac.mac(k.publicArea().parms().symmetric().alg(), key, p.buffer())
                    : Hmac.start(HashAlg.of(mac), key).doFinal(p.buffer()));
        }
    }

    record HmacStartIn(byte[] auth, int scheme) {
    }

    /**
     * Part 3, 15.5 TPM2_MAC_Start (the code of TPM2_HMAC_Start): an HMAC or CMAC sequence, continued with
     * TPM2_SequenceUpdate and finished with TPM2_SequenceComplete (whose ticket is then the NULL ticket).
     * Response codes: as TPM2_MAC; TPM_RC_OBJECT_MEMORY (no free slot).
     */
    static final class HmacStart implements CommandHandler<HmacStartIn> {
        @Override
        public HmacStartIn parse(TpmReader in) throws TpmException {
            byte[] auth = in.parameter(1).tpm2b(HashCommands.MAX_AUTH);
            return new HmacStartIn(auth, readMacScheme(in.parameter(2)));
        }

        @Override
        public void execute(CommandContext ctx, HmacStartIn p, TpmWriter out) throws TpmException {
            int mac = selectMac(ctx, p.scheme(), 2);
            TpmObject k = ObjectCommands.object(ctx, 0);
            byte[] key = k.sensitive().sensitive();
            int cipher = k.publicArea().parms().symmetric().alg();
            ctx.responseHandle(ctx.tpm().objects().load(mac == TpmAlg.CMAC.id() ? HashSequence.cmac(p.auth(), cipher, key)
                    : HashSequence.hmac(p.auth(), HashAlg.of(mac), key)));
        }
    }
}
