package org.jswtpm.swtpm;

import org.jswtpm.core.StateFormatException;
import org.jswtpm.core.StateKind;
import org.jswtpm.core.Tpm;

/**
 * The TPM as the swtpm process presents it: the engine plus what swtpm keeps around it — the current
 * locality, the last ordinal executed (for the automatic {@code TPM2_Shutdown}), and the I/O buffer
 * size. Every method is synchronized, so a data-channel command and a control-channel command never
 * interleave.
 */
public final class TpmDevice {
    /** The response a TPM 2 gives on the data channel while it is not running (TPM_RC_FAILURE). */
    static final byte[] NOT_RUNNING_RESPONSE = {(byte) 0x80, 0x01, 0, 0, 0, 0x0a, 0, 0, 0x01, 0x01};
    /** Largest I/O buffer (TPM_PT_MAX_COMMAND_SIZE). */
    public static final int MAX_BUFFER_SIZE = Tpm.MAX_COMMAND_SIZE;
    /** Smallest I/O buffer a TPM 2 accepts: sizeof(TPMS_CONTEXT) + 128, as libtpms reports it. */
    public static final int MIN_BUFFER_SIZE = 2808;

    private static final int TPM2_CC_SHUTDOWN = 0x145;
    private static final int TPM2_CC_STARTUP = 0x144;
    private static final int TPM_RC_INITIALIZE = 0x100;
    /** swtpm's in-band SetLocality vendor command ({@code TPM2_CC_SET_LOCALITY}). */
    static final int TPM2_CC_SET_LOCALITY = 0x20001000;
    private static final int TPM_RC_LOCALITY = 0x107;
    private static final int TPM_RC_INSUFFICIENT = 0x9a;
    private static final int SU_CLEAR = 0;
    private static final int SU_STATE = 1;

    private final Tpm tpm;
    private final boolean autoShutdown;
    private final boolean rejectLocality4;
    private final boolean allowSetLocality;
    private int locality;
    private int lastOrdinal = -1;
    private int bufferSize = MAX_BUFFER_SIZE;
    private java.util.function.BooleanSupplier beforeCommand = () -> true;
    private PcapRecorder trace;

    /**
     * Wraps {@code tpm}.
     *
     * @param autoShutdown send {@code TPM2_Shutdown} before re-init, stop and exit (swtpm's default)
     * @param rejectLocality4 refuse locality 4 in SET_LOCALITY
     */
    public TpmDevice(Tpm tpm, boolean autoShutdown, boolean rejectLocality4) {
        this(tpm, autoShutdown, rejectLocality4, false);
    }

    /**
     * Wraps {@code tpm}.
     *
     * @param autoShutdown send {@code TPM2_Shutdown} before re-init, stop and exit (swtpm's default)
     * @param rejectLocality4 refuse locality 4 in SET_LOCALITY and the in-band SetLocality
     * @param allowSetLocality accept the in-band SetLocality vendor command ({@code allow-set-locality})
     */
    public TpmDevice(Tpm tpm, boolean autoShutdown, boolean rejectLocality4, boolean allowSetLocality) {
        this.tpm = tpm;
        this.autoShutdown = autoShutdown;
        this.rejectLocality4 = rejectLocality4;
        this.allowSetLocality = allowSetLocality;
    }

    /**
     * {@code --pcap}: from now on every command this device executes and its response, including the
     * ones the process sends itself, go to {@code recorder} too.
     */
    public synchronized void traceTo(PcapRecorder recorder) {
        this.trace = recorder;
    }

    /** True while the TPM is powered on. */
    public synchronized boolean isRunning() {
        return tpm.isRunning();
    }

    /**
     * Executes a data-channel command at the current locality. Before INIT the answer is the 10-byte
     * TPM_RC_FAILURE response, as swtpm gives it.
     */
    public synchronized byte[] execute(byte[] command) {
        if (trace == null) {
            return executeDataCommand(command);
        }
        trace.command(command);
        byte[] response = executeDataCommand(command);
        trace.response(response);
        return response;
    }

    private byte[] executeDataCommand(byte[] command) {
        if (!tpm.isRunning() || !beforeCommand.getAsBoolean()) {
            return NOT_RUNNING_RESPONSE.clone();
        }
        if (command.length >= 10 && readInt(command, 6) == TPM2_CC_SET_LOCALITY) {
            lastOrdinal = TPM2_CC_SET_LOCALITY;
            return setLocalityInBand(command);
        }
        return tpmExecute(command);
    }

