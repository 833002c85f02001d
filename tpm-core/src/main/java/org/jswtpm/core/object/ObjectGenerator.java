package org.jswtpm.core.object;

import java.math.BigInteger;
import java.security.MessageDigest;
import java.util.function.IntFunction;
import org.jswtpm.core.TpmException;
import org.jswtpm.core.crypto.Bytes;
import org.jswtpm.core.crypto.CtrDrbg;
import org.jswtpm.core.crypto.EccCurve;
import org.jswtpm.core.crypto.HashAlg;
import org.jswtpm.core.crypto.Kdf;
import org.jswtpm.core.crypto.KdfStream;
import org.jswtpm.core.crypto.RsaKeyGen;
import org.jswtpm.core.crypto.Tdes;
import org.jswtpm.core.types.TpmAlg;
import org.jswtpm.core.types.TpmRc;
import org.jswtpm.core.types.TpmaObject;

/**
 * Makes the secret of a new object and fills in its unique field (TCG TPM 2.0 Part 1, 26 "Object
 * creation"; the reference implementation's CryptCreateObject): an RSA key pair, an ECC private scalar
 * and its public point, a keyed-hash or symmetric key (or the caller's data), and the seedValue. All
 * randomness comes from the DRBG passed in: the TPM's own for ordinary objects, one seeded from the
 * hierarchy seed and the template for primary objects, which makes those reproducible.
 */
public final class ObjectGenerator {
    /** The KDFa label of primary object derivation (Part 1, 26.1). */
    public static final String PRIMARY_OBJECT_CREATION = "Primary Object Creation";

    private ObjectGenerator() {
    }

    /** The result: the public area with its unique field, and the sensitive area. */
    public record Generated(TpmtPublic publicArea, TpmtSensitive sensitive) {
    }

    /**
     * A DRBG for primary-object generation: instantiated with KDFa(nameAlg, seed, "Primary Object
     * Creation", Name of the template, sensitive data, 384), so the template (including its unique
     * field) and the caller's data select the key.
     */
    public static CtrDrbg primaryDrbg(byte[] seed, TpmtPublic template, byte[] data) {
        byte[] material = Kdf.kdfa(template.nameHash(), seed, PRIMARY_OBJECT_CREATION, template.name(), data,
                CtrDrbg.SEED_LENGTH * 8);
        return new CtrDrbg(material);
    }

    /**
     * Generates the object: TPM_RC_RANGE (unpositioned, as the reference implementation answers) for an
     * RSA exponent that is not an odd prime, TPM_RC_KEY_SIZE for symmetric key data of the wrong size,
     * TPM_RC_SIZE for an HMAC key longer than the hash's block. {@code stir} (the proofs, for an
     * endorsement primary) is mixed into the DRBG before the seedValue is drawn, or null.
     */
    public static Generated generate(TpmtPublic template, SensitiveCreate create, CtrDrbg rand, byte[][] stir)
            throws TpmException {
        return generate(template, create, rand::generate, rand, stir);
    }

    /**
     * A derived object (Part 1, 26.3): every secret comes from the derivation parent's KDF stream, the
     * caller's data is not used. RSA keys are not derived (the caller rejects them first).
     */
    public static Generated derive(TpmtPublic template, byte[] userAuth, KdfStream stream)
            throws TpmException {
        return generate(template, new SensitiveCreate(userAuth, new byte[0]), stream::next, null, null);
    }

    private static Generated generate(TpmtPublic template, SensitiveCreate create,
            IntFunction<byte[]> random, CtrDrbg rand, byte[][] stir) throws TpmException {
        boolean origin = template.has(TpmaObject.SENSITIVE_DATA_ORIGIN);
        // the TPM is the source when it is told so or when no data came (a derived object)
        byte[] data = origin ? new byte[0] : create.data();
        boolean generated = data.length == 0;
        HashAlg nameHash = template.nameHash();
        TpmtPublic.Unique unique = template.unique();
        byte[] secret;
        PublicParms parms = template.parms();
        if (parms instanceof PublicParms.Rsa r) {
            if (!RsaKeyGen.isValidExponent(r.exponent())) {
                throw new TpmException(TpmRc.RANGE);
            }
            RsaKeyGen.KeyPair kp = RsaKeyGen.generate(r.keyBits(), r.exponent(), rand);
            unique = TpmtPublic.Unique.of(Bytes.fixed(kp.n(), r.keyBits() / 8));
            secret = Bytes.fixed(kp.p(), r.keyBits() / 16);
        } else if (parms instanceof PublicParms.Ecc e) {
            EccCurve curve = e.curve();
            BigInteger d = eccScalar(curve, random);
            byte[][] q = curve.multiplyGenerator(d);
            unique = new TpmtPublic.Unique(q[0], q[1]);
            secret = curve.fixed(d);
        } else if (parms instanceof PublicParms.SymCipher s) {
            int bytes = s.sym().keyBits() / 8;
            boolean tdes = s.sym().alg() == TpmAlg.TDES.id();
            if (generated) {
                secret = tdes ? Tdes.generateKey(bytes, random) : random.apply(bytes);
            } else if (data.length != bytes) {
                throw new TpmException(TpmRc.KEY_SIZE);
            } else if (tdes && !Tdes.isValidKey(data)) {
                throw new TpmException(TpmRc.KEY);
            } else {
                secret = data;
            }
        } else {
            secret = keyedHashSecret(template, (PublicParms.KeyedHash) parms, data, generated, random);
        }
        if (stir != null) {
            for (byte[] s : stir) {
                rand.reseed(s);
            }
        }
        byte[] seedValue = random.apply(nameHash.digestSize());
        int type = template.type();
        if (type == TpmAlg.SYMCIPHER.id() || type == TpmAlg.KEYEDHASH.id()) {
            MessageDigest md = nameHash.newDigest();
            md.update(seedValue);
            md.update(secret);
            unique = TpmtPublic.Unique.of(md.digest());
        } else if (template.has(TpmaObject.SIGN_ENCRYPT) || !template.has(TpmaObject.RESTRICTED)) {
            seedValue = new byte[0];
        }
        TpmtSensitive sensitive = new TpmtSensitive(type, create.userAuth(), seedValue, secret);
        return new Generated(template.withUnique(unique), sensitive);
    }

