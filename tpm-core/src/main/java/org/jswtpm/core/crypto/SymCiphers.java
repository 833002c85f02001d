package org.jswtpm.core.crypto;

import java.security.GeneralSecurityException;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;
import org.jswtpm.core.types.TpmAlg;

/**
 * The symmetric block ciphers a TPMT_SYM_DEF(_OBJECT) may name, as libtpms 0.9 builds them: AES and TDES
 * from the JDK (the CPU intrinsics), Camellia from {@link Camellia}. A two-key (128-bit) TDES key K1 || K2
 * is used as K1 || K2 || K1, as libtpms stretches it for OpenSSL's DES-EDE3.
 */
public final class SymCiphers {
    private SymCiphers() {
    }

    /** The block size in bytes of {@code alg} (a TPM_ALG_ID), or 0 if it is no block cipher. */
    public static int blockSize(int alg) {
        if (alg == TpmAlg.AES.id() || alg == TpmAlg.CAMELLIA.id()) {
            return 16;
        }
        return alg == TpmAlg.TDES.id() ? 8 : 0;
    }

    /** A keyed block cipher for {@code alg}; the key must have one of its sizes. */
    public static BlockCipher of(int alg, byte[] key) {
        if (alg == TpmAlg.CAMELLIA.id()) {
            return new Camellia(key);
        }
        if (alg == TpmAlg.AES.id()) {
            return new JdkBlock("AES", key, 16);
        }
        if (alg == TpmAlg.TDES.id()) {
            return new JdkBlock("DESede", tdesKey(key), 8);
        }
        throw new IllegalArgumentException("no block cipher 0x" + Integer.toHexString(alg));
    }

    /** The 24-byte DES-EDE3 key of a 16- or 24-byte TDES key (K1 || K2 becomes K1 || K2 || K1). */
    public static byte[] tdesKey(byte[] key) {
        if (key.length == 24) {
            return key;
        }
        if (key.length != 16) {
            throw new IllegalArgumentException("TDES keys are 128 or 192 bits, not " + key.length * 8);
        }
        byte[] k = Arrays.copyOf(key, 24);
        System.arraycopy(key, 0, k, 16, 8);
        return k;
    }

    /** A JDK cipher in ECB mode without padding, one block at a time. */
    private static final class JdkBlock implements BlockCipher {
        private final String name;
        private final SecretKeySpec spec;
        private final int block;
        private final Cipher enc;
        private Cipher dec;

        JdkBlock(String name, byte[] key, int block) {
            this.name = name;
            this.block = block;
            spec = new SecretKeySpec(key, name);
            enc = cipher(Cipher.ENCRYPT_MODE);
        }

        private Cipher cipher(int mode) {
            try {
                Cipher c = Cipher.getInstance(name + "/ECB/NoPadding");
                c.init(mode, spec);
                return c;
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(name + " is required", e);
            }
        }

        @Override
        public int blockSize() {
            return block;
        }

        @Override
        public void encryptBlock(byte[] in, int inOff, byte[] out, int outOff) {
            run(enc, in, inOff, out, outOff);
        }

        @Override
        public void decryptBlock(byte[] in, int inOff, byte[] out, int outOff) {
            if (dec == null) {
                dec = cipher(Cipher.DECRYPT_MODE);
            }
            run(dec, in, inOff, out, outOff);
        }

        private void run(Cipher c, byte[] in, int inOff, byte[] out, int outOff) {
            try {
                c.doFinal(in, inOff, block, out, outOff);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
