package org.jswtpm.core.command;

import java.util.ArrayList;
import java.util.List;
import org.jswtpm.core.TpmException;
import org.jswtpm.core.crypto.HashAlg;
import org.jswtpm.core.engine.CommandContext;
import org.jswtpm.core.engine.CommandHandler;
import org.jswtpm.core.marshal.TpmReader;
import org.jswtpm.core.marshal.TpmWriter;
import org.jswtpm.core.state.PcrAttributes;
import org.jswtpm.core.state.PcrBanks;
import org.jswtpm.core.state.PermanentState;
import org.jswtpm.core.types.PcrSelection;
import org.jswtpm.core.types.TaggedDigest;
import org.jswtpm.core.types.TpmRc;
import org.jswtpm.core.types.TpmRh;

/** TCG TPM 2.0 Part 3, 22 "Integrity collection (PCR)". */
final class PcrCommands {
    /** The hashes a PCR bank can use. */
    static final HashAlg[] BANK_HASHES = {HashAlg.SHA1, HashAlg.SHA256, HashAlg.SHA384, HashAlg.SHA512};
    /** TPM2B_EVENT maximum. */
    static final int MAX_EVENT = 1024;
    /** PCR values one TPM2_PCR_Read returns at most (TPML_DIGEST: 8). */
    static final int MAX_READ = 8;

    private PcrCommands() {
    }

    static boolean isBankHash(HashAlg h) {
        for (HashAlg b : BANK_HASHES) {
            if (b == h) {
                return true;
            }
        }
        return false;
    }

    /** TPM_RC_LOCALITY unless {@code locality} may extend {@code pcr}. */
    static void checkExtend(int pcr, int locality) throws TpmException {
        if (!PcrAttributes.canExtend(pcr, locality)) {
            throw new TpmException(TpmRc.LOCALITY);
        }
    }

    /** Extends {@code pcr} in every allocated bank for which {@code digests} has a value. */
    static void extend(PcrBanks pcrs, int pcr, List<TaggedDigest> digests) {
        for (TaggedDigest d : digests) {
            int bank = pcrs.indexOf(d.hash());
            if (bank >= 0) {
                pcrs.extend(bank, pcr, d.digest());
            }
        }
        pcrs.changed(pcr);
    }

    /**
     * Part 3, 22.2 TPM2_PCR_Extend. TPM_RC_LOCALITY if the current locality may not extend the PCR;
     * digests for unallocated banks are ignored; TPM_RH_NULL extends nothing.
     */
    static final class PcrExtend implements CommandHandler<List<TaggedDigest>> {
        @Override
        public List<TaggedDigest> parse(TpmReader in) throws TpmException {
            return TaggedDigest.readList(in.parameter(1));
        }

        @Override
        public void execute(CommandContext ctx, List<TaggedDigest> digests, TpmWriter out) throws TpmException {
            int pcr = ctx.handle(0);
            if (pcr == TpmRh.NULL) {
                return;
            }
            checkExtend(pcr, ctx.locality());
            extend(ctx.tpm().pcrs(), pcr, digests);
        }
    }

    /**
     * Part 3, 22.3 TPM2_PCR_Event: hashes eventData with every bank hash, extends the PCR with those
     * digests (unless TPM_RH_NULL) and returns them. TPM_RC_LOCALITY as PCR_Extend.
     */
    static final class PcrEvent implements CommandHandler<byte[]> {
        @Override
        public byte[] parse(TpmReader in) throws TpmException {
            return in.parameter(1).tpm2b(MAX_EVENT);
        }

        @Override
        public void execute(CommandContext ctx, byte[] eventData, TpmWriter out) throws TpmException {
            int pcr = ctx.handle(0);
            if (pcr != TpmRh.NULL) {
                checkExtend(pcr, ctx.locality());
            }
            List<TaggedDigest> digests = new ArrayList<>(BANK_HASHES.length);
            for (HashAlg h : BANK_HASHES) {
                digests.add(new TaggedDigest(h, h.digest(eventData)));
            }
            if (pcr != TpmRh.NULL) {
                extend(ctx.tpm().pcrs(), pcr, digests);
            }
            TaggedDigest.writeList(out, digests);
        }
    }

    /**
     * Part 3, 22.4 TPM2_PCR_Read: up to eight values, in selection order; the returned selection says
     * which were read (banks that are not allocated and PCRs past the eighth are cleared).
     */
    static final class PcrRead implements CommandHandler<List<PcrSelection>> {
        @Override
        public List<PcrSelection> parse(TpmReader in) throws TpmException {
            return PcrSelection.readList(in.parameter(1));
        }

        @Override
        public void execute(CommandContext ctx, List<PcrSelection> selections, TpmWriter out) {
            PcrBanks pcrs = ctx.tpm().pcrs();
            List<PcrSelection> selected = new ArrayList<>(selections.size());
            List<byte[]> values = new ArrayList<>(MAX_READ);
            for (PcrSelection s : selections) {
                byte[] bits = new byte[s.select().length];
                int bank = pcrs.indexOf(s.hash());
                for (int pcr = 0; bank >= 0 && pcr < PcrAttributes.PCR_COUNT; pcr++) {
                    if (s.isSelected(pcr) && values.size() < MAX_READ) {
                        bits[pcr / 8] |= (byte) (1 << (pcr % 8));
                        values.add(pcrs.value(bank, pcr).clone());
                    }
                }
                selected.add(new PcrSelection(s.hash(), bits));
            }
            out.u32(pcrs.updateCounter());
            PcrSelection.writeList(out, selected);
            out.u32(values.size());
            for (byte[] v : values) {
                out.tpm2b(v);
            }
        }
    }

