package org.jswtpm.libvirt;

/**
 * The os-traits names a Nova compute host reports for its vTPM support, and which one a request needs
 * (as Nova's scheduler requires them).
 */
public enum TpmTrait {
    COMPUTE_SECURITY_TPM_1_2,
    COMPUTE_SECURITY_TPM_2_0,
    COMPUTE_SECURITY_TPM_TIS,
    COMPUTE_SECURITY_TPM_CRB,
    COMPUTE_SECURITY_TPM_SECRET_SECURITY_USER,
    COMPUTE_SECURITY_TPM_SECRET_SECURITY_HOST,
    COMPUTE_SECURITY_TPM_SECRET_SECURITY_DEPLOYMENT;

    /** The trait a request of {@code version} needs. */
    public static TpmTrait of(TpmVersion version) {
        return version == TpmVersion.V2_0 ? COMPUTE_SECURITY_TPM_2_0 : COMPUTE_SECURITY_TPM_1_2;
    }

    /** The trait a request of {@code model} needs. */
    public static TpmTrait of(TpmModel model) {
        return model == TpmModel.CRB ? COMPUTE_SECURITY_TPM_CRB : COMPUTE_SECURITY_TPM_TIS;
    }

    /** The trait a request of {@code security} needs. */
    public static TpmTrait of(SecretSecurity security) {
        return switch (security) {
            case USER -> COMPUTE_SECURITY_TPM_SECRET_SECURITY_USER;
            case HOST -> COMPUTE_SECURITY_TPM_SECRET_SECURITY_HOST;
            case DEPLOYMENT -> COMPUTE_SECURITY_TPM_SECRET_SECURITY_DEPLOYMENT;
        };
    }
}
