package org.jswtpm.core.testing;

import java.io.ByteArrayOutputStream;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.jswtpm.core.StateKind;
import org.jswtpm.core.Tpm;

/**
 * A stand-in TPM for register-level and transport tests: it answers every command with a success response whose
 * parameters are the command's locality followed by its bytes after the header, records what the
 * platform did (cancel, hash sequence, establishment), and can hold a command until released.
 */
public class EchoTpm implements Tpm {
    public final ByteArrayOutputStream hashed = new ByteArrayOutputStream();
    public int executed;
    public int cancels;
    public int hashStarts;
    public int hashEnds;
    public int lastLocality = -1;
    public volatile CountDownLatch gate;
    private boolean established;

    public static byte[] responseFor(int locality, byte[] command) {
        int params = Math.max(0, command.length - 10);
        byte[] rsp = new byte[10 + 1 + params];
        rsp[0] = (byte) 0x80;
        rsp[1] = 0x01;
        rsp[5] = (byte) rsp.length;
        rsp[4] = (byte) (rsp.length >> 8);
        rsp[10] = (byte) locality;
        System.arraycopy(command, 10 > command.length ? command.length : 10, rsp, 11, params);
        return rsp;
    }

    @Override
    public byte[] execute(int locality, byte[] command) {
        CountDownLatch g = gate;
        if (g != null) {
            try {
                g.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        synchronized (this) {
            executed++;
            lastLocality = locality;
        }
        return responseFor(locality, command);
    }

    @Override
    public void init() {
    }

    @Override
    public void stop() {
    }

    @Override
    public boolean isRunning() {
        return true;
    }

    @Override
    public void hashStart() {
        hashStarts++;
        established = true;
    }

    @Override
    public void hashData(byte[] data) {
        hashed.writeBytes(data);
    }

    @Override
    public void hashEnd() {
        hashEnds++;
    }

    @Override
    public boolean isTpmEstablished() {
        return established;
    }

    @Override
    public boolean resetTpmEstablished(int locality) {
        if (locality < 3) {
            return false;
        }
        established = false;
        return true;
    }

    @Override
    public synchronized void cancel() {
        cancels++;
    }

    @Override
    public byte[] getState(StateKind kind) {
        return null;
    }

    @Override
    public void setState(StateKind kind, byte[] blob) {
    }
}
