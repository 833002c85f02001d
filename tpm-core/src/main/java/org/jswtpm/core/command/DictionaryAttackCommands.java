package org.jswtpm.core.command;

import org.jswtpm.core.TpmException;
import org.jswtpm.core.engine.CommandContext;
import org.jswtpm.core.engine.CommandHandler;
import org.jswtpm.core.marshal.TpmReader;
import org.jswtpm.core.marshal.TpmWriter;

/**
 * TCG TPM 2.0 Part 3, 25 "Dictionary attack functions". Both commands need lockout authorization;
 * while lockoutAuth is disabled after a failure the pipeline answers TPM_RC_LOCKOUT. The behaviour
 * they configure is {@link org.jswtpm.core.engine.DictionaryAttack}.
 */
final class DictionaryAttackCommands {
    private DictionaryAttackCommands() {
    }

    /**
     * Part 3, 25.2 TPM2_DictionaryAttackLockReset: sets failedTries to zero, leaving lockout. No
     * command-specific errors.
     */
    static final class DictionaryAttackLockReset implements CommandHandler.NoParameters {
        @Override
        public void execute(CommandContext ctx, TpmWriter out) {
            ctx.tpm().dictionaryAttack().lockReset();
        }
    }

    /**
     * The parameters of TPM2_DictionaryAttackParameters, each a UINT32.
     *
     * @param maxTries failures before lockout (0: always in lockout)
     * @param recoveryTime seconds per forgiven failure (0: no DA protection)
     * @param lockoutRecovery seconds lockoutAuth is unusable after a failure (0: until TPM2_Startup)
     */
    record ParametersIn(int maxTries, int recoveryTime, int lockoutRecovery) {
    }

    /**
     * Part 3, 25.3 TPM2_DictionaryAttackParameters: sets maxTries, recoveryTime and lockoutRecovery;
     * failedTries is kept. No command-specific errors.
     */
    static final class DictionaryAttackParameters implements CommandHandler<ParametersIn> {
        @Override
        public ParametersIn parse(TpmReader in) throws TpmException {
            int maxTries = in.parameter(1).u32();
            int recoveryTime = in.parameter(2).u32();
            int lockoutRecovery = in.parameter(3).u32();
            return new ParametersIn(maxTries, recoveryTime, lockoutRecovery);
        }

        @Override
        public void execute(CommandContext ctx, ParametersIn p, TpmWriter out) {
            ctx.tpm().dictionaryAttack().setParameters(p.maxTries(), p.recoveryTime(), p.lockoutRecovery());
        }
    }
}