    /**
     * Part 3, 22.5 TPM2_PCR_Allocate (platform authorization): sets which banks exist after the next
     * TPM Reset. A bank is allocated whole (all 24 PCRs) or not at all, as the PC Client profile
     * requires; a partial bank, a hash that cannot be a bank, or an allocation with no bank at all
     * gives allocationSuccess NO and changes nothing.
     */
    static final class PcrAllocate implements CommandHandler<List<PcrSelection>> {
        @Override
        public List<PcrSelection> parse(TpmReader in) throws TpmException {
            return PcrSelection.readList(in.parameter(1));
        }

        @Override
        public void execute(CommandContext ctx, List<PcrSelection> request, TpmWriter out) {
            PermanentState p = ctx.tpm().permanent();
            int mask = p.pcrAllocation;
            boolean ok = true;
            for (PcrSelection s : request) {
                int set = 0;
                for (int pcr = 0; pcr < PcrAttributes.PCR_COUNT; pcr++) {
                    set += s.isSelected(pcr) ? 1 : 0;
                }
                if (!isBankHash(s.hash()) || (set != 0 && set != PcrAttributes.PCR_COUNT)) {
                    ok = false;
                } else if (set == 0) {
                    mask &= ~PcrBanks.maskOf(s.hash());
                } else {
                    mask |= PcrBanks.maskOf(s.hash());
                }
            }
            ok &= mask != 0;
            int needed = 0;
            int available = 0;
            for (HashAlg h : BANK_HASHES) {
                available += h.digestSize() * PcrAttributes.PCR_COUNT;
                if ((mask & PcrBanks.maskOf(h)) != 0) {
                    needed += h.digestSize() * PcrAttributes.PCR_COUNT;
                }
            }
            if (ok && mask != p.pcrAllocation) {
                p.pcrAllocation = mask;
                ctx.persist();
            }
            out.u8(ok ? 1 : 0).u32(PcrAttributes.PCR_COUNT).u32(needed).u32(available);
        }
    }

    /** Part 3, 22.8 TPM2_PCR_Reset. TPM_RC_LOCALITY if the PCR may not be reset from this locality. */
    static final class PcrReset implements CommandHandler.NoParameters {
        @Override
        public void execute(CommandContext ctx, TpmWriter out) throws TpmException {
            int pcr = ctx.handle(0);
            if (!PcrAttributes.canReset(pcr, ctx.locality())) {
                throw new TpmException(TpmRc.LOCALITY);
            }
            PcrBanks pcrs = ctx.tpm().pcrs();
            pcrs.reset(pcr);
            pcrs.changed(pcr);
        }
    }

    /** TPM2_PCR_SetAuthPolicy's parameters. */
    record SetAuthPolicyIn(byte[] authPolicy, HashAlg hashAlg, int pcr) {
    }

    /**
     * Part 3, 22.6 TPM2_PCR_SetAuthPolicy (platform authorization): the policy group of pcrNum gets
     * hashAlg and authPolicy, kept in NV. TPM_RC_SIZE (parameter 1) if the policy is not hashAlg's
     * digest size; TPM_RC_VALUE (parameter 3) for a PCR out of range or in no policy group.
     */
    static final class PcrSetAuthPolicy implements CommandHandler<SetAuthPolicyIn> {
        @Override
        public SetAuthPolicyIn parse(TpmReader in) throws TpmException {
            byte[] policy = in.parameter(1).tpm2b(HashAlg.MAX_DIGEST_SIZE);
            HashAlg hash = HashCommands.readHash(in.parameter(2), true);
            int pcr = in.parameter(3).u32();
            if (pcr < 0 || pcr >= PcrAttributes.PCR_COUNT) {
                throw new TpmException(TpmRc.VALUE.parameter(3));
            }
            return new SetAuthPolicyIn(policy, hash, pcr);
        }

        @Override
        public void execute(CommandContext ctx, SetAuthPolicyIn p, TpmWriter out) throws TpmException {
            int size = p.hashAlg() == null ? 0 : p.hashAlg().digestSize();
            if (p.authPolicy().length != size) {
                throw new TpmException(TpmRc.SIZE.parameter(1));
            }
            if (!PcrAttributes.inPolicyGroup(p.pcr())) {
                throw new TpmException(TpmRc.VALUE.parameter(3));
            }
            ctx.tpm().permanent().pcrPolicy = p.hashAlg() == null ? PermanentState.Policy.NONE
                    : new PermanentState.Policy(p.hashAlg().id(), p.authPolicy());
            ctx.persist();
        }
    }

    /**
     * Part 3, 22.7 TPM2_PCR_SetAuthValue: the authValue group of the PCR gets auth (trailing zeros
     * removed), kept until the next TPM Reset or TPM Restart. TPM_RC_VALUE (unpositioned, as in the
     * reference) for a PCR in no authValue group.
     */
    static final class PcrSetAuthValue implements CommandHandler<byte[]> {
        @Override
        public byte[] parse(TpmReader in) throws TpmException {
            return in.parameter(1).tpm2b(HashAlg.MAX_DIGEST_SIZE);
        }

        @Override
        public void execute(CommandContext ctx, byte[] auth, TpmWriter out) throws TpmException {
            if (!PcrAttributes.inAuthGroup(ctx.handle(0))) {
                throw new TpmException(TpmRc.VALUE);
            }
            int n = auth.length;
            while (n > 0 && auth[n - 1] == 0) {
                n--;
            }
            ctx.tpm().runtime().pcrAuth = java.util.Arrays.copyOf(auth, n);
            ctx.tpm().clearOrderly();
        }
    }
}
