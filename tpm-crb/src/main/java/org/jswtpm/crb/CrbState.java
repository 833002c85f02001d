package org.jswtpm.crb;

/**
 * The states of the CRB interface (PTP, CRB interface, "CRB State Transitions"): in {@link #IDLE} the TPM
 * may power its buffer down and TPM_CRB_CTRL_STS.tpmIdle reads 1; cmdReady moves it to {@link #READY},
 * where software writes the command and sets Start; goIdle returns it to Idle.
 */
public enum CrbState {
    /** tpmIdle reads 1; Start is ignored until software writes cmdReady. */
    IDLE,
    /** tpmIdle reads 0; software may write the command and set Start. */
    READY
}
