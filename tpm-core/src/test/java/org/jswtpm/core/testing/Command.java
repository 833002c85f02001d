package org.jswtpm.core.testing;

import org.jswtpm.core.marshal.TpmWriter;
import org.jswtpm.core.types.TpmCc;
import org.jswtpm.core.types.TpmRh;
import org.jswtpm.core.types.TpmSt;

/**
 * Builds raw TPM 2.0 command bytes for tests, independently of the engine's own code paths: a header,
 * handles, an optional password authorization area, parameters.
 */
public final class Command {
    private final TpmWriter handles = new TpmWriter();
    private final TpmWriter params = new TpmWriter();
    private final TpmCc cc;
    private byte[][] passwords;

    private Command(TpmCc cc) {
        this.cc = cc;
    }

    public static Command of(TpmCc cc) {
        return new Command(cc);
    }

    public Command handle(int h) {
        handles.u32(h);
        return this;
    }

    /** Adds a TPM_RS_PW session per password (one per handle that needs authorization). */
    public Command passwords(byte[]... pw) {
        passwords = pw;
        return this;
    }

    /** One empty password session. */
    public Command emptyAuth() {
        return passwords(new byte[0]);
    }

    public Command u8(int v) {
        params.u8(v);
        return this;
    }

    public Command u16(int v) {
        params.u16(v);
        return this;
    }

    public Command u32(int v) {
        params.u32(v);
        return this;
    }

    public Command u64(long v) {
        params.u64(v);
        return this;
    }

    public Command tpm2b(byte[] b) {
        params.tpm2b(b);
        return this;
    }

    public Command bytes(byte[] b) {
        params.bytes(b);
        return this;
    }

    public byte[] build() {
        TpmWriter w = new TpmWriter();
        w.u16(passwords == null ? TpmSt.NO_SESSIONS : TpmSt.SESSIONS).u32(0).u32(cc.code());
        w.bytes(handles.toByteArray());
        if (passwords != null) {
            int at = w.startSized32();
            for (byte[] pw : passwords) {
                w.u32(TpmRh.PW).u16(0).u8(0).tpm2b(pw);
            }
            w.endSized32(at);
        }
        w.bytes(params.toByteArray());
        w.putU32(2, w.length());
        return w.toByteArray();
    }
}
