package org.jswtpm.libvirt;

import java.util.Arrays;
import java.util.Objects;
import java.util.UUID;
import org.libvirt.Connect;
import org.libvirt.Error;
import org.libvirt.LibvirtException;
import org.libvirt.Secret;

/**
 * {@code vtpm} secrets in libvirt, through libvirt-java ({@code virSecretDefineXML},
 * {@code virSecretSetValue}, {@code virSecretUndefine}) on a connection the caller opened and closes,
 * e.g. {@code new Connect("qemu:///system")}. The value is handed to libvirt and overwritten here; it is
 * never logged nor put into an exception.
 */
public final class VtpmSecrets {
    private final Connect connection;

    public VtpmSecrets(Connect connection) {
        this.connection = Objects.requireNonNull(connection, "connection");
    }

    /**
     * Defines the secret {@code definition} and sets its value to {@code passphrase}. If setting the value
     * fails, a definition this call created is undefined again before the exception propagates (one that
     * existed before, with the same UUID, is left as libvirt now has it).
     *
     * @return the secret's UUID
     * @throws LibvirtException from libvirt (e.g. a {@code vtpm} secret with the same usage name but
     *     another UUID exists)
     */
    public UUID define(VtpmSecretDefinition definition, VtpmPassphrase passphrase) throws LibvirtException {
        Objects.requireNonNull(passphrase, "passphrase");
        boolean existed = exists(definition.uuid());
        Secret secret = connection.secretDefineXML(definition.toXml());
        try {
            byte[] value = passphrase.bytes();
            try {
                secret.setValue(value);
            } finally {
                Arrays.fill(value, (byte) 0);
            }
        } catch (LibvirtException | RuntimeException e) {
            if (!existed) {
                try {
                    secret.undefine();
                } catch (LibvirtException undefineFailed) {
                    e.addSuppressed(undefineFailed);
                }
            }
            throw e;
        } finally {
            secret.free();
        }
        return definition.uuid();
    }

    /** Whether a secret with {@code uuid} is defined. */
    public boolean exists(UUID uuid) throws LibvirtException {
        Secret secret = lookup(uuid);
        if (secret == null) {
            return false;
        }
        secret.free();
        return true;
    }

    /**
     * Undefines the secret {@code uuid}.
     *
     * @return false when no such secret was defined
     */
    public boolean undefine(UUID uuid) throws LibvirtException {
        Secret secret = lookup(uuid);
        if (secret == null) {
            return false;
        }
        try {
            secret.undefine();
        } finally {
            secret.free();
        }
        return true;
    }

    private Secret lookup(UUID uuid) throws LibvirtException {
        try {
            return connection.secretLookupByUUIDString(uuid.toString());
        } catch (LibvirtException e) {
            if (e.getError() != null && e.getError().getCode() == Error.ErrorNumber.VIR_ERR_NO_SECRET) {
                return null;
            }
            throw e;
        }
    }
}