    /** The engine's answer to {@code command} at the current locality, traced if {@code --pcap} asks. */
    private byte[] traced(byte[] command) {
        if (trace == null) {
            return tpm.execute(locality, command);
        }
        trace.command(command);
        byte[] response = tpm.execute(locality, command);
        trace.response(response);
        return response;
    }

    /**
     * The in-band SetLocality (vendor TPM_CC 0x20001000), handled as swtpm does before the engine sees
     * it: no locality byte after the header → TPM_RC_INSUFFICIENT; without {@code allow-set-locality}
     * → the fatal TPM_RC_FAILURE response; a locality above 4 (or 4 with {@code reject-locality-4}) →
     * TPM_RC_LOCALITY; else the locality of the following commands changes and the answer is success.
     */
    private byte[] setLocalityInBand(byte[] command) {
        if (command.length < 11) {
            return errorResponse(TPM_RC_INSUFFICIENT);
        }
        if (!allowSetLocality) {
            return NOT_RUNNING_RESPONSE.clone();
        }
        int newLocality = command[10] & 0xff;
        if (newLocality > 4 || (newLocality == 4 && rejectLocality4)) {
            return errorResponse(TPM_RC_LOCALITY);
        }
        locality = newLocality;
        return errorResponse(0);
    }

    private static byte[] errorResponse(int rc) {
        return new byte[] {(byte) 0x80, 0x01, 0, 0, 0, 0x0a, (byte) (rc >>> 24), (byte) (rc >>> 16),
            (byte) (rc >>> 8), (byte) rc};
    }

    /** A command for the engine; its ordinal is remembered for the automatic shutdown. */
    private byte[] tpmExecute(byte[] command) {
        if (command.length >= 10) {
            lastOrdinal = readInt(command, 6);
        }
        return tpm.execute(locality, command);
    }

    /** Executes a data-channel command after setting the locality (the prefixed form of §4.1). */
    public synchronized byte[] execute(int newLocality, byte[] command) {
        locality = newLocality;
        return execute(command);
    }

    /** Powers the TPM on for {@code --flags not-need-init} and sends the requested {@code TPM2_Startup}. */
    public synchronized void powerOnAtStart(StartupType startup) {
        if (!tpm.isRunning()) {
            tpm.init();
        }
        if (startup != StartupType.NONE) {
            byte[] command = startupCommand(startup == StartupType.STATE ? SU_STATE : SU_CLEAR);
            lastOrdinal = TPM2_CC_STARTUP;
            traced(command);
        }
    }

    /**
     * CMD_INIT: automatic shutdown if running, then {@code _TPM_Init}, resuming from {@code volatileState}
     * if it is not null (an unreadable blob is ignored, as a fresh power-on). Returns a PtmResult code.
     */
    public synchronized int init(byte[] volatileState) {
        maybeAutoShutdown();
        try {
            if (volatileState != null) {
                if (tpm.isRunning()) {
                    tpm.stop();
                }
                try {
                    tpm.setState(StateKind.VOLATILE, volatileState);
                } catch (StateFormatException e) {
                    // not resumable: power on fresh
                }
            }
            tpm.init();
        } catch (RuntimeException e) {
            return PtmResult.TPM_FAIL;
        }
        lastOrdinal = -1;
        return PtmResult.TPM_SUCCESS;
    }

    /** CMD_STOP and CMD_SHUTDOWN: automatic shutdown if running, then power off. */
    public synchronized void stop() {
        maybeAutoShutdown();
        if (tpm.isRunning()) {
            tpm.stop();
        }
    }

    /**
     * swtpm's automatic {@code TPM2_Shutdown} (fact sheet §1.8): unless disabled, if the TPM runs and the
     * last command was not {@code TPM2_Shutdown}, send {@code Shutdown(STATE)}, and {@code Shutdown(CLEAR)}
     * if that failed for a reason other than "no Startup yet".
     */
    public synchronized void maybeAutoShutdown() {
        if (!autoShutdown || !tpm.isRunning() || lastOrdinal == TPM2_CC_SHUTDOWN) {
            return;
        }
        for (int type : new int[] {SU_STATE, SU_CLEAR}) {
            byte[] response = traced(shutdownCommand(type));
            int rc = response.length >= 10 ? readInt(response, 6) : -1;
            if (rc == 0 || rc == TPM_RC_INITIALIZE) {
                break;
            }
        }
        lastOrdinal = TPM2_CC_SHUTDOWN;
    }

