package org.jswtpm.core.command;

import static org.jswtpm.core.command.PolicyAssertionCommands.session;
import static org.jswtpm.core.command.PolicyAssertionCommands.u16;
import static org.jswtpm.core.command.PolicyCommands.u32;

import java.security.MessageDigest;
import org.jswtpm.core.TpmException;
import org.jswtpm.core.crypto.HashAlg;
import org.jswtpm.core.engine.CommandContext;
import org.jswtpm.core.engine.CommandHandler;
import org.jswtpm.core.engine.session.AuthSession;
import org.jswtpm.core.marshal.TpmReader;
import org.jswtpm.core.marshal.TpmWriter;
import org.jswtpm.core.state.NvIndex;
import org.jswtpm.core.types.TpmCc;
import org.jswtpm.core.types.TpmRc;

/**
 * TCG TPM 2.0 Part 3, 23.9 and 23.10: the assertions that compare an operand with TPM data —
 * PolicyNV (an NV index) and PolicyCounterTimer (TPMS_TIME_INFO) — with the TPM_EO operations of Part
 * 2, 6.8. Both extend policyDigest with args = H(operandB || offset || operation).
 */
final class PolicyOperandCommands {
    /** TPM_EO (Part 2, 6.8): the largest operation, TPM_EO_BITCLEAR. */
    static final int EO_BITCLEAR = 11;
    /** The size of a marshalled TPMS_TIME_INFO. */
    static final int TIME_INFO_SIZE = 25;
    /** The TPM2B_OPERAND bound. */
    static final int MAX_OPERAND = HashAlg.MAX_DIGEST_SIZE;

    private PolicyOperandCommands() {
    }

    record Operand(byte[] operandB, int offset, int operation) {
        /** H(operandB.buffer || offset || operation), the args of PolicyNV and PolicyCounterTimer. */
        byte[] argHash(HashAlg hash) {
            MessageDigest md = hash.newDigest();
            md.update(operandB);
            md.update(u16(offset));
            md.update(u16(operation));
            return md.digest();
        }

        static Operand read(TpmReader in) throws TpmException {
            byte[] operandB = in.parameter(1).tpm2b(MAX_OPERAND);
            int offset = in.parameter(2).u16();
            TpmReader op = in.parameter(3);
            int operation = op.u16();
            if (operation > EO_BITCLEAR) {
                throw op.error(TpmRc.VALUE);
            }
            return new Operand(operandB, offset, operation);
        }
    }

    /**
     * The TPM_EO comparison of {@code a} (from the TPM) with {@code b} (operandB), both of b's length,
     * as big-endian numbers (signed: two's complement) or bit masks.
     */
    static boolean holds(int operation, byte[] a, int at, byte[] b) {
        int unsigned = 0;
        for (int i = 0; i < b.length && unsigned == 0; i++) {
            unsigned = Integer.compare(a[at + i] & 0xFF, b[i] & 0xFF);
        }
        int signed = unsigned;
        if (b.length > 0 && (a[at] < 0) != (b[0] < 0)) {
            signed = a[at] < 0 ? -1 : 1;
        }
        switch (operation) {
            case 0: return unsigned == 0;
            case 1: return unsigned != 0;
            case 2: return signed > 0;
            case 3: return unsigned > 0;
            case 4: return signed < 0;
            case 5: return unsigned < 0;
            case 6: return signed >= 0;
            case 7: return unsigned >= 0;
            case 8: return signed <= 0;
            case 9: return unsigned <= 0;
            case 10:
                for (int i = 0; i < b.length; i++) {
                    if ((a[at + i] & b[i]) != b[i]) {
                        return false;
                    }
                }
                return true;
            default:
                for (int i = 0; i < b.length; i++) {
                    if ((a[at + i] & b[i]) != 0) {
                        return false;
                    }
                }
                return true;
        }
    }

    /**
     * Part 3, 23.9 TPM2_PolicyNV: in a policy session, after the NV read checks (TPM_RC_NV_LOCKED,
     * TPM_RC_NV_AUTHORIZATION, TPM_RC_NV_UNINITIALIZED), compares operandB with the index data at
     * offset: TPM_RC_VALUE (parameter 2) for an offset beyond the index, TPM_RC_SIZE (parameter 1) if
     * operandB does not fit, TPM_RC_POLICY if the comparison fails. policyDigest := H(policyDigest ||
     * TPM_CC_PolicyNV || args || nvIndex Name).
     */
    static final class PolicyNv implements CommandHandler<Operand> {
        @Override
        public Operand parse(TpmReader in) throws TpmException {
            return Operand.read(in);
        }

        @Override
        public void execute(CommandContext ctx, Operand p, TpmWriter out) throws TpmException {
            AuthSession s = session(ctx, 2);
            NvIndex index = NvCommands.index(ctx, 1);
            if (!s.isTrial()) {
                NvCommands.checkRead(ctx.handle(0), index);
                int size = index.pub().dataSize();
                if (p.offset() > size) {
                    throw new TpmException(TpmRc.VALUE.parameter(2));
                }
                if (size - p.offset() < p.operandB().length) {
                    throw new TpmException(TpmRc.SIZE.parameter(1));
                }
                if (!holds(p.operation(), index.data(), p.offset(), p.operandB())) {
                    throw new TpmException(TpmRc.POLICY);
                }
            }
            s.extendPolicy(u32(TpmCc.PolicyNV.code()), p.argHash(s.authHash()), ctx.entity(1).name());
        }
    }

    /**
     * Part 3, 23.10 TPM2_PolicyCounterTimer: compares operandB with the TPMS_TIME_INFO (time, clock,
     * resetCount, restartCount, safe) at offset. TPM_RC_VALUE (parameter 2) for an offset beyond its 25
     * bytes, TPM_RC_RANGE if operandB runs past them, TPM_RC_POLICY if the comparison fails (policy
     * sessions only). policyDigest := H(policyDigest || TPM_CC_PolicyCounterTimer || args).
     */
    static final class PolicyCounterTimer implements CommandHandler<Operand> {
        @Override
        public Operand parse(TpmReader in) throws TpmException {
            return Operand.read(in);
        }

        @Override
        public void execute(CommandContext ctx, Operand p, TpmWriter out) throws TpmException {
            if (p.offset() > TIME_INFO_SIZE) {
                throw new TpmException(TpmRc.VALUE.parameter(2));
            }
            if (p.offset() + p.operandB().length > TIME_INFO_SIZE) {
                throw new TpmException(TpmRc.RANGE);
            }
            AuthSession s = session(ctx, 0);
            if (!s.isTrial()) {
                TpmWriter info = new TpmWriter(TIME_INFO_SIZE);
                ClockCommands.writeTimeInfo(info, ctx.tpm());
                if (!holds(p.operation(), info.toByteArray(), p.offset(), p.operandB())) {
                    throw new TpmException(TpmRc.POLICY);
                }
            }
            s.extendPolicy(u32(TpmCc.PolicyCounterTimer.code()), p.argHash(s.authHash()));
        }
    }
}
