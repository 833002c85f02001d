package org.jswtpm.core.command;

import org.jswtpm.core.TpmException;
import org.jswtpm.core.engine.CommandContext;
import org.jswtpm.core.engine.CommandHandler;
import org.jswtpm.core.marshal.TpmReader;
import org.jswtpm.core.marshal.TpmWriter;
import org.jswtpm.core.types.TpmRc;
import org.jswtpm.core.types.TpmRh;

/** TCG TPM 2.0 Part 3, 28 "Context management". */
final class ContextCommands {
    private ContextCommands() {
    }

    /**
     * Part 3, 28.4 TPM2_FlushContext: frees a loaded object or sequence, or ends a loaded or saved
     * session. The handle is a parameter, not in the handle area. TPM_RC_VALUE for a handle that is no
     * transient object slot or session (TPMI_DH_CONTEXT), TPM_RC_HANDLE if nothing is loaded (or saved)
     * there.
     */
    static final class FlushContext implements CommandHandler<Integer> {
        @Override
        public Integer parse(TpmReader in) throws TpmException {
            int handle = in.parameter(1).u32();
            int type = TpmRh.type(handle);
            boolean transientInRange = type == TpmRh.HT_TRANSIENT
                    && handle - TpmRh.TRANSIENT_FIRST < org.jswtpm.core.engine.ObjectSlots.CAPACITY;
            boolean sessionInRange = (type == TpmRh.HT_HMAC_SESSION || type == TpmRh.HT_POLICY_SESSION)
                    && (handle & 0x00FFFFFF) < org.jswtpm.core.engine.session.SessionSlots.MAX_ACTIVE;
            if (!transientInRange && !sessionInRange) {
                throw in.error(TpmRc.VALUE);
            }
            return handle;
        }

        @Override
        public void execute(CommandContext ctx, Integer handle, TpmWriter out) throws TpmException {
            boolean flushed = TpmRh.type(handle) == TpmRh.HT_TRANSIENT
                    ? ctx.tpm().objects().flush(handle)
                    : ctx.tpm().sessions().flush(handle);
            if (!flushed) {
                throw new TpmException(TpmRc.HANDLE.parameter(1));
            }
        }
    }
}
