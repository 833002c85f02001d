package org.jswtpm.core.crypto;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.util.Arrays;
import javax.crypto.Cipher;
import org.jswtpm.core.TpmException;
import org.jswtpm.core.object.Commitments;
import org.jswtpm.core.object.PublicParms;
import org.jswtpm.core.object.Scheme;
import org.jswtpm.core.object.TpmObject;
import org.jswtpm.core.object.TpmtPublic;
import org.jswtpm.core.object.TpmtSensitive;
import org.jswtpm.core.types.TpmAlg;
import org.jswtpm.core.types.TpmRc;
import org.jswtpm.core.types.TpmaObject;

/**
 * The one place where the TPM makes and checks signatures over a digest (TCG TPM 2.0 Part 1, 11.4.6 and
 * Part 2, 11.3): RSASSA-PKCS1-v1_5 and RSASSA-PSS (salt as long as the digest, or shorter when the key is
 * too small, as the reference implementation signs; any salt length verifies), ECDSA and EC-Schnorr
 * (the TPM's form: r = H(R.x || digest) truncated to the order's size, s = k + r*d mod n), SM2 (GB/T
 * 32918.2 over the digest as e, which the caller computed as H(ZA || M)), and HMAC with a keyed-hash
 * object. Response codes are returned unpositioned; the caller adds the position.
 */
public final class Signatures {
    private Signatures() {
    }

    // ---- scheme selection (the reference's CryptSelectSignScheme)

    /** A key that may sign: sign SET and not a symmetric cipher (IsSigningObject). */
    public static boolean isSigningKey(TpmtPublic pub) {
        return pub.has(TpmaObject.SIGN_ENCRYPT) && pub.type() != TpmAlg.SYMCIPHER.id();
    }

    /** The key's default signing scheme (its RSA, ECC or keyed-hash scheme), NULL if it has none. */
    public static SigScheme keyScheme(TpmtPublic pub) {
        Scheme s;
        if (pub.parms() instanceof PublicParms.Rsa r) {
            s = r.scheme();
        } else if (pub.parms() instanceof PublicParms.Ecc e) {
            s = e.scheme();
        } else if (pub.parms() instanceof PublicParms.KeyedHash k) {
            s = k.scheme();
        } else {
            return SigScheme.NULL;
        }
        return s.isNull() ? SigScheme.NULL : new SigScheme(s.alg(), s.hashAlg(), s.extra());
    }

    /**
     * The scheme to sign with: the key's default when {@code in} is NULL, {@code in} when the key has no
     * default, and {@code in} again when both agree on scheme and hash. Null when they conflict, both
     * are NULL, the default needs a split-signing commit (ECDAA), or the scheme does not fit the key type
     * (the caller answers TPM_RC_SCHEME on inScheme).
     */
    public static SigScheme select(TpmtPublic pub, SigScheme in) {
        SigScheme def = keyScheme(pub);
        SigScheme chosen;
        if (def.isNull()) {
            chosen = in.isNull() ? null : in;
        } else if (in.isNull()) {
            chosen = def.alg() == TpmAlg.ECDAA.id() ? null : def;
        } else {
            chosen = def.alg() == in.alg() && def.hashAlg() == in.hashAlg() ? in : null;
        }
        return chosen != null && fits(pub.type(), chosen) ? chosen : null;
    }

    /** True if {@code scheme} is a signing scheme of key type {@code type} with a hash (CryptIsValidSignScheme). */
    public static boolean fits(int type, SigScheme scheme) {
        if (scheme.hash() == null) {
            return false;
        }
        int a = scheme.alg();
        if (type == TpmAlg.RSA.id()) {
            return a == TpmAlg.RSASSA.id() || a == TpmAlg.RSAPSS.id();
        }
        if (type == TpmAlg.ECC.id()) {
            return a == TpmAlg.ECDSA.id() || a == TpmAlg.ECSCHNORR.id() || a == TpmAlg.ECDAA.id()
                    || a == TpmAlg.SM2.id();
        }
        return type == TpmAlg.KEYEDHASH.id() && a == TpmAlg.HMAC.id();
    }

    // ---- signing

