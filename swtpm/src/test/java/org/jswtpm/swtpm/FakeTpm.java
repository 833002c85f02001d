package org.jswtpm.swtpm;

import java.util.ArrayList;
import java.util.List;
import org.jswtpm.core.StateKind;
import org.jswtpm.core.Tpm;

/**
 * A stand-in TPM for protocol tests: records what it was asked and answers every command with a fixed
 * success response that echoes the locality in its last byte. {@code TPM2_Startup} and
 * {@code TPM2_Shutdown} behave as on a real TPM (Shutdown before Startup gets TPM_RC_INITIALIZE).
 */
class FakeTpm implements Tpm {
    final List<String> events = new ArrayList<>();
    final List<byte[]> commands = new ArrayList<>();
    boolean running;
    boolean started;
    boolean established;
    int hashedBytes;

    @Override
    public synchronized void init() {
        running = true;
        started = false;
        events.add("init");
    }

    @Override
    public synchronized void stop() {
        running = false;
        events.add("stop");
    }

    @Override
    public synchronized boolean isRunning() {
        return running;
    }

    @Override
    public synchronized byte[] execute(int locality, byte[] command) {
        commands.add(command.clone());
        if (!running) {
            return TpmDevice.NOT_RUNNING_RESPONSE.clone();
        }
        int cc = command.length >= 10 ? TpmDevice.readInt(command, 6) : 0;
        if (cc == 0x144) {
            events.add("startup " + command[11]);
            started = true;
        } else if (cc == 0x145) {
            events.add("shutdown " + command[11]);
            if (!started) {
                return new byte[] {(byte) 0x80, 1, 0, 0, 0, 10, 0, 0, 1, 0};
            }
        }
        return new byte[] {(byte) 0x80, 1, 0, 0, 0, 11, 0, 0, 0, 0, (byte) locality};
    }

    @Override
    public synchronized void hashStart() {
        events.add("hashStart");
        established = true;
    }

    @Override
    public synchronized void hashData(byte[] data) {
        hashedBytes += data.length;
    }

    @Override
    public synchronized void hashEnd() {
        events.add("hashEnd " + hashedBytes);
    }

    @Override
    public synchronized boolean isTpmEstablished() {
        return established;
    }

    @Override
    public synchronized boolean resetTpmEstablished(int locality) {
        if (locality < 3) {
            return false;
        }
        established = false;
        return true;
    }

    @Override
    public synchronized void cancel() {
        events.add("cancel");
    }

    @Override
    public byte[] getState(StateKind kind) {
        return kind == StateKind.VOLATILE ? new byte[] {1, 2, 3} : null;
    }

    @Override
    public synchronized void setState(StateKind kind, byte[] blob) {
        if (running) {
            throw new IllegalStateException("running");
        }
        events.add("setState " + kind.swtpmName() + " " + blob.length);
    }

    synchronized List<String> events() {
        return new ArrayList<>(events);
    }
}
