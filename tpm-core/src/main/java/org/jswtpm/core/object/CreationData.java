package org.jswtpm.core.object;

import java.util.List;
import org.jswtpm.core.TpmException;
import org.jswtpm.core.crypto.HashAlg;
import org.jswtpm.core.marshal.TpmReader;
import org.jswtpm.core.marshal.TpmWriter;
import org.jswtpm.core.types.PcrSelection;

/**
 * TPMS_CREATION_DATA (TCG TPM 2.0 Part 2, 15.1): what was true when an object was created. The
 * creation hash is the digest of this structure marshalled, with the object's nameAlg.
 */
public record CreationData(List<PcrSelection> pcrSelect, byte[] pcrDigest, int locality, int parentNameAlg,
        byte[] parentName, byte[] parentQualifiedName, byte[] outsideInfo) {

    public void write(TpmWriter w) {
        PcrSelection.writeList(w, pcrSelect);
        w.tpm2b(pcrDigest).u8(locality).u16(parentNameAlg).tpm2b(parentName).tpm2b(parentQualifiedName)
                .tpm2b(outsideInfo);
    }

    public static CreationData read(TpmReader r) throws TpmException {
        List<PcrSelection> sel = PcrSelection.readList(r);
        return new CreationData(sel, r.tpm2b(HashAlg.MAX_DIGEST_SIZE), r.u8(), r.u16(),
                r.tpm2b(HashAlg.MAX_DIGEST_SIZE + 2), r.tpm2b(HashAlg.MAX_DIGEST_SIZE + 2),
                r.tpm2b(HashAlg.MAX_DIGEST_SIZE));
    }

    public byte[] toBytes() {
        TpmWriter w = new TpmWriter(256);
        write(w);
        return w.toByteArray();
    }

    /** TPM2B_CREATION_DATA. */
    public void write2b(TpmWriter w) {
        int at = w.startSized16();
        write(w);
        w.endSized16(at);
    }
}