    /**
     * Signs {@code digest} with {@code key} under {@code scheme} (already selected). TPM_RC_SCHEME when
     * the scheme does not fit the key; TPM_RC_VALUE when an RSA digest does not match the scheme's hash
     * or does not fit the key.
     */
    public static TpmtSignature sign(TpmObject key, SigScheme scheme, byte[] digest, CtrDrbg drbg)
            throws TpmException {
        return sign(key, scheme, digest, drbg, null);
    }

    /**
     * Signs as {@link #sign(TpmObject, SigScheme, byte[], CtrDrbg)}, ECDAA included: the split-signing
     * second phase uses the commitment named by the scheme's count and ends it on success. TPM_RC_VALUE
     * when the count is no outstanding commitment (never committed, already used, or too old);
     * TPM_RC_SCHEME for ECDAA without commit state.
     */
    public static TpmtSignature sign(TpmObject key, SigScheme scheme, byte[] digest, CtrDrbg drbg,
            Commitments commitments) throws TpmException {
        TpmtPublic pub = key.publicArea();
        if (!fits(pub.type(), scheme) || key.isPublicOnly()) {
            throw new TpmException(TpmRc.SCHEME);
        }
        HashAlg hash = scheme.hash();
        int alg = scheme.alg();
        if (pub.type() == TpmAlg.KEYEDHASH.id()) {
            return TpmtSignature.hmac(hash.id(), Hmac.start(hash, key.sensitive().sensitive()).doFinal(digest));
        }
        if (pub.type() == TpmAlg.RSA.id()) {
            int k = pub.unique().x().length;
            byte[] em = alg == TpmAlg.RSASSA.id() ? pkcs1Encode(hash, digest, k) : pssEncode(hash, digest, k, drbg);
            return TpmtSignature.rsa(alg, hash.id(), rsaPrivate(key, em));
        }
        EccCurve curve = ((PublicParms.Ecc) pub.parms()).curve();
        BigInteger d = new BigInteger(1, key.sensitive().sensitive());
        if (alg == TpmAlg.ECDAA.id()) {
            if (commitments == null) {
                throw new TpmException(TpmRc.SCHEME);
            }
            BigInteger r = commitments.r(drbg, curve, key.name(), scheme.count());
            if (r == null) {
                throw new TpmException(TpmRc.VALUE);
            }
            TpmtSignature sig = ecdaaSign(curve, hash, d, r, digest, drbg);
            commitments.end(scheme.count());
            return sig;
        }
        if (alg == TpmAlg.SM2.id()) {
            return sm2Sign(curve, hash, d, digest, drbg);
        }
        return alg == TpmAlg.ECDSA.id() ? ecdsaSign(curve, hash, d, digest, drbg)
                : schnorrSign(curve, hash, d, digest, drbg);
    }

    // ---- verification

    /** Verifies with a loaded object (a public-only keyed hash is TPM_RC_HANDLE). */
    public static void verify(TpmObject key, byte[] digest, TpmtSignature sig) throws TpmException {
        verify(key.publicArea(), key.sensitive(), digest, sig);
    }

    /**
     * Checks {@code sig} over {@code digest} with the key {@code pub} (and, for HMAC, its sensitive
     * area). TPM_RC_SIGNATURE for a NULL or wrong signature; TPM_RC_SCHEME when the signature's scheme
     * does not fit the key type; TPM_RC_HANDLE for an HMAC without the key's sensitive area.
     */
    public static void verify(TpmtPublic pub, TpmtSensitive sensitive, byte[] digest, TpmtSignature sig)
            throws TpmException {
        if (sig.isNull()) {
            throw new TpmException(TpmRc.SIGNATURE);
        }
        SigScheme scheme = new SigScheme(sig.sigAlg(), sig.hashAlg(), 0);
        // an ECDAA signature needs the DAA verifier's credential: the TPM cannot check it (as the reference)
        if (!fits(pub.type(), scheme) || sig.sigAlg() == TpmAlg.ECDAA.id()) {
            throw new TpmException(TpmRc.SCHEME);
        }
        HashAlg hash = scheme.hash();
        boolean ok;
        if (pub.type() == TpmAlg.KEYEDHASH.id()) {
            if (sensitive == null) {
                throw new TpmException(TpmRc.HANDLE);
            }
            byte[] expect = Hmac.start(hash, sensitive.sensitive()).doFinal(digest);
            ok = MessageDigest.isEqual(expect, sig.sig());
        } else if (pub.type() == TpmAlg.RSA.id()) {
            ok = rsaVerify(pub, hash, sig, digest);
        } else {
            EccCurve curve = ((PublicParms.Ecc) pub.parms()).curve();
            byte[] qx = pub.unique().x();
            byte[] qy = pub.unique().y();
            if (sig.sigAlg() == TpmAlg.SM2.id()) {
                ok = sm2Verify(curve, qx, qy, digest, sig);
            } else {
                ok = sig.sigAlg() == TpmAlg.ECDSA.id() ? ecdsaVerify(curve, qx, qy, digest, sig)
                        : schnorrVerify(curve, hash, qx, qy, digest, sig);
            }
        }
        if (!ok) {
            throw new TpmException(TpmRc.SIGNATURE);
        }
    }

