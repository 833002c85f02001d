package org.jswtpm.tis;

/**
 * The TPM family the FIFO interface announces: in TPM_STS_x.tpmFamily, TPM_INTF_CAPABILITY_x's
 * InterfaceVersion and TPM_INTERFACE_ID_x (PTP, FIFO interface register tables).
 */
public enum TpmFamily {
    /** A TPM 1.2 behind the TIS 1.3 interface: tpmFamily 00b, InterfaceType 1111b. */
    TPM_1_2(0),
    /** A TPM 2.0 behind the PTP FIFO interface: tpmFamily 01b, InterfaceType 0000b. */
    TPM_2_0(1);

    private final int stsBits;

    TpmFamily(int stsBits) {
        this.stsBits = stsBits;
    }

    /** The value of TPM_STS_x.tpmFamily (bits 27:26), unshifted. */
    public int stsBits() {
        return stsBits;
    }
}
