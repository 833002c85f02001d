package org.jswtpm.core.types;

import java.util.ArrayList;
import java.util.List;
import org.jswtpm.core.TpmException;
import org.jswtpm.core.crypto.HashAlg;
import org.jswtpm.core.marshal.TpmReader;
import org.jswtpm.core.marshal.TpmWriter;

/**
 * TPMT_HA (TCG TPM 2.0 Part 2, 10.3.2): a hash algorithm and a digest of exactly its size; and
 * TPML_DIGEST_VALUES (10.9.8) as a list of them.
 */
public record TaggedDigest(HashAlg hash, byte[] digest) {
    public static TaggedDigest read(TpmReader r) throws TpmException {
        HashAlg hash = HashAlg.of(r.u16());
        if (hash == null) {
            throw r.error(TpmRc.HASH);
        }
        return new TaggedDigest(hash, r.bytes(hash.digestSize()));
    }

    public void write(TpmWriter w) {
        w.u16(hash.id()).bytes(digest);
    }

    /** TPML_DIGEST_VALUES; more entries than implemented hashes is {@code TPM_RC_SIZE}. */
    public static List<TaggedDigest> readList(TpmReader r) throws TpmException {
        int count = r.u32();
        if (count < 0 || count > HashAlg.values().length) {
            throw r.error(TpmRc.SIZE);
        }
        List<TaggedDigest> list = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            list.add(read(r));
        }
        return list;
    }

    public static void writeList(TpmWriter w, List<TaggedDigest> list) {
        w.u32(list.size());
        for (TaggedDigest d : list) {
            d.write(w);
        }
    }
}
