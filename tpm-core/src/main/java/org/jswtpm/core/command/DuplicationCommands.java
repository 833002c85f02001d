package org.jswtpm.core.command;

import static org.jswtpm.core.command.ObjectCommands.object;

import org.jswtpm.core.TpmException;
import org.jswtpm.core.crypto.SymCfb;
import org.jswtpm.core.engine.CommandContext;
import org.jswtpm.core.engine.CommandHandler;
import org.jswtpm.core.engine.Entity;
import org.jswtpm.core.engine.TpmEngine;
import org.jswtpm.core.engine.session.Salts;
import org.jswtpm.core.marshal.TpmReader;
import org.jswtpm.core.marshal.TpmWriter;
import org.jswtpm.core.object.Duplication;
import org.jswtpm.core.object.ObjectChecks;
import org.jswtpm.core.object.ObjectGenerator;
import org.jswtpm.core.object.Protection;
import org.jswtpm.core.object.SymDef;
import org.jswtpm.core.object.TpmObject;
import org.jswtpm.core.object.TpmtPublic;
import org.jswtpm.core.object.TpmtSensitive;
import org.jswtpm.core.types.TpmAlg;
import org.jswtpm.core.types.TpmRc;
import org.jswtpm.core.types.TpmRh;
import org.jswtpm.core.types.TpmaObject;

/**
 * TCG TPM 2.0 Part 3, 13 "Duplication commands" (Part 1, 23.4): an object whose fixedParent is clear
 * leaves the TPM as a duplication blob (optionally inner-wrapped with a symmetric key, optionally
 * outer-wrapped toward a new parent with a seed shared under "DUPLICATE"), is moved to another parent
 * with Rewrap, and becomes an ordinary TPM2B_PRIVATE of its new parent with Import.
 */
final class DuplicationCommands {
    /** TPM2B_DATA maximum (sizeof(TPMT_HA)). */
    static final int MAX_DATA = 2 + 64;

    private DuplicationCommands() {
    }

    /**
     * The storage key of handle {@code i} (the reference's ObjectIsStorage: an RSA or ECC key with
     * restricted and decrypt set and sign clear), or TPM_RC_TYPE on that handle.
     */
    static TpmObject storageKey(CommandContext ctx, int i) throws TpmException {
        Entity e = ctx.entity(i);
        if (e instanceof TpmObject o && (o.publicArea().type() == TpmAlg.RSA.id()
                || o.publicArea().type() == TpmAlg.ECC.id()) && o.has(TpmaObject.RESTRICTED)
                && o.has(TpmaObject.DECRYPT) && !o.has(TpmaObject.SIGN_ENCRYPT)) {
            return o;
        }
        throw new TpmException(TpmRc.TYPE.handle(i + 1));
    }

    static SymCfb cfb(CommandContext ctx) {
        return ctx.tpm().objectEngine().cfb();
    }

    record DuplicateIn(byte[] encryptionKeyIn, SymDef symmetricAlg) {
    }

    /**
     * Part 3, 13.1 TPM2_Duplicate: objectHandle (DUP role, so always a policy session) as a duplication
     * blob for newParentHandle, or in the clear (but for an inner wrapper) with TPM_RH_NULL. With
     * symmetricAlg not NULL and no encryptionKeyIn, the TPM picks the inner key and returns it in
     * encryptionKeyOut (which is otherwise empty). Response codes: TPM_RC_ATTRIBUTES (fixedParent SET,
     * handle 1); TPM_RC_TYPE (no nameAlg or no sensitive area, handle 1; newParentHandle no storage key,
     * handle 2); TPM_RC_SYMMETRIC (encryptedDuplication SET and symmetricAlg NULL, parameter 2);
     * TPM_RC_HIERARCHY (encryptedDuplication SET and newParentHandle TPM_RH_NULL, handle 2); TPM_RC_SIZE
     * (encryptionKeyIn not empty with a NULL symmetricAlg, or not of its key size, parameter 1).
     */
    static final class Duplicate implements CommandHandler<DuplicateIn> {
        @Override
        public DuplicateIn parse(TpmReader in) throws TpmException {
            byte[] key = in.parameter(1).tpm2b(MAX_DATA);
            return new DuplicateIn(key, SymDef.read(in.parameter(2), true));
        }

