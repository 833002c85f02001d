package org.jswtpm.core.crypto;

/**
 * One keyed block cipher: the single-block primitive that the TPM's symmetric modes, CMAC and
 * parameter encryption are built on (the reference's TpmCryptSetSymKeyCall_t). Not thread safe.
 */
public interface BlockCipher {
    /** The block size in bytes (16 for AES and Camellia, 8 for TDES). */
    int blockSize();

    /** Encrypts one block of {@code in} at {@code inOff} into {@code out} at {@code outOff} (may overlap). */
    void encryptBlock(byte[] in, int inOff, byte[] out, int outOff);

    /** Decrypts one block of {@code in} at {@code inOff} into {@code out} at {@code outOff} (may overlap). */
    void decryptBlock(byte[] in, int inOff, byte[] out, int outOff);
}