    private static byte[] keyedHashSecret(TpmtPublic template, PublicParms.KeyedHash k, byte[] data,
            boolean generated, IntFunction<byte[]> random) throws TpmException {
        Scheme scheme = k.scheme();
        HashAlg h = scheme.isNull() ? template.nameHash() : HashAlg.of(scheme.hashAlg());
        if (h == null) {
            h = template.nameHash();
        }
        if (generated) {
            return random.apply(h.digestSize());
        }
        if ((template.has(TpmaObject.SIGN_ENCRYPT) || template.has(TpmaObject.DECRYPT))
                && data.length > h.blockSize()) {
            throw new TpmException(TpmRc.SIZE);
        }
        return data;
    }

    /**
     * The ECC private scalar by FIPS 186-4 B.4.1, as the reference implementation draws it: order-size
     * plus 64 random bits, reduced mod (n - 1), plus 1.
     */
    static BigInteger eccScalar(EccCurve curve, IntFunction<byte[]> random) {
        BigInteger n = curve.order();
        byte[] extra = random.apply((n.bitLength() + 7) / 8 + 8);
        return new BigInteger(1, extra).mod(n.subtract(BigInteger.ONE)).add(BigInteger.ONE);
    }

    /**
     * Checks that a sensitive area belongs to a public area (Part 1, 27.4 "binding"): the RSA prime
     * divides the modulus, the ECC scalar gives the public point, a symmetric unique is the hash of
     * seedValue and key. TPM_RC_BINDING otherwise, without a position as the reference implementation
     * reports it; key material of the wrong size is TPM_RC_KEY_SIZE or TPM_RC_KEY on {@code param}.
     */
    public static void checkBinding(TpmtPublic pub, TpmtSensitive sens, int param) throws TpmException {
        checkBinding(pub, sens, param, false);
    }

    /**
     * As {@link #checkBinding(TpmtPublic, TpmtSensitive, int)}; with {@code integrityProtected} (a
     * TPM2B_PRIVATE whose HMAC covers the Name, so the public area is already bound) the point
     * multiplication of an ECC key is skipped and only the scalar's range is checked.
     */
    public static void checkBinding(TpmtPublic pub, TpmtSensitive sens, int param, boolean integrityProtected)
            throws TpmException {
        if (sens.type() != pub.type()) {
            throw new TpmException(TpmRc.TYPE.parameter(param));
        }
        PublicParms parms = pub.parms();
        if (parms instanceof PublicParms.Rsa r) {
            byte[] n = pub.unique().x();
            if (n.length != r.keyBits() / 8) {
                throw new TpmException(TpmRc.KEY.parameter(param == 1 ? 2 : param));
            }
            BigInteger p = new BigInteger(1, sens.sensitive());
            BigInteger bn = new BigInteger(1, n);
            if (sens.sensitive().length != r.keyBits() / 16 || p.signum() == 0 || bn.mod(p).signum() != 0
                    || p.equals(BigInteger.ONE) || p.equals(bn)) {
                throw new TpmException(TpmRc.BINDING);
            }
        } else if (parms instanceof PublicParms.Ecc e) {
            EccCurve curve = e.curve();
            BigInteger d = new BigInteger(1, sens.sensitive());
            if (d.signum() == 0 || d.compareTo(curve.order()) >= 0) {
                throw new TpmException(TpmRc.BINDING);
            }
            if (integrityProtected) {
                return;
            }
            byte[][] q = curve.multiplyGenerator(d);
            if (!MessageDigest.isEqual(q[0], curve.fixed(new BigInteger(1, pub.unique().x())))
                    || !MessageDigest.isEqual(q[1], curve.fixed(new BigInteger(1, pub.unique().y())))) {
                throw new TpmException(TpmRc.BINDING);
            }
        } else {
            if (parms instanceof PublicParms.SymCipher s) {
                if (sens.sensitive().length != s.sym().keyBits() / 8) {
                    throw new TpmException(TpmRc.KEY_SIZE.parameter(param));
                }
                if (s.sym().alg() == TpmAlg.TDES.id() && !Tdes.isValidKey(sens.sensitive())) {
                    throw new TpmException(TpmRc.KEY.parameter(param));
                }
            }
            HashAlg h = pub.nameHash();
            if (h == null) {
                return;
            }
            MessageDigest md = h.newDigest();
            md.update(sens.seedValue());
            md.update(sens.sensitive());
            if (!MessageDigest.isEqual(md.digest(), pub.unique().x())) {
                throw new TpmException(TpmRc.BINDING);
            }
        }
    }
}
