package org.jswtpm.core.types;

import java.util.ArrayList;
import java.util.List;
import org.jswtpm.core.TpmException;
import org.jswtpm.core.crypto.HashAlg;
import org.jswtpm.core.marshal.TpmReader;
import org.jswtpm.core.marshal.TpmWriter;
import org.jswtpm.core.state.PcrAttributes;

/**
 * TPMS_PCR_SELECTION (TCG TPM 2.0 Part 2, 10.6.2): a hash algorithm and a bitmap of PCRs; and
 * TPML_PCR_SELECTION (10.9.7) as a list of them.
 *
 * @param hash the bank's hash
 * @param select the bitmap, {@code sizeofSelect} bytes, bit {@code n % 8} of byte {@code n / 8} = PCR n
 */
public record PcrSelection(HashAlg hash, byte[] select) {
    public boolean isSelected(int pcr) {
        int i = pcr / 8;
        return i < select.length && (select[i] & (1 << (pcr % 8))) != 0;
    }

    public static PcrSelection read(TpmReader r) throws TpmException {
        HashAlg hash = HashAlg.of(r.u16());
        if (hash == null) {
            throw r.error(TpmRc.HASH);
        }
        int size = r.u8();
        if (size < PcrAttributes.SELECT_SIZE || size > PcrAttributes.SELECT_SIZE) {
            throw r.error(TpmRc.VALUE);
        }
        return new PcrSelection(hash, r.bytes(size));
    }

    public void write(TpmWriter w) {
        w.u16(hash.id()).u8(select.length).bytes(select);
    }

    /** TPML_PCR_SELECTION; more entries than implemented hashes is {@code TPM_RC_SIZE}. */
    public static List<PcrSelection> readList(TpmReader r) throws TpmException {
        int count = r.u32();
        if (count < 0 || count > HashAlg.values().length) {
            throw r.error(TpmRc.SIZE);
        }
        List<PcrSelection> list = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            list.add(read(r));
        }
        return list;
    }

    public static void writeList(TpmWriter w, List<PcrSelection> list) {
        w.u32(list.size());
        for (PcrSelection s : list) {
            s.write(w);
        }
    }
}
