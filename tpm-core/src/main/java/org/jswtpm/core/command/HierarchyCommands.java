package org.jswtpm.core.command;

import java.util.Arrays;
import org.jswtpm.core.TpmException;
import org.jswtpm.core.crypto.HashAlg;
import org.jswtpm.core.engine.CommandContext;
import org.jswtpm.core.engine.CommandHandler;
import org.jswtpm.core.engine.ConstantTime;
import org.jswtpm.core.engine.Tickets;
import org.jswtpm.core.engine.TpmEngine;
import org.jswtpm.core.marshal.TpmReader;
import org.jswtpm.core.marshal.TpmWriter;
import org.jswtpm.core.state.PermanentState;
import org.jswtpm.core.state.RuntimeState;
import org.jswtpm.core.types.TpmRc;
import org.jswtpm.core.types.TpmRh;

/**
 * TCG TPM 2.0 Part 3, 24 "Hierarchy commands" (all but CreatePrimary, which belongs with objects):
 * authorization values and policies of the permanent hierarchies, enabling and disabling them, and
 * replacing their seeds and proofs.
 */
final class HierarchyCommands {
    private HierarchyCommands() {
    }

    /** TPMI_YES_NO: 0 or 1, else TPM_RC_VALUE on the parameter being read. */
    static boolean readYesNo(TpmReader in) throws TpmException {
        int v = in.u8();
        if (v > 1) {
            throw in.error(TpmRc.VALUE);
        }
        return v == 1;
    }

    /** TPMI_RH_ENABLES: owner, endorsement, platform or platform NV, else TPM_RC_VALUE. */
    static int readEnables(TpmReader in) throws TpmException {
        int h = in.u32();
        if (h != TpmRh.OWNER && h != TpmRh.ENDORSEMENT && h != TpmRh.PLATFORM && h != TpmRh.PLATFORM_NV) {
            throw in.error(TpmRc.VALUE);
        }
        return h;
    }

    /**
     * Part 3, 24.8 TPM2_HierarchyChangeAuth: a new authValue for the owner, endorsement, platform or
     * lockout hierarchy, stored without trailing zeros. TPM_RC_SIZE (parameter 1) if newAuth is longer
     * than the context-integrity digest.
     */
    static final class HierarchyChangeAuth implements CommandHandler<byte[]> {
        @Override
        public byte[] parse(TpmReader in) throws TpmException {
            byte[] newAuth = in.parameter(1).tpm2b(HashAlg.MAX_DIGEST_SIZE);
            newAuth = Arrays.copyOf(newAuth, ConstantTime.trimmedLength(newAuth));
            if (newAuth.length > Tickets.CONTEXT_INTEGRITY_HASH.digestSize()) {
                throw in.error(TpmRc.SIZE);
            }
            return newAuth;
        }

        @Override
        public void execute(CommandContext ctx, byte[] newAuth, TpmWriter out) {
            TpmEngine tpm = ctx.tpm();
            PermanentState p = tpm.permanent();
            switch (ctx.handle(0)) {
                case TpmRh.OWNER: p.ownerAuth = newAuth; break;
                case TpmRh.ENDORSEMENT: p.endorsementAuth = newAuth; break;
                case TpmRh.LOCKOUT: p.lockoutAuth = newAuth; break;
                case TpmRh.PLATFORM:
                    tpm.runtime().platformAuth = newAuth;
                    tpm.clearOrderly();
                    return;
                default: throw new IllegalStateException("TPMI_RH_HIERARCHY_AUTH let through a bad handle");
            }
            ctx.persist();
        }
    }

    record ControlIn(int enable, boolean state) {
    }

    /**
     * Part 3, 24.2 TPM2_HierarchyControl: enables or disables the owner (shEnable), endorsement
     * (ehEnable) or platform (phEnable) hierarchy, or platform NV (phEnableNV). The platform may do
     * all of it; the owner and endorsement hierarchies may only disable themselves; once disabled only
     * the platform re-enables them, and only a TPM2_Startup re-enables the platform. A disabled
     * hierarchy's loaded objects are flushed. TPM_RC_AUTH_TYPE if authHandle may not make the change;
     * TPM_RC_VALUE for a bad enable (parameter 1) or state (parameter 2).
     */
    static final class HierarchyControl implements CommandHandler<ControlIn> {
        @Override
        public ControlIn parse(TpmReader in) throws TpmException {
            int enable = readEnables(in.parameter(1));
            return new ControlIn(enable, readYesNo(in.parameter(2)));
        }

