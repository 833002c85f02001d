package org.jswtpm.core.engine;

import org.jswtpm.core.state.PcrAttributes;
import org.jswtpm.core.types.TpmRh;

/**
 * The interface type of a command's handle (TCG TPM 2.0 Part 2, 9 "Interface types", the TPMI_DH_* and
 * TPMI_RH_* types): which handle values the command accepts at all. A value outside the type is
 * {@code TPM_RC_VALUE} on that handle, as the reference unmarshalling code reports it.
 */
public enum HandleKind {
    /** TPMI_DH_PCR with TPM_RH_NULL allowed. */
    PCR_OR_NULL {
        @Override
        boolean accepts(int h) {
            return (h >= 0 && h < PcrAttributes.PCR_COUNT) || h == TpmRh.NULL;
        }
    },
    /** TPMI_DH_PCR without TPM_RH_NULL. */
    PCR {
        @Override
        boolean accepts(int h) {
            return h >= 0 && h < PcrAttributes.PCR_COUNT;
        }
    },
    /** TPMI_RH_PLATFORM. */
    PLATFORM {
        @Override
        boolean accepts(int h) {
            return h == TpmRh.PLATFORM;
        }
    },
    /** TPMI_RH_PROVISION: owner or platform. */
    PROVISION {
        @Override
        boolean accepts(int h) {
            return h == TpmRh.OWNER || h == TpmRh.PLATFORM;
        }
    },
    /** TPMI_RH_HIERARCHY with TPM_RH_NULL allowed: owner, endorsement, platform or null. */
    HIERARCHY {
        @Override
        boolean accepts(int h) {
            return h == TpmRh.OWNER || h == TpmRh.ENDORSEMENT || h == TpmRh.PLATFORM || h == TpmRh.NULL;
        }
    },
    /** TPMI_DH_PARENT with TPM_RH_NULL allowed: a hierarchy or an object. */
    PARENT {
        @Override
        boolean accepts(int h) {
            return HIERARCHY.accepts(h) || OBJECT.accepts(h);
        }
    },
    /** TPMI_DH_CONTEXT: a transient object or an HMAC or policy session. */
    CONTEXT {
        @Override
        boolean accepts(int h) {
            int t = TpmRh.type(h);
            return t == TpmRh.HT_TRANSIENT || t == TpmRh.HT_HMAC_SESSION || t == TpmRh.HT_POLICY_SESSION;
        }
    },
    /** TPMI_SH_POLICY: a policy (or trial) session handle. */
    POLICY_SESSION {
        @Override
        boolean accepts(int h) {
            return TpmRh.type(h) == TpmRh.HT_POLICY_SESSION
                    && (h & 0x00FFFFFF) < org.jswtpm.core.engine.session.SessionSlots.MAX_ACTIVE;
        }
    },
    /** TPMI_RH_ENDORSEMENT: the endorsement hierarchy (the privacy administrator of GetTime and audits). */
    ENDORSEMENT {
        @Override
        boolean accepts(int h) {
            return h == TpmRh.ENDORSEMENT;
        }
    },
    /** TPMI_SH_HMAC: an HMAC session handle. */
    HMAC_SESSION {
        @Override
        boolean accepts(int h) {
            return TpmRh.type(h) == TpmRh.HT_HMAC_SESSION;
        }
    },
    /** TPMI_DH_OBJECT+: a transient or persistent object, or TPM_RH_NULL. */
    OBJECT_OR_NULL {
        @Override
        boolean accepts(int h) {
            return h == TpmRh.NULL || OBJECT.accepts(h);
        }
    },
    /**
     * TPMI_DH_ENTITY+: a hierarchy (owner, endorsement, platform, lockout), an object, an NV index, a
     * PCR, or TPM_RH_NULL.
     */
    ENTITY_OR_NULL {
        @Override
        boolean accepts(int h) {
            int t = TpmRh.type(h);
            return h == TpmRh.NULL || h == TpmRh.OWNER || h == TpmRh.ENDORSEMENT || h == TpmRh.PLATFORM
                    || h == TpmRh.LOCKOUT || t == TpmRh.HT_NV_INDEX || OBJECT.accepts(h)
                    || (h >= 0 && h < PcrAttributes.PCR_COUNT);
        }
    },
    /** TPMI_RH_NV_AUTH: owner, platform, or an NV index (authorizing itself). */
    NV_AUTH {
        @Override
        boolean accepts(int h) {
            return h == TpmRh.OWNER || h == TpmRh.PLATFORM || TpmRh.type(h) == TpmRh.HT_NV_INDEX;
        }
    },
    /** TPMI_RH_NV_INDEX: an NV index handle. */
    NV_INDEX {
        @Override
        boolean accepts(int h) {
            return TpmRh.type(h) == TpmRh.HT_NV_INDEX;
        }
    },
    /** TPMI_DH_OBJECT: a transient or persistent object. */
    OBJECT {
        @Override
        boolean accepts(int h) {
            int t = TpmRh.type(h);
            return t == TpmRh.HT_TRANSIENT || t == TpmRh.HT_PERSISTENT;
        }
    },
    /** TPMI_RH_HIERARCHY without the "+": owner, endorsement or platform, not TPM_RH_NULL. */
    HIERARCHY_NO_NULL {
        @Override
        boolean accepts(int h) {
            return h == TpmRh.OWNER || h == TpmRh.ENDORSEMENT || h == TpmRh.PLATFORM;
        }
    },
    /** TPMI_RH_HIERARCHY_AUTH: owner, endorsement, platform or lockout. */
    HIERARCHY_AUTH {
        @Override
        boolean accepts(int h) {
            return HIERARCHY_NO_NULL.accepts(h) || h == TpmRh.LOCKOUT;
        }
    },
    /** TPMI_RH_HIERARCHY_POLICY: owner, endorsement, platform or lockout (no ACT is implemented). */
    HIERARCHY_POLICY {
        @Override
        boolean accepts(int h) {
            return HIERARCHY_AUTH.accepts(h);
        }
    },
    /** TPMI_RH_LOCKOUT. */
    LOCKOUT {
        @Override
        boolean accepts(int h) {
            return h == TpmRh.LOCKOUT;
        }
    },
    /** TPMI_RH_CLEAR: lockout or platform. */
    CLEAR {
        @Override
        boolean accepts(int h) {
            return h == TpmRh.LOCKOUT || h == TpmRh.PLATFORM;
        }
    };

    abstract boolean accepts(int handle);
}
