package org.jswtpm.core.command;

import org.jswtpm.core.TpmException;
import org.jswtpm.core.engine.CommandContext;
import org.jswtpm.core.engine.CommandHandler;
import org.jswtpm.core.marshal.TpmReader;
import org.jswtpm.core.marshal.TpmWriter;

/** TCG TPM 2.0 Part 3, 26 "Miscellaneous management functions". */
final class ManagementCommands {
    private ManagementCommands() {
    }

    /** TPM2_PP_Commands' parameters. */
    record PpIn(int[] setList, int[] clearList) {
    }

    /**
     * Part 3, 26.2 TPM2_PP_Commands (platform authorization with physical presence). TPM2_PP_Commands
     * itself always requires physical presence and this platform never asserts it, so authorization
     * fails with TPM_RC_PP (session 1) before this runs, as it does in the reference; were it to run,
     * it would change the PP list only for commands that can require PP, which none here do, and would
     * never remove TPM2_PP_Commands itself.
     */
    static final class PpCommands implements CommandHandler<PpIn> {
        @Override
        public PpIn parse(TpmReader in) throws TpmException {
            int[] set = AuditCommands.readCcList(in.parameter(1));
            return new PpIn(set, AuditCommands.readCcList(in.parameter(2)));
        }

        @Override
        public void execute(CommandContext ctx, PpIn p, TpmWriter out) {
            ctx.persist();
        }
    }

    /**
     * Part 3, 26.3 TPM2_SetAlgorithmSet (platform authorization): stores algorithmSet, any value, as
     * the reference does; TPM_PT_ALGORITHM_SET reports it.
     */
    static final class SetAlgorithmSet implements CommandHandler<Integer> {
        @Override
        public Integer parse(TpmReader in) throws TpmException {
            return in.parameter(1).u32();
        }

        @Override
        public void execute(CommandContext ctx, Integer algorithmSet, TpmWriter out) {
            ctx.tpm().permanent().algorithmSet = algorithmSet;
            ctx.persist();
        }
    }
}
