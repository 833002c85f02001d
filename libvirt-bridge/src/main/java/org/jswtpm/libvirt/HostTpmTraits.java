package org.jswtpm.libvirt;

import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The vTPM traits a host offers, and whether it can serve a resolved {@link VtpmRequest}: the request
 * needs its version trait, its model trait and its secret-security trait, as Nova's scheduler requires
 * them ({@code nova.scheduler.utils} {@code _translate_vtpm_request}, {@code request_filter}
 * {@code tpm_secret_security_filter}).
 */
public final class HostTpmTraits {
    private final Set<TpmTrait> offered;

    private HostTpmTraits(Set<TpmTrait> offered) {
        this.offered = Collections.unmodifiableSet(EnumSet.copyOf(offered));
    }

    /** A host offering exactly {@code traits}. */
    public static HostTpmTraits of(Set<TpmTrait> traits) {
        return new HostTpmTraits(traits.isEmpty() ? EnumSet.noneOf(TpmTrait.class) : traits);
    }

    /**
     * A host whose vTPMs are jswtpm: TPM 2.0 only (never {@code COMPUTE_SECURITY_TPM_1_2}), both
     * {@code tpm-tis} and {@code tpm-crb} (QEMU's devices; jswtpm serves either), and the secret-security
     * modes the operator enables ({@code [libvirt] supported_tpm_secret_security} in Nova, which defaults
     * to all three).
     */
    public static HostTpmTraits jswtpm(Set<SecretSecurity> supportedSecretSecurity) {
        Set<TpmTrait> traits = EnumSet.of(TpmTrait.COMPUTE_SECURITY_TPM_2_0, TpmTrait.COMPUTE_SECURITY_TPM_TIS,
                TpmTrait.COMPUTE_SECURITY_TPM_CRB);
        for (SecretSecurity s : supportedSecretSecurity) {
            traits.add(TpmTrait.of(s));
        }
        return new HostTpmTraits(traits);
    }

    /** {@link #jswtpm(Set)} with every secret-security mode. */
    public static HostTpmTraits jswtpm() {
        return jswtpm(EnumSet.allOf(SecretSecurity.class));
    }

    public Set<TpmTrait> offered() {
        return offered;
    }

    /** The traits {@code request} needs, in the order version, model, secret security. */
    public static List<TpmTrait> required(VtpmRequest request) {
        return List.of(TpmTrait.of(request.version()), TpmTrait.of(request.model()),
                TpmTrait.of(request.secretSecurity()));
    }

    /** The traits {@code request} needs that this host does not offer; empty when it can serve it. */
    public List<TpmTrait> missing(VtpmRequest request) {
        Objects.requireNonNull(request, "request");
        return required(request).stream().filter(t -> !offered.contains(t)).toList();
    }

    /**
     * Checks that this host can serve {@code request}.
     *
     * @throws UnsupportedVtpmException naming the missing traits (for a 1.2 request on jswtpm:
     *     {@code COMPUTE_SECURITY_TPM_1_2}, jswtpm implements TPM 2.0 only)
     */
    public void check(VtpmRequest request) {
        List<TpmTrait> missing = missing(request);
        if (!missing.isEmpty()) {
            throw new UnsupportedVtpmException(request, missing);
        }
    }
}
