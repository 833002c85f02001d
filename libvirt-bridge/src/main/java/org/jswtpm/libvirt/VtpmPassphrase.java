package org.jswtpm.libvirt;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;

/**
 * A vTPM passphrase: the value of the {@code vtpm} secret, which libvirt hands to swtpm_setup and swtpm
 * ({@code --pwdfile-fd}, {@code --key pwdfd=…}). Generated as Nova does: 384 bytes from a strong random
 * source, Base64-encoded; the secret's value is that ASCII text (512 bytes).
 *
 * <p>The bytes never appear in {@link #toString()} or in exception messages; {@link #close()} overwrites
 * them.
 */
public final class VtpmPassphrase implements AutoCloseable {
    /** Random bytes before encoding, as Nova's {@code nova.crypto} uses. */
    public static final int RANDOM_BYTES = 384;

    private final byte[] value;
    private boolean closed;

    private VtpmPassphrase(byte[] value) {
        this.value = value;
    }

    /** A new passphrase from {@code random}. */
    public static VtpmPassphrase generate(SecureRandom random) {
        byte[] raw = new byte[RANDOM_BYTES];
        random.nextBytes(raw);
        byte[] encoded = Base64.getEncoder().encode(raw);
        Arrays.fill(raw, (byte) 0);
        return new VtpmPassphrase(encoded);
    }

    /** A new passphrase from a fresh {@link SecureRandom}. */
    public static VtpmPassphrase generate() {
        return generate(new SecureRandom());
    }

    /** An existing secret value (copied), e.g. read back from a key manager. */
    public static VtpmPassphrase of(byte[] value) {
        if (value.length == 0) {
            throw new IllegalArgumentException("an empty vTPM passphrase");
        }
        return new VtpmPassphrase(value.clone());
    }

    /** A copy of the secret value's bytes; the caller should overwrite it after use. */
    public byte[] bytes() {
        if (closed) {
            throw new IllegalStateException("the passphrase was closed");
        }
        return value.clone();
    }

    public int length() {
        return value.length;
    }

    /** Constant-time comparison with {@code other}. */
    public boolean matches(byte[] other) {
        return !closed && java.security.MessageDigest.isEqual(value, other);
    }

    @Override
    public void close() {
        Arrays.fill(value, (byte) 0);
        closed = true;
    }

    @Override
    public String toString() {
        return "VtpmPassphrase[" + value.length + " bytes, redacted]";
    }
}