    // ---- RSA

    private static byte[] rsaPrivate(TpmObject key, byte[] em) throws TpmException {
        try {
            PrivateKey pk = key.jdkPrivateKey();
            Cipher c = Cipher.getInstance("RSA/ECB/NoPadding");
            c.init(Cipher.DECRYPT_MODE, pk);
            return Bytes.fixed(new BigInteger(1, c.doFinal(em)), em.length);
        } catch (GeneralSecurityException e) {
            throw new TpmException(TpmRc.VALUE);
        }
    }

    /** m^e mod n as k bytes, or null if m is not below n. */
    static byte[] rsaPublic(TpmtPublic pub, byte[] m) {
        BigInteger n = new BigInteger(1, pub.unique().x());
        BigInteger x = new BigInteger(1, m);
        if (x.compareTo(n) >= 0) {
            return null;
        }
        int e = ((PublicParms.Rsa) pub.parms()).exponent();
        BigInteger exp = BigInteger.valueOf(e == 0 ? RsaKeyGen.DEFAULT_EXPONENT : Integer.toUnsignedLong(e));
        return Bytes.fixed(x.modPow(exp, n), pub.unique().x().length);
    }

    private static boolean rsaVerify(TpmtPublic pub, HashAlg hash, TpmtSignature sig, byte[] digest) {
        int k = pub.unique().x().length;
        if (sig.sig().length != k) {
            return false;
        }
        byte[] em = rsaPublic(pub, sig.sig());
        if (em == null) {
            return false;
        }
        if (sig.sigAlg() == TpmAlg.RSASSA.id()) {
            try {
                return MessageDigest.isEqual(em, pkcs1Encode(hash, digest, k));
            } catch (TpmException e) {
                return false;
            }
        }
        return pssVerify(hash, digest, em);
    }

    /** The DER DigestInfo prefix of a hash (PKCS #1 v2.2, 9.2 note 1). */
    static byte[] digestInfoPrefix(HashAlg hash) {
        int h = hash.digestSize();
        byte[] oid;
        switch (hash) {
            case SHA1: oid = new byte[] {0x2b, 0x0e, 0x03, 0x02, 0x1a}; break;
            case SHA256: oid = nistHash(1); break;
            case SHA384: oid = nistHash(2); break;
            case SHA512: oid = nistHash(3); break;
            case SHA3_256: oid = nistHash(8); break;
            case SHA3_384: oid = nistHash(9); break;
            default: oid = nistHash(10); break;
        }
        int algId = 2 + oid.length + 2;
        byte[] out = new byte[2 + 2 + algId + 2];
        int i = 0;
        out[i++] = 0x30;
        out[i++] = (byte) (2 + algId + 2 + h);
        out[i++] = 0x30;
        out[i++] = (byte) algId;
        out[i++] = 0x06;
        out[i++] = (byte) oid.length;
        System.arraycopy(oid, 0, out, i, oid.length);
        i += oid.length;
        out[i++] = 0x05;
        out[i++] = 0x00;
        out[i++] = 0x04;
        out[i] = (byte) h;
        return out;
    }

    private static byte[] nistHash(int n) {
        return new byte[] {0x60, (byte) 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, (byte) n};
    }

