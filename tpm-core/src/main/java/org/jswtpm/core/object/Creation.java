package org.jswtpm.core.object;

import java.security.MessageDigest;
import java.util.List;
import javax.crypto.Mac;
import org.jswtpm.core.crypto.HashAlg;
import org.jswtpm.core.crypto.Hmac;
import org.jswtpm.core.engine.CommandContext;
import org.jswtpm.core.engine.Tickets;
import org.jswtpm.core.engine.TpmEngine;
import org.jswtpm.core.marshal.TpmWriter;
import org.jswtpm.core.state.PcrBanks;
import org.jswtpm.core.types.PcrSelection;
import org.jswtpm.core.types.TpmAlg;
import org.jswtpm.core.types.TpmSt;

/**
 * The creation outputs shared by TPM2_Create and TPM2_CreatePrimary (TCG TPM 2.0 Part 3, 12.1 and
 * 24.1): TPMS_CREATION_DATA, its hash with the object's nameAlg, and the TPMT_TK_CREATION ticket
 * HMAC(proof, TPM_ST_CREATION || Name || creationHash) (Part 2, 10.7.3).
 */
public final class Creation {
    private Creation() {
    }

    /** Builds the creation data for an object whose parent has {@code parentName} and {@code parentQn}. */
    public static CreationData data(CommandContext ctx, HashAlg nameHash, List<PcrSelection> pcrs,
            int parentNameAlg, byte[] parentName, byte[] parentQn, byte[] outsideInfo) {
        MessageDigest md = nameHash.newDigest();
        PcrBanks banks = ctx.tpm().pcrs();
        for (PcrSelection s : pcrs) {
            int bank = banks.indexOf(s.hash());
            if (bank < 0) {
                continue;
            }
            for (int pcr = 0; pcr < s.select().length * 8; pcr++) {
                if (s.isSelected(pcr)) {
                    md.update(banks.value(bank, pcr));
                }
            }
        }
        int locality = 1 << Math.min(ctx.locality(), 4);
        return new CreationData(pcrs, md.digest(), locality, parentNameAlg, parentName, parentQn, outsideInfo);
    }

    /** For a primary object: the parent is the hierarchy, named by its handle, nameAlg TPM_ALG_NULL. */
    public static CreationData forPrimary(CommandContext ctx, HashAlg nameHash, List<PcrSelection> pcrs,
            int hierarchy, byte[] outsideInfo) {
        byte[] h = TpmObject.hierarchyName(hierarchy);
        return data(ctx, nameHash, pcrs, TpmAlg.NULL.id(), h, h, outsideInfo);
    }

    /** Writes TPM2B_CREATION_DATA, TPM2B_DIGEST creationHash and TPMT_TK_CREATION. */
    public static void write(TpmWriter out, TpmEngine tpm, CreationData data, HashAlg nameHash, byte[] name,
            int hierarchy) {
        byte[] bytes = data.toBytes();
        byte[] creationHash = nameHash.digest(bytes);
        out.tpm2b(bytes);
        out.tpm2b(creationHash);
        ticket(tpm, hierarchy, name, creationHash).write(out);
    }

    /** The creation ticket of {@code name} with {@code creationHash} in {@code hierarchy}. */
    public static CreationTicket ticket(TpmEngine tpm, int hierarchy, byte[] name, byte[] creationHash) {
        Mac mac = Hmac.start(Tickets.CONTEXT_INTEGRITY_HASH, tpm.hierarchies().proof(hierarchy));
        mac.update(new byte[] {(byte) (TpmSt.CREATION >>> 8), (byte) TpmSt.CREATION});
        mac.update(name);
        mac.update(creationHash);
        return new CreationTicket(hierarchy, mac.doFinal());
    }
}
