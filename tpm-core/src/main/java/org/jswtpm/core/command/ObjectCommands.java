package org.jswtpm.core.command;

import static org.jswtpm.core.command.PrimaryCommands.checkAuthSize;
import static org.jswtpm.core.command.PrimaryCommands.needSlot;

import java.util.Arrays;
import org.jswtpm.core.TpmException;
import org.jswtpm.core.crypto.HashAlg;
import org.jswtpm.core.crypto.KdfStream;
import org.jswtpm.core.crypto.RsaKeyGen;
import org.jswtpm.core.engine.CommandContext;
import org.jswtpm.core.engine.CommandHandler;
import org.jswtpm.core.engine.Entity;
import org.jswtpm.core.engine.LoadedObject;
import org.jswtpm.core.engine.TpmEngine;
import org.jswtpm.core.marshal.TpmReader;
import org.jswtpm.core.marshal.TpmWriter;
import org.jswtpm.core.object.Creation;
import org.jswtpm.core.object.CreationData;
import org.jswtpm.core.object.ObjectChecks;
import org.jswtpm.core.object.ObjectGenerator;
import org.jswtpm.core.object.Protection;
import org.jswtpm.core.object.PublicParms;
import org.jswtpm.core.object.Scheme;
import org.jswtpm.core.object.SensitiveCreate;
import org.jswtpm.core.object.TpmObject;
import org.jswtpm.core.object.TpmtPublic;
import org.jswtpm.core.object.TpmtSensitive;
import org.jswtpm.core.types.TpmAlg;
import org.jswtpm.core.types.TpmRc;
import org.jswtpm.core.types.TpmRh;
import org.jswtpm.core.types.TpmaObject;

/** TCG TPM 2.0 Part 3, 12 "Object commands". */
final class ObjectCommands {
    private ObjectCommands() {
    }

    /** The object of handle {@code i}: TPM_RC_SEQUENCE for a sequence, TPM_RC_HANDLE for anything else. */
    static TpmObject object(CommandContext ctx, int i) throws TpmException {
        Entity e = ctx.entity(i);
        if (e instanceof TpmObject o) {
            return o;
        }
        if (e instanceof LoadedObject l && l.isSequence()) {
            throw new TpmException(TpmRc.SEQUENCE);
        }
        throw new TpmException(TpmRc.HANDLE.handle(i + 1));
    }

    /** The storage parent of handle {@code i}, or TPM_RC_TYPE on that handle (Part 3, 12.1.1). */
    static TpmObject storageParent(CommandContext ctx, int i) throws TpmException {
        Entity e = ctx.entity(i);
        if (e instanceof TpmObject o && o.isStorageParent()) {
            return o;
        }
        throw new TpmException(TpmRc.TYPE.handle(i + 1));
    }

    /** Makes an ordinary object under {@code parent} with the TPM's DRBG (Part 1, 26.2). */
    static ObjectGenerator.Generated createOrdinary(CommandContext ctx, TpmObject parent, TpmtPublic template,
            SensitiveCreate sc) throws TpmException {
        ObjectChecks.forCreate(parent, template, sc.data().length, 2);
        checkAuthSize(sc.userAuth(), template, 1);
        return ObjectGenerator.generate(template, sc, ctx.tpm().drbg(), null);
    }

    static byte[] wrap(TpmEngine tpm, TpmObject parent, TpmtPublic pub, TpmtSensitive sens) {
        return Protection.wrap(parent, pub.name(), sens, pub.nameHash(), tpm.drbg(), tpm.objectEngine().cfb());
    }

