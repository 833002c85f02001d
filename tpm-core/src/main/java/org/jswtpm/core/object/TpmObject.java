package org.jswtpm.core.object;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PrivateKey;
import org.jswtpm.core.TpmException;
import org.jswtpm.core.crypto.CtrDrbg;
import org.jswtpm.core.crypto.EccCurve;
import org.jswtpm.core.crypto.HashAlg;
import org.jswtpm.core.engine.AuthRole;
import org.jswtpm.core.engine.LoadedObject;
import org.jswtpm.core.engine.SaltDecryptor;
import org.jswtpm.core.engine.session.Salts;
import org.jswtpm.core.marshal.TpmReader;
import org.jswtpm.core.marshal.TpmWriter;
import org.jswtpm.core.state.PermanentState;
import org.jswtpm.core.types.TpmAlg;
import org.jswtpm.core.types.TpmRc;
import org.jswtpm.core.types.TpmRh;
import org.jswtpm.core.types.TpmaObject;

/**
 * A key or data object loaded in the TPM (TCG TPM 2.0 Part 1, 23-27): its public area, its sensitive
 * area (null for a public-only external key), its Name and Qualified Name, and the hierarchy it belongs
 * to. A persistent object keeps its persistent handle; a transient one takes its slot's handle.
 */
public final class TpmObject extends LoadedObject implements SaltDecryptor {
    /** How an object came to be, which decides what may be done with it. */
    public enum Origin {
        /** TPM2_CreatePrimary. */
        PRIMARY,
        /** TPM2_Load or TPM2_CreateLoaded under a parent. */
        ORDINARY,
        /** TPM2_LoadExternal: no TPM-protected origin; never fixedTPM. */
        EXTERNAL
    }

    private final TpmtPublic publicArea;
    private final TpmtSensitive sensitive;
    private final byte[] name;
    private final byte[] qualifiedName;
    private final int hierarchy;
    private final Origin origin;
    private int persistentHandle;
    /** The JDK private key, made when first needed. */
    private PrivateKey privateKey;

    public TpmObject(TpmtPublic publicArea, TpmtSensitive sensitive, byte[] qualifiedName, int hierarchy,
            Origin origin) {
        super(sensitive == null ? new byte[0] : sensitive.authValue());
        this.publicArea = publicArea;
        this.sensitive = sensitive;
        this.name = publicArea.name();
        this.qualifiedName = qualifiedName;
        this.hierarchy = hierarchy;
        this.origin = origin;
    }

    public TpmtPublic publicArea() {
        return publicArea;
    }

    /** The sensitive area, or null for a public-only object. */
    public TpmtSensitive sensitive() {
        return sensitive;
    }

    /** The handle the hierarchy is named by: TPM_RH_OWNER, ENDORSEMENT, PLATFORM or NULL. */
    public int hierarchy() {
        return hierarchy;
    }

    public Origin origin() {
        return origin;
    }

    public byte[] qualifiedName() {
        return qualifiedName.clone();
    }

    public boolean has(int bit) {
        return publicArea.has(bit);
    }

    public boolean isPublicOnly() {
        return sensitive == null;
    }

    /** True for a persistent object (loaded from NV by its 0x81 handle). */
    public boolean isPersistent() {
        return persistentHandle != 0;
    }

    void persistAs(int handle) {
        persistentHandle = handle;
    }

    /**
     * A storage parent (Part 1, 27.1.2 "isParent"): restricted, decrypt, not sign, with a symmetric
     * algorithm for its children's protection, and its sensitive area present.
     */
    public boolean isStorageParent() {
        return sensitive != null && has(TpmaObject.RESTRICTED) && has(TpmaObject.DECRYPT)
                && !has(TpmaObject.SIGN_ENCRYPT) && publicArea.type() != TpmAlg.KEYEDHASH.id()
                && !publicArea.parms().symmetric().isNull();
    }

