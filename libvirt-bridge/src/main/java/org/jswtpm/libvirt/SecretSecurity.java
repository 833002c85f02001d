package org.jswtpm.libvirt;

import java.util.Optional;

/**
 * Nova's TPM secret security mode ({@code hw:tpm_secret_security}): who owns the passphrase in the key
 * manager, and the attributes of the libvirt {@code vtpm} secret that holds it on the host.
 */
public enum SecretSecurity {
    /** Owned by the server's user; libvirt secret private and ephemeral; no live migration. Nova's default. */
    USER("user", true, true),
    /** Owned by the server's user; libvirt secret neither private nor ephemeral (readable, on disk). */
    HOST("host", false, false),
    /** Owned by Nova's service user; libvirt secret private and ephemeral. */
    DEPLOYMENT("deployment", true, true);

    private final String value;
    private final boolean privateSecret;
    private final boolean ephemeralSecret;

    SecretSecurity(String value, boolean privateSecret, boolean ephemeralSecret) {
        this.value = value;
        this.privateSecret = privateSecret;
        this.ephemeralSecret = ephemeralSecret;
    }

    /** The spelling in flavor extra specs. */
    public String value() {
        return value;
    }

    /** {@code <secret private='yes'>}: libvirt never reveals the value to its callers. */
    public boolean privateSecret() {
        return privateSecret;
    }

    /** {@code <secret ephemeral='yes'>}: libvirt keeps the secret in memory only. */
    public boolean ephemeralSecret() {
        return ephemeralSecret;
    }

    /** The mode spelled {@code value} exactly, if any. */
    public static Optional<SecretSecurity> fromValue(String value) {
        for (SecretSecurity s : values()) {
            if (s.value.equals(value)) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return value;
    }
}
