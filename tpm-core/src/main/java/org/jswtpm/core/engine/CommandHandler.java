package org.jswtpm.core.engine;

import org.jswtpm.core.TpmException;
import org.jswtpm.core.marshal.TpmReader;
import org.jswtpm.core.marshal.TpmWriter;

/**
 * One TPM command's own work, in two steps as the reference implementation does it: {@link #parse}
 * unmarshals the parameters into an immutable request (the "In" structure), then, once the pipeline has
 * checked that nothing was left over, {@link #execute} does the work and writes the response
 * parameters. Handles, authorization, sessions and response framing belong to the pipeline.
 *
 * @param <P> the parsed parameters
 */
public interface CommandHandler<P> {
    /**
     * Reads this command's parameters. Call {@code in.parameter(n)} before reading parameter {@code n}
     * so that marshalling errors are blamed on it.
     */
    P parse(TpmReader in) throws TpmException;

    /** Executes the command with parameters already parsed and validated by {@link #parse}. */
    void execute(CommandContext ctx, P params, TpmWriter out) throws TpmException;

    /** A handler for a command without parameters. */
    interface NoParameters extends CommandHandler<Void> {
        @Override
        default Void parse(TpmReader in) {
            return null;
        }

        @Override
        default void execute(CommandContext ctx, Void params, TpmWriter out) throws TpmException {
            execute(ctx, out);
        }

        void execute(CommandContext ctx, TpmWriter out) throws TpmException;
    }
}