    /**
     * A derivation parent (Part 1, 26.3): a restricted decryption keyed hash with the XOR scheme and the
     * SP800-108 KDF; its key seeds the KDF its derived objects come from.
     */
    public boolean isDerivationParent() {
        if (sensitive == null || publicArea.type() != TpmAlg.KEYEDHASH.id() || !has(TpmaObject.RESTRICTED)
                || !has(TpmaObject.DECRYPT) || has(TpmaObject.SIGN_ENCRYPT)) {
            return false;
        }
        Scheme scheme = ((PublicParms.KeyedHash) publicArea.parms()).scheme();
        return scheme.alg() == TpmAlg.XOR.id() && scheme.extra() == TpmAlg.KDF1_SP800_108.id()
                && HashAlg.of(scheme.hashAlg()) != null;
    }

    // ---- salted sessions (Part 1, 24 "Secret sharing")

    @Override
    public boolean canDecryptSalt() {
        return publicArea.type() == TpmAlg.RSA.id() || publicArea.type() == TpmAlg.ECC.id();
    }

    /** TPM_RC_HANDLE (handle 1) for a public-only key, TPM_RC_ATTRIBUTES (handle 1) without decrypt. */
    @Override
    public void checkSaltKey() throws TpmException {
        if (sensitive == null) {
            throw new TpmException(TpmRc.HANDLE.handle(1));
        }
        if (!has(TpmaObject.DECRYPT)) {
            throw new TpmException(TpmRc.ATTRIBUTES.handle(1));
        }
    }

    @Override
    public byte[] decryptSalt(byte[] encryptedSalt) throws TpmException {
        return decryptSecret("SECRET", encryptedSalt, 2);
    }

    /**
     * Recovers a secret shared with this RSA or ECC key under {@code label} (Part 1, 24; the reference's
     * CryptSecretDecrypt): TPM_RC_VALUE on {@code param} if it does not decrypt (or this is a public key).
     */
    public byte[] decryptSecret(String label, byte[] encrypted, int param) throws TpmException {
        if (sensitive == null) {
            throw new TpmException(TpmRc.VALUE.parameter(param));
        }
        if (publicArea.parms() instanceof PublicParms.Ecc e) {
            return Salts.ecc(e.curve(), new BigInteger(1, sensitive.sensitive()), publicArea.nameHash(),
                    publicArea.unique().x(), label, encrypted, param);
        }
        PrivateKey key;
        try {
            if (privateKey == null) {
                privateKey = new JdkKeys().privateKey(publicArea, sensitive);
            }
            key = privateKey;
        } catch (GeneralSecurityException e) {
            throw new TpmException(TpmRc.VALUE.parameter(param));
        }
        return Salts.rsa(key, publicArea.nameHash(), label, encrypted, param);
    }

    /**
     * Makes a fresh secret shared with this RSA or ECC key under {@code label} (the reference's
     * CryptSecretEncrypt): an OAEP-encrypted random seed of the nameAlg's digest size, or an ephemeral
     * ECDH point and its KDFe output; all randomness from {@code drbg}. TPM_RC_KEY for another type.
     */
    public Salts.Shared encryptSecret(String label, CtrDrbg drbg) throws TpmException {
        HashAlg hash = publicArea.nameHash();
        if (publicArea.parms() instanceof PublicParms.Ecc e) {
            EccCurve curve = e.curve();
            BigInteger de = new BigInteger(1, drbg.generate(curve.bytes() + 8))
                    .mod(curve.order().subtract(BigInteger.ONE)).add(BigInteger.ONE);
            return Salts.eccEncrypt(curve, hash, label, publicArea.unique().x(), publicArea.unique().y(), de);
        }
        if (publicArea.parms() instanceof PublicParms.Rsa) {
            byte[] seed = drbg.generate(hash.digestSize());
            try {
                return new Salts.Shared(seed, Salts.rsaEncrypt(new JdkKeys().publicKey(publicArea), hash, label,
                        seed, drbg));
            } catch (GeneralSecurityException ex) {
                throw new TpmException(TpmRc.KEY);
            }
        }
        throw new TpmException(TpmRc.KEY);
    }

    /** The JDK private key of an RSA or ECC object with its sensitive area, made once. */
    public PrivateKey jdkPrivateKey() throws GeneralSecurityException {
        if (privateKey == null) {
            privateKey = new JdkKeys().privateKey(publicArea, sensitive);
        }
        return privateKey;
    }

