package org.jswtpm.libvirt;

import java.io.IOException;

/** A vTPM state bundle that is malformed, truncated or corrupted; nothing was written. */
public final class BundleFormatException extends IOException {
    BundleFormatException(String message) {
        super(message);
    }

    BundleFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