        @Override
        public void execute(CommandContext ctx, DuplicateIn p, TpmWriter out) throws TpmException {
            TpmObject o = object(ctx, 0);
            if (o.has(TpmaObject.FIXED_PARENT)) {
                throw new TpmException(TpmRc.ATTRIBUTES.handle(1));
            }
            if (o.publicArea().nameHash() == null || o.isPublicOnly()) {
                throw new TpmException(TpmRc.TYPE.handle(1));
            }
            boolean toNull = ctx.handle(1) == TpmRh.NULL;
            TpmObject newParent = toNull ? null : storageKey(ctx, 1);
            SymDef sym = p.symmetricAlg();
            if (o.has(TpmaObject.ENCRYPTED_DUPLICATION)) {
                if (sym.isNull()) {
                    throw new TpmException(TpmRc.SYMMETRIC.parameter(2));
                }
                if (toNull) {
                    throw new TpmException(TpmRc.HIERARCHY.handle(2));
                }
            }
            byte[] key = p.encryptionKeyIn();
            if (key.length != 0 && (sym.isNull() || key.length != sym.keyBits() / 8)) {
                throw new TpmException(TpmRc.SIZE.parameter(1));
            }
            TpmEngine tpm = ctx.tpm();
            Salts.Shared seed = toNull ? new Salts.Shared(new byte[0], new byte[0])
                    : newParent.encryptSecret(Duplication.DUPLICATE, tpm.drbg());
            byte[] innerKey = sym.isNull() ? null : key.length != 0 ? key : tpm.drbg().generate(sym.keyBits() / 8);
            byte[] dup = Duplication.wrap(o.sensitive(), o.name(), o.publicArea().nameHash(), sym, innerKey,
                    newParent, seed.secret(), cfb(ctx));
            out.tpm2b(innerKey != null && key.length == 0 ? innerKey : new byte[0]);
            out.tpm2b(dup);
            out.tpm2b(seed.encrypted());
        }
    }

    record RewrapIn(byte[] inDuplicate, byte[] name, byte[] inSymSeed) {
    }

    /**
     * Part 3, 13.2 TPM2_Rewrap: replaces the outer wrapper of a duplication blob made for oldParent (USER
     * role) with one for newParent; either may be TPM_RH_NULL (no outer wrapper on that side). Response
     * codes: TPM_RC_HANDLE (inSymSeed empty with an oldParent, or not empty without one, handle 1);
     * TPM_RC_TYPE (a parent that is no storage key, handle 1 or 2); TPM_RC_VALUE (inSymSeed does not
     * decrypt, parameter 3); TPM_RC_INTEGRITY (inDuplicate fails the old outer HMAC, parameter 1).
     */
    static final class Rewrap implements CommandHandler<RewrapIn> {
        @Override
        public RewrapIn parse(TpmReader in) throws TpmException {
            byte[] dup = in.parameter(1).tpm2b(Protection.MAX_PRIVATE);
            byte[] name = in.parameter(2).tpm2b(CredentialCommands.MAX_NAME);
            return new RewrapIn(dup, name, in.parameter(3).tpm2b(SessionCommands.MAX_ENCRYPTED_SECRET));
        }

        @Override
        public void execute(CommandContext ctx, RewrapIn p, TpmWriter out) throws TpmException {
            boolean fromNull = ctx.handle(0) == TpmRh.NULL;
            if ((p.inSymSeed().length == 0) != fromNull) {
                throw new TpmException(TpmRc.HANDLE.handle(1));
            }
            byte[] blob = p.inDuplicate();
            if (!fromNull) {
                TpmObject oldParent = storageKey(ctx, 0);
                byte[] seed = oldParent.decryptSecret(Duplication.DUPLICATE, p.inSymSeed(), 3);
                blob = Duplication.unwrapOuter(oldParent, seed, p.name(), blob, cfb(ctx), 1);
            }
            if (ctx.handle(1) == TpmRh.NULL) {
                out.tpm2b(blob);
                out.tpm2b(new byte[0]);
                return;
            }
            TpmObject newParent = storageKey(ctx, 1);
            Salts.Shared seed = newParent.encryptSecret(Duplication.DUPLICATE, ctx.tpm().drbg());
            out.tpm2b(Duplication.outer(newParent, seed.secret(), p.name(), blob, cfb(ctx)));
            out.tpm2b(seed.encrypted());
        }
    }

