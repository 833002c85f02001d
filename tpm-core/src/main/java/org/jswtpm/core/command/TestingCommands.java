package org.jswtpm.core.command;

import org.jswtpm.core.TpmException;
import org.jswtpm.core.engine.CommandContext;
import org.jswtpm.core.engine.CommandHandler;
import org.jswtpm.core.marshal.TpmReader;
import org.jswtpm.core.marshal.TpmWriter;
import org.jswtpm.core.types.TpmRc;

/**
 * TCG TPM 2.0 Part 3, 10 "Testing". The engine's algorithms are the JDK's, verified when the engine
 * starts using them, so every self-test completes at once and none is left to do.
 */
final class TestingCommands {
    private TestingCommands() {
    }

    /** Part 3, 10.2 TPM2_SelfTest. Returns TPM_RC_VALUE for a fullTest other than YES or NO. */
    static final class SelfTest implements CommandHandler<Boolean> {
        @Override
        public Boolean parse(TpmReader in) throws TpmException {
            int fullTest = in.parameter(1).u8();
            if (fullTest > 1) {
                throw in.error(TpmRc.VALUE);
            }
            return fullTest == 1;
        }

        @Override
        public void execute(CommandContext ctx, Boolean fullTest, TpmWriter out) {
            // every test has passed
        }
    }

    /** Part 3, 10.3 TPM2_IncrementalSelfTest: returns an empty toDoList. */
    static final class IncrementalSelfTest implements CommandHandler<Void> {
        @Override
        public Void parse(TpmReader in) throws TpmException {
            int count = in.parameter(1).u32();
            if (count < 0 || count > 169) {
                throw in.error(TpmRc.SIZE);
            }
            for (int i = 0; i < count; i++) {
                in.u16();
            }
            return null;
        }

        @Override
        public void execute(CommandContext ctx, Void params, TpmWriter out) {
            out.u32(0);
        }
    }

    /** Part 3, 10.4 TPM2_GetTestResult: no test output, TPM_RC_SUCCESS. */
    static final class GetTestResult implements CommandHandler.NoParameters {
        @Override
        public void execute(CommandContext ctx, TpmWriter out) {
            out.u16(0);
            out.u32(TpmRc.SUCCESS.value());
        }
    }
}
