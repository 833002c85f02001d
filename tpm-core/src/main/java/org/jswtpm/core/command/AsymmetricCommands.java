package org.jswtpm.core.command;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.spec.MGF1ParameterSpec;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.spec.OAEPParameterSpec;
import javax.crypto.spec.PSource;
import org.jswtpm.core.TpmException;
import org.jswtpm.core.crypto.Bytes;
import org.jswtpm.core.crypto.EccCurve;
import org.jswtpm.core.crypto.HashAlg;
import org.jswtpm.core.engine.CommandContext;
import org.jswtpm.core.engine.CommandHandler;
import org.jswtpm.core.marshal.TpmReader;
import org.jswtpm.core.marshal.TpmWriter;
import org.jswtpm.core.object.JdkKeys;
import org.jswtpm.core.object.PublicParms;
import org.jswtpm.core.object.Scheme;
import org.jswtpm.core.object.TpmObject;
import org.jswtpm.core.object.TpmtPublic;
import org.jswtpm.core.types.TpmAlg;
import org.jswtpm.core.types.TpmRc;
import org.jswtpm.core.types.TpmaObject;

/** TCG TPM 2.0 Part 3, 14 "Asymmetric Primitives". */
final class AsymmetricCommands {
    /** TPM2B_DATA: sizeof(TPMT_HA). */
    static final int MAX_DATA = 2 + HashAlg.MAX_DIGEST_SIZE;
    static final int MAX_RSA = TpmtPublic.MAX_RSA_KEY_BYTES;
    static final int MAX_ECC = TpmtPublic.MAX_ECC_KEY_BYTES;

    private AsymmetricCommands() {
    }

    /** TPMT_RSA_DECRYPT: RSAES, OAEP (with a hash) or NULL; another selector is TPM_RC_VALUE. */
    static Scheme readRsaDecrypt(TpmReader in) throws TpmException {
        int alg = in.u16();
        if (alg == TpmAlg.NULL.id()) {
            return Scheme.NULL;
        }
        if (alg == TpmAlg.RSAES.id()) {
            return new Scheme(alg, TpmAlg.NULL.id(), 0);
        }
        if (alg != TpmAlg.OAEP.id()) {
            throw in.error(TpmRc.VALUE);
        }
        int hash = in.u16();
        if (HashAlg.of(hash) == null) {
            throw in.error(TpmRc.HASH);
        }
        return new Scheme(alg, hash, 0);
    }

    /** The key's scheme if the input is NULL, the input if the key has none or both agree, else null. */
    static Scheme selectRsaScheme(TpmObject key, Scheme in) {
        Scheme def = ((PublicParms.Rsa) key.publicArea().parms()).scheme();
        if (def.isNull()) {
            return in;
        }
        if (in.isNull()) {
            return def;
        }
        return def.alg() == in.alg() && def.hashAlg() == in.hashAlg() ? in : null;
    }

    /** A label is empty or ends with its terminating zero (the reference's IsLabelProperlyFormatted). */
    static boolean labelOk(byte[] label) {
        return label.length == 0 || label[label.length - 1] == 0;
    }

    record RsaIn(byte[] data, Scheme scheme, byte[] label) {
    }

    static RsaIn readRsaIn(TpmReader in) throws TpmException {
        byte[] data = in.parameter(1).tpm2b(MAX_RSA);
        Scheme scheme = readRsaDecrypt(in.parameter(2));
        return new RsaIn(data, scheme, in.parameter(3).tpm2b(MAX_DATA));
    }

    /** Checks shared by RSA_Encrypt and RSA_Decrypt and picks the scheme. */
    static Scheme rsaChecks(TpmObject key, RsaIn p, boolean decrypt) throws TpmException {
        if (key.publicArea().type() != TpmAlg.RSA.id()) {
            throw new TpmException(TpmRc.KEY.handle(1));
        }
        if (!key.has(TpmaObject.DECRYPT) || (decrypt && key.has(TpmaObject.RESTRICTED))) {
            throw new TpmException(TpmRc.ATTRIBUTES.handle(1));
        }
        if (!labelOk(p.label())) {
            throw new TpmException(TpmRc.VALUE.parameter(3));
        }
        Scheme s = selectRsaScheme(key, p.scheme());
        if (s == null || !(s.isNull() || s.alg() == TpmAlg.RSAES.id() || s.alg() == TpmAlg.OAEP.id())) {
            throw new TpmException(TpmRc.SCHEME.parameter(2));
        }
        return s;
    }

    /** The JCE cipher of a scheme, initialized. */
    static Cipher cipher(Scheme s, int mode, java.security.Key key, byte[] label) throws GeneralSecurityException {
        if (s.isNull()) {
            Cipher c = Cipher.getInstance("RSA/ECB/NoPadding");
            c.init(mode, key);
            return c;
        }
        if (s.alg() == TpmAlg.RSAES.id()) {
            Cipher c = Cipher.getInstance("RSA/ECB/PKCS1Padding");
            c.init(mode, key);
            return c;
        }
        String h = HashAlg.of(s.hashAlg()).jdkName();
        Cipher c = Cipher.getInstance("RSA/ECB/OAEPPadding");
        c.init(mode, key, new OAEPParameterSpec(h, "MGF1", new MGF1ParameterSpec(h), new PSource.PSpecified(label)));
        return c;
    }