    /**
     * Part 3, 12.1 TPM2_Create: a new ordinary object under a storage parent, returned protected by it.
     * Response codes: TPM_RC_TYPE (parentHandle is no storage parent); TPM_RC_ATTRIBUTES, TPM_RC_SCHEME,
     * TPM_RC_SYMMETRIC, TPM_RC_HASH, TPM_RC_KDF, TPM_RC_VALUE (inPublic against the rules and the
     * parent); TPM_RC_SIZE (userAuth too long, malformed sizes); TPM_RC_KEY_SIZE (symmetric key data);
     * TPM_RC_OBJECT_MEMORY (no free slot to work in, checked after the parent).
     */
    static final class Create implements CommandHandler<PrimaryCommands.CreateIn> {
        @Override
        public PrimaryCommands.CreateIn parse(TpmReader in) throws TpmException {
            return PrimaryCommands.readCreateIn(in);
        }

        @Override
        public void execute(CommandContext ctx, PrimaryCommands.CreateIn p, TpmWriter out) throws TpmException {
            TpmObject parent = storageParent(ctx, 0);
            needSlot(ctx);
            ObjectGenerator.Generated g = createOrdinary(ctx, parent, p.inPublic(), p.inSensitive());
            TpmtPublic pub = g.publicArea();
            byte[] name = pub.name();
            out.tpm2b(wrap(ctx.tpm(), parent, pub, g.sensitive()));
            pub.write2b(out);
            CreationData data = Creation.data(ctx, pub.nameHash(), p.creationPcr(), parent.publicArea().nameAlg(),
                    parent.name(), parent.qualifiedName(), p.outsideInfo());
            Creation.write(out, ctx.tpm(), data, pub.nameHash(), name, parent.hierarchy());
        }
    }

    record LoadIn(byte[] inPrivate, TpmtPublic inPublic) {
    }

    /**
     * Part 3, 12.2 TPM2_Load: loads an object created under the parent; the integrity check comes before
     * the public area's rules, as in the reference implementation. Response codes: TPM_RC_TYPE
     * (parentHandle is no storage parent); TPM_RC_SIZE (empty inPrivate); TPM_RC_INSUFFICIENT (inPrivate
     * too short for its integrity field); TPM_RC_INTEGRITY (inPrivate
     * fails its HMAC: tampered, another parent, another TPM); TPM_RC_SENSITIVE (the decrypted sensitive
     * area is malformed); TPM_RC_ATTRIBUTES, TPM_RC_SCHEME, ... (inPublic against the rules);
     * TPM_RC_BINDING, TPM_RC_KEY (public and private do not match); TPM_RC_OBJECT_MEMORY (checked first).
     */
    static final class Load implements CommandHandler<LoadIn> {
        @Override
        public LoadIn parse(TpmReader in) throws TpmException {
            byte[] priv = in.parameter(1).tpm2b(Protection.MAX_PRIVATE);
            return new LoadIn(priv, TpmtPublic.read2b(in.parameter(2), false));
        }

        @Override
        public void execute(CommandContext ctx, LoadIn p, TpmWriter out) throws TpmException {
            needSlot(ctx);
            TpmObject parent = storageParent(ctx, 0);
            if (p.inPrivate().length == 0) {
                throw new TpmException(TpmRc.SIZE.parameter(1));
            }
            TpmtPublic pub = p.inPublic();
            byte[] name = pub.name();
            TpmtSensitive sens = Protection.unwrap(parent, name, p.inPrivate(), ctx.tpm().objectEngine().cfb(), 1);
            ObjectChecks.validate(parent, pub, 2);
            ObjectGenerator.checkBinding(pub, sens, 2, true);
            TpmObject o = new TpmObject(pub, sens, TpmObject.qualifiedName(parent.qualifiedName(), pub, name),
                    parent.hierarchy(), TpmObject.Origin.ORDINARY);
            ctx.responseHandle(ctx.tpm().objects().load(o));
            out.tpm2b(name);
        }
    }

    record LoadExternalIn(TpmtSensitive inPrivate, TpmtPublic inPublic, int hierarchy) {
    }

