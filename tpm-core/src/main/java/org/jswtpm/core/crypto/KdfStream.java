package org.jswtpm.core.crypto;

import javax.crypto.Mac;

/**
 * The byte stream a derivation parent turns into a derived object's secrets (TCG TPM 2.0 Part 1, 26.3
 * "Derived objects"; the reference implementation's KDF random state): the concatenated blocks of
 * KDFa(hash, seed, label, context, -, limit) for counter 1, 2, ..., consumed in order. The label gets
 * its terminating zero octet when it lacks one, as in KDFa. Asking past {@code limit} bits fails.
 */
public final class KdfStream {
    /** TPM_MAX_DERIVATION_BITS. */
    public static final int MAX_DERIVATION_BITS = 8192;

    private final HashAlg hash;
    private final byte[] seed;
    private final byte[] label;
    private final byte[] context;
    private final int limitBits;
    private byte[] block = new byte[0];
    private int used;
    private int counter;

    public KdfStream(HashAlg hash, byte[] seed, byte[] label, byte[] context, int limitBits) {
        this.hash = hash;
        this.seed = seed.clone();
        this.label = terminated(label);
        this.context = context.clone();
        this.limitBits = limitBits;
    }

    private static byte[] terminated(byte[] label) {
        if (label.length > 0 && label[label.length - 1] == 0) {
            return label.clone();
        }
        return java.util.Arrays.copyOf(label, label.length + 1);
    }

    /** The next {@code n} bytes; IllegalStateException past the limit. */
    public byte[] next(int n) {
        byte[] out = new byte[n];
        int done = 0;
        while (done < n) {
            if (used == block.length) {
                if ((long) (counter + 1) * hash.digestSize() * 8 > limitBits) {
                    throw new IllegalStateException("derivation limit reached");
                }
                block = block(++counter);
                used = 0;
            }
            int k = Math.min(n - done, block.length - used);
            System.arraycopy(block, used, out, done, k);
            used += k;
            done += k;
        }
        return out;
    }

    private byte[] block(int i) {
        Mac mac = Hmac.start(hash, seed);
        mac.update(new byte[] {(byte) (i >>> 24), (byte) (i >>> 16), (byte) (i >>> 8), (byte) i});
        mac.update(label);
        mac.update(context);
        mac.update(new byte[] {(byte) (limitBits >>> 24), (byte) (limitBits >>> 16), (byte) (limitBits >>> 8),
            (byte) limitBits});
        return mac.doFinal();
    }
}