        @Override
        public void execute(CommandContext ctx, ControlIn p, TpmWriter out) throws TpmException {
            RuntimeState r = ctx.tpm().runtime();
            int auth = ctx.handle(0);
            // The platform may change anything; the owner and endorsement hierarchies may disable
            // themselves (and "enable" themselves while enabled), nothing else.
            boolean self = auth == p.enable() && (!p.state() || enabled(r, p.enable()));
            if (auth != TpmRh.PLATFORM && !self) {
                throw new TpmException(TpmRc.AUTH_TYPE);
            }
            if (enabled(r, p.enable()) == p.state()) {
                return;
            }
            setEnabled(r, p.enable(), p.state());
            if (!p.state() && p.enable() != TpmRh.PLATFORM_NV) {
                ctx.tpm().hierarchies().flushLoaded(p.enable());
            }
            ctx.tpm().clearOrderly();
        }

        private static boolean enabled(RuntimeState r, int enable) {
            switch (enable) {
                case TpmRh.OWNER: return r.shEnable;
                case TpmRh.ENDORSEMENT: return r.ehEnable;
                case TpmRh.PLATFORM: return r.phEnable;
                default: return r.phEnableNV;
            }
        }

        private static void setEnabled(RuntimeState r, int enable, boolean state) {
            switch (enable) {
                case TpmRh.OWNER: r.shEnable = state; break;
                case TpmRh.ENDORSEMENT: r.ehEnable = state; break;
                case TpmRh.PLATFORM: r.phEnable = state; break;
                default: r.phEnableNV = state; break;
            }
        }
    }

    record PolicyIn(byte[] authPolicy, HashAlg hashAlg) {
    }

    /**
     * Part 3, 24.3 TPM2_SetPrimaryPolicy: a new authPolicy for the owner, endorsement, platform or
     * lockout hierarchy; an empty policy with TPM_ALG_NULL removes it. TPM_RC_SIZE (parameter 1) if
     * the policy's size is not the digest size of hashAlg; TPM_RC_HASH (parameter 2) for an
     * unimplemented hashAlg.
     */
    static final class SetPrimaryPolicy implements CommandHandler<PolicyIn> {
        @Override
        public PolicyIn parse(TpmReader in) throws TpmException {
            byte[] policy = in.parameter(1).tpm2b(HashAlg.MAX_DIGEST_SIZE);
            HashAlg hash = HashCommands.readHash(in.parameter(2), true);
            return new PolicyIn(policy, hash);
        }

        @Override
        public void execute(CommandContext ctx, PolicyIn p, TpmWriter out) throws TpmException {
            int size = p.hashAlg() == null ? 0 : p.hashAlg().digestSize();
            if (p.authPolicy().length != size) {
                throw new TpmException(TpmRc.SIZE.parameter(1));
            }
            PermanentState.Policy policy = p.hashAlg() == null ? PermanentState.Policy.NONE
                    : new PermanentState.Policy(p.hashAlg().id(), p.authPolicy());
            TpmEngine tpm = ctx.tpm();
            PermanentState s = tpm.permanent();
            switch (ctx.handle(0)) {
                case TpmRh.OWNER: s.ownerPolicy = policy; break;
                case TpmRh.ENDORSEMENT: s.endorsementPolicy = policy; break;
                case TpmRh.LOCKOUT: s.lockoutPolicy = policy; break;
                case TpmRh.PLATFORM:
                    tpm.runtime().platformPolicy = policy;
                    tpm.clearOrderly();
                    return;
                default: throw new IllegalStateException("TPMI_RH_HIERARCHY_POLICY let through a bad handle");
            }
            ctx.persist();
        }
    }

    /**
     * Part 3, 24.4 TPM2_ChangePPS: a new platform primary seed and platform proof from the RNG; the
     * platform policy is removed and the platform hierarchy's loaded and persistent objects are
     * flushed (its NV indices stay, as in the reference). Platform authorization; no command-specific
     * errors.
     */
    static final class ChangePps implements CommandHandler.NoParameters {
        @Override
        public void execute(CommandContext ctx, TpmWriter out) {
            TpmEngine tpm = ctx.tpm();
            PermanentState p = tpm.permanent();
            p.platformSeed = tpm.drbg().generate(PermanentState.SEED_SIZE);
            p.platformProof = tpm.drbg().generate(PermanentState.PROOF_SIZE);
            tpm.runtime().platformPolicy = PermanentState.Policy.NONE;
            tpm.hierarchies().flushAll(TpmRh.PLATFORM);
            tpm.clearOrderly();
            ctx.persist();
        }
    }

