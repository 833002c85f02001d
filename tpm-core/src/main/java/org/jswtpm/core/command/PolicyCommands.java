package org.jswtpm.core.command;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.jswtpm.core.TpmException;
import org.jswtpm.core.crypto.HashAlg;
import org.jswtpm.core.engine.CommandContext;
import org.jswtpm.core.engine.CommandHandler;
import org.jswtpm.core.engine.ConstantTime;
import org.jswtpm.core.engine.session.AuthSession;
import org.jswtpm.core.marshal.TpmReader;
import org.jswtpm.core.marshal.TpmWriter;
import org.jswtpm.core.state.PcrAttributes;
import org.jswtpm.core.state.PcrBanks;
import org.jswtpm.core.types.PcrSelection;
import org.jswtpm.core.types.TpmCc;
import org.jswtpm.core.types.TpmRc;

/**
 * TCG TPM 2.0 Part 3, 23 "Enhanced authorization (EA) commands": the policy commands that extend a
 * policy or trial session's policyDigest (Part 1, 19.7.2: policyDigest_new = H(policyDigest_old ||
 * TPM_CC || arguments)) and record the conditions checked when the session authorizes a command.
 * Every handler takes the session as its one handle (TPMI_SH_POLICY); the pipeline has already
 * answered TPM_RC_REFERENCE_H0 if it is not loaded.
 */
final class PolicyCommands {
    private PolicyCommands() {
    }

    private static AuthSession session(CommandContext ctx) {
        return ctx.tpm().sessions().get(ctx.handle(0));
    }

