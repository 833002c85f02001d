package org.jswtpm.core.command;

import org.jswtpm.core.TpmException;
import org.jswtpm.core.crypto.HashAlg;
import org.jswtpm.core.engine.CommandContext;
import org.jswtpm.core.engine.CommandHandler;
import org.jswtpm.core.marshal.TpmReader;
import org.jswtpm.core.marshal.TpmWriter;

/** TCG TPM 2.0 Part 3, 16 "Random number generator". */
final class RandomCommands {
    /** TPM2B_SENSITIVE_DATA maximum (MAX_SYM_DATA). */
    static final int MAX_SYM_DATA = 128;

    private RandomCommands() {
    }

    /**
     * Part 3, 16.1 TPM2_GetRandom: up to the size of the largest digest (TPM2B_DIGEST) of DRBG output.
     * Asking for more is not an error; the TPM returns fewer.
     */
    static final class GetRandom implements CommandHandler<Integer> {
        @Override
        public Integer parse(TpmReader in) throws TpmException {
            return in.parameter(1).u16();
        }

        @Override
        public void execute(CommandContext ctx, Integer bytesRequested, TpmWriter out) {
            int n = Math.min(bytesRequested, HashAlg.MAX_DIGEST_SIZE);
            out.tpm2b(ctx.tpm().drbg().generate(n));
        }
    }

    /** Part 3, 16.2 TPM2_StirRandom: mixes inData into the DRBG. TPM_RC_SIZE if over 128 bytes. */
    static final class StirRandom implements CommandHandler<byte[]> {
        @Override
        public byte[] parse(TpmReader in) throws TpmException {
            return in.parameter(1).tpm2b(MAX_SYM_DATA);
        }

        @Override
        public void execute(CommandContext ctx, byte[] inData, TpmWriter out) {
            ctx.tpm().drbg().reseed(inData);
        }
    }
}
