package org.jswtpm.core.crypto;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import org.jswtpm.core.types.TpmAlg;

/**
 * The hash algorithms the engine implements, with their digest and block sizes. A {@link MessageDigest}
 * is made by cloning a prototype created once, so no provider look-up happens per command.
 */
public enum HashAlg {
    SHA1(TpmAlg.SHA1, "SHA-1", "HmacSHA1", 20, 64),
    SHA256(TpmAlg.SHA256, "SHA-256", "HmacSHA256", 32, 64),
    SHA384(TpmAlg.SHA384, "SHA-384", "HmacSHA384", 48, 128),
    SHA512(TpmAlg.SHA512, "SHA-512", "HmacSHA512", 64, 128),
    SHA3_256(TpmAlg.SHA3_256, "SHA3-256", "HmacSHA3-256", 32, 136),
    SHA3_384(TpmAlg.SHA3_384, "SHA3-384", "HmacSHA3-384", 48, 104),
    SHA3_512(TpmAlg.SHA3_512, "SHA3-512", "HmacSHA3-512", 64, 72);

    /** The largest digest of any implemented hash (TPM_PT_MAX_DIGEST). */
    public static final int MAX_DIGEST_SIZE = 64;

    /** {@link #values()} without the copy it makes on every call. */
    private static final HashAlg[] VALUES = values();

    private final TpmAlg alg;
    private final String jdkName;
    private final String hmacName;
    private final int digestSize;
    private final int blockSize;
    private final MessageDigest prototype;

    HashAlg(TpmAlg alg, String jdkName, String hmacName, int digestSize, int blockSize) {
        this.alg = alg;
        this.jdkName = jdkName;
        this.hmacName = hmacName;
        this.digestSize = digestSize;
        this.blockSize = blockSize;
        MessageDigest md;
        try {
            md = MessageDigest.getInstance(jdkName);
        } catch (NoSuchAlgorithmException e) {
            md = null; // not offered by this JDK: reported as not implemented
        }
        this.prototype = md;
    }

    public TpmAlg alg() {
        return alg;
    }

    public int id() {
        return alg.id();
    }

    public int digestSize() {
        return digestSize;
    }

    public int blockSize() {
        return blockSize;
    }

    /** The JCA name of the HMAC over this hash. */
    public String hmacName() {
        return hmacName;
    }

    /** The JCA name of this hash. */
    public String jdkName() {
        return jdkName;
    }

    /** True if this JDK can compute this hash. */
    public boolean available() {
        return prototype != null;
    }

    /** A fresh digest, ready to use. */
    public MessageDigest newDigest() {
        try {
            return (MessageDigest) prototype.clone();
        } catch (CloneNotSupportedException e) {
            try {
                return MessageDigest.getInstance(jdkName);
            } catch (NoSuchAlgorithmException impossible) {
                throw new IllegalStateException(impossible);
            }
        }
    }

    /** The digest of {@code data}. */
    public byte[] digest(byte[] data) {
        return newDigest().digest(data);
    }

    /** The implemented hash with this TPM_ALG_ID, or null. */
    public static HashAlg of(int algId) {
        for (HashAlg h : VALUES) {
            if (h.alg.id() == algId && h.available()) {
                return h;
            }
        }
        return null;
    }
}