    /**
     * Part 3, 14.2 TPM2_RSA_Encrypt: RSAES-PKCS1-v1_5, OAEP (the label used as given, its terminating
     * zero included) or raw with the public key. Response codes: TPM_RC_KEY (keyHandle is no RSA key);
     * TPM_RC_ATTRIBUTES (decrypt CLEAR); TPM_RC_VALUE (label not zero-terminated on parameter 3; message
     * too large for the key and scheme); TPM_RC_SCHEME (inScheme conflicts with the key's scheme).
     */
    static final class RsaEncrypt implements CommandHandler<RsaIn> {
        @Override
        public RsaIn parse(TpmReader in) throws TpmException {
            return readRsaIn(in);
        }

        @Override
        public void execute(CommandContext ctx, RsaIn p, TpmWriter out) throws TpmException {
            TpmObject key = ObjectCommands.object(ctx, 0);
            Scheme s = rsaChecks(key, p, false);
            int k = key.publicArea().unique().x().length;
            byte[] msg = p.data();
            if (s.isNull()) {
                int i = 0;
                while (i < msg.length && msg[i] == 0) {
                    i++;
                }
                msg = Arrays.copyOfRange(msg, i, msg.length);
                if (msg.length > k || new BigInteger(1, msg).compareTo(new BigInteger(1, key.publicArea().unique().x())) >= 0) {
                    throw new TpmException(TpmRc.VALUE);
                }
                msg = Bytes.fixed(new BigInteger(1, msg), k);
            }
            try {
                out.tpm2b(cipher(s, Cipher.ENCRYPT_MODE, new JdkKeys().publicKey(key.publicArea()), p.label())
                        .doFinal(msg));
            } catch (GeneralSecurityException e) {
                throw new TpmException(TpmRc.VALUE);
            }
        }
    }

    /**
     * Part 3, 14.3 TPM2_RSA_Decrypt. Response codes: TPM_RC_KEY (keyHandle is no RSA key);
     * TPM_RC_ATTRIBUTES (restricted, or decrypt CLEAR); TPM_RC_VALUE (label not zero-terminated on
     * parameter 3; the padding does not check); TPM_RC_SCHEME (inScheme conflicts with the key's);
     * TPM_RC_SIZE (cipherText is not the modulus size).
     */
    static final class RsaDecrypt implements CommandHandler<RsaIn> {
        @Override
        public RsaIn parse(TpmReader in) throws TpmException {
            return readRsaIn(in);
        }

        @Override
        public void execute(CommandContext ctx, RsaIn p, TpmWriter out) throws TpmException {
            TpmObject key = ObjectCommands.object(ctx, 0);
            Scheme s = rsaChecks(key, p, true);
            int k = key.publicArea().unique().x().length;
            if (p.data().length != k) {
                throw new TpmException(TpmRc.SIZE);
            }
            if (new BigInteger(1, p.data()).compareTo(new BigInteger(1, key.publicArea().unique().x())) >= 0) {
                throw new TpmException(TpmRc.VALUE);
            }
            byte[] plain;
            try {
                plain = cipher(s, Cipher.DECRYPT_MODE, key.jdkPrivateKey(), p.label()).doFinal(p.data());
            } catch (GeneralSecurityException e) {
                throw new TpmException(TpmRc.VALUE);
            }
            out.tpm2b(s.isNull() ? Bytes.fixed(new BigInteger(1, plain), k) : plain);
        }
    }

    // ---- ECC

    /** TPM2B_ECC_POINT: a size, then TPMS_ECC_POINT (x, y) using it exactly (else TPM_RC_SIZE). */
    static byte[][] readPoint(TpmReader in) throws TpmException {
        int size = in.u16();
        if (size == 0) {
            throw in.error(TpmRc.SIZE);
        }
        TpmReader inner = in.slice(size);
        byte[] x = inner.tpm2b(MAX_ECC);
        byte[] y = inner.tpm2b(MAX_ECC);
        if (inner.remaining() != 0) {
            throw in.error(TpmRc.SIZE);
        }
        return new byte[][] {x, y};
    }

    static void writePoint(TpmWriter out, byte[][] p) {
        int at = out.startSized16();
        out.tpm2b(p[0]).tpm2b(p[1]);
        out.endSized16(at);
    }

    static EccCurve eccKey(TpmObject key) throws TpmException {
        if (!(key.publicArea().parms() instanceof PublicParms.Ecc e)) {
            throw new TpmException(TpmRc.KEY.handle(1));
        }
        return e.curve();
    }

