package org.jswtpm.swtpm;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Executes control-channel requests against a {@link TpmDevice} and produces swtpm's exact response
 * bytes (fact sheet §2.2). Body-length rules are swtpm's: commands without a body must arrive without
 * one, INIT needs exactly 4 body bytes, the others need at least their fields (padding is ignored).
 */
public final class ControlChannel {
    /** GET_INFO returns at most this many bytes of JSON per response. */
    static final int INFO_CHUNK = 3072;
    /** PTM_INIT_FLAG_DELETE_VOLATILE. */
    static final int INIT_FLAG_DELETE_VOLATILE = 1;

    /** What to send back, and whether the process must exit after sending it. */
    public record Reply(byte[] bytes, boolean exitAfterReply) { }

    /** SET_STATEBLOB refuses blobs larger than this with TPM_FAIL, as swtpm. */
    static final int MAX_STATE_BLOB = 512 * 1024;
    /** PTM_STATE_FLAG_DECRYPTED in a GET_STATEBLOB request. */
    static final int STATE_FLAG_DECRYPTED = 0x1;

    private final TpmDevice device;
    private final StateControl state;
    private volatile DataFdHandler dataFds;

    /** Takes the descriptor of CMD_SET_DATAFD. */
    @FunctionalInterface
    public interface DataFdHandler {
        /**
         * Adopts {@code fd} (-1 if none came with the request) as the data channel and returns the
         * PtmResult code; the handler owns the descriptor, also when it refuses it.
         */
        int setDataFd(int fd);
    }

    /** Serves {@code device}; {@code volatileFile} is written by STORE_VOLATILE and read by INIT. */
    public ControlChannel(TpmDevice device, VolatileStateFile volatileFile) {
        this(device, StateControl.volatileOnly(volatileFile));
    }

    /** Serves {@code device} with the state storage {@code state}. */
    public ControlChannel(TpmDevice device, StateControl state) {
        this.device = device;
        this.state = state;
    }

    /**
     * Enables CMD_SET_DATAFD (and its capability bit): only a Unix-domain control channel can carry the
     * descriptor.
     */
    public void acceptDataFds(DataFdHandler handler) {
        this.dataFds = handler;
    }

    /**
     * The PTM_CAP_* bits of the commands implemented without state storage (GET_STATEBLOB,
     * SET_STATEBLOB and LOCK_STORAGE are added by the {@link StateControl} that makes them work).
     */
    public static int capabilities() {
        int caps = ControlCommand.CAP_SEND_COMMAND_HEADER;
        for (ControlCommand c : new ControlCommand[] {ControlCommand.INIT, ControlCommand.SHUTDOWN,
                ControlCommand.GET_TPMESTABLISHED, ControlCommand.SET_LOCALITY, ControlCommand.HASH_START,
                ControlCommand.CANCEL_TPM_CMD, ControlCommand.STORE_VOLATILE, ControlCommand.RESET_TPMESTABLISHED,
                ControlCommand.STOP, ControlCommand.GET_CONFIG, ControlCommand.SET_BUFFERSIZE,
                ControlCommand.GET_INFO}) {
            caps |= c.capabilityBit();
        }
        return caps;
    }

    /** The PTM_CAP_* bits this channel reports: {@link #capabilities()} and the state commands that work. */
    public int capabilityBits() {
        return capabilities() | state.capabilities()
                | (dataFds != null ? ControlCommand.SET_DATAFD.capabilityBit() : 0);
    }

    /**
     * Handles {@code request}. {@code in} is the connection, from which HASH_DATA reads data that did
     * not fit into the first read. The device lock is held for the whole command. Never throws: an
     * unexpected failure of the engine is answered with TPM_FAIL.
     */
    public Reply handle(ControlRequest request, InputStream in) {
        return handle(request, in, -1);
    }

    /**
     * Handles {@code request}, which arrived with the descriptor {@code receivedFd} (-1 for none; only
     * CMD_SET_DATAFD takes one, and then owns it).
     */
    public Reply handle(ControlRequest request, InputStream in, int receivedFd) {
        if (request.code() == ControlCommand.SET_DATAFD.code()) {
            return setDataFd(receivedFd);
        }
        synchronized (device) {
            try {
                return dispatch(request, in);
            } catch (RuntimeException e) {
                return result(PtmResult.TPM_FAIL);
            }
        }
    }

