package org.jswtpm.core.crypto;

import java.security.MessageDigest;
import javax.crypto.Mac;

/**
 * The TPM's key derivation functions (TCG TPM 2.0 Part 1, 11.4.10): KDFa, the SP 800-108 counter-mode
 * KDF with HMAC, and KDFe, the SP 800-56A concatenation KDF. Labels are used with their terminating
 * zero octet, added here when the caller's label lacks one, as Part 1, 11.4.10.2 requires.
 */
public final class Kdf {
    private Kdf() {
    }

    /**
     * KDFa(hashAlg, key, label, contextU, contextV, bits): {@code bits / 8} bytes (rounded up, with the
     * excess high-order bits of the first byte cleared).
     */
    public static byte[] kdfa(HashAlg hash, byte[] key, String label, byte[] contextU, byte[] contextV, int bits) {
        byte[] labelBytes = terminated(label);
        int bytes = (bits + 7) / 8;
        byte[] out = new byte[bytes];
        Mac mac = Hmac.start(hash, key);
        int done = 0;
        for (int counter = 1; done < bytes; counter++) {
            mac.update(u32(counter));
            mac.update(labelBytes);
            update(mac, contextU);
            update(mac, contextV);
            mac.update(u32(bits));
            byte[] block = mac.doFinal();
            int n = Math.min(block.length, bytes - done);
            System.arraycopy(block, 0, out, done, n);
            done += n;
        }
        clearExcessBits(out, bits);
        return out;
    }

    /** KDFe(hashAlg, Z, label, partyUInfo, partyVInfo, bits). */
    public static byte[] kdfe(HashAlg hash, byte[] z, String label, byte[] partyU, byte[] partyV, int bits) {
        byte[] labelBytes = terminated(label);
        int bytes = (bits + 7) / 8;
        byte[] out = new byte[bytes];
        MessageDigest md = hash.newDigest();
        int done = 0;
        for (int counter = 1; done < bytes; counter++) {
            md.update(u32(counter));
            md.update(z);
            md.update(labelBytes);
            if (partyU != null) {
                md.update(partyU);
            }
            if (partyV != null) {
                md.update(partyV);
            }
            byte[] block = md.digest();
            int n = Math.min(block.length, bytes - done);
            System.arraycopy(block, 0, out, done, n);
            done += n;
        }
        clearExcessBits(out, bits);
        return out;
    }

    private static void update(Mac mac, byte[] b) {
        if (b != null) {
            mac.update(b);
        }
    }

    private static void clearExcessBits(byte[] out, int bits) {
        if (bits % 8 != 0 && out.length > 0) {
            out[0] &= (byte) ((1 << (bits % 8)) - 1);
        }
    }

    private static byte[] terminated(String label) {
        byte[] b = label.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        if (b.length > 0 && b[b.length - 1] == 0) {
            return b;
        }
        byte[] t = new byte[b.length + 1];
        System.arraycopy(b, 0, t, 0, b.length);
        return t;
    }

    private static byte[] u32(int v) {
        return new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v};
    }
}