    /**
     * Part 3, 24.5 TPM2_ChangeEPS: a new endorsement primary seed and endorsement proof from the RNG;
     * the endorsement hierarchy is enabled, its authValue and policy are emptied, and its objects and
     * persistent objects are flushed. Platform authorization; no command-specific errors.
     */
    static final class ChangeEps implements CommandHandler.NoParameters {
        @Override
        public void execute(CommandContext ctx, TpmWriter out) {
            TpmEngine tpm = ctx.tpm();
            PermanentState p = tpm.permanent();
            p.endorsementSeed = tpm.drbg().generate(PermanentState.SEED_SIZE);
            p.endorsementProof = tpm.drbg().generate(PermanentState.PROOF_SIZE);
            tpm.runtime().ehEnable = true;
            Arrays.fill(p.endorsementAuth, (byte) 0);
            p.endorsementAuth = new byte[0];
            p.endorsementPolicy = PermanentState.Policy.NONE;
            tpm.hierarchies().flushAll(TpmRh.ENDORSEMENT);
            tpm.clearOrderly();
            ctx.persist();
        }
    }

    /**
     * Part 3, 24.6 TPM2_Clear: removes everything associated with the owner. A new storage primary
     * seed, new storage and endorsement proofs; owner and endorsement hierarchies enabled; owner,
     * endorsement and lockout authValues and policies emptied; owner and endorsement objects,
     * persistent objects and owner NV indices flushed; dictionary-attack parameters back to their
     * defaults with no failures; Clock, resetCount and restartCount zero and Clock safe; the PCR update
     * counter incremented. Lockout or platform authorization. TPM_RC_DISABLED if TPM2_ClearControl has
     * disabled it.
     */
    static final class Clear implements CommandHandler.NoParameters {
        @Override
        public void execute(CommandContext ctx, TpmWriter out) throws TpmException {
            TpmEngine tpm = ctx.tpm();
            PermanentState p = tpm.permanent();
            if (p.disableClear) {
                throw new TpmException(TpmRc.DISABLED);
            }
            p.storageSeed = tpm.drbg().generate(PermanentState.SEED_SIZE);
            p.storageProof = tpm.drbg().generate(PermanentState.PROOF_SIZE);
            p.endorsementProof = tpm.drbg().generate(PermanentState.PROOF_SIZE);
            RuntimeState r = tpm.runtime();
            r.shEnable = true;
            r.ehEnable = true;
            for (byte[] auth : new byte[][] {p.ownerAuth, p.endorsementAuth, p.lockoutAuth}) {
                Arrays.fill(auth, (byte) 0);
            }
            p.ownerAuth = new byte[0];
            p.endorsementAuth = new byte[0];
            p.lockoutAuth = new byte[0];
            p.ownerPolicy = PermanentState.Policy.NONE;
            p.endorsementPolicy = PermanentState.Policy.NONE;
            p.lockoutPolicy = PermanentState.Policy.NONE;
            tpm.hierarchies().flushAll(TpmRh.OWNER);
            tpm.hierarchies().flushAll(TpmRh.ENDORSEMENT);
            tpm.dictionaryAttack().restoreDefaults();
            tpm.clock().set(0);
            r.clockSafe = true;
            p.resetCount = 0;
            p.restartCount = 0;
            tpm.pcrs().changed(0);
            tpm.clearOrderly();
            ctx.persist();
        }
    }

    /**
     * Part 3, 24.7 TPM2_ClearControl: disables (disable YES) or re-enables TPM2_Clear. Lockout
     * authorization may only disable it: re-enabling with lockout authorization is TPM_RC_AUTH_FAIL.
     * TPM_RC_VALUE (parameter 1) for a disable that is not YES or NO.
     */
    static final class ClearControl implements CommandHandler<Boolean> {
        @Override
        public Boolean parse(TpmReader in) throws TpmException {
            return readYesNo(in.parameter(1));
        }

        @Override
        public void execute(CommandContext ctx, Boolean disable, TpmWriter out) throws TpmException {
            if (ctx.handle(0) == TpmRh.LOCKOUT && !disable) {
                throw new TpmException(TpmRc.AUTH_FAIL);
            }
            ctx.tpm().permanent().disableClear = disable;
            ctx.persist();
        }
    }
}
