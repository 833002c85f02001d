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
    private final java.util.List<byte[]> sessions = new java.util.ArrayList<>();

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

    /** Adds one TPMS_AUTH_COMMAND as given (any session handle, nonce, attributes and HMAC). */
    public Command auth(int handle, byte[] nonce, int attributes, byte[] hmac) {
        TpmWriter w = new TpmWriter();
        w.u32(handle).tpm2b(nonce).u8(attributes).tpm2b(hmac);
        sessions.add(w.toByteArray());
        return this;
    }

    /** Removes the sessions added with {@link #auth}. */
    public Command clearAuth() {
        sessions.clear();
        return this;
    }

    public TpmCc cc() {
        return cc;
    }

    /** The parameter area as it would be sent. */
    public byte[] parameters() {
        return params.toByteArray();
    }

    /** Replaces the parameter area (for example with its first parameter encrypted). */
    public Command parameters(byte[] p) {
        params.reset();
        params.bytes(p);
        return this;
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
        boolean withSessions = passwords != null || !sessions.isEmpty();
        w.u16(withSessions ? TpmSt.SESSIONS : TpmSt.NO_SESSIONS).u32(0).u32(cc.code());
        w.bytes(handles.toByteArray());
        if (withSessions) {
            int at = w.startSized32();
            if (passwords != null) {
                for (byte[] pw : passwords) {
                    w.u32(TpmRh.PW).u16(0).u8(0).tpm2b(pw);
                }
            }
            for (byte[] s : sessions) {
                w.bytes(s);
            }
            w.endSized32(at);
        }
        w.bytes(params.toByteArray());
        w.putU32(2, w.length());
        return w.toByteArray();
    }
}
