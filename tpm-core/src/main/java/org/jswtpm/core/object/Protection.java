package org.jswtpm.core.object;

import java.security.MessageDigest;
import java.util.Arrays;
import javax.crypto.Mac;
import org.jswtpm.core.TpmException;
import org.jswtpm.core.crypto.SymCfb;
import org.jswtpm.core.crypto.CtrDrbg;
import org.jswtpm.core.crypto.HashAlg;
import org.jswtpm.core.crypto.Hmac;
import org.jswtpm.core.crypto.Kdf;
import org.jswtpm.core.marshal.TpmReader;
import org.jswtpm.core.marshal.TpmWriter;
import org.jswtpm.core.types.TpmRc;

/**
 * TPM2B_PRIVATE: an object's sensitive area protected by its parent (TCG TPM 2.0 Part 1, 23 "Protected
 * storage"; Part 2, 12.3.7). The layout is {@code TPM2B outerHMAC || TPM2B iv || CFB(TPM2B sensitive)}:
 * <ul>
 * <li>symKey = KDFa(parent nameAlg, parent seedValue, "STORAGE", Name, -, parent's symmetric key bits),
 * CFB with the parent's block cipher (AES, Camellia or TDES) and a fresh IV of its block size;</li>
 * <li>HMACkey = KDFa(parent nameAlg, parent seedValue, "INTEGRITY", -, -, digest bits), outerHMAC =
 * HMAC(HMACkey, iv || encrypted sensitive || Name).</li>
 * </ul>
 * A blob made under another parent, another TPM, or altered in any bit fails the HMAC.
 */
public final class Protection {
    static final String STORAGE = "STORAGE";
    static final String INTEGRITY = "INTEGRITY";
    /** MAX_SYM_BLOCK_SIZE: the largest IV (TPM2B_IV). */
    static final int MAX_IV = 16;
    /**
     * Largest TPM2B_PRIVATE accepted (sizeof(_PRIVATE)): outer HMAC (2 + 64), IV (2 + 16), and a TPM2B
     * TPMT_SENSITIVE of at most 2 + 2 + (2 + 64) + (2 + 64) + (2 + 1280) bytes.
     */
    public static final int MAX_PRIVATE = (2 + 64) + (2 + 16) + 2 + 2 + (2 + 64) + (2 + 64) + (2 + 1280);

    private Protection() {
    }

    /** Wraps {@code sensitive} of the object named {@code name} for {@code parent}. */
    public static byte[] wrap(TpmObject parent, byte[] name, TpmtSensitive sensitive, HashAlg objectNameAlg,
            CtrDrbg drbg, SymCfb cfb) {
        TpmWriter plain = new TpmWriter(512);
        new TpmtSensitive(sensitive.type(), pad(sensitive.authValue(), objectNameAlg.digestSize()),
                sensitive.seedValue(), sensitive.sensitive()).write2b(plain);
        SymDef sym = sym(parent);
        byte[] iv = drbg.generate(sym.blockSize());
        return outerWrap(parent.publicArea().nameHash(), parent.sensitive().seedValue(), sym, name, iv,
                plain.toByteArray(), cfb);
    }

    /**
     * Unwraps a TPM2B_PRIVATE's contents. TPM_RC_INSUFFICIENT or TPM_RC_SIZE (on {@code param}) if the
     * integrity field does not unmarshal, TPM_RC_INTEGRITY if the HMAC fails,
     * TPM_RC_VALUE if the IV has the wrong size, TPM_RC_SENSITIVE if the decrypted area does not parse.
     */
    public static TpmtSensitive unwrap(TpmObject parent, byte[] name, byte[] blob, SymCfb cfb, int param)
            throws TpmException {
        byte[] plain = outerUnwrap(parent.publicArea().nameHash(), parent.sensitive().seedValue(), sym(parent),
                name, blob, true, cfb, param);
        try {
            return readSensitive2b(plain);
        } catch (TpmException e) {
            throw new TpmException(TpmRc.SENSITIVE);
        }
    }

