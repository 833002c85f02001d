package org.jswtpm.swtpm;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import com.sun.jna.NativeLong;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code swtpm chardev --vtpm-proxy}: asks the Linux vTPM proxy driver ({@code /dev/vtpmx}, module
 * {@code tpm_vtpm_proxy}) for a new TPM device with the {@code VTPM_PROXY_IOC_NEW_DEV} ioctl. The kernel
 * creates {@code /dev/tpmN} for the host and hands back an anonymous descriptor on which this process
 * reads the commands sent to that device, one per read.
 */
final class VtpmProxy {
    /** The control device of the proxy driver. */
    static final Path VTPMX = Path.of("/dev/vtpmx");
    /** {@code _IOWR(0xa1, 0x00, struct vtpm_proxy_new_dev)}: 20 bytes. */
    static final long IOC_NEW_DEV = 0xC014A100L;
    /** {@code VTPM_PROXY_FLAG_TPM2}. */
    static final int FLAG_TPM2 = 1;

    /**
     * The new device.
     *
     * @param fd the anonymous descriptor that carries the device's commands
     * @param tpmNumber N of {@code /dev/tpmN}
     * @param major its major device number
     * @param minor its minor device number
     */
    record Device(int fd, int tpmNumber, int major, int minor) {
        /** The line swtpm prints on standard output. */
        String announcement() {
            return "New TPM device: /dev/tpm" + Integer.toUnsignedString(tpmNumber) + " (major/minor = "
                    + Integer.toUnsignedString(major) + "/" + Integer.toUnsignedString(minor) + ")";
        }
    }

    private VtpmProxy() {
    }

    /**
     * Creates a TPM 2 proxy device.
     *
     * @throws IOException with swtpm's message if {@code /dev/vtpmx} is missing or cannot be opened, or
     *     the ioctl fails
     */
    static Device create() throws IOException {
        if (!Files.exists(VTPMX)) {
            throw new IOException("Could not open /dev/vtpmx: No such file or directory (the Linux vTPM proxy"
                    + " driver is not available: load the kernel module tpm_vtpm_proxy)");
        }
        int control;
        try {
            control = LibC.open(VTPMX.toString(), LibC.O_RDWR | LibC.O_CLOEXEC);
        } catch (LastErrorException e) {
            throw new IOException("Could not open /dev/vtpmx: " + UnixFds.strerror(e.getErrorCode()), e);
        }
        try (Memory request = new Memory(20)) {
            request.clear();
            request.setInt(0, FLAG_TPM2);
            LibC.ioctl(control, new NativeLong(IOC_NEW_DEV), request);
            return new Device(request.getInt(8), request.getInt(4), request.getInt(12), request.getInt(16));
        } catch (LastErrorException e) {
            throw new IOException("Ioctl to create vtpm proxy failed: " + UnixFds.strerror(e.getErrorCode()), e);
        } finally {
            UnixFds.closeQuietly(control);
        }
    }
}
