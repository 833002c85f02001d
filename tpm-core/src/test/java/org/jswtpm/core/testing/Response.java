package org.jswtpm.core.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.jswtpm.core.TpmException;
import org.jswtpm.core.marshal.TpmReader;
import org.jswtpm.core.types.TpmRc;
import org.jswtpm.core.types.TpmSt;

/** Parses a raw TPM 2.0 response in tests: header checks, then a reader over the parameters. */
public final class Response {
    public final int tag;
    public final int size;
    public final int rc;
    public final byte[] bytes;

    public Response(byte[] bytes) {
        this.bytes = bytes;
        tag = ((bytes[0] & 0xFF) << 8) | (bytes[1] & 0xFF);
        size = ((bytes[2] & 0xFF) << 24) | ((bytes[3] & 0xFF) << 16) | ((bytes[4] & 0xFF) << 8) | (bytes[5] & 0xFF);
        rc = ((bytes[6] & 0xFF) << 24) | ((bytes[7] & 0xFF) << 16) | ((bytes[8] & 0xFF) << 8) | (bytes[9] & 0xFF);
        assertEquals(bytes.length, size, "response size field");
    }

    /** Asserts success and returns a reader over the handle area and parameters (parameterSize skipped). */
    public TpmReader ok() {
        assertEquals(0, rc, () -> "expected success, got " + TpmRc.of(rc));
        TpmReader r = new TpmReader(bytes, 10, bytes.length - 10);
        return r;
    }

    /** Reader over parameters of a TPM_ST_SESSIONS response with {@code handles} response handles. */
    public TpmReader okWithSessions(int handles) throws TpmException {
        TpmReader r = ok();
        assertEquals(TpmSt.SESSIONS, tag);
        r.skip(4 * handles);
        int paramSize = r.u32();
        return r.slice(paramSize);
    }

    public void assertRc(TpmRc expected) {
        assertEquals(expected.value(), rc, () -> "expected " + expected + " got " + TpmRc.of(rc));
        if (rc != 0) {
            assertEquals(10, bytes.length, "error responses have no body");
            assertEquals(TpmSt.NO_SESSIONS, tag);
        }
    }
}