    @Override
    public int handle() {
        return persistentHandle != 0 ? persistentHandle : super.handle();
    }

    @Override
    public boolean daExempt() {
        return has(TpmaObject.NO_DA);
    }

    @Override
    public byte[] name() {
        return name.clone();
    }

    @Override
    public PermanentState.Policy authPolicy() {
        if (publicArea.authPolicy().length == 0) {
            return PermanentState.Policy.NONE;
        }
        return new PermanentState.Policy(publicArea.nameAlg(), publicArea.authPolicy());
    }

    /**
     * The authValue (password or HMAC session) may authorize the USER role only with userWithAuth SET,
     * the ADMIN role only with adminWithPolicy CLEAR, the DUP role never, and never for a public-only key
     * (Part 1, 19.7; the reference's IsAuthValueAvailable); otherwise the session is
     * TPM_RC_AUTH_UNAVAILABLE.
     */
    @Override
    public boolean authValueAllowed(AuthRole role) {
        if (sensitive == null) {
            return false; // a public-only key has no authValue (the reference's IsAuthValueAvailable)
        }
        switch (role) {
            case USER: return has(TpmaObject.USER_WITH_AUTH);
            case ADMIN: return !has(TpmaObject.ADMIN_WITH_POLICY);
            case DUP: return false;
            default: return true;
        }
    }

    /**
     * A policy session is required for DUP, and for ADMIN when adminWithPolicy is SET (the reference's
     * IsPolicySessionRequired); any other session is then TPM_RC_AUTH_TYPE.
     */
    @Override
    public boolean policyRequired(AuthRole role) {
        return role == AuthRole.DUP
                || (role == AuthRole.ADMIN && has(TpmaObject.ADMIN_WITH_POLICY));
    }

    /** QN = nameAlg || H_nameAlg(parentQN || name) (Part 1, 16.6). */
    public static byte[] qualifiedName(byte[] parentQn, TpmtPublic pub, byte[] name) {
        HashAlg h = pub.nameHash();
        if (h == null) {
            return name.clone();
        }
        MessageDigest md = h.newDigest();
        md.update(parentQn);
        md.update(name);
        byte[] d = md.digest();
        byte[] qn = new byte[2 + d.length];
        qn[0] = (byte) (pub.nameAlg() >>> 8);
        qn[1] = (byte) pub.nameAlg();
        System.arraycopy(d, 0, qn, 2, d.length);
        return qn;
    }

    /** The Qualified Name of a hierarchy: its handle (Part 1, 16.6). */
    public static byte[] hierarchyName(int hierarchy) {
        return new byte[] {(byte) (hierarchy >>> 24), (byte) (hierarchy >>> 16), (byte) (hierarchy >>> 8),
            (byte) hierarchy};
    }

    /** The form kept in NV for a persistent object and inside a saved context. */
    public byte[] serialize() {
        TpmWriter w = new TpmWriter(1024);
        w.u8(origin.ordinal()).u32(hierarchy);
        publicArea.write2b(w);
        if (sensitive == null) {
            w.u16(0);
        } else {
            sensitive.write2b(w);
        }
        w.tpm2b(qualifiedName);
        return w.toByteArray();
    }

    public static TpmObject deserialize(byte[] blob) throws TpmException {
        TpmReader r = new TpmReader(blob);
        int o = r.u8();
        if (o >= Origin.values().length) {
            throw new TpmException(TpmRc.VALUE);
        }
        Origin origin = Origin.values()[o];
        int hierarchy = r.u32();
        TpmtPublic pub = TpmtPublic.read2b(r, true);
        TpmtSensitive sens = TpmtSensitive.read2b(r);
        byte[] qn = r.tpm2b(HashAlg.MAX_DIGEST_SIZE + 2);
        r.expectEnd();
        return new TpmObject(pub, sens, qn, hierarchy, origin);
    }

    /** True if {@code hierarchy} is a hierarchy an object can belong to. */
    public static boolean isHierarchy(int hierarchy) {
        return hierarchy == TpmRh.OWNER || hierarchy == TpmRh.ENDORSEMENT || hierarchy == TpmRh.PLATFORM
                || hierarchy == TpmRh.NULL;
    }
}
