package org.jswtpm.core.crypto;

import java.security.GeneralSecurityException;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.jswtpm.core.types.TpmAlg;

/**
 * A symmetric block cipher in CFB mode with full-block feedback, as TPM 2.0 uses it to protect object
 * sensitive areas, duplication blobs and credentials (TCG TPM 2.0 Part 1, 11.4.6.3; the reference's
 * ProduceOuterWrap): AES (CFB-128), Camellia (CFB-128) or TDES (CFB-64), whichever the protector's
 * symmetric definition names. One instance keeps its JDK ciphers warm; not thread safe.
 */
public final class SymCfb {
    private Cipher aes;
    private Cipher tdes;

    /** Encrypts {@code data} with {@code key} of {@code alg} (a TPM_ALG_ID); {@code iv} null means all zero. */
    public byte[] encrypt(int alg, byte[] key, byte[] iv, byte[] data) {
        return run(alg, Cipher.ENCRYPT_MODE, key, iv, data);
    }

    public byte[] decrypt(int alg, byte[] key, byte[] iv, byte[] data) {
        return run(alg, Cipher.DECRYPT_MODE, key, iv, data);
    }

    /** The IV size (the block size) of {@code alg}. */
    public static int ivSize(int alg) {
        return SymCiphers.blockSize(alg);
    }

    private byte[] run(int alg, int mode, byte[] key, byte[] iv, byte[] data) {
        byte[] v = iv == null ? new byte[SymCiphers.blockSize(alg)] : iv;
        if (alg == TpmAlg.CAMELLIA.id()) {
            return SymModes.crypt(new Camellia(key), TpmAlg.CFB.id(), mode == Cipher.DECRYPT_MODE, v.clone(), data);
        }
        try {
            Cipher c;
            SecretKeySpec spec;
            if (alg == TpmAlg.TDES.id()) {
                c = tdes == null ? tdes = Cipher.getInstance("DESede/CFB/NoPadding") : tdes;
                spec = new SecretKeySpec(SymCiphers.tdesKey(key), "DESede");
            } else if (alg == TpmAlg.AES.id()) {
                c = aes == null ? aes = Cipher.getInstance("AES/CFB/NoPadding") : aes;
                spec = new SecretKeySpec(key, "AES");
            } else {
                throw new IllegalArgumentException("no CFB cipher 0x" + Integer.toHexString(alg));
            }
            c.init(mode, spec, new IvParameterSpec(v));
            return c.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
