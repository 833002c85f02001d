package org.jswtpm.core.crypto;

import java.security.GeneralSecurityException;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;

/**
 * CTR_DRBG with AES-256 and no derivation function (NIST SP 800-90A Rev. 1, 10.2.1), the generator the
 * TPM 2.0 reference design uses for every random value it produces. One instance per TPM; not thread
 * safe. Seeded from the platform, or from a fixed seed when a test wants byte-identical runs.
 */
public final class CtrDrbg {
    /** Seed length: key length (32) plus block length (16). */
    public static final int SEED_LENGTH = 48;
    private static final int BLOCK = 16;

    private final byte[] key = new byte[32];
    private final byte[] v = new byte[BLOCK];
    private final byte[] block = new byte[BLOCK];
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
        while (done < len) {
            increment(v);
            encrypt(v, block);
            int n = Math.min(BLOCK, len - done);
            System.arraycopy(block, 0, out, off + done, n);
            done += n;
        }
        update(null);
        Arrays.fill(block, (byte) 0);
    }

    /** Convenience: {@code n} fresh random bytes. */
    public byte[] generate(int n) {
        byte[] out = new byte[n];
        generate(out);
        return out;
    }

    private void update(byte[] providedData) {
        byte[] temp = new byte[SEED_LENGTH];
        for (int i = 0; i < SEED_LENGTH; i += BLOCK) {
            increment(v);
            encrypt(v, block);
            System.arraycopy(block, 0, temp, i, BLOCK);
        }
        if (providedData != null) {
            for (int i = 0; i < SEED_LENGTH; i++) {
                temp[i] ^= providedData[i];
            }
        }
        System.arraycopy(temp, 0, key, 0, 32);
        System.arraycopy(temp, 32, v, 0, BLOCK);
        Arrays.fill(temp, (byte) 0);
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

    private void encrypt(byte[] in, byte[] out) {
        if (aes == null) {
            rekey();
        }
        try {
            aes.doFinal(in, 0, BLOCK, out, 0);
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
