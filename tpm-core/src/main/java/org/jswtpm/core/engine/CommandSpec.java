package org.jswtpm.core.engine;

import java.util.Arrays;
import org.jswtpm.core.types.TpmCc;

/**
 * One row of the command table: everything the pipeline needs to know about a command before its
 * handler runs, and exactly what {@code TPM2_GetCapability(TPM_CAP_COMMANDS)} reports as its TPMA_CC
 * (TCG TPM 2.0 Part 2, 8.9).
 *
 * @param cc the command code
 * @param handles the interface type of each handle in the handle area
 * @param roles the authorization role of each handle ({@link AuthRole#NONE} when it needs none)
 * @param flags a combination of the {@code NV}, {@code EXTENSIVE}, ... bits below
 * @param handler the command's handler
 */
public record CommandSpec(TpmCc cc, HandleKind[] handles, AuthRole[] roles, int flags, CommandHandler<?> handler) {
    /** The command may change NV (TPMA_CC.nv). */
    public static final int NV = 1;
    /** The command may flush many objects (TPMA_CC.extensive). */
    public static final int EXTENSIVE = 1 << 1;
    /** The command flushes its sequence or object handle when it succeeds (TPMA_CC.flushed). */
    public static final int FLUSHED = 1 << 2;
    /** The response has a handle (TPMA_CC.rHandle). */
    public static final int R_HANDLE = 1 << 3;
    /** The first command parameter is a TPM2B and may be encrypted by a session. */
    public static final int DECRYPT = 1 << 4;
    /** The first response parameter is a TPM2B and may be encrypted by a session. */
    public static final int ENCRYPT = 1 << 5;
    /** The command takes no sessions at all (TPM_ST_SESSIONS is TPM_RC_AUTH_CONTEXT). */
    public static final int NO_SESSIONS = 1 << 6;

    public CommandSpec {
        if (handles.length != roles.length) {
            throw new IllegalArgumentException(cc + ": one role per handle");
        }
    }

    public boolean has(int flag) {
        return (flags & flag) != 0;
    }

    public int handleCount() {
        return handles.length;
    }

    /** True if any handle needs authorization. */
    public boolean needsAuthorization() {
        return Arrays.stream(roles).anyMatch(r -> r != AuthRole.NONE);
    }

    /** The TPMA_CC value of this command (Part 2, 8.9). */
    public int tpmaCc() {
        int a = cc.code() & 0xFFFF;
        if (has(NV)) {
            a |= 1 << 22;
        }
        if (has(EXTENSIVE)) {
            a |= 1 << 23;
        }
        if (has(FLUSHED)) {
            a |= 1 << 24;
        }
        a |= (handles.length & 7) << 25;
        if (has(R_HANDLE)) {
            a |= 1 << 28;
        }
        return a;
    }
}
