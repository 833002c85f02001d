package org.jswtpm.libvirt;

import java.util.Optional;

/** A vTPM's TPM family as Nova and libvirt spell it: {@code hw:tpm_version}, {@code <backend version=…>}. */
public enum TpmVersion {
    V1_2("1.2"),
    V2_0("2.0");

    private final String value;

    TpmVersion(String value) {
        this.value = value;
    }

    /** The spelling in extra specs, image properties and domain XML. */
    public String value() {
        return value;
    }

    /** The version spelled {@code value} exactly, if any. */
    public static Optional<TpmVersion> fromValue(String value) {
        for (TpmVersion v : values()) {
            if (v.value.equals(value)) {
                return Optional.of(v);
            }
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return value;
    }
}
