package org.jswtpm.core.command;

import java.util.List;
import org.jswtpm.core.TpmException;
import org.jswtpm.core.crypto.HashAlg;
import org.jswtpm.core.engine.CommandContext;
import org.jswtpm.core.engine.CommandHandler;
import org.jswtpm.core.marshal.TpmReader;
import org.jswtpm.core.marshal.TpmWriter;
import org.jswtpm.core.object.Creation;
import org.jswtpm.core.object.CreationData;
import org.jswtpm.core.object.ObjectChecks;
import org.jswtpm.core.object.ObjectGenerator;
import org.jswtpm.core.object.SensitiveCreate;
import org.jswtpm.core.object.TpmObject;
import org.jswtpm.core.object.TpmtPublic;
import org.jswtpm.core.types.PcrSelection;
import org.jswtpm.core.types.TpmRc;

/** TCG TPM 2.0 Part 3, 24.1 TPM2_CreatePrimary (in the "Hierarchy commands" chapter). */
final class PrimaryCommands {
    /** TPM2B_DATA maximum (sizeof(TPMT_HA)). */
    static final int MAX_DATA = HashAlg.MAX_DIGEST_SIZE + 2;

    private PrimaryCommands() {
    }

    record CreateIn(SensitiveCreate inSensitive, TpmtPublic inPublic, byte[] outsideInfo,
            List<PcrSelection> creationPcr) {
    }

    /** Reads the four parameters Create and CreatePrimary share. */
    static CreateIn readCreateIn(TpmReader in) throws TpmException {
        SensitiveCreate sensitive = SensitiveCreate.read2b(in.parameter(1));
        TpmtPublic pub = TpmtPublic.read2b(in.parameter(2), false);
        byte[] outside = in.parameter(3).tpm2b(MAX_DATA);
        List<PcrSelection> pcrs = PcrSelection.readList(in.parameter(4));
        return new CreateIn(sensitive, pub, outside, pcrs);
    }

    /** AdjustAuthSize: a userAuth longer than the nameAlg digest (trailing zeros aside) is TPM_RC_SIZE. */
    static void checkAuthSize(byte[] auth, TpmtPublic pub, int param) throws TpmException {
        int n = auth.length;
        while (n > 0 && auth[n - 1] == 0) {
            n--;
        }
        HashAlg h = pub.nameHash();
        if (h != null && n > h.digestSize()) {
            throw new TpmException(TpmRc.SIZE.parameter(param));
        }
    }

    /**
     * TPM_RC_OBJECT_MEMORY before any other check if no slot is free: CreatePrimary, Create (which needs
     * a slot to work in) and CreateLoaded check this first, as the reference implementation does.
     */
    static void needSlot(CommandContext ctx) throws TpmException {
        if (!ctx.tpm().objects().hasFree()) {
            throw new TpmException(TpmRc.OBJECT_MEMORY);
        }
    }

    /**
     * Makes a primary object in {@code hierarchy} from {@code template} and loads it; shared by
     * CreatePrimary and CreateLoaded with a hierarchy as parent.
     */
    static TpmObject createPrimary(CommandContext ctx, int hierarchy, TpmtPublic template, SensitiveCreate sc)
            throws TpmException {
        needSlot(ctx);
        ObjectChecks.forCreate(null, template, sc.data().length, 2);
        checkAuthSize(sc.userAuth(), template, 1);
        ObjectGenerator.Generated g = ctx.tpm().objectEngine().primary(hierarchy, template, sc);
        TpmtPublic pub = g.publicArea();
        byte[] qn = TpmObject.qualifiedName(TpmObject.hierarchyName(hierarchy), pub, pub.name());
        TpmObject object = new TpmObject(pub, g.sensitive(), qn, hierarchy, TpmObject.Origin.PRIMARY);
        ctx.responseHandle(ctx.tpm().objects().load(object));
        return object;
    }

    /**
     * Part 3, 24.1 TPM2_CreatePrimary: derives a primary object from the hierarchy's seed and the
     * template (so the same template gives the same key) and loads it. Response codes: TPM_RC_ATTRIBUTES,
     * TPM_RC_SCHEME, TPM_RC_SYMMETRIC, TPM_RC_HASH, TPM_RC_KDF, TPM_RC_VALUE (template rules, on
     * inPublic); TPM_RC_SIZE (userAuth longer than the nameAlg digest, on inSensitive; malformed sizes);
     * TPM_RC_KEY_SIZE (symmetric key data of the wrong size); TPM_RC_OBJECT_MEMORY (no free slot, checked
     * first);
     * TPM_RC_HIERARCHY (disabled hierarchy, from the pipeline).
     */
    static final class CreatePrimary implements CommandHandler<CreateIn> {
        @Override
        public CreateIn parse(TpmReader in) throws TpmException {
            return readCreateIn(in);
        }

        @Override
        public void execute(CommandContext ctx, CreateIn p, TpmWriter out) throws TpmException {
            int hierarchy = ctx.handle(0);
            TpmObject object = createPrimary(ctx, hierarchy, p.inPublic(), p.inSensitive());
            TpmtPublic pub = object.publicArea();
            byte[] name = object.name();
            pub.write2b(out);
            CreationData data = Creation.forPrimary(ctx, pub.nameHash(), p.creationPcr(), hierarchy, p.outsideInfo());
            Creation.write(out, ctx.tpm(), data, pub.nameHash(), name, hierarchy);
            out.tpm2b(name);
        }
    }
}
