package org.jswtpm.swtpm;

/**
 * The commands of swtpm's control channel ({@code CMD_*} in swtpm's {@code tpm_ioctl.h}), with their
 * wire codes and the {@code PTM_CAP_*} bit GET_CAPABILITY reports for each.
 */
public enum ControlCommand {
    /** Which control commands are implemented. */
    GET_CAPABILITY(0x01, 0),
    /** Power the TPM on (re-init if running). */
    INIT(0x02, 0x1),
    /** Stop the TPM and exit the process. */
    SHUTDOWN(0x03, 0x2),
    /** Read the tpmEstablished flag. */
    GET_TPMESTABLISHED(0x04, 0x4),
    /** Set the locality of later data-channel commands. */
    SET_LOCALITY(0x05, 0x8),
    /** {@code _TPM_Hash_Start}. */
    HASH_START(0x06, 0x10),
    /** {@code _TPM_Hash_Data}. */
    HASH_DATA(0x07, 0x10),
    /** {@code _TPM_Hash_End}. */
    HASH_END(0x08, 0x10),
    /** Cancel the running TPM command. */
    CANCEL_TPM_CMD(0x09, 0x20),
    /** Write the volatile state now. */
    STORE_VOLATILE(0x0a, 0x40),
    /** Clear the tpmEstablished flag. */
    RESET_TPMESTABLISHED(0x0b, 0x80),
    /** Read a state blob. */
    GET_STATEBLOB(0x0c, 0x100),
    /** Write a state blob. */
    SET_STATEBLOB(0x0d, 0x200),
    /** Stop the TPM, keep the process. */
    STOP(0x0e, 0x400),
    /** Which keys are configured. */
    GET_CONFIG(0x0f, 0x800),
    /** Receive the data channel as a file descriptor. */
    SET_DATAFD(0x10, 0x1000),
    /** Query or set the TPM's I/O buffer size. */
    SET_BUFFERSIZE(0x11, 0x2000),
    /** TPM information as JSON. */
    GET_INFO(0x12, 0x4000),
    /** Lock the state storage. */
    LOCK_STORAGE(0x13, 0x10000);

    /** PTM_CAP_SEND_COMMAND_HEADER: the data channel accepts the prefixed command form (TPM 2 only). */
    public static final int CAP_SEND_COMMAND_HEADER = 0x8000;

    private final int code;
    private final int capabilityBit;

    ControlCommand(int code, int capabilityBit) {
        this.code = code;
        this.capabilityBit = capabilityBit;
    }

    /** The 32-bit code on the wire. */
    public int code() {
        return code;
    }

    /** The PTM_CAP_* bit of this command (0 for GET_CAPABILITY). */
    public int capabilityBit() {
        return capabilityBit;
    }

    /** The command with wire code {@code code}, or null if there is none. */
    public static ControlCommand fromCode(int code) {
        for (ControlCommand c : values()) {
            if (c.code == code) {
                return c;
            }
        }
        return null;
    }
}