    /** EMSA-PKCS1-v1_5 of a digest: TPM_RC_VALUE when the digest is not the hash's size or too long. */
    static byte[] pkcs1Encode(HashAlg hash, byte[] digest, int k) throws TpmException {
        if (digest.length != hash.digestSize()) {
            throw new TpmException(TpmRc.VALUE);
        }
        byte[] prefix = digestInfoPrefix(hash);
        int t = prefix.length + digest.length;
        if (k < t + 11) {
            throw new TpmException(TpmRc.VALUE);
        }
        byte[] em = new byte[k];
        em[1] = 0x01;
        Arrays.fill(em, 2, k - t - 1, (byte) 0xFF);
        System.arraycopy(prefix, 0, em, k - t, prefix.length);
        System.arraycopy(digest, 0, em, k - digest.length, digest.length);
        return em;
    }

    /** The salt length the reference uses: the digest size, or what fits in a k-byte key. */
    public static int pssSaltSize(int hashSize, int k) {
        return Math.max(0, Math.min(hashSize, k - hashSize - 2));
    }

    /** EMSA-PSS-ENCODE (PKCS #1 v2.2, 9.1.1) over a digest, for a key of k bytes (modulus bits a multiple of 8). */
    static byte[] pssEncode(HashAlg hash, byte[] digest, int k, CtrDrbg drbg) throws TpmException {
        int h = hash.digestSize();
        if (digest.length != h || k < h + 2) {
            throw new TpmException(TpmRc.VALUE);
        }
        byte[] salt = drbg.generate(pssSaltSize(h, k));
        byte[] hh = pssHash(hash, digest, salt);
        byte[] db = new byte[k - h - 1];
        db[db.length - salt.length - 1] = 0x01;
        System.arraycopy(salt, 0, db, db.length - salt.length, salt.length);
        xor(db, mgf1(hash, hh, db.length));
        db[0] &= 0x7F;
        byte[] em = new byte[k];
        System.arraycopy(db, 0, em, 0, db.length);
        System.arraycopy(hh, 0, em, db.length, h);
        em[k - 1] = (byte) 0xBC;
        return em;
    }

    /** EMSA-PSS-VERIFY with any salt length. */
    static boolean pssVerify(HashAlg hash, byte[] digest, byte[] em) {
        int h = hash.digestSize();
        int k = em.length;
        if (digest.length != h || k < h + 2 || em[k - 1] != (byte) 0xBC || (em[0] & 0x80) != 0) {
            return false;
        }
        byte[] db = Arrays.copyOfRange(em, 0, k - h - 1);
        byte[] hh = Arrays.copyOfRange(em, k - h - 1, k - 1);
        xor(db, mgf1(hash, hh, db.length));
        db[0] &= 0x7F;
        int i = 0;
        while (i < db.length && db[i] == 0) {
            i++;
        }
        if (i == db.length || db[i] != 0x01) {
            return false;
        }
        byte[] salt = Arrays.copyOfRange(db, i + 1, db.length);
        return MessageDigest.isEqual(hh, pssHash(hash, digest, salt));
    }

    private static byte[] pssHash(HashAlg hash, byte[] digest, byte[] salt) {
        MessageDigest md = hash.newDigest();
        md.update(new byte[8]);
        md.update(digest);
        md.update(salt);
        return md.digest();
    }

    /** MGF1 (PKCS #1 v2.2, B.2.1). */
    public static byte[] mgf1(HashAlg hash, byte[] seed, int length) {
        byte[] out = new byte[length];
        MessageDigest md = hash.newDigest();
        int done = 0;
        for (int counter = 0; done < length; counter++) {
            md.update(seed);
            md.update(new byte[] {(byte) (counter >>> 24), (byte) (counter >>> 16), (byte) (counter >>> 8),
                (byte) counter});
            byte[] block = md.digest();
            int n = Math.min(block.length, length - done);
            System.arraycopy(block, 0, out, done, n);
            done += n;
        }
        return out;
    }

    private static void xor(byte[] a, byte[] mask) {
        for (int i = 0; i < a.length; i++) {
            a[i] ^= mask[i];
        }
    }

    // ---- ECC

    /** The digest as an integer, truncated to the order's bit length (ECDSA, SEC 1, 4.1.3 step 5). */
    static BigInteger truncate(EccCurve curve, byte[] digest) {
        BigInteger e = new BigInteger(1, digest);
        int excess = digest.length * 8 - curve.order().bitLength();
        return excess > 0 ? e.shiftRight(excess) : e;
    }

