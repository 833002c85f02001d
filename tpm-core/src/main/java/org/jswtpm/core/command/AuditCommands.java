package org.jswtpm.core.command;

import java.util.ArrayList;
import java.util.List;
import org.jswtpm.core.TpmException;
import org.jswtpm.core.crypto.HashAlg;
import org.jswtpm.core.engine.CommandAudit;
import org.jswtpm.core.engine.CommandContext;
import org.jswtpm.core.engine.CommandHandler;
import org.jswtpm.core.engine.TpmEngine;
import org.jswtpm.core.marshal.TpmReader;
import org.jswtpm.core.marshal.TpmWriter;
import org.jswtpm.core.types.TpmRc;

/** TCG TPM 2.0 Part 3, 21 "Command Audit". */
final class AuditCommands {
    /** MAX_CAP_CC: the longest TPML_CC. */
    static final int MAX_CAP_CC = 256;

    private AuditCommands() {
    }

    /** TPML_CC: a count (at most MAX_CAP_CC, else TPM_RC_SIZE) and that many command codes. */
    static int[] readCcList(TpmReader in) throws TpmException {
        int n = in.u32();
        if (n < 0 || n > MAX_CAP_CC) {
            throw in.error(TpmRc.SIZE);
        }
        int[] codes = new int[n];
        for (int i = 0; i < n; i++) {
            codes[i] = in.u32();
        }
        return codes;
    }

    /** TPM_CAP_AUDIT_COMMANDS: the audited command codes. */
    static List<CapabilityCommands.Item> auditCommands(TpmEngine tpm) {
        List<CapabilityCommands.Item> items = new ArrayList<>();
        for (int cc : tpm.commandAudit().codes()) {
            items.add(new CapabilityCommands.Item(cc & 0xFFFFFFFFL, w -> w.u32(cc)));
        }
        return items;
    }

    record SetIn(HashAlg auditAlg, int[] setList, int[] clearList) {
    }

    /**
     * Part 3, 21.2 TPM2_SetCommandCodeAuditStatus (owner or platform): changes the audit hash, or adds
     * and removes command codes (unimplemented codes, TPM2_Shutdown added and this command removed are
     * ignored). Response codes: TPM_RC_VALUE (parameter 1: a new hash together with a non-empty list);
     * TPM_RC_HASH (auditAlg not implemented); TPM_RC_SIZE (a list longer than MAX_CAP_CC).
     */
    static final class SetCommandCodeAuditStatus implements CommandHandler<SetIn> {
        @Override
        public SetIn parse(TpmReader in) throws TpmException {
            HashAlg alg = HashCommands.readHash(in.parameter(1), true);
            int[] set = readCcList(in.parameter(2));
            return new SetIn(alg, set, readCcList(in.parameter(3)));
        }

        @Override
        public void execute(CommandContext ctx, SetIn p, TpmWriter out) throws TpmException {
            CommandAudit audit = ctx.tpm().commandAudit();
            if (p.auditAlg() != null && p.auditAlg() != audit.hash()) {
                if (p.setList().length != 0 || p.clearList().length != 0) {
                    throw new TpmException(TpmRc.VALUE.parameter(1));
                }
                audit.hash(p.auditAlg());
                return;
            }
            for (int cc : p.setList()) {
                if (ctx.tpm().table().get(cc) != null) {
                    audit.set(cc);
                }
            }
            for (int cc : p.clearList()) {
                audit.clear(cc);
            }
        }
    }
}