    private Reply dispatch(ControlRequest request, InputStream in) {
        ControlCommand command = ControlCommand.fromCode(request.code());
        if (command == null) {
            return result(PtmResult.TPM_BAD_ORDINAL);
        }
        int n = request.body().length;
        return switch (command) {
            case GET_CAPABILITY -> reply(false, PtmResult.TPM_SUCCESS, capabilityBits());
            case INIT -> n != 4 ? result(PtmResult.TPM_BAD_PARAMETER) : init(request.u32(0));
            case SHUTDOWN -> n != 0 ? result(PtmResult.TPM_BAD_PARAMETER) : shutdown();
            case STOP -> n != 0 ? result(PtmResult.TPM_BAD_PARAMETER) : stop();
            case GET_TPMESTABLISHED -> getTpmEstablished(n);
            case SET_LOCALITY -> n < 1 ? result(PtmResult.TPM_BAD_PARAMETER)
                    : result(device.setLocality(request.u8(0)));
            case RESET_TPMESTABLISHED -> resetTpmEstablished(request);
            case HASH_START, HASH_END, CANCEL_TPM_CMD, STORE_VOLATILE -> noBodyWhileRunning(command, n);
            case HASH_DATA -> hashData(request, in);
            case GET_CONFIG -> n != 0 ? result(PtmResult.TPM_BAD_PARAMETER)
                    : reply(false, PtmResult.TPM_SUCCESS, state.configFlags());
            case SET_BUFFERSIZE -> setBufferSize(request);
            case GET_INFO -> getInfo(request);
            case LOCK_STORAGE -> !supported(command) ? result(PtmResult.TPM_BAD_ORDINAL)
                    : n < 4 ? result(PtmResult.TPM_BAD_PARAMETER) : result(state.lockStorage(request.u32(0)));
            case GET_STATEBLOB -> supported(command) ? getStateBlob(request) : result(PtmResult.TPM_BAD_ORDINAL);
            case SET_STATEBLOB -> supported(command) ? setStateBlob(request, in) : result(PtmResult.TPM_BAD_ORDINAL);
            case SET_DATAFD -> result(PtmResult.TPM_BAD_ORDINAL);
        };
    }

    /** SET_DATAFD: handed to the server outside the device lock (it starts serving the descriptor). */
    private Reply setDataFd(int fd) {
        DataFdHandler handler = dataFds;
        if (handler == null) {
            if (fd >= 0) {
                UnixFds.closeQuietly(fd);
            }
            return result(PtmResult.TPM_BAD_ORDINAL);
        }
        try {
            return result(handler.setDataFd(fd));
        } catch (RuntimeException e) {
            return result(PtmResult.TPM_FAIL);
        }
    }

    private boolean supported(ControlCommand command) {
        return (state.capabilities() & command.capabilityBit()) != 0;
    }

    /**
     * GET_STATEBLOB (fact sheet §2.5): the TPM must run; the whole blob from {@code offset} in one reply
     * with totlength == length; a missing blob is TPM_RETRY (0x800) with no data.
     */
    private Reply getStateBlob(ControlRequest request) {
        if (!device.isRunning()) {
            return result(PtmResult.TPM_BAD_ORDINAL);
        }
        if (request.body().length < 12) {
            return result(PtmResult.TPM_BAD_PARAMETER);
        }
        boolean decrypted = (request.u32(0) & STATE_FLAG_DECRYPTED) != 0;
        StateControl.BlobReply blob = state.getStateBlob(device, request.u32(4), decrypted);
        long offset = request.u32(8) & 0xffffffffL;
        int length = offset < blob.blob().length ? blob.blob().length - (int) offset : 0;
        ByteBuffer out = ByteBuffer.allocate(16 + length);
        out.putInt(blob.result()).putInt(blob.flags()).putInt(length).putInt(length);
        out.put(blob.blob(), blob.blob().length - length, length);
        return new Reply(out.array(), false);
    }

    /**
     * SET_STATEBLOB (fact sheet §2.5): the TPM must be stopped; the storage is locked first (failing that
     * the process exits, as swtpm); the data may follow the 12-byte header in further reads.
     */
    private Reply setStateBlob(ControlRequest request, InputStream in) {
        if (device.isRunning()) {
            return result(PtmResult.TPM_BAD_ORDINAL);
        }
        if (!state.lockForSetStateBlob()) {
            return new Reply(ints(PtmResult.TPM_IOERROR), true);
        }
        byte[] body = request.body();
        if (body.length < 12) {
            return result(PtmResult.TPM_BAD_PARAMETER);
        }
        long length = request.u32(8) & 0xffffffffL;
        if (length > MAX_STATE_BLOB) {
            return result(PtmResult.TPM_FAIL);
        }
        int available = body.length - 12;
        if (available > length) {
            return result(PtmResult.TPM_BAD_PARAMETER);
        }
        byte[] blob = java.util.Arrays.copyOfRange(body, 12, 12 + (int) length);
        try {
            int got = available + in.readNBytes(blob, available, (int) length - available);
            if (got < length) {
                return result(PtmResult.TPM_BAD_PARAMETER);
            }
        } catch (IOException e) {
            return result(PtmResult.TPM_IOERROR);
        }
        return result(state.setStateBlob(device, request.u32(4), (request.u32(0) & StoredState.STATE_FLAG_ENCRYPTED) != 0,
                blob));
    }

