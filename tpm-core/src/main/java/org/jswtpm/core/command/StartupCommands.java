package org.jswtpm.core.command;

import org.jswtpm.core.TpmException;
import org.jswtpm.core.engine.CommandContext;
import org.jswtpm.core.engine.CommandHandler;
import org.jswtpm.core.marshal.TpmReader;
import org.jswtpm.core.marshal.TpmWriter;
import org.jswtpm.core.types.TpmRc;
import org.jswtpm.core.types.TpmSu;

/** TCG TPM 2.0 Part 3, 9 "Start-up". */
final class StartupCommands {
    private StartupCommands() {
    }

    static int readStartupType(TpmReader in) throws TpmException {
        int type = in.parameter(1).u16();
        if (type != TpmSu.CLEAR && type != TpmSu.STATE) {
            throw in.error(TpmRc.VALUE);
        }
        return type;
    }

    /**
     * Part 3, 9.3 TPM2_Startup. Returns TPM_RC_VALUE (parameter 1) for Startup(STATE) without a valid
     * save-state, TPM_RC_INITIALIZE (from the pipeline) when already started.
     */
    static final class Startup implements CommandHandler<Integer> {
        @Override
        public Integer parse(TpmReader in) throws TpmException {
            return readStartupType(in);
        }

        @Override
        public void execute(CommandContext ctx, Integer type, TpmWriter out) throws TpmException {
            ctx.tpm().startup(type, ctx.locality());
        }
    }

    /**
     * Part 3, 9.4 TPM2_Shutdown. Records an orderly shutdown; with TPM_SU_STATE the state needed for
     * TPM Resume is saved. Returns TPM_RC_VALUE for an unknown shutdown type.
     */
    static final class Shutdown implements CommandHandler<Integer> {
        @Override
        public Integer parse(TpmReader in) throws TpmException {
            return readStartupType(in);
        }

        @Override
        public void execute(CommandContext ctx, Integer type, TpmWriter out) {
            ctx.tpm().shutdown(type);
        }
    }
}
