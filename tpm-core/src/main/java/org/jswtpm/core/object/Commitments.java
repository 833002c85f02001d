package org.jswtpm.core.object;

import java.math.BigInteger;
import java.util.BitSet;
import org.jswtpm.core.crypto.CtrDrbg;
import org.jswtpm.core.crypto.EccCurve;
import org.jswtpm.core.crypto.HashAlg;
import org.jswtpm.core.crypto.Kdf;

/**
 * The TPM's commit state for two-phase ECC operations (TCG TPM 2.0 Part 1, C.2 and Part 3, 19.2, 19.3,
 * 14.7): a secret commitNonce, a 64-bit commit counter and an array of bits, one per recent counter
 * value, set when a commitment is made and cleared when it is used, so that each ephemeral value r
 * serves once. r is not stored: r = KDFa(SHA-256, commitNonce, "ECDAA Commit", name, count, |n|) (the
 * reference's CryptGenerateR), drawn again until it lies in [1, n-1]. A TPM Reset starts over with a new
 * nonce (as the reference's state-reset data); the state is not saved, so a TPM in a new process also
 * starts over: outstanding counters no longer work.
 */
public final class Commitments {
    /** Bits of the commit array; the low bits of the counter index it (TPM_PT_SPLIT_MAX). */
    public static final int SLOTS = 128;
    static final int MASK = SLOTS - 1;
    private static final String COMMIT = "ECDAA Commit";

    private byte[] nonce;
    private long counter;
    private final BitSet array = new BitSet(SLOTS);

    /**
     * The ephemeral scalar for the current counter (commit phase, {@code c} null) or for the counter value
     * {@code c} returned by an earlier commitment (use phase); null if {@code c} is not an outstanding
     * commitment.
     */
    public BigInteger r(CtrDrbg drbg, EccCurve curve, byte[] name, Integer c) {
        if (nonce == null) {
            nonce = drbg.generate(32);
        }
        long count = counter;
        if (c != null) {
            int ci = c;
            if (!array.get(ci & MASK)) {
                return null;
            }
            if ((ci & MASK) >= (count & MASK)) {
                count -= MASK + 1;
            }
            if ((count & 0xFFFF & ~MASK) != (ci & ~MASK)) {
                return null;
            }
            count = (count & ~0xFFFFL) | ci;
        }
        byte[] context = new byte[12];
        for (int i = 0; i < 8; i++) {
            context[i] = (byte) (count >>> (56 - 8 * i));
        }
        for (int attempt = 0; ; attempt++) {
            context[8] = (byte) (attempt >>> 24);
            context[9] = (byte) (attempt >>> 16);
            context[10] = (byte) (attempt >>> 8);
            context[11] = (byte) attempt;
            BigInteger r = new BigInteger(1, Kdf.kdfa(HashAlg.SHA256, nonce, COMMIT, name, context,
                    curve.order().bitLength()));
            if (r.signum() > 0 && r.compareTo(curve.order()) < 0) {
                return r;
            }
        }
    }

    /** Records a commitment at the current counter and advances it; the counter value for the caller. */
    public int commit() {
        long old = counter++;
        array.set((int) (old & MASK));
        return (int) (old & 0xFFFF);
    }

    /** TPM Reset: a new nonce on first use, counter 0, no outstanding commitment. */
    public void reset() {
        nonce = null;
        counter = 0;
        array.clear();
    }

    /** Marks the commitment {@code c} used. */
    public void end(int c) {
        array.clear(c & MASK);
    }
}
