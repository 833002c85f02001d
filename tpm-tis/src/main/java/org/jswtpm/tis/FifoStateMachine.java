package org.jswtpm.tis;

import java.util.Arrays;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.jswtpm.core.Tpm;

/**
 * The command and response path of the FIFO interface (PTP, FIFO interface, "State Transition Table"
 * and "Data FIFO"): Idle, Ready, Reception with Expect computed from the command header, Execution on
 * the caller's executor, Completion with a read pointer, and the abort paths.
 *
 * <p>Guarded by the lock of the owning {@link TisInterface}; the executor's completion takes that lock.
 */
final class FifoStateMachine {
    /** What the interface does when the state machine reaches a point software may wait for. */
    interface Events {
        /** The Ready state was entered: commandReady became 1. */
        void commandReady();

        /** The last command byte arrived: Expect became 0 with stsValid. */
        void receptionComplete();

        /** A response became available: dataAvail and stsValid became 1. */
        void dataAvailable();
    }

    /** The largest burstCount the model announces; drivers loop, re-reading it. */
    static final int MAX_BURST = 64;
    /** The value a FIFO read returns for every byte when there is nothing to read. */
    static final int NO_DATA_BYTE = 0xFF;
    private static final int HEADER_SIZE = 10;
    /** TPM_ST_NO_SESSIONS, size 10, TPM_RC_FAILURE (0x101). */
    private static final byte[] FAILURE_RESPONSE = {(byte) 0x80, 0x01, 0, 0, 0, 10, 0, 0, 0x01, 0x01};
    private static final int SIZE_FIELD_END = 6;
    private static final byte[] NO_RESPONSE = new byte[0];

    private final Tpm tpm;
    private final Executor executor;
    private final Object lock;
    private final Events events;
    private final byte[] command = new byte[Tpm.MAX_COMMAND_SIZE];
    private TisState state = TisState.IDLE;
    private int received;
    private byte[] response = NO_RESPONSE;
    private int readPosition;
    private long generation;

    FifoStateMachine(Tpm tpm, Executor executor, Object lock, Events events) {
        this.tpm = tpm;
        this.executor = executor;
        this.lock = lock;
        this.events = events;
    }

    TisState state() {
        return state;
    }

    /** Expect: in Reception, until the size announced in the header (bounded by the buffer) arrived. */
    boolean expect() {
        return state == TisState.RECEPTION && received < expectedSize();
    }

    /** dataAvail: in Completion, while response bytes are left. */
    boolean dataAvail() {
        return state == TisState.COMPLETION && readPosition < response.length;
    }

    /** burstCount: bytes that can be written (Ready, Reception) or read (Completion) right now. */
    int burstCount() {
        switch (state) {
            case READY:
                return Math.min(command.length, MAX_BURST);
            case RECEPTION:
                return expect() ? Math.min(expectedSize() - received, MAX_BURST) : 0;
            case COMPLETION:
                return Math.min(response.length - readPosition, MAX_BURST);
            default:
                return 0;
        }
    }

    /**
     * commandReady written 1: from Idle or Completion, enter Ready; from Ready, start over; from
     * Reception or Execution, abort the command (an executing one is cancelled and its response dropped).
     */
    void commandReady() {
        boolean wasReady = state == TisState.READY;
        discardCommand();
        state = TisState.READY;
        if (!wasReady) {
            events.commandReady();
        }
    }

    /** Back to Idle, dropping any command or response (locality change, seize, _TPM_Hash_Start). */
    void abort() {
        discardCommand();
        state = TisState.IDLE;
    }

    /** Command bytes written to the FIFO, least significant byte first; dropped unless Expect allows. */
    void write(long value, int size) {
        if (state == TisState.READY) {
            state = TisState.RECEPTION;
        }
        if (state != TisState.RECEPTION) {
            return;
        }
        for (int i = 0; i < size && expect(); i++) {
            command[received++] = (byte) (value >>> (8 * i));
            if (!expect()) {
                events.receptionComplete();
            }
        }
    }

    /** Response bytes read from the FIFO, first byte least significant; 0xFF past the end or outside Completion. */
    long read(int size) {
        long value = 0;
        for (int i = 0; i < size; i++) {
            int b = NO_DATA_BYTE;
            if (state == TisState.COMPLETION && readPosition < response.length) {
                b = response[readPosition++] & 0xFF;
            }
            value |= (long) b << (8 * i);
        }
        return value;
    }

    /** tpmGo: only in Reception with the whole command received; starts Execution. */
    void go(int locality) {
        if (state != TisState.RECEPTION || expect()) {
            return;
        }
        state = TisState.EXECUTION;
        byte[] bytes = Arrays.copyOf(command, received);
        long ticket = ++generation;
        Runnable run = () -> complete(ticket, execute(locality, bytes));
        try {
            executor.execute(run);
        } catch (RejectedExecutionException e) {
            run.run();
        }
    }

    /** responseRetry: in Completion, the FIFO starts again at the first response byte. */
    void responseRetry() {
        if (state == TisState.COMPLETION) {
            readPosition = 0;
        }
    }

    /** commandCancel: only meaningful in Execution; the TPM ends the command early. */
    void cancel() {
        if (state == TisState.EXECUTION) {
            tpm.cancel();
        }
    }

    /**
     * {@link Tpm#execute} promises not to throw; should an implementation break that promise, the driver
     * still gets a response (TPM_RC_FAILURE) instead of a command that never completes.
     */
    private byte[] execute(int locality, byte[] command) {
        try {
            return tpm.execute(locality, command);
        } catch (RuntimeException e) {
            return FAILURE_RESPONSE.clone();
        }
    }

    private void complete(long ticket, byte[] result) {
        synchronized (lock) {
            if (ticket != generation || state != TisState.EXECUTION) {
                return;
            }
            response = result;
            readPosition = 0;
            state = TisState.COMPLETION;
            events.dataAvailable();
        }
    }

    private void discardCommand() {
        if (state == TisState.EXECUTION) {
            generation++;
            tpm.cancel();
        }
        received = 0;
        response = NO_RESPONSE;
        readPosition = 0;
    }

    private int expectedSize() {
        if (received < SIZE_FIELD_END) {
            return command.length;
        }
        long size = ((command[2] & 0xFFL) << 24) | ((command[3] & 0xFF) << 16)
                | ((command[4] & 0xFF) << 8) | (command[5] & 0xFF);
        return (int) Math.min(Math.max(size, HEADER_SIZE), command.length);
    }
}