    /** A fresh private scalar in [1, n-1] from the DRBG. */
    static BigInteger scalar(CommandContext ctx, EccCurve curve) {
        while (true) {
            BigInteger d = new BigInteger(1, ctx.tpm().drbg().generate(curve.bytes() + 8)).mod(curve.order());
            if (d.signum() != 0) {
                return d;
            }
        }
    }

    /**
     * Part 3, 14.4 TPM2_ECDH_KeyGen: an ephemeral key pair and the shared point with the loaded public
     * key; no authorization. Response codes: TPM_RC_KEY (keyHandle is no ECC key, or its point is not
     * on the curve).
     */
    static final class EcdhKeyGen implements CommandHandler.NoParameters {
        @Override
        public void execute(CommandContext ctx, TpmWriter out) throws TpmException {
            TpmObject key = ObjectCommands.object(ctx, 0);
            EccCurve curve = eccKey(key);
            TpmtPublic.Unique q = key.publicArea().unique();
            if (!curve.isOnCurve(q.x(), q.y())) {
                throw new TpmException(TpmRc.KEY.handle(1));
            }
            BigInteger d = scalar(ctx, curve);
            byte[][] z = curve.multiply(d, q.x(), q.y());
            if (z == null) {
                throw new TpmException(TpmRc.KEY.handle(1));
            }
            writePoint(out, z);
            writePoint(out, curve.multiplyGenerator(d));
        }
    }

    /**
     * Part 3, 14.5 TPM2_ECDH_ZGen: d * inPoint with the key's private scalar. Response codes: TPM_RC_KEY
     * (keyHandle is no ECC key); TPM_RC_ATTRIBUTES (restricted, or decrypt CLEAR); TPM_RC_SCHEME (the
     * key's scheme is neither ECDH nor NULL); TPM_RC_ECC_POINT (inPoint is not on the curve or gives the
     * point at infinity); TPM_RC_SIZE (a malformed inPoint).
     */
    static final class EcdhZGen implements CommandHandler<byte[][]> {
        @Override
        public byte[][] parse(TpmReader in) throws TpmException {
            return readPoint(in.parameter(1));
        }

        @Override
        public void execute(CommandContext ctx, byte[][] point, TpmWriter out) throws TpmException {
            TpmObject key = ObjectCommands.object(ctx, 0);
            EccCurve curve = eccKey(key);
            if (key.has(TpmaObject.RESTRICTED) || !key.has(TpmaObject.DECRYPT)) {
                throw new TpmException(TpmRc.ATTRIBUTES.handle(1));
            }
            Scheme s = ((PublicParms.Ecc) key.publicArea().parms()).scheme();
            if (!s.isNull() && s.alg() != TpmAlg.ECDH.id()) {
                throw new TpmException(TpmRc.SCHEME.handle(1));
            }
            if (!curve.isOnCurve(point[0], point[1])) {
                throw new TpmException(TpmRc.ECC_POINT.parameter(1));
            }
            byte[][] z = curve.multiply(new BigInteger(1, key.sensitive().sensitive()), point[0], point[1]);
            if (z == null) {
                throw new TpmException(TpmRc.ECC_POINT.parameter(1));
            }
            writePoint(out, z);
        }
    }

    /**
     * Part 3, 14.8 TPM2_ECC_Parameters: TPMS_ALGORITHM_DETAIL_ECC of an implemented curve (no default
     * KDF1_SP800_56A as the KDF, no signing scheme, cofactor 1). Response codes: TPM_RC_CURVE (curveID not implemented).
     */
    static final class EccParameters implements CommandHandler<EccCurve> {
        @Override
        public EccCurve parse(TpmReader in) throws TpmException {
            EccCurve c = EccCurve.of(in.parameter(1).u16());
            if (c == null) {
                throw in.error(TpmRc.CURVE);
            }
            return c;
        }

        @Override
        public void execute(CommandContext ctx, EccCurve c, TpmWriter out) {
            java.security.spec.ECParameterSpec spec = c.spec();
            out.u16(c.id()).u16(c.keyBits());
            // the reference's curve table: no signing scheme; the NIST curves KDF1_SP800_56A with the hash of
            // the curve's size, SM2 P-256 with SM3_256 (although libtpms 0.9 does not build SM3; swtpm answers
            // the same), the BN curves no KDF
            if (c == EccCurve.BN_P256 || c == EccCurve.BN_P638) {
                out.u16(TpmAlg.NULL.id());
            } else {
                int kdfHash = c == EccCurve.SM2_P256 ? TpmAlg.SM3_256.id()
                        : (c.keyBits() <= 256 ? HashAlg.SHA256 : c.keyBits() <= 384 ? HashAlg.SHA384
                                : HashAlg.SHA512).id();
                out.u16(TpmAlg.KDF1_SP800_56A.id()).u16(kdfHash);
            }
            out.u16(TpmAlg.NULL.id());
            for (byte[] v : c.parameterBytes()) {
                out.tpm2b(v);
            }
            out.tpm2b(new byte[] {(byte) spec.getCofactor()});
        }
    }
}