    record ImportIn(byte[] encryptionKey, TpmtPublic objectPublic, byte[] duplicate, byte[] inSymSeed,
            SymDef symmetricAlg) {
    }

    /**
     * Part 3, 13.3 TPM2_Import: a duplication blob becomes a TPM2B_PRIVATE of parentHandle (USER role),
     * loadable with TPM2_Load. Response codes: TPM_RC_ATTRIBUTES (fixedTPM or fixedParent SET in
     * objectPublic, parameter 2; encryptedDuplication SET without an inner wrapper, parameter 1, or without
     * an outer one, parameter 4; the public area against the load rules under a fixedTPM parent,
     * parameter 2); TPM_RC_TYPE (parentHandle no storage parent, or a symmetric one with an outer wrapper,
     * handle 1); TPM_RC_SIZE (encryptionKey not of symmetricAlg's key size, parameter 1); TPM_RC_VALUE
     * (inSymSeed does not decrypt, parameter 4); TPM_RC_INTEGRITY (outer HMAC or inner integrity fails,
     * parameter 3); TPM_RC_SIZE (a sensitive area that does not parse, parameter 3); TPM_RC_BINDING,
     * TPM_RC_KEY_SIZE (public and sensitive do not match).
     */
    static final class Import implements CommandHandler<ImportIn> {
        @Override
        public ImportIn parse(TpmReader in) throws TpmException {
            byte[] key = in.parameter(1).tpm2b(MAX_DATA);
            TpmtPublic pub = TpmtPublic.read2b(in.parameter(2), false);
            byte[] dup = in.parameter(3).tpm2b(Protection.MAX_PRIVATE);
            byte[] seed = in.parameter(4).tpm2b(SessionCommands.MAX_ENCRYPTED_SECRET);
            return new ImportIn(key, pub, dup, seed, SymDef.read(in.parameter(5), true));
        }

        @Override
        public void execute(CommandContext ctx, ImportIn p, TpmWriter out) throws TpmException {
            TpmtPublic pub = p.objectPublic();
            if (pub.has(TpmaObject.FIXED_TPM) || pub.has(TpmaObject.FIXED_PARENT)) {
                throw new TpmException(TpmRc.ATTRIBUTES.parameter(2));
            }
            TpmObject parent = ObjectCommands.storageParent(ctx, 0);
            SymDef sym = p.symmetricAlg();
            if (!sym.isNull() && p.encryptionKey().length != sym.keyBits() / 8
                    || sym.isNull() && p.encryptionKey().length != 0) {
                throw new TpmException(TpmRc.SIZE.parameter(1));
            }
            if (sym.isNull() && pub.has(TpmaObject.ENCRYPTED_DUPLICATION)) {
                throw new TpmException(TpmRc.ATTRIBUTES.parameter(1));
            }
            byte[] seed = new byte[0];
            if (p.inSymSeed().length != 0) {
                if (parent.publicArea().type() == TpmAlg.SYMCIPHER.id()) {
                    throw new TpmException(TpmRc.TYPE.handle(1));
                }
                seed = parent.decryptSecret(Duplication.DUPLICATE, p.inSymSeed(), 4);
            } else if (pub.has(TpmaObject.ENCRYPTED_DUPLICATION)) {
                throw new TpmException(TpmRc.ATTRIBUTES.parameter(4));
            }
            byte[] name = pub.name();
            TpmtSensitive sens = Duplication.unwrap(p.duplicate(), name, pub.nameHash(), parent, seed,
                    sym, p.encryptionKey(), cfb(ctx), 3);
            if (parent.has(TpmaObject.FIXED_TPM)) {
                ObjectChecks.validate(null, pub, 2);
                ObjectGenerator.checkBinding(pub, sens, 3);
            }
            out.tpm2b(Protection.wrap(parent, name, sens, pub.nameHash(), ctx.tpm().drbg(), cfb(ctx)));
        }
    }
}
