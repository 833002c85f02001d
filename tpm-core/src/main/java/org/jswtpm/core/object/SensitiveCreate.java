package org.jswtpm.core.object;

import org.jswtpm.core.TpmException;
import org.jswtpm.core.crypto.HashAlg;
import org.jswtpm.core.marshal.TpmReader;
import org.jswtpm.core.marshal.TpmWriter;
import org.jswtpm.core.types.TpmRc;

/**
 * TPMS_SENSITIVE_CREATE in its TPM2B_SENSITIVE_CREATE wrapper (TCG TPM 2.0 Part 2, 11.1.15-16): the
 * authValue the caller chooses for a new object, and the data to seal or the key to use.
 */
public record SensitiveCreate(byte[] userAuth, byte[] data) {
    /** Largest caller-provided data (TPM2B_SENSITIVE_DATA; MAX_SYM_DATA). */
    public static final int MAX_DATA = TpmtSensitive.MAX_SYM_DATA;

    public static SensitiveCreate read2b(TpmReader r) throws TpmException {
        int size = r.u16();
        if (size == 0) {
            throw r.error(TpmRc.SIZE);
        }
        TpmReader inner = r.slice(size);
        SensitiveCreate s = new SensitiveCreate(inner.tpm2b(HashAlg.MAX_DIGEST_SIZE), inner.tpm2b(MAX_DATA));
        if (inner.remaining() != 0) {
            throw r.error(TpmRc.SIZE);
        }
        return s;
    }

    public void write2b(TpmWriter w) {
        int at = w.startSized16();
        w.tpm2b(userAuth).tpm2b(data);
        w.endSized16(at);
    }
}