    /**
     * A TPM2B_SENSITIVE that fills {@code plain} exactly: TPM_RC_SIZE if its size disagrees, or the
     * unmarshalling error of the TPMT_SENSITIVE.
     */
    static TpmtSensitive readSensitive2b(byte[] plain) throws TpmException {
        TpmReader p = new TpmReader(plain);
        int size = p.u16();
        if (size + 2 != plain.length) {
            throw new TpmException(TpmRc.SIZE);
        }
        TpmtSensitive s = TpmtSensitive.read(p);
        if (p.remaining() != 0) {
            throw new TpmException(TpmRc.SIZE);
        }
        return s;
    }

    /** A protector's symmetric definition (its storage algorithm, used in CFB mode whatever its mode). */
    static SymDef sym(TpmObject protector) {
        return protector.publicArea().parms().symmetric();
    }

    /**
     * The outer wrapper shared by TPM2B_PRIVATE, duplication blobs and credentials (Part 1, 23.3.2 and
     * 24.4; the reference's ProduceOuterWrap): {@code TPM2B outerHMAC || [TPM2B iv] || CFB(data)} with
     * symKey = KDFa(hash, seed, "STORAGE", name, -, symKeyBits), HMACkey = KDFa(hash, seed, "INTEGRITY", -,
     * -, digest bits) and outerHMAC = HMAC(HMACkey, [iv] || encrypted data || name); CFB with {@code sym}'s
     * block cipher.
     *
     * @param seed the parent's seedValue for an object, or a seed shared by secret sharing
     * @param iv the IV (placed in the blob), or null for an all-zero IV that is not (duplicates, credentials)
     */
    public static byte[] outerWrap(HashAlg hash, byte[] seed, SymDef sym, byte[] name, byte[] iv, byte[] data,
            SymCfb cfb) {
        byte[] key = Kdf.kdfa(hash, seed, STORAGE, name, null, sym.keyBits());
        byte[] enc = cfb.encrypt(sym.alg(), key, iv, data);
        TpmWriter body = new TpmWriter(enc.length + 20);
        if (iv != null) {
            body.tpm2b(iv);
        }
        byte[] protectedPart = body.bytes(enc).toByteArray();
        TpmWriter out = new TpmWriter(protectedPart.length + 70);
        out.tpm2b(integrity(hash, seed, protectedPart, name)).bytes(protectedPart);
        return out.toByteArray();
    }

    /**
     * Checks and removes an outer wrapper made by {@link #outerWrap}; the plaintext. TPM_RC_INSUFFICIENT or
     * TPM_RC_SIZE (on {@code param}) if the integrity field does not unmarshal, TPM_RC_INTEGRITY (on
     * {@code param}) if the HMAC fails, TPM_RC_VALUE if the IV has the wrong size.
     */
    public static byte[] outerUnwrap(HashAlg hash, byte[] seed, SymDef sym, byte[] name, byte[] blob,
            boolean useIv, SymCfb cfb, int param) throws TpmException {
        TpmReader r = new TpmReader(blob).parameter(param);
        byte[] outer = r.tpm2b(HashAlg.MAX_DIGEST_SIZE);
        byte[] rest = Arrays.copyOfRange(blob, 2 + outer.length, blob.length);
        if (!MessageDigest.isEqual(outer, integrity(hash, seed, rest, name))) {
            throw new TpmException(TpmRc.INTEGRITY.parameter(param));
        }
        TpmReader body = new TpmReader(rest).parameter(param);
        byte[] iv = null;
        if (useIv) {
            iv = body.tpm2b(MAX_IV * 4);
            if (iv.length != sym.blockSize()) {
                throw new TpmException(TpmRc.VALUE.parameter(param));
            }
        }
        byte[] enc = body.bytes(body.remaining());
        return cfb.decrypt(sym.alg(), Kdf.kdfa(hash, seed, STORAGE, name, null, sym.keyBits()), iv, enc);
    }

    private static byte[] integrity(HashAlg hash, byte[] seed, byte[] protectedPart, byte[] name) {
        byte[] hmacKey = Kdf.kdfa(hash, seed, INTEGRITY, null, null, hash.digestSize() * 8);
        Mac mac = Hmac.start(hash, hmacKey);
        mac.update(protectedPart);
        mac.update(name);
        return mac.doFinal();
    }

    static byte[] pad(byte[] auth, int size) {
        return auth.length >= size ? auth : Arrays.copyOf(auth, size);
    }
}