    /** SET_LOCALITY. Returns a PtmResult code. */
    public synchronized int setLocality(int newLocality) {
        if (newLocality > 4 || (newLocality == 4 && rejectLocality4)) {
            return PtmResult.TPM_BAD_LOCALITY;
        }
        locality = newLocality;
        return PtmResult.TPM_SUCCESS;
    }

    /** The locality of the next data-channel command. */
    public synchronized int locality() {
        return locality;
    }

    /** GET_TPMESTABLISHED. */
    public synchronized boolean isTpmEstablished() {
        return tpm.isTpmEstablished();
    }

    /** RESET_TPMESTABLISHED at {@code loc}. Returns a PtmResult code. */
    public synchronized int resetTpmEstablished(int loc) {
        if (loc > 4) {
            return PtmResult.TPM_BAD_LOCALITY;
        }
        return tpm.resetTpmEstablished(loc) ? PtmResult.TPM_SUCCESS : PtmResult.TPM_BAD_LOCALITY;
    }

    /** HASH_START. */
    public synchronized void hashStart() {
        tpm.hashStart();
    }

    /** HASH_DATA. */
    public synchronized void hashData(byte[] data) {
        tpm.hashData(data);
    }

    /** HASH_END. */
    public synchronized void hashEnd() {
        tpm.hashEnd();
    }

    /** CANCEL_TPM_CMD. */
    public void cancel() {
        tpm.cancel();
    }

    /** The I/O buffer size, which also caps data-channel commands. */
    public synchronized int bufferSize() {
        return bufferSize;
    }

    /**
     * SET_BUFFERSIZE: 0 queries, any other value is clamped into [{@link #MIN_BUFFER_SIZE},
     * {@link #MAX_BUFFER_SIZE}] and set. Returns the size now in effect.
     */
    public synchronized int setBufferSize(int requested) {
        if (requested != 0) {
            bufferSize = Math.max(MIN_BUFFER_SIZE, Math.min(MAX_BUFFER_SIZE, requested));
        }
        return bufferSize;
    }

    /**
     * Runs {@code check} before every data-channel command; if it returns false the command is answered
     * like a command to a stopped TPM. The state storage uses it to take a deferred lock (swtpm locks
     * before the first command after an incoming migration).
     */
    public synchronized void beforeCommand(java.util.function.BooleanSupplier check) {
        beforeCommand = check;
    }

    /** The TPM's state blob of {@code kind} (GET_STATEBLOB), or null if it has none. */
    public synchronized byte[] getState(StateKind kind) {
        return tpm.getState(kind);
    }

    /**
     * Replaces the state of {@code kind} in the stopped TPM (SET_STATEBLOB, INIT); null or empty deletes
     * it.
     *
     * @throws StateFormatException if the blob is not a valid state blob of that kind
     */
    public synchronized void setState(StateKind kind, byte[] blob) throws StateFormatException {
        tpm.setState(kind, blob);
    }

    /** The TPM's current volatile state, for STORE_VOLATILE (null if it has none). */
    public synchronized byte[] volatileState() {
        return tpm.getState(StateKind.VOLATILE);
    }

    private static byte[] startupCommand(int type) {
        return command(TPM2_CC_STARTUP, type);
    }

    private static byte[] shutdownCommand(int type) {
        return command(TPM2_CC_SHUTDOWN, type);
    }

    private static byte[] command(int ordinal, int su) {
        return new byte[] {(byte) 0x80, 0x01, 0, 0, 0, 0x0c, (byte) (ordinal >>> 24), (byte) (ordinal >>> 16),
                (byte) (ordinal >>> 8), (byte) ordinal, (byte) (su >>> 8), (byte) su};
    }

    static int readInt(byte[] b, int off) {
        return ((b[off] & 0xff) << 24) | ((b[off + 1] & 0xff) << 16) | ((b[off + 2] & 0xff) << 8) | (b[off + 3] & 0xff);
    }
}
