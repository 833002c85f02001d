package org.jswtpm.libvirt;

/**
 * A vTPM request Nova would refuse: an invalid value, a flavor/image conflict, or a model the version
 * cannot have. The message names the key(s) and the value(s) as given (quoted, shortened, control
 * characters escaped).
 */
public final class VtpmRequestException extends IllegalArgumentException {
    /** Why the request was refused. */
    public enum Reason {
        /** A value outside the allowed set (Nova: extra-spec validation, image property enum, {@code Invalid}). */
        INVALID_VALUE,
        /** Flavor and image both set a key, to different values (Nova: {@code FlavorImageConflict}). */
        FLAVOR_IMAGE_CONFLICT,
        /** {@code tpm-crb} with version 1.2 (Nova: {@code Invalid}). */
        MODEL_VERSION_MISMATCH
    }

    private static final int MAX_SHOWN = 64;

    private final Reason reason;
    private final String key;

    VtpmRequestException(Reason reason, String key, String message) {
        super(message);
        this.reason = reason;
        this.key = key;
    }

    public Reason reason() {
        return reason;
    }

    /** The flavor extra spec or image property at fault (for a conflict: the flavor's key). */
    public String key() {
        return key;
    }

    /** {@code value} in single quotes, at most 64 characters, control characters as {@code \\uXXXX}. */
    static String quote(String value) {
        StringBuilder b = new StringBuilder("'");
        int n = Math.min(value.length(), MAX_SHOWN);
        for (int i = 0; i < n; i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c == 0x7f || c == '\'' || c == '\\') {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        if (value.length() > MAX_SHOWN) {
            b.append("…");
        }
        return b.append('\'').toString();
    }
}
