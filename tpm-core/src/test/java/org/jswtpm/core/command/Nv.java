package org.jswtpm.core.command;

import org.jswtpm.core.marshal.TpmWriter;
import org.jswtpm.core.testing.Command;
import org.jswtpm.core.types.TpmAlg;
import org.jswtpm.core.types.TpmCc;
import org.jswtpm.core.types.TpmRh;
import org.jswtpm.core.types.TpmaNv;

/** Raw NV command builders for the NV tests (password sessions only). */
final class Nv {
    static final int INDEX = 0x01000010;
    static final int OWNER = TpmRh.OWNER;
    static final int PLATFORM = TpmRh.PLATFORM;
    static final byte[] NONE = new byte[0];
    /** Owner and auth read/write, an ordinary index. */
    static final int OWNER_RW = TpmaNv.OWNERWRITE | TpmaNv.OWNERREAD;
    static final int AUTH_RW = TpmaNv.AUTHWRITE | TpmaNv.AUTHREAD;

    private Nv() {
    }

    static int type(int nt) {
        return nt << TpmaNv.TPM_NT_SHIFT;
    }

    /** A TPM2B_NV_PUBLIC. */
    static byte[] publicArea(int index, TpmAlg nameAlg, int attributes, byte[] policy, int size) {
        TpmWriter w = new TpmWriter();
        int at = w.startSized16();
        w.u32(index).u16(nameAlg.id()).u32(attributes).tpm2b(policy).u16(size);
        w.endSized16(at);
        return w.toByteArray();
    }

    static Command define(int authHandle, byte[] auth, int index, int attributes, int size) {
        return define(authHandle, auth, publicArea(index, TpmAlg.SHA256, attributes, NONE, size));
    }

    static Command define(int authHandle, byte[] auth, byte[] publicArea) {
        return Command.of(TpmCc.NV_DefineSpace).handle(authHandle).emptyAuth().tpm2b(auth).bytes(publicArea);
    }

    static Command undefine(int authHandle, int index) {
        return Command.of(TpmCc.NV_UndefineSpace).handle(authHandle).handle(index).emptyAuth();
    }

    static Command readPublic(int index) {
        return Command.of(TpmCc.NV_ReadPublic).handle(index);
    }

    static Command write(int authHandle, int index, byte[] pw, byte[] data, int offset) {
        return Command.of(TpmCc.NV_Write).handle(authHandle).handle(index).passwords(pw).tpm2b(data).u16(offset);
    }

    static Command read(int authHandle, int index, byte[] pw, int size, int offset) {
        return Command.of(TpmCc.NV_Read).handle(authHandle).handle(index).passwords(pw).u16(size).u16(offset);
    }

    static Command increment(int authHandle, int index, byte[] pw) {
        return Command.of(TpmCc.NV_Increment).handle(authHandle).handle(index).passwords(pw);
    }

    static Command extend(int authHandle, int index, byte[] pw, byte[] data) {
        return Command.of(TpmCc.NV_Extend).handle(authHandle).handle(index).passwords(pw).tpm2b(data);
    }

    static Command setBits(int authHandle, int index, byte[] pw, long bits) {
        return Command.of(TpmCc.NV_SetBits).handle(authHandle).handle(index).passwords(pw).u64(bits);
    }

    static Command writeLock(int authHandle, int index, byte[] pw) {
        return Command.of(TpmCc.NV_WriteLock).handle(authHandle).handle(index).passwords(pw);
    }

    static Command readLock(int authHandle, int index, byte[] pw) {
        return Command.of(TpmCc.NV_ReadLock).handle(authHandle).handle(index).passwords(pw);
    }

    static Command globalWriteLock(int authHandle) {
        return Command.of(TpmCc.NV_GlobalWriteLock).handle(authHandle).emptyAuth();
    }

    static byte[] u64(long v) {
        return new TpmWriter().u64(v).toByteArray();
    }
}
