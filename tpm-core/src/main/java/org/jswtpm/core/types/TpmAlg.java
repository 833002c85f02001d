package org.jswtpm.core.types;

/**
 * TPM 2.0 algorithm identifiers (TCG TPM 2.0 Part 2, 6.3 TPM_ALG_ID) with the TPMA_ALGORITHM class bits
 * each one has (Part 2, 8.2). Whether jswtpm implements an algorithm is decided by the engine's
 * algorithm registry, not here.
 */
public enum TpmAlg {
    RSA(0x0001, Attr.ASYMMETRIC | Attr.OBJECT),
    TDES(0x0003, Attr.SYMMETRIC),
    SHA1(0x0004, Attr.HASH),
    HMAC(0x0005, Attr.HASH | Attr.SIGNING),
    AES(0x0006, Attr.SYMMETRIC),
    MGF1(0x0007, Attr.HASH | Attr.METHOD),
    KEYEDHASH(0x0008, Attr.HASH | Attr.OBJECT | Attr.SIGNING | Attr.ENCRYPTING),
    XOR(0x000A, Attr.SYMMETRIC | Attr.HASH),
    SHA256(0x000B, Attr.HASH),
    SHA384(0x000C, Attr.HASH),
    SHA512(0x000D, Attr.HASH),
    NULL(0x0010, 0),
    SM3_256(0x0012, Attr.HASH),
    SM4(0x0013, Attr.SYMMETRIC),
    RSASSA(0x0014, Attr.ASYMMETRIC | Attr.SIGNING),
    RSAES(0x0015, Attr.ASYMMETRIC | Attr.ENCRYPTING),
    RSAPSS(0x0016, Attr.ASYMMETRIC | Attr.SIGNING),
    OAEP(0x0017, Attr.ASYMMETRIC | Attr.ENCRYPTING),
    ECDSA(0x0018, Attr.ASYMMETRIC | Attr.SIGNING),
    ECDH(0x0019, Attr.ASYMMETRIC | Attr.METHOD),
    ECDAA(0x001A, Attr.ASYMMETRIC | Attr.SIGNING),
    SM2(0x001B, Attr.ASYMMETRIC | Attr.SIGNING | Attr.METHOD),
    ECSCHNORR(0x001C, Attr.ASYMMETRIC | Attr.SIGNING),
    ECMQV(0x001D, Attr.ASYMMETRIC | Attr.METHOD),
    KDF1_SP800_56A(0x0020, Attr.HASH | Attr.METHOD),
    KDF2(0x0021, Attr.HASH | Attr.METHOD),
    KDF1_SP800_108(0x0022, Attr.HASH | Attr.METHOD),
    ECC(0x0023, Attr.ASYMMETRIC | Attr.OBJECT),
    SYMCIPHER(0x0025, Attr.OBJECT),
    CAMELLIA(0x0026, Attr.SYMMETRIC),
    SHA3_256(0x0027, Attr.HASH),
    SHA3_384(0x0028, Attr.HASH),
    SHA3_512(0x0029, Attr.HASH),
    CMAC(0x003F, Attr.SYMMETRIC | Attr.SIGNING),
    CTR(0x0040, Attr.SYMMETRIC | Attr.ENCRYPTING),
    OFB(0x0041, Attr.SYMMETRIC | Attr.ENCRYPTING),
    CBC(0x0042, Attr.SYMMETRIC | Attr.ENCRYPTING),
    CFB(0x0043, Attr.SYMMETRIC | Attr.ENCRYPTING),
    ECB(0x0044, Attr.SYMMETRIC | Attr.ENCRYPTING);

    /** TPMA_ALGORITHM bits (Part 2, 8.2). */
    public static final class Attr {
        public static final int ASYMMETRIC = 1;
        public static final int SYMMETRIC = 1 << 1;
        public static final int HASH = 1 << 2;
        public static final int OBJECT = 1 << 3;
        public static final int SIGNING = 1 << 8;
        public static final int ENCRYPTING = 1 << 9;
        public static final int METHOD = 1 << 10;

        private Attr() {
        }
    }

    private static final TpmAlg[] BY_ID = new TpmAlg[0x45];

    static {
        for (TpmAlg a : values()) {
            BY_ID[a.id] = a;
        }
    }

    private final int id;
    private final int attributes;

    TpmAlg(int id, int attributes) {
        this.id = id;
        this.attributes = attributes;
    }

    /** The wire value (TPM_ALG_ID). */
    public int id() {
        return id;
    }

    /** The TPMA_ALGORITHM bits that classify this algorithm. */
    public int attributes() {
        return attributes;
    }

    /** The algorithm with this identifier, or null. */
    public static TpmAlg of(int id) {
        return id >= 0 && id < BY_ID.length ? BY_ID[id] : null;
    }
}
