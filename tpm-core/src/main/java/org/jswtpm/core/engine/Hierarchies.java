package org.jswtpm.core.engine;

import java.util.ArrayList;
import java.util.List;
import org.jswtpm.core.TpmException;
import org.jswtpm.core.state.PcrAttributes;
import org.jswtpm.core.state.PermanentState;
import org.jswtpm.core.state.RuntimeState;
import org.jswtpm.core.types.TpmRc;
import org.jswtpm.core.types.TpmRh;

/**
 * The permanent entities: the owner (storage), endorsement, platform, lockout and null hierarchies
 * (TCG TPM 2.0 Part 1, 13 "Primary seeds and hierarchies"), and PCRs as authorizable entities.
 */
public final class Hierarchies {
    private static final byte[] EMPTY = new byte[0];
    private final TpmEngine tpm;

    Hierarchies(TpmEngine tpm) {
        this.tpm = tpm;
    }

    /**
     * Flushes the loaded objects of {@code hierarchy} (disabled, or its proof changed; the reference's
     * ObjectFlushHierarchy): every object in a slot whose {@link LoadedObject#hierarchy()} it is.
     */
    public void flushLoaded(int hierarchy) {
        ObjectSlots slots = tpm.objects();
        List<Integer> doomed = new ArrayList<>();
        slots.forEachHandle(h -> {
            if (slots.get(h).hierarchy() == hierarchy) {
                doomed.add(h);
            }
        });
        doomed.forEach(slots::flush);
    }

    /**
     * Flushes the loaded objects of {@code hierarchy} and removes what it keeps in NV (the reference's
     * NvFlushHierarchy): its persistent objects, and for the owner every NV index without
     * TPMA_NV_PLATFORMCREATE.
     */
    public void flushAll(int hierarchy) {
        flushLoaded(hierarchy);
        boolean changed = tpm.objectEngine().removePersistentOf(hierarchy);
        if (hierarchy == TpmRh.OWNER) {
            changed |= tpm.permanent().nv.clearOwnerIndices();
        }
        if (changed) {
            tpm.markPermanentChanged();
        }
    }

    /** A permanent entity, its authValue read from the state when asked. */
    private record Permanent(int handle, TpmEngine tpm) implements Entity {
        @Override
        public byte[] authValue() {
            PermanentState p = tpm.permanent();
            RuntimeState r = tpm.runtime();
            switch (handle) {
                case TpmRh.OWNER: return p.ownerAuth;
                case TpmRh.ENDORSEMENT: return p.endorsementAuth;
                case TpmRh.LOCKOUT: return p.lockoutAuth;
                case TpmRh.PLATFORM: return r.platformAuth;
                default: return EMPTY;
            }
        }

        @Override
        public boolean daExempt() {
            return handle != TpmRh.LOCKOUT;
        }

        @Override
        public PermanentState.Policy authPolicy() {
            PermanentState p = tpm.permanent();
            switch (handle) {
                case TpmRh.OWNER: return p.ownerPolicy;
                case TpmRh.ENDORSEMENT: return p.endorsementPolicy;
                case TpmRh.LOCKOUT: return p.lockoutPolicy;
                case TpmRh.PLATFORM: return tpm.runtime().platformPolicy;
                default: return PermanentState.Policy.NONE;
            }
        }
    }

    /**
     * A PCR as an entity, exempt from DA (Part 1, 17.6.2): the authValue and authPolicy of its authValue
     * and policy groups (PCRs 20-22, {@link PcrAttributes}), else an empty authValue and no policy.
     */
    private record Pcr(int handle, TpmEngine tpm) implements Entity {
        @Override
        public byte[] authValue() {
            return PcrAttributes.inAuthGroup(handle) ? tpm.runtime().pcrAuth : EMPTY;
        }

        @Override
        public PermanentState.Policy authPolicy() {
            return PcrAttributes.inPolicyGroup(handle) ? tpm.permanent().pcrPolicy : PermanentState.Policy.NONE;
        }

        /**
         * A PCR of the policy group can be authorized by policy even before a policy is set (the
         * reference's PCRPolicyIsAvailable); with no policy, the digest comparison fails.
         */
        @Override
        public boolean authPolicyAvailable(org.jswtpm.core.types.TpmCc cc, AuthRole role) {
            return PcrAttributes.inPolicyGroup(handle);
        }

        @Override
        public boolean daExempt() {
            return true;
        }
    }

    /**
     * Resolves a permanent handle, checking that its hierarchy is enabled (Part 3, 5.3): a disabled
     * hierarchy is {@code TPM_RC_HIERARCHY}, an unknown permanent handle {@code TPM_RC_VALUE}.
     */
    Entity resolve(int handle, int index) throws TpmException {
        RuntimeState r = tpm.runtime();
        switch (handle) {
            case TpmRh.OWNER:
                if (!r.shEnable) {
                    throw new TpmException(TpmRc.HIERARCHY.handle(index));
                }
                break;
            case TpmRh.ENDORSEMENT:
                if (!r.ehEnable) {
                    throw new TpmException(TpmRc.HIERARCHY.handle(index));
                }
                break;
            case TpmRh.PLATFORM:
                if (!r.phEnable) {
                    throw new TpmException(TpmRc.HIERARCHY.handle(index));
                }
                break;
            case TpmRh.LOCKOUT:
            case TpmRh.NULL:
                break;
            default:
                throw new TpmException(TpmRc.VALUE.handle(index));
        }
        return new Permanent(handle, tpm);
    }

    /** The entity of a PCR handle or TPM_RH_NULL, for authorization. */
    Entity nullOrPcr(int handle) {
        return handle == TpmRh.NULL ? new Permanent(handle, tpm) : new Pcr(handle, tpm);
    }

    /** The proof value of a hierarchy (Part 1, 13.8), for tickets; null for an unknown handle. */
    public byte[] proof(int hierarchy) {
        switch (hierarchy) {
            case TpmRh.OWNER: return tpm.permanent().storageProof;
            case TpmRh.ENDORSEMENT: return tpm.permanent().endorsementProof;
            case TpmRh.PLATFORM: return tpm.permanent().platformProof;
            case TpmRh.NULL: return tpm.runtime().nullProof;
            default: return null;
        }
    }

    /** True if the hierarchy named by {@code hierarchy} is enabled (null is always enabled). */
    public boolean isEnabled(int hierarchy) {
        RuntimeState r = tpm.runtime();
        switch (hierarchy) {
            case TpmRh.OWNER: return r.shEnable;
            case TpmRh.ENDORSEMENT: return r.ehEnable;
            case TpmRh.PLATFORM: return r.phEnable;
            case TpmRh.NULL: return true;
            default: return false;
        }
    }
}