    /**
     * Part 3, 12.3 TPM2_LoadExternal: loads a public key, or a key pair whose sensitive area comes in the
     * clear. Only the scheme rules apply to its public area (nameAlg may be TPM_ALG_NULL, with or without
     * a private part). Response codes: TPM_RC_OBJECT_MEMORY (checked first); TPM_RC_VALUE (unknown
     * hierarchy, parameter 3); TPM_RC_HIERARCHY (disabled hierarchy, or a private part outside the null
     * hierarchy, parameter 3); TPM_RC_ATTRIBUTES (with a private part: fixedTPM, fixedParent or restricted
     * set); TPM_RC_SCHEME, TPM_RC_SYMMETRIC, TPM_RC_KDF (on inPublic); TPM_RC_VALUE (an RSA exponent that
     * is no odd prime, on inPublic); TPM_RC_KEY (an RSA modulus of the wrong size); TPM_RC_ECC_POINT (a
     * public point off the curve); TPM_RC_BINDING (private and public do not match); TPM_RC_KEY_SIZE.
     */
    static final class LoadExternal implements CommandHandler<LoadExternalIn> {
        @Override
        public LoadExternalIn parse(TpmReader in) throws TpmException {
            TpmtSensitive priv = TpmtSensitive.read2b(in.parameter(1));
            TpmtPublic pub = TpmtPublic.read2b(in.parameter(2), true);
            int hierarchy = in.parameter(3).u32();
            if (!TpmObject.isHierarchy(hierarchy)) {
                throw in.error(TpmRc.VALUE);
            }
            return new LoadExternalIn(priv, pub, hierarchy);
        }

        @Override
        public void execute(CommandContext ctx, LoadExternalIn p, TpmWriter out) throws TpmException {
            needSlot(ctx);
            TpmtPublic pub = p.inPublic();
            if (!ctx.tpm().hierarchies().isEnabled(p.hierarchy())) {
                throw new TpmException(TpmRc.HIERARCHY.parameter(3));
            }
            if (p.inPrivate() != null) {
                if (p.hierarchy() != TpmRh.NULL) {
                    throw new TpmException(TpmRc.HIERARCHY.parameter(3));
                }
                if (pub.has(TpmaObject.FIXED_TPM) || pub.has(TpmaObject.FIXED_PARENT)
                        || pub.has(TpmaObject.RESTRICTED)) {
                    throw new TpmException(TpmRc.ATTRIBUTES.parameter(2));
                }
            }
            // the scheme rules only: an external key need not follow the creation rules (nameAlg may be NULL)
            ObjectChecks.schemes(null, pub, 2);
            checkPublicKey(pub);
            if (p.inPrivate() != null) {
                checkAuthSize(p.inPrivate().authValue(), pub, 1);
                ObjectGenerator.checkBinding(pub, p.inPrivate(), 1);
            }
            byte[] name = pub.name();
            // an external object has no parent: its Qualified Name is its Name (as libtpms answers)
            TpmObject o = new TpmObject(pub, p.inPrivate(), name, p.hierarchy(), TpmObject.Origin.EXTERNAL);
            ctx.responseHandle(ctx.tpm().objects().load(o));
            out.tpm2b(name);
        }

        /** The public key itself (the reference's CryptValidateKeys): exponent, modulus size, curve point. */
        private static void checkPublicKey(TpmtPublic pub) throws TpmException {
            if (pub.parms() instanceof PublicParms.Ecc e) {
                byte[] x = pub.unique().x();
                byte[] y = pub.unique().y();
                if (x.length > e.curve().bytes() || y.length > e.curve().bytes() || !e.curve().isOnCurve(x, y)) {
                    throw new TpmException(TpmRc.ECC_POINT.parameter(2));
                }
            } else if (pub.parms() instanceof PublicParms.Rsa r) {
                if (!RsaKeyGen.isValidExponent(r.exponent())) {
                    throw new TpmException(TpmRc.VALUE.parameter(2));
                }
                if (pub.unique().x().length != r.keyBits() / 8) {
                    throw new TpmException(TpmRc.KEY.parameter(2));
                }
            }
        }
    }

