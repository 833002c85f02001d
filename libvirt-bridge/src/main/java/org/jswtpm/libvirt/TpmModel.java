package org.jswtpm.libvirt;

import java.util.Optional;

/** The device model the guest sees: {@code hw:tpm_model}, {@code <tpm model=…>}. */
public enum TpmModel {
    /** TPM Interface Specification FIFO; Nova's default. */
    TIS("tpm-tis"),
    /** Command Response Buffer; TPM 2.0 only. */
    CRB("tpm-crb");

    private final String value;

    TpmModel(String value) {
        this.value = value;
    }

    /** The spelling in extra specs, image properties and domain XML. */
    public String value() {
        return value;
    }

    /** The model spelled {@code value} exactly, if any. */
    public static Optional<TpmModel> fromValue(String value) {
        for (TpmModel m : values()) {
            if (m.value.equals(value)) {
                return Optional.of(m);
            }
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return value;
    }
}
