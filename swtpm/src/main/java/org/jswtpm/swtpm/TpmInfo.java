package org.jswtpm.swtpm;

import java.util.ArrayList;
import java.util.List;

/**
 * The JSON that GET_INFO (and swtpm's {@code --print-info}) returns for a set of flag bits, in the shape
 * libtpms produces: one object whose members are the requested parts, in flag order, no spaces.
 */
public final class TpmInfo {
    /** {@code SWTPM_INFO_TPMSPECIFICATION}. */
    public static final long TPM_SPECIFICATION = 1L;
    /** {@code SWTPM_INFO_TPMATTRIBUTES}. */
    public static final long TPM_ATTRIBUTES = 1L << 1;

    /** TPM 2.0 family, level 0, the revision of the specification the engine follows. */
    static final String SPECIFICATION = "\"TPMSpecification\":{\"family\":\"2.0\",\"level\":0,\"revision\":159}";
    /** Manufacturer "JSWT", firmware version 0.1.0, model "jswtpm". */
    static final String ATTRIBUTES =
            "\"TPMAttributes\":{\"manufacturer\":\"id:4A535754\",\"version\":\"id:00010000\",\"model\":\"jswtpm\"}";

    private TpmInfo() {
    }

    /** The JSON for {@code flags}; bits this implementation does not know are left out, as libtpms does. */
    public static String json(long flags) {
        List<String> parts = new ArrayList<>();
        if ((flags & TPM_SPECIFICATION) != 0) {
            parts.add(SPECIFICATION);
        }
        if ((flags & TPM_ATTRIBUTES) != 0) {
            parts.add(ATTRIBUTES);
        }
        return "{" + String.join(",", parts) + "}";
    }
}
