package org.jswtpm.tis;

/**
 * The states of the FIFO interface (PTP, FIFO interface, "State Transition Table"): a command is received
 * in {@link #RECEPTION}, runs in {@link #EXECUTION}, and its response is read in {@link #COMPLETION}.
 */
public enum TisState {
    /** No command in progress; commandReady reads 0. */
    IDLE,
    /** Ready to receive a command: commandReady reads 1. */
    READY,
    /** Command bytes are arriving; Expect reads 1 until the size in the command header is reached. */
    RECEPTION,
    /** tpmGo was written; the TPM is executing the command. */
    EXECUTION,
    /** The response is available through the FIFO; dataAvail reads 1 until it has all been read. */
    COMPLETION
}
