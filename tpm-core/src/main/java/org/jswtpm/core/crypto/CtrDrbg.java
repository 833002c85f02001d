package org.jswtpm.core.crypto;

import java.security.GeneralSecurityException;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;

/**
 * CTR_DRBG with AES-256 and no derivation function (NIST SP 800-90A Rev. 1, 10.2.1), the generator the
 * TPM 2.0 reference design uses for every random value it produces. One instance per TPM; not thread
 * safe. Seeded from the platform, or from a fixed seed when a test wants byte-identical runs.
 *
 * <p>A generate request encrypts the counter blocks V+1, V+2, ... under the current key; the update
 * that ends it (CTR_DRBG_Update) encrypts the next three counter blocks under the same key before the
 * key changes. Both are therefore one ECB encryption of consecutive counter blocks, done here in as few
 * {@link Cipher} calls as possible (one for a request of up to 256 bytes), into buffers kept between
 * calls and cleared after use. The only per-request key set-up is the one SP 800-90A requires: the new
 * key from the update.
 */
public final class CtrDrbg {
    /** Seed length: key length (32) plus block length (16). */
    public static final int SEED_LENGTH = 48;
    private static final int BLOCK = 16;
    private static final int SEED_BLOCKS = SEED_LENGTH / BLOCK;
    /** Output blocks per cipher call; the buffers hold these plus the update's three. */
    private static final int CHUNK_BLOCKS = 16;

    private final byte[] key = new byte[32];
    private final byte[] v = new byte[BLOCK];
    /** Counter blocks to encrypt, and their encryption. */
    private final byte[] counters = new byte[(CHUNK_BLOCKS + SEED_BLOCKS) * BLOCK];
    private final byte[] stream = new byte[(CHUNK_BLOCKS + SEED_BLOCKS) * BLOCK];
    private Cipher aes;

    /** Instantiates with {@code seed} of any length, condensed to the seed length with SHA-384. */
    public CtrDrbg(byte[] seed) {
        update(condense(seed));
    }

    private static byte[] condense(byte[] material) {
        return material.length == SEED_LENGTH ? material.clone() : HashAlg.SHA384.digest(material);
    }

    /** Mixes {@code additionalInput} into the state (reseed without new entropy; TPM2_StirRandom). */
    public void reseed(byte[] additionalInput) {
        update(condense(additionalInput));
    }

    /** Fills {@code out} with random bytes. */
    public void generate(byte[] out) {
        generate(out, 0, out.length);
    }

    public void generate(byte[] out, int off, int len) {
        int done = 0;
        while (true) {
            int n = Math.min(len - done, CHUNK_BLOCKS * BLOCK);
            int blocks = (n + BLOCK - 1) / BLOCK;
            boolean last = done + n == len;
            // the last chunk also yields the update's three blocks (same key, the counter continues)
            encryptCounters(blocks + (last ? SEED_BLOCKS : 0));
            System.arraycopy(stream, 0, out, off + done, n);
            done += n;
            if (last) {
                newState(blocks * BLOCK, null);
                return;
            }
        }
    }

    /** Convenience: {@code n} fresh random bytes. */
    public byte[] generate(int n) {
        byte[] out = new byte[n];
        generate(out);
        return out;
    }

    /** CTR_DRBG_Update (10.2.1.2) with {@code providedData} of the seed length. */
    private void update(byte[] providedData) {
        encryptCounters(SEED_BLOCKS);
        newState(0, providedData);
    }

    /**
     * The end of CTR_DRBG_Update: {@code stream[at, at + 48)}, XORed with {@code providedData} unless
     * null, becomes Key || V; then the buffers are cleared and the cipher takes the new key.
     */
    private void newState(int at, byte[] providedData) {
        for (int i = 0; i < 32; i++) {
            key[i] = (byte) (stream[at + i] ^ (providedData == null ? 0 : providedData[i]));
        }
        for (int i = 0; i < BLOCK; i++) {
            v[i] = (byte) (stream[at + 32 + i] ^ (providedData == null ? 0 : providedData[32 + i]));
        }
        Arrays.fill(stream, (byte) 0);
        Arrays.fill(counters, (byte) 0);
        rekey();
    }

    private void rekey() {
        try {
            if (aes == null) {
                aes = Cipher.getInstance("AES/ECB/NoPadding");
            }
            aes.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES is unavailable in this JDK", e);
        }
    }

    /** Increments V {@code count} times, encrypting each value: {@code stream[0, 16 * count)}. */
    private void encryptCounters(int count) {
        if (aes == null) {
            rekey();
        }
        for (int i = 0; i < count; i++) {
            increment(v);
            System.arraycopy(v, 0, counters, i * BLOCK, BLOCK);
        }
        try {
            aes.doFinal(counters, 0, count * BLOCK, stream, 0);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void increment(byte[] counter) {
        for (int i = counter.length - 1; i >= 0; i--) {
            if (++counter[i] != 0) {
                return;
            }
        }
    }
}