    static byte[] u32(int v) {
        return new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v};
    }

    /** Part 3, 23.17 TPM2_PolicyRestart: back to an all-zero policyDigest and no conditions. */
    static final class PolicyRestart implements CommandHandler.NoParameters {
        @Override
        public void execute(CommandContext ctx, TpmWriter out) {
            session(ctx).resetPolicy();
        }
    }

    /** Part 3, 23.19 TPM2_PolicyGetDigest: the session's current policyDigest. */
    static final class PolicyGetDigest implements CommandHandler.NoParameters {
        @Override
        public void execute(CommandContext ctx, TpmWriter out) {
            out.tpm2b(session(ctx).policyDigest());
        }
    }

    /**
     * Part 3, 23.18 TPM2_PolicyAuthValue: policyDigest extended with TPM_CC_PolicyAuthValue; the
     * authorized command must then carry an HMAC keyed with the entity's authValue.
     */
    static final class PolicyAuthValue implements CommandHandler.NoParameters {
        @Override
        public void execute(CommandContext ctx, TpmWriter out) {
            AuthSession s = session(ctx);
            s.extendPolicy(u32(TpmCc.PolicyAuthValue.code()));
            s.requireAuth(false);
        }
    }

    /**
     * Part 3, 23.20 TPM2_PolicyPassword: policyDigest extended with TPM_CC_PolicyAuthValue (the same
     * value as PolicyAuthValue, as the specification requires); the authorized command must then carry
     * the entity's authValue in the clear as its HMAC.
     */
    static final class PolicyPassword implements CommandHandler.NoParameters {
        @Override
        public void execute(CommandContext ctx, TpmWriter out) {
            AuthSession s = session(ctx);
            s.extendPolicy(u32(TpmCc.PolicyAuthValue.code()));
            s.requireAuth(true);
        }
    }

    /**
     * Part 3, 23.11 TPM2_PolicyCommandCode: limits the session to one command. TPM_RC_VALUE (parameter
     * 1) if it is already limited to another; TPM_RC_POLICY_CC (parameter 1) for a command code this
     * TPM does not implement.
     */
    static final class PolicyCommandCode implements CommandHandler<Integer> {
        @Override
        public Integer parse(TpmReader in) throws TpmException {
            return in.parameter(1).u32();
        }

        @Override
        public void execute(CommandContext ctx, Integer code, TpmWriter out) throws TpmException {
            AuthSession s = session(ctx);
            if (s.commandCode() != 0 && s.commandCode() != code) {
                throw new TpmException(TpmRc.VALUE.parameter(1));
            }
            if (ctx.tpm().table().get(code) == null) {
                throw new TpmException(TpmRc.POLICY_CC.parameter(1));
            }
            s.extendPolicy(u32(TpmCc.PolicyCommandCode.code()), u32(code));
            s.commandCode(code);
        }
    }

    record PcrIn(byte[] pcrDigest, List<PcrSelection> pcrs) {
    }

    /**
     * Part 3, 23.7 TPM2_PolicyPCR: policyDigest extended with TPM_CC_PolicyPCR || pcrs || digest of the
     * selected PCR values (in the session's hash). In a policy session a non-empty pcrDigest must equal
     * the current digest (TPM_RC_VALUE, parameter 1), and the PCR update counter is recorded, so that
     * any PCR change before the session is used is TPM_RC_PCR_CHANGED; it is TPM_RC_PCR_CHANGED here too
     * if an earlier PolicyPCR saw another counter. A trial session takes a given pcrDigest as is.
     * Selections of PCRs or banks that are not allocated are cleared first.
     */
    static final class PolicyPcr implements CommandHandler<PcrIn> {
        @Override
        public PcrIn parse(TpmReader in) throws TpmException {
            byte[] digest = in.parameter(1).tpm2b(HashAlg.MAX_DIGEST_SIZE);
            List<PcrSelection> pcrs = PcrSelection.readList(in.parameter(2));
            return new PcrIn(digest, pcrs);
        }

        @Override
        public void execute(CommandContext ctx, PcrIn p, TpmWriter out) throws TpmException {
            AuthSession s = session(ctx);
            PcrBanks banks = ctx.tpm().pcrs();
            List<PcrSelection> pcrs = filter(banks, p.pcrs());
            byte[] digest = digest(s.authHash(), banks, pcrs);
            if (!s.isTrial()) {
                if (s.pcrChecked() && s.pcrUpdateCounter() != banks.updateCounter()) {
                    throw new TpmException(TpmRc.PCR_CHANGED);
                }
                if (p.pcrDigest().length != 0 && !ConstantTime.equals(p.pcrDigest(), digest)) {
                    throw new TpmException(TpmRc.VALUE.parameter(1));
                }
            } else if (p.pcrDigest().length != 0) {
                digest = p.pcrDigest();
            }
            TpmWriter selection = new TpmWriter(64);
            PcrSelection.writeList(selection, pcrs);
            s.extendPolicy(u32(TpmCc.PolicyPCR.code()), selection.toByteArray(), digest);
            if (!s.isTrial()) {
                s.pcrUpdateCounter(banks.updateCounter());
            }
        }
    }

    /** The selections with bits of unallocated banks cleared. */
    static List<PcrSelection> filter(PcrBanks banks, List<PcrSelection> pcrs) {
        List<PcrSelection> out = new ArrayList<>(pcrs.size());
        for (PcrSelection sel : pcrs) {
            byte[] bits = sel.select().clone();
            if (banks.indexOf(sel.hash()) < 0) {
                Arrays.fill(bits, (byte) 0);
            }
            out.add(new PcrSelection(sel.hash(), bits));
        }
        return out;
    }

    /** H(selected PCR values, selection by selection, PCR by PCR in ascending order). */
    static byte[] digest(HashAlg hash, PcrBanks banks, List<PcrSelection> pcrs) {
        MessageDigest md = hash.newDigest();
        for (PcrSelection sel : pcrs) {
            int bank = banks.indexOf(sel.hash());
            for (int pcr = 0; bank >= 0 && pcr < PcrAttributes.PCR_COUNT; pcr++) {
                if (sel.isSelected(pcr)) {
                    md.update(banks.value(bank, pcr));
                }
            }
        }
        return md.digest();
    }
}
