package org.jswtpm.libvirt;

import java.util.List;

/** A valid vTPM request this host cannot serve: it lacks one or more of the traits the request needs. */
public final class UnsupportedVtpmException extends RuntimeException {
    private final transient VtpmRequest request;
    private final List<TpmTrait> missing;

    UnsupportedVtpmException(VtpmRequest request, List<TpmTrait> missing) {
        super("this host cannot serve a vTPM of version " + request.version() + ", model " + request.model()
                + ", secret security " + request.secretSecurity() + ": it does not offer " + missing
                + (missing.contains(TpmTrait.COMPUTE_SECURITY_TPM_1_2)
                        ? " (jswtpm implements TPM 2.0 only)" : ""));
        this.request = request;
        this.missing = List.copyOf(missing);
    }

    public VtpmRequest request() {
        return request;
    }

    public List<TpmTrait> missing() {
        return missing;
    }
}