    /** A nonce in [1, n-1] from the DRBG. */
    private static BigInteger nonce(EccCurve curve, CtrDrbg drbg) {
        BigInteger n = curve.order();
        while (true) {
            BigInteger k = new BigInteger(1, drbg.generate(curve.bytes() + 8)).mod(n);
            if (k.signum() != 0) {
                return k;
            }
        }
    }

    private static int orderBytes(EccCurve curve) {
        return (curve.order().bitLength() + 7) / 8;
    }

    static TpmtSignature ecdsaSign(EccCurve curve, HashAlg hash, BigInteger d, byte[] digest, CtrDrbg drbg) {
        BigInteger n = curve.order();
        BigInteger e = truncate(curve, digest);
        while (true) {
            BigInteger k = nonce(curve, drbg);
            BigInteger r = new BigInteger(1, curve.multiplyGenerator(k)[0]).mod(n);
            if (r.signum() == 0) {
                continue;
            }
            BigInteger s = k.modInverse(n).multiply(e.add(r.multiply(d))).mod(n);
            if (s.signum() != 0) {
                int size = orderBytes(curve);
                return TpmtSignature.ecc(TpmAlg.ECDSA.id(), hash.id(), Bytes.fixed(r, size), Bytes.fixed(s, size));
            }
        }
    }

    static boolean ecdsaVerify(EccCurve curve, byte[] qx, byte[] qy, byte[] digest, TpmtSignature sig) {
        BigInteger n = curve.order();
        BigInteger r = new BigInteger(1, sig.r());
        BigInteger s = new BigInteger(1, sig.s());
        if (r.signum() == 0 || s.signum() == 0 || r.compareTo(n) >= 0 || s.compareTo(n) >= 0
                || !curve.isOnCurve(qx, qy)) {
            return false;
        }
        BigInteger w = s.modInverse(n);
        BigInteger u1 = truncate(curve, digest).multiply(w).mod(n);
        BigInteger u2 = r.multiply(w).mod(n);
        BigInteger[] p = EcPoints.add(curve, EcPoints.times(curve, u1, null, null), EcPoints.times(curve, u2, qx, qy));
        return p != null && p[0].mod(n).equals(r);
    }

    /** r = H(R.x || digest) cut to the order's byte length, as an integer. */
    private static BigInteger schnorrChallenge(EccCurve curve, HashAlg hash, BigInteger rx, byte[] digest) {
        MessageDigest md = hash.newDigest();
        md.update(Bytes.fixed(rx, orderBytes(curve)));
        md.update(digest);
        byte[] e = md.digest();
        int max = orderBytes(curve);
        return new BigInteger(1, e.length > max ? Arrays.copyOf(e, max) : e);
    }

    static TpmtSignature schnorrSign(EccCurve curve, HashAlg hash, BigInteger d, byte[] digest, CtrDrbg drbg) {
        BigInteger n = curve.order();
        while (true) {
            BigInteger k = nonce(curve, drbg);
            BigInteger rx = new BigInteger(1, curve.multiplyGenerator(k)[0]);
            BigInteger r = schnorrChallenge(curve, hash, rx, digest);
            BigInteger s = k.add(r.mod(n).multiply(d)).mod(n);
            if (r.signum() != 0 && s.signum() != 0) {
                int size = orderBytes(curve);
                return TpmtSignature.ecc(TpmAlg.ECSCHNORR.id(), hash.id(), Bytes.fixed(r, size),
                        Bytes.fixed(s, size));
            }
        }
    }

    /**
     * ECDAA second phase (Part 1, 11.4.7; the reference's split signing): a fresh nonceK in [1, n-1],
     * T = H(nonceK || digest) with nonceK in its minimal big-endian bytes, s = r + T*d mod n with r the
     * committed scalar (T mod n or s zero draws a new nonceK). signatureR is nonceK (minimal bytes),
     * signatureS is s in the order's byte length.
     */
    static TpmtSignature ecdaaSign(EccCurve curve, HashAlg hash, BigInteger d, BigInteger r, byte[] digest,
            CtrDrbg drbg) {
        BigInteger n = curve.order();
        while (true) {
            byte[] nk = minimal(nonce(curve, drbg));
            BigInteger t = ecdaaT(hash, nk, digest).mod(n);
            if (t.signum() == 0) {
                continue;
            }
            BigInteger s = r.add(t.multiply(d)).mod(n);
            if (s.signum() != 0) {
                return TpmtSignature.ecc(TpmAlg.ECDAA.id(), hash.id(), nk, Bytes.fixed(s, orderBytes(curve)));
            }
        }
    }

