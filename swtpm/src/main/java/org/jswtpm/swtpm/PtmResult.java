package org.jswtpm.swtpm;

/**
 * Result codes of the swtpm control channel. They use libtpms' TPM 1.2 numbering (fact sheet §2.4),
 * whatever the TPM family.
 */
public final class PtmResult {
    /** Success. */
    public static final int TPM_SUCCESS = 0x00;
    /** Malformed or short request, bad GET_INFO offset. */
    public static final int TPM_BAD_PARAMETER = 0x03;
    /** Generic failure. */
    public static final int TPM_FAIL = 0x09;
    /** Unknown command, or the TPM is (not) running when it must (not) be. */
    public static final int TPM_BAD_ORDINAL = 0x0a;
    /** I/O error. */
    public static final int TPM_IOERROR = 0x1f;
    /** No such state blob (GET_STATEBLOB); the non-fatal bit, which QEMU treats as "empty, OK". */
    public static final int TPM_RETRY = 0x800;
    /** Locality above 4, or locality 4 rejected. */
    public static final int TPM_BAD_LOCALITY = 0x3d;

    private PtmResult() {
    }
}
