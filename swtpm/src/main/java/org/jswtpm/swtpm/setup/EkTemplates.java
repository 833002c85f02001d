package org.jswtpm.swtpm.setup;

import org.jswtpm.core.marshal.TpmWriter;

/**
 * The endorsement-key templates swtpm_setup uses for a TPM 2, after the TCG EK Credential Profile
 * (2.0, section 2.1.5): the RSA 2048 "L-1" template with policy A, the high-range RSA 3072 and
 * ECC NIST P-384 templates with policy B (SHA-384), and where each EK, its certificate and its template
 * live (fact sheet §6.2).
 */
public enum EkTemplates {
    /** RSA 2048, template L-1: SHA-256 name, PolicyA, AES-128-CFB, 256 zero bytes of unique. */
    RSA2048("rsa2048", "RSA 2048", 0x81010001, 0x01C00002, 0x01C00004),
    /** RSA 3072, template H-2: SHA-384 name, PolicyB, AES-256-CFB, userWithAuth, empty unique. */
    RSA3072("rsa3072", "RSA 3072", 0x8101001C, 0x01C0001C, 0x01C0001D),
    /** ECC NIST P-384, template H-3: SHA-384 name, PolicyB, AES-256-CFB, userWithAuth, empty unique. */
    ECC_NIST_P384("secp384r1", "ECC", 0x81010016, 0x01C00016, 0x01C00017);

    static final int ALG_RSA = 0x0001;
    static final int ALG_AES = 0x0006;
    static final int ALG_SHA256 = 0x000B;
    static final int ALG_SHA384 = 0x000C;
    static final int ALG_NULL = 0x0010;
    static final int ALG_ECC = 0x0023;
    static final int ALG_CFB = 0x0043;
    static final int CURVE_NIST_P384 = 0x0004;

    /** TPM2_PolicySecret(TPM_RH_ENDORSEMENT) with SHA-256: the EK profile's PolicyA. */
    static final byte[] POLICY_A_SHA256 = hex(
            "837197674484b3f81a90cc8d46a5d724fd52d76e06520b64f2a1da1b331469aa");
    /** PolicyOR of PolicyA and PolicyC with SHA-384: the EK profile's PolicyB for high-range keys. */
    static final byte[] POLICY_B_SHA384 = hex("b26e7d28d11a50bc53d882bcf5fd3a1a074148bb35d3b4e4cb1c0ad9bde419ca"
            + "cb47ba09699646150f9fc000f3f80e12");

    /** fixedTPM | fixedParent | sensitiveDataOrigin | adminWithPolicy. */
    static final int BASE_ATTRIBUTES = 0x000000B2;
    static final int USER_WITH_AUTH = 0x00000040;
    static final int RESTRICTED_DECRYPT = 0x00030000;
    static final int SIGN = 0x00040000;
    static final int DECRYPT = 0x00020000;

    private final String description;
    private final String keyType;
    private final int persistentHandle;
    private final int certIndex;
    private final int templateIndex;

    EkTemplates(String description, String keyType, int persistentHandle, int certIndex, int templateIndex) {
        this.description = description;
        this.keyType = keyType;
        this.persistentHandle = persistentHandle;
        this.certIndex = certIndex;
        this.templateIndex = templateIndex;
    }

    /** The RSA EK of {@code keySize} bits (2048 or 3072). */
    public static EkTemplates rsa(int keySize) {
        return switch (keySize) {
            case 2048 -> RSA2048;
            case 3072 -> RSA3072;
            default -> throw new IllegalArgumentException("Unsupported RSA key size " + keySize);
        };
    }

    /** The name swtpm_setup gives the key in file names ({@code ek-rsa2048.crt}). */
    public String description() {
        return description;
    }

    /** The key type in log messages. */
    public String keyType() {
        return keyType;
    }

    /** Where the EK is made persistent. */
    public int persistentHandle() {
        return persistentHandle;
    }

    /** The NV index of the EK certificate. */
    public int certIndex() {
        return certIndex;
    }

    /** The NV index of the EK template (written with {@code --allow-signing}). */
    public int templateIndex() {
        return templateIndex;
    }

    public boolean isEcc() {
        return this == ECC_NIST_P384;
    }

    /**
     * The object attributes: restricted decryption by default; {@code sign} (not restricted) with
     * {@code allowSigning}, plus {@code decrypt} when {@code decryption} is also given.
     */
    public int objectAttributes(boolean allowSigning, boolean decryption) {
        int attributes = BASE_ATTRIBUTES | (this == RSA2048 ? 0 : USER_WITH_AUTH);
        if (!allowSigning) {
            return attributes | RESTRICTED_DECRYPT;
        }
        return attributes | SIGN | (decryption ? DECRYPT : 0);
    }

    /** The TPMT_PUBLIC template (the bytes of the TPM2B_PUBLIC without its size). */
    public byte[] template(boolean allowSigning, boolean decryption) {
        TpmWriter w = new TpmWriter();
        boolean lowRange = this == RSA2048;
        w.u16(isEcc() ? ALG_ECC : ALG_RSA).u16(lowRange ? ALG_SHA256 : ALG_SHA384);
        w.u32(objectAttributes(allowSigning, decryption));
        w.tpm2b(lowRange ? POLICY_A_SHA256 : POLICY_B_SHA384);
        if (allowSigning) {
            w.u16(ALG_NULL);
        } else {
            w.u16(ALG_AES).u16(lowRange ? 128 : 256).u16(ALG_CFB);
        }
        w.u16(ALG_NULL); // scheme
        if (isEcc()) {
            w.u16(CURVE_NIST_P384).u16(ALG_NULL); // curve, kdf
            w.tpm2b(new byte[0]).tpm2b(new byte[0]); // unique x, y
        } else {
            w.u16(this == RSA2048 ? 2048 : 3072).u32(0); // keyBits, exponent (default 65537)
            w.tpm2b(lowRange ? new byte[256] : new byte[0]);
        }
        return w.toByteArray();
    }

    static byte[] hex(String s) {
        byte[] b = new byte[s.length() / 2];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) Integer.parseInt(s.substring(2 * i, 2 * i + 2), 16);
        }
        return b;
    }
}