    /**
     * Part 3, 12.4 TPM2_ReadPublic: the public area, Name and Qualified Name of a loaded object.
     * TPM_RC_SEQUENCE for a sequence object.
     */
    static final class ReadPublic implements CommandHandler.NoParameters {
        @Override
        public void execute(CommandContext ctx, TpmWriter out) throws TpmException {
            TpmObject o = object(ctx, 0);
            o.publicArea().write2b(out);
            out.tpm2b(o.name());
            out.tpm2b(o.qualifiedName());
        }
    }

    /**
     * Part 3, 12.7 TPM2_Unseal: the data of a sealed data object. TPM_RC_TYPE if the object is no keyed
     * hash (a sequence included); TPM_RC_ATTRIBUTES if it is a key (sign, decrypt or restricted set).
     */
    static final class Unseal implements CommandHandler.NoParameters {
        @Override
        public void execute(CommandContext ctx, TpmWriter out) throws TpmException {
            if (!(ctx.entity(0) instanceof TpmObject o) || o.publicArea().type() != TpmAlg.KEYEDHASH.id()
                    || o.isPublicOnly()) {
                throw new TpmException(TpmRc.TYPE.handle(1));
            }
            if (o.has(TpmaObject.SIGN_ENCRYPT) || o.has(TpmaObject.DECRYPT) || o.has(TpmaObject.RESTRICTED)) {
                throw new TpmException(TpmRc.ATTRIBUTES.handle(1));
            }
            out.tpm2b(o.sensitive().sensitive());
        }
    }

    /**
     * Part 3, 12.6 TPM2_ObjectChangeAuth: the object's sensitive area with a new authValue, protected by
     * its parent. Response codes: TPM_RC_TYPE (handle 2 is not the object's parent, which is always so
     * for a primary object; handle 1 for a public-only object); TPM_RC_SIZE (newAuth longer than the
     * nameAlg digest).
     */
    static final class ObjectChangeAuth implements CommandHandler<byte[]> {
        @Override
        public byte[] parse(TpmReader in) throws TpmException {
            return in.parameter(1).tpm2b(HashAlg.MAX_DIGEST_SIZE);
        }

        @Override
        public void execute(CommandContext ctx, byte[] newAuth, TpmWriter out) throws TpmException {
            TpmObject o = object(ctx, 0);
            Entity pe = ctx.entity(1);
            if (!(pe instanceof TpmObject parent) || !parent.isStorageParent() || !Arrays.equals(
                    TpmObject.qualifiedName(parent.qualifiedName(), o.publicArea(), o.name()), o.qualifiedName())) {
                throw new TpmException(TpmRc.TYPE.handle(2));
            }
            if (o.isPublicOnly()) {
                throw new TpmException(TpmRc.TYPE.handle(1));
            }
            checkAuthSize(newAuth, o.publicArea(), 1);
            out.tpm2b(wrap(ctx.tpm(), parent, o.publicArea(), o.sensitive().withAuth(newAuth)));
        }
    }

    record CreateLoadedIn(SensitiveCreate inSensitive, byte[] inPublic) {
    }

    /** TPM2B_TEMPLATE maximum (sizeof(TPMT_PUBLIC)). */
    static final int MAX_TEMPLATE = 1024;

    /**
     * Part 3, 12.9 TPM2_CreateLoaded: Create and Load in one; CreatePrimary when the parent is a
     * hierarchy (outPrivate is then empty); a derived object when the parent is a derivation parent (Part
     * 1, 26.3: secrets from KDFa of the parent's key with the label and context of the template's TPMS_DERIVE
     * or, where those are empty, of the sensitive data; outPrivate empty). Response codes: TPM_RC_TYPE (a
     * parent that is neither, handle 1; an RSA template under a derivation parent, parameter 2);
     * TPM_RC_ATTRIBUTES (a derived template with sensitiveDataOrigin, fixedTPM unlike its parent's or
     * fixedParent clear); TPM_RC_OBJECT_MEMORY (checked after the parent); the others as Create and
     * CreatePrimary.
     */
    static final class CreateLoaded implements CommandHandler<CreateLoadedIn> {
        @Override
        public CreateLoadedIn parse(TpmReader in) throws TpmException {
            SensitiveCreate sensitive = SensitiveCreate.read2b(in.parameter(1));
            return new CreateLoadedIn(sensitive, in.parameter(2).tpm2b(MAX_TEMPLATE));
        }