    /**
     * INIT: stop (automatic shutdown first), lock and load the stored state, resume from the stored
     * volatile state if there is one; DELETE_VOLATILE (bit 0) removes it once the TPM has read it.
     */
    private Reply init(int flags) {
        device.stop();
        int prepared = state.prepareInit(device);
        if (prepared != PtmResult.TPM_SUCCESS) {
            return result(prepared);
        }
        byte[] volatileState;
        try {
            volatileState = state.loadVolatile();
        } catch (IOException e) {
            return result(PtmResult.TPM_FAIL);
        }
        int rc = device.init(volatileState);
        if (rc == PtmResult.TPM_SUCCESS && (flags & INIT_FLAG_DELETE_VOLATILE) != 0) {
            try {
                state.deleteVolatile();
            } catch (IOException e) {
                return result(PtmResult.TPM_FAIL);
            }
        }
        return result(rc);
    }

    private Reply shutdown() {
        device.stop();
        return new Reply(ints(PtmResult.TPM_SUCCESS), true);
    }

    private Reply stop() {
        device.stop();
        return result(PtmResult.TPM_SUCCESS);
    }

    private Reply getTpmEstablished(int n) {
        if (!device.isRunning()) {
            return result(PtmResult.TPM_BAD_ORDINAL);
        }
        if (n != 0) {
            return result(PtmResult.TPM_BAD_PARAMETER);
        }
        byte[] bytes = new byte[8];
        bytes[4] = (byte) (device.isTpmEstablished() ? 1 : 0);
        return new Reply(bytes, false);
    }

    private Reply resetTpmEstablished(ControlRequest request) {
        if (!device.isRunning()) {
            return result(PtmResult.TPM_BAD_ORDINAL);
        }
        if (request.body().length < 1) {
            return result(PtmResult.TPM_BAD_PARAMETER);
        }
        return result(device.resetTpmEstablished(request.u8(0)));
    }

    private Reply noBodyWhileRunning(ControlCommand command, int n) {
        if (!device.isRunning()) {
            return result(PtmResult.TPM_BAD_ORDINAL);
        }
        if (n != 0) {
            return result(PtmResult.TPM_BAD_PARAMETER);
        }
        switch (command) {
            case HASH_START -> device.hashStart();
            case HASH_END -> device.hashEnd();
            case CANCEL_TPM_CMD -> device.cancel();
            default -> {
                try {
                    state.storeVolatile(device.volatileState());
                } catch (IOException | RuntimeException e) {
                    return result(PtmResult.TPM_FAIL);
                }
            }
        }
        return result(PtmResult.TPM_SUCCESS);
    }

    private Reply hashData(ControlRequest request, InputStream in) {
        if (!device.isRunning()) {
            return result(PtmResult.TPM_BAD_ORDINAL);
        }
        byte[] body = request.body();
        if (body.length < 4) {
            return result(PtmResult.TPM_BAD_PARAMETER);
        }
        long remain = request.u32(0) & 0xffffffffL;
        int available = body.length - 4;
        if (remain < available) {
            return result(PtmResult.TPM_BAD_PARAMETER);
        }
        byte[] chunk = java.util.Arrays.copyOfRange(body, 4, body.length);
        while (true) {
            device.hashData(chunk);
            remain -= chunk.length;
            if (remain == 0) {
                return result(PtmResult.TPM_SUCCESS);
            }
            try {
                chunk = in.readNBytes((int) Math.min(remain, 4096));
            } catch (IOException e) {
                return result(PtmResult.TPM_IOERROR);
            }
            if (chunk.length == 0) {
                return result(PtmResult.TPM_IOERROR);
            }
        }
    }

    private Reply setBufferSize(ControlRequest request) {
        if (request.body().length < 4) {
            return result(PtmResult.TPM_BAD_PARAMETER);
        }
        int requested = request.u32(0);
        if (requested != 0 && device.isRunning()) {
            return result(PtmResult.TPM_BAD_ORDINAL);
        }
        int size = device.setBufferSize(requested);
        return reply(false, PtmResult.TPM_SUCCESS, size, TpmDevice.MIN_BUFFER_SIZE, TpmDevice.MAX_BUFFER_SIZE);
    }

    private Reply getInfo(ControlRequest request) {
        if (request.body().length < 16) {
            return result(PtmResult.TPM_BAD_PARAMETER);
        }
        byte[] json = TpmInfo.json(request.u64(0)).getBytes(StandardCharsets.US_ASCII);
        long offset = request.u32(8) & 0xffffffffL;
        if (offset >= json.length) {
            return result(PtmResult.TPM_BAD_PARAMETER);
        }
        int total = json.length + 1;
        int length = (int) Math.min(total - offset, INFO_CHUNK);
        ByteBuffer out = ByteBuffer.allocate(12 + length);
        out.putInt(PtmResult.TPM_SUCCESS).putInt(total).putInt(length);
        out.put(json, (int) offset, Math.min(length, json.length - (int) offset));
        return new Reply(out.array(), false);
    }

    private static Reply result(int code) {
        return reply(false, code);
    }

    private static Reply reply(boolean exit, int... values) {
        return new Reply(ints(values), exit);
    }

    private static byte[] ints(int... values) {
        ByteBuffer out = ByteBuffer.allocate(4 * values.length);
        for (int v : values) {
            out.putInt(v);
        }
        return out.array();
    }
}