    /** The minimal big-endian bytes of a positive integer. */
    private static byte[] minimal(BigInteger v) {
        return Bytes.fixed(v, (v.bitLength() + 7) / 8);
    }

    /** T = H(nonceK || digest) as an integer (not reduced). */
    public static BigInteger ecdaaT(HashAlg hash, byte[] nonceK, byte[] digest) {
        MessageDigest md = hash.newDigest();
        md.update(nonceK);
        md.update(digest);
        return new BigInteger(1, md.digest());
    }

    static boolean schnorrVerify(EccCurve curve, HashAlg hash, byte[] qx, byte[] qy, byte[] digest,
            TpmtSignature sig) {
        BigInteger n = curve.order();
        BigInteger r = new BigInteger(1, sig.r());
        BigInteger s = new BigInteger(1, sig.s());
        if (s.signum() == 0 || s.compareTo(n) >= 0 || !curve.isOnCurve(qx, qy)) {
            return false;
        }
        BigInteger rn = n.subtract(r.mod(n)).mod(n);
        BigInteger[] e = EcPoints.add(curve, EcPoints.times(curve, s, null, null), EcPoints.times(curve, rn, qx, qy));
        return e != null && schnorrChallenge(curve, hash, e[0], digest).equals(r);
    }

    /**
     * SM2 signing (GB/T 32918.2, 6.1, steps A3 to A7, as the reference's BnSignEcSm2): e is the whole
     * digest as an integer (not truncated), k a nonce in [1, n-1], (x1, y1) = [k]G, r = (e + x1) mod n
     * (r = 0 or r + k = n draws a new k), s = (1 + d)^-1 * (k - r*d) mod n (s = 0 draws a new k).
     * TPM_RC_VALUE for the one private key SM2 cannot use, d = n - 1.
     */
    static TpmtSignature sm2Sign(EccCurve curve, HashAlg hash, BigInteger d, byte[] digest, CtrDrbg drbg)
            throws TpmException {
        BigInteger n = curve.order();
        BigInteger dPlusOne = d.add(BigInteger.ONE).mod(n);
        if (dPlusOne.signum() == 0) {
            throw new TpmException(TpmRc.VALUE);
        }
        BigInteger inverse = dPlusOne.modInverse(n);
        BigInteger e = new BigInteger(1, digest);
        while (true) {
            BigInteger k = nonce(curve, drbg);
            BigInteger r = e.add(new BigInteger(1, curve.multiplyGenerator(k)[0])).mod(n);
            if (r.signum() == 0 || r.add(k).equals(n)) {
                continue;
            }
            BigInteger s = inverse.multiply(k.subtract(r.multiply(d))).mod(n);
            if (s.signum() != 0) {
                int size = orderBytes(curve);
                return TpmtSignature.ecc(TpmAlg.SM2.id(), hash.id(), Bytes.fixed(r, size), Bytes.fixed(s, size));
            }
        }
    }

    /**
     * SM2 verification (GB/T 32918.2, 7.1, steps B1 to B7, as the reference's BnValidateSignatureEcSm2):
     * r and s in [1, n-1], t = (r + s) mod n not 0, (x1, y1) = [s]G + [t]Q, and (e + x1) mod n = r.
     */
    static boolean sm2Verify(EccCurve curve, byte[] qx, byte[] qy, byte[] digest, TpmtSignature sig) {
        BigInteger n = curve.order();
        BigInteger r = new BigInteger(1, sig.r());
        BigInteger s = new BigInteger(1, sig.s());
        if (r.signum() == 0 || s.signum() == 0 || r.compareTo(n) >= 0 || s.compareTo(n) >= 0
                || !curve.isOnCurve(qx, qy)) {
            return false;
        }
        BigInteger t = r.add(s).mod(n);
        if (t.signum() == 0) {
            return false;
        }
        BigInteger[] p = EcPoints.add(curve, EcPoints.times(curve, s, null, null), EcPoints.times(curve, t, qx, qy));
        return p != null && new BigInteger(1, digest).add(p[0]).mod(n).equals(r);
    }
}