        @Override
        public void execute(CommandContext ctx, CreateLoadedIn p, TpmWriter out) throws TpmException {
            int handle = ctx.handle(0);
            TpmObject object;
            byte[] priv = new byte[0];
            if (TpmRh.type(handle) == TpmRh.HT_PERMANENT) {
                object = PrimaryCommands.createPrimary(ctx, handle, template(p.inPublic()), p.inSensitive());
            } else {
                if (!(ctx.entity(0) instanceof TpmObject parent)
                        || !(parent.isStorageParent() || parent.isDerivationParent())) {
                    throw new TpmException(TpmRc.TYPE.handle(1));
                }
                needSlot(ctx);
                if (parent.isDerivationParent()) {
                    object = derive(parent, p);
                } else {
                    ObjectGenerator.Generated g = createOrdinary(ctx, parent, template(p.inPublic()), p.inSensitive());
                    TpmtPublic pub = g.publicArea();
                    priv = wrap(ctx.tpm(), parent, pub, g.sensitive());
                    object = new TpmObject(pub, g.sensitive(), TpmObject.qualifiedName(parent.qualifiedName(), pub,
                            pub.name()), parent.hierarchy(), TpmObject.Origin.ORDINARY);
                }
                ctx.responseHandle(ctx.tpm().objects().load(object));
            }
            out.tpm2b(priv);
            object.publicArea().write2b(out);
            out.tpm2b(object.name());
        }

        /** The TPM2B_TEMPLATE's content as a TPMT_PUBLIC, all of it used (TPM_RC_SIZE otherwise). */
        private static TpmtPublic template(byte[] bytes) throws TpmException {
            TpmReader r = new TpmReader(bytes).parameter(2);
            TpmtPublic pub = TpmtPublic.read(r, false);
            if (r.remaining() != 0) {
                throw new TpmException(TpmRc.SIZE.parameter(2));
            }
            return pub;
        }

        private static TpmObject derive(TpmObject parent, CreateLoadedIn p) throws TpmException {
            TpmtPublic.DeriveTemplate d = TpmtPublic.DeriveTemplate.read(new TpmReader(p.inPublic()).parameter(2));
            TpmtPublic template = d.template();
            checkAuthSize(p.inSensitive().userAuth(), template, 1);
            if (template.type() == TpmAlg.RSA.id()) {
                throw new TpmException(TpmRc.TYPE.parameter(2));
            }
            if (template.has(TpmaObject.SENSITIVE_DATA_ORIGIN)) {
                throw new TpmException(TpmRc.ATTRIBUTES);
            }
            ObjectChecks.validate(parent, template, 2);
            byte[] label = d.label();
            byte[] context = d.context();
            byte[] data = p.inSensitive().data();
            if (data.length != 0) {
                TpmReader r = new TpmReader(data);
                byte[] l = r.tpm2b(TpmtPublic.MAX_LABEL);
                byte[] c = r.tpm2b(TpmtPublic.MAX_LABEL);
                label = label.length == 0 ? l : label;
                context = context.length == 0 ? c : context;
            }
            Scheme xor =
                    ((PublicParms.KeyedHash) parent.publicArea().parms()).scheme();
            KdfStream stream = new KdfStream(HashAlg.of(xor.hashAlg()),
                    parent.sensitive().sensitive(), label, context, KdfStream.MAX_DERIVATION_BITS);
            ObjectGenerator.Generated g = ObjectGenerator.derive(template, p.inSensitive().userAuth(), stream);
            TpmtPublic pub = g.publicArea();
            return new TpmObject(pub, g.sensitive(), TpmObject.qualifiedName(parent.qualifiedName(), pub, pub.name()),
                    parent.hierarchy(), TpmObject.Origin.ORDINARY);
        }
    }
}
