package org.jswtpm.crb;

import java.util.Arrays;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.jswtpm.core.Tpm;

/**
 * The control area and data buffer of the CRB interface (PTP, CRB interface, TPM_CRB_CTRL_REQ_x,
 * TPM_CRB_CTRL_STS_x, TPM_CRB_CTRL_CANCEL_x, TPM_CRB_CTRL_START_x and TPM_CRB_DATA_BUFFER_x): the Idle /
 * Ready state, Start and its completion on the caller's executor, Cancel, and the buffer that holds the
 * command and then the response.
 *
 * <p>Guarded by the lock of the owning {@link CrbInterface}; the executor's completion takes that lock.
 */
final class CrbControlArea {
    /** What the interface does when software may stop waiting. */
    interface Events {
        /** cmdReady was served: the TPM left Idle. */
        void commandReady();

        /** Start was cleared: the response is in the buffer. */
        void started();
    }

    private static final int HEADER_SIZE = 10;
    /** TPM_ST_NO_SESSIONS, size 10, TPM_RC_FAILURE (0x101). */
    private static final byte[] FAILURE_RESPONSE = {(byte) 0x80, 0x01, 0, 0, 0, 10, 0, 0, 0x01, 0x01};

    private final Tpm tpm;
    private final Executor executor;
    private final Object lock;
    private final Events events;
    private final byte[] buffer = new byte[CrbRegisters.DATA_BUFFER_SIZE];
    private CrbState state = CrbState.IDLE;
    private boolean start;
    private int cancel;
    private long generation;

    CrbControlArea(Tpm tpm, Executor executor, Object lock, Events events) {
        this.tpm = tpm;
        this.executor = executor;
        this.lock = lock;
        this.events = events;
    }

    CrbState state() {
        return state;
    }

    boolean isStarted() {
        return start;
    }

    int cancelRegister() {
        return cancel;
    }

    /** TPM_CRB_CTRL_STS: tpmIdle in Idle, tpmSts while the TPM is not running. */
    int ctrlSts() {
        int value = state == CrbState.IDLE ? CrbRegisters.CtrlSts.TPM_IDLE : 0;
        return tpm.isRunning() ? value : value | CrbRegisters.CtrlSts.TPM_STS;
    }

    /**
     * TPM_CRB_CTRL_REQ written: cmdReady leaves Idle, goIdle enters it. Both at once, or goIdle while a
     * command executes, are ignored. Requests are served at once, so the register always reads 0.
     */
    void request(int bits) {
        boolean ready = (bits & CrbRegisters.CtrlReq.CMD_READY) != 0;
        boolean idle = (bits & CrbRegisters.CtrlReq.GO_IDLE) != 0;
        if (ready == idle) {
            return;
        }
        if (ready) {
            if (state == CrbState.IDLE) {
                state = CrbState.READY;
                events.commandReady();
            }
        } else if (!start) {
            state = CrbState.IDLE;
        }
    }

    /** TPM_CRB_CTRL_START written 1: in Ready and not already started, the buffer's command executes. */
    void start(int locality) {
        if (state != CrbState.READY || start) {
            return;
        }
        start = true;
        byte[] command = Arrays.copyOf(buffer, commandLength());
        long ticket = ++generation;
        Runnable run = () -> complete(ticket, execute(locality, command));
        try {
            executor.execute(run);
        } catch (RejectedExecutionException e) {
            run.run();
        }
    }

    /** TPM_CRB_CTRL_CANCEL written: 1 while started asks the TPM to stop; the value reads back until rewritten. */
    void writeCancel(int value) {
        cancel = value & CrbRegisters.CtrlStart.START;
        if (cancel != 0 && start) {
            tpm.cancel();
        }
    }

    /** Locality change or reset: an executing command is dropped, and the TPM goes Idle. */
    void abort() {
        if (start) {
            generation++;
            start = false;
            tpm.cancel();
        }
        state = CrbState.IDLE;
    }

    /** Reads {@code size} bytes of the buffer at {@code index}, little-endian. */
    long read(int index, int size) {
        long value = 0;
        for (int i = 0; i < size; i++) {
            value |= (buffer[index + i] & 0xFFL) << (8 * i);
        }
        return value;
    }

    /** Writes {@code size} bytes to the buffer at {@code index}; dropped while a command executes. */
    void write(int index, int size, long value) {
        if (start) {
            return;
        }
        for (int i = 0; i < size; i++) {
            buffer[index + i] = (byte) (value >>> (8 * i));
        }
    }

    private int commandLength() {
        long size = ((buffer[2] & 0xFFL) << 24) | ((buffer[3] & 0xFF) << 16) | ((buffer[4] & 0xFF) << 8)
                | (buffer[5] & 0xFF);
        return (int) Math.min(Math.max(size, HEADER_SIZE), buffer.length);
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

    private void complete(long ticket, byte[] response) {
        synchronized (lock) {
            if (ticket != generation || !start) {
                return;
            }
            int length = Math.min(response.length, buffer.length);
            System.arraycopy(response, 0, buffer, 0, length);
            Arrays.fill(buffer, length, buffer.length, (byte) 0);
            start = false;
            events.started();
        }
    }
}
