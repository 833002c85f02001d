package org.jswtpm.libvirt;

import java.nio.file.Path;
import java.util.Objects;
import java.util.UUID;

/**
 * Where libvirt keeps a domain's persistent vTPM state: {@code <root>/<domain uuid>/tpm2}, with root
 * {@code /var/lib/libvirt/swtpm} for the system daemon (the directory swtpm's {@code --tpmstate dir=…}
 * names; libvirt runs swtpm_setup on a domain's first start only when {@code tpm2} does not exist).
 */
public final class VtpmStatePaths {
    /** libvirt's root for the system instance ({@code qemu:///system}). */
    public static final Path LIBVIRT_SYSTEM_ROOT = Path.of("/var/lib/libvirt/swtpm");
    /** The state directory's name under the domain's directory (libvirt's name for a TPM 2 state). */
    public static final String TPM2_DIR = "tpm2";

    private final Path root;

    /** Paths under {@code root} instead of libvirt's (tests, other layouts). */
    public VtpmStatePaths(Path root) {
        this.root = Objects.requireNonNull(root, "root");
    }

    /** Paths under {@link #LIBVIRT_SYSTEM_ROOT}. */
    public static VtpmStatePaths libvirtSystem() {
        return new VtpmStatePaths(LIBVIRT_SYSTEM_ROOT);
    }

    public Path root() {
        return root;
    }

    /** {@code <root>/<uuid>}, which libvirt makes root-owned, mode 0711. */
    public Path domainDir(UUID domain) {
        return root.resolve(domain.toString());
    }

    /** {@code <root>/<uuid>/tpm2}, owned by the swtpm user (tss), mode 0700. */
    public Path tpm2Dir(UUID domain) {
        return domainDir(domain).resolve(TPM2_DIR);
    }
}
