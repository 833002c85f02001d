package org.jswtpm.core.crypto;

import java.security.MessageDigest;
import java.util.Arrays;

/**
 * {@link Cmac} as a running {@link MessageDigest}, so that a TPM2_MAC_Start sequence can use the machinery
 * of hash sequences (update, clone for TPM2_ContextSave, digest). The last block is held back until
 * {@link #digest()} because it is masked with a subkey.
 */
public final class CmacDigest extends MessageDigest implements Cloneable {
    private final int alg;
    private final byte[] key;
    private final int block;
    private byte[] x;
    private byte[] pending;
    private int pendingLength;
    private BlockCipher cipher;

    /** A CMAC with {@code key} of the block cipher {@code alg} (a TPM_ALG_ID). */
    public CmacDigest(int alg, byte[] key) {
        super("CMAC");
        this.alg = alg;
        this.key = key.clone();
        this.block = SymCiphers.blockSize(alg);
        if (block == 0) {
            throw new IllegalArgumentException("no block cipher 0x" + Integer.toHexString(alg));
        }
        x = new byte[block];
        pending = new byte[block];
    }

    private BlockCipher cipher() {
        if (cipher == null) {
            cipher = SymCiphers.of(alg, key);
        }
        return cipher;
    }

    private void absorb(byte[] b) {
        for (int i = 0; i < block; i++) {
            x[i] ^= b[i];
        }
        cipher().encryptBlock(x, 0, x, 0);
    }

    @Override
    protected void engineUpdate(byte input) {
        engineUpdate(new byte[] {input}, 0, 1);
    }

    @Override
    protected void engineUpdate(byte[] input, int offset, int len) {
        for (int i = 0; i < len; i++) {
            if (pendingLength == block) {
                absorb(pending);
                pending = new byte[block];
                pendingLength = 0;
            }
            pending[pendingLength++] = input[offset + i];
        }
    }

    @Override
    protected byte[] engineDigest() {
        byte[] last = Arrays.copyOf(pending, block);
        byte[] sub;
        if (pendingLength == block) {
            sub = Cmac.subkey(cipher(), 1);
        } else {
            last[pendingLength] = (byte) 0x80;
            sub = Cmac.subkey(cipher(), 2);
        }
        for (int i = 0; i < block; i++) {
            last[i] ^= sub[i];
        }
        absorb(last);
        byte[] out = x;
        engineReset();
        return out;
    }

    @Override
    protected void engineReset() {
        x = new byte[block];
        pending = new byte[block];
        pendingLength = 0;
    }

    @Override
    protected int engineGetDigestLength() {
        return block;
    }

    @Override
    public Object clone() throws CloneNotSupportedException {
        CmacDigest c = new CmacDigest(alg, key);
        c.x = x.clone();
        c.pending = pending.clone();
        c.pendingLength = pendingLength;
        return c;
    }
}
