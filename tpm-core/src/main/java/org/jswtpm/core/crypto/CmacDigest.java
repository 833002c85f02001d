package org.jswtpm.core.crypto;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES-CMAC as a running {@link MessageDigest}, so that a TPM2_MAC_Start sequence can use the machinery
 * of hash sequences (update, clone for TPM2_ContextSave, digest). The last block is held back until
 * {@link #digest()} because it is masked with a subkey.
 */
public final class CmacDigest extends MessageDigest implements Cloneable {
    private static final int BLOCK = 16;
    private final byte[] key;
    private byte[] x = new byte[BLOCK];
    private byte[] pending = new byte[BLOCK];
    private int pendingLength;
    private Cipher aes;

    public CmacDigest(byte[] key) {
        super("AES-CMAC");
        this.key = key.clone();
    }

    private Cipher aes() {
        if (aes == null) {
            try {
                aes = Cipher.getInstance("AES/ECB/NoPadding");
                aes.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"));
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("AES is required", e);
            }
        }
        return aes;
    }

    private void absorb(byte[] block) {
        for (int i = 0; i < BLOCK; i++) {
            x[i] ^= block[i];
        }
        try {
            x = aes().doFinal(x);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    protected void engineUpdate(byte input) {
        engineUpdate(new byte[] {input}, 0, 1);
    }

    @Override
    protected void engineUpdate(byte[] input, int offset, int len) {
        for (int i = 0; i < len; i++) {
            if (pendingLength == BLOCK) {
                absorb(pending);
                pending = new byte[BLOCK];
                pendingLength = 0;
            }
            pending[pendingLength++] = input[offset + i];
        }
    }

    @Override
    protected byte[] engineDigest() {
        byte[] last = java.util.Arrays.copyOf(pending, BLOCK);
        byte[] k1 = Cmac.subkey(aes(), 1);
        byte[] k2 = Cmac.subkey(aes(), 2);
        if (pendingLength == BLOCK) {
            for (int i = 0; i < BLOCK; i++) {
                last[i] ^= k1[i];
            }
        } else {
            last[pendingLength] = (byte) 0x80;
            for (int i = 0; i < BLOCK; i++) {
                last[i] ^= k2[i];
            }
        }
        absorb(last);
        byte[] out = x;
        engineReset();
        return out;
    }

    @Override
    protected void engineReset() {
        x = new byte[BLOCK];
        pending = new byte[BLOCK];
        pendingLength = 0;
    }

    @Override
    protected int engineGetDigestLength() {
        return BLOCK;
    }

    @Override
    public Object clone() throws CloneNotSupportedException {
        CmacDigest c = new CmacDigest(key);
        c.x = x.clone();
        c.pending = pending.clone();
        c.pendingLength = pendingLength;
        return c;
    }
}
