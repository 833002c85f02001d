package org.jswtpm.core.differential;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import org.jswtpm.core.Tpm;
import org.jswtpm.core.Tpm2;
import org.jswtpm.core.marshal.TpmWriter;
import org.jswtpm.core.types.TpmCc;
import org.jswtpm.core.types.TpmRh;
import org.junit.jupiter.api.Test;

/**
 * PolicyLocality enforced at authorization time (Part 3, 23.8), compared with Debian's swtpm, whose
 * locality is set through its control channel (CMD_SET_LOCALITY): the owner's authPolicy asks for
 * locality 3, a ClockSet from locality 0 is TPM_RC_LOCALITY and the same from locality 3 succeeds, on
 * both TPMs. Skipped without swtpm unless {@code jswtpm.requireTools} is true.
 */
class DifferentialPolicyLocalityTest {
    static final HexFormat HEX = HexFormat.of();
    static final int CMD_SET_LOCALITY = 5;
    static final int POLICY_SESSION = 0x03000000;

    @Test
    void policyLocalityAtTheRightAndWrongLocality() throws Exception {
        Path binary = SwtpmProcess.require();
        Tpm ours = Tpm2.builder().deterministicSeed("jswtpm differential".getBytes(StandardCharsets.US_ASCII))
                .build();
        Path dir = Files.createTempDirectory("jswtpm-locality-");
        int port = freePort();
        int ctrl = freePort();
        Process swtpm = new ProcessBuilder(List.of(binary.toString(), "socket", "--tpm2",
                "--server", "type=tcp,port=" + port + ",bindaddr=127.0.0.1",
                "--ctrl", "type=tcp,port=" + ctrl + ",bindaddr=127.0.0.1",
                "--tpmstate", "dir=" + Files.createDirectory(dir.resolve("state")), "--flags", "not-need-init"))
                .redirectErrorStream(true).redirectOutput(dir.resolve("swtpm.out").toFile()).start();
        try {
            awaitListening(port);
            byte[] startup = command(TpmCc.Startup, new int[0], null, new TpmWriter().u16(0).toByteArray());
            both(ours, port, 0, startup, 0);
            byte[] sas = command(TpmCc.StartAuthSession, new int[] {TpmRh.NULL, TpmRh.NULL}, null,
                    new TpmWriter().tpm2b(new byte[32]).u16(0).u8(1).u16(0x10).u16(0x0B).toByteArray());
            both(ours, port, 0, sas, 0);
            byte[] policy = sha(new byte[32], u32(TpmCc.PolicyLocality.code()), new byte[] {0x08});
            both(ours, port, 0, command(TpmCc.SetPrimaryPolicy, new int[] {TpmRh.OWNER}, password(),
                    new TpmWriter().tpm2b(policy).u16(0x0B).toByteArray()), 0);
            byte[] locality = command(TpmCc.PolicyLocality, new int[] {POLICY_SESSION}, null, new byte[] {0x08});
            byte[] clockSet = command(TpmCc.ClockSet, new int[] {TpmRh.OWNER}, policySession(),
                    new TpmWriter().u64(1L << 40).toByteArray());
            both(ours, port, 0, locality, 0);
            assertEquals(0x907, both(ours, port, 0, clockSet, -1), "TPM_RC_LOCALITY at locality 0");
            setLocality(ctrl, 3);
            assertEquals(0, both(ours, port, 3, clockSet, -1), "success at locality 3");
            setLocality(ctrl, 0);
            both(ours, port, 0, locality, 0);
            both(ours, port, 0, command(TpmCc.PolicyLocality, new int[] {POLICY_SESSION}, null, new byte[] {0x10}),
                    -1);
        } finally {
            swtpm.destroy();
            swtpm.waitFor();
        }
    }

    /**
     * Sends {@code cmd} to both TPMs at {@code locality}; the response codes must agree (and equal
     * {@code expected} unless it is -1). Returns the response code.
     */
    static int both(Tpm ours, int port, int locality, byte[] cmd, int expected) throws IOException {
        byte[] a = ours.execute(locality, cmd);
        byte[] b = send(port, cmd);
        int rcOurs = rc(a);
        int rcTheirs = rc(b);
        assertEquals(rcTheirs, rcOurs, () -> "command " + HEX.formatHex(cmd) + "\n  jswtpm: " + HEX.formatHex(a)
                + "\n  swtpm:  " + HEX.formatHex(b));
        if (expected >= 0) {
            assertEquals(expected, rcOurs, () -> "command " + HEX.formatHex(cmd));
        }
        return rcOurs;
    }

    static int rc(byte[] response) {
        return ((response[6] & 0xFF) << 24) | ((response[7] & 0xFF) << 16) | ((response[8] & 0xFF) << 8)
                | (response[9] & 0xFF);
    }

    static byte[] password() {
        return new TpmWriter().u32(TpmRh.PW).u16(0).u8(1).u16(0).toByteArray();
    }

    static byte[] policySession() {
        return new TpmWriter().u32(POLICY_SESSION).tpm2b(new byte[32]).u8(1).u16(0).toByteArray();
    }

    static byte[] command(TpmCc cc, int[] handles, byte[] auth, byte[] params) {
        TpmWriter body = new TpmWriter();
        for (int h : handles) {
            body.u32(h);
        }
        if (auth != null) {
            body.u32(auth.length).bytes(auth);
        }
        body.bytes(params);
        byte[] b = body.toByteArray();
        return new TpmWriter().u16(auth != null ? 0x8002 : 0x8001).u32(10 + b.length).u32(cc.code()).bytes(b)
                .toByteArray();
    }

    static byte[] sha(byte[]... parts) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        for (byte[] p : parts) {
            md.update(p);
        }
        return md.digest();
    }

    static byte[] u32(int v) {
        return new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v};
    }

    static byte[] send(int port, byte[] cmd) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 3000);
            s.setSoTimeout(3000);
            OutputStream out = s.getOutputStream();
            out.write(cmd);
            out.flush();
            DataInputStream in = new DataInputStream(s.getInputStream());
            byte[] head = new byte[10];
            in.readFully(head);
            int size = ((head[2] & 0xFF) << 24) | ((head[3] & 0xFF) << 16) | ((head[4] & 0xFF) << 8) | (head[5] & 0xFF);
            byte[] all = new byte[size];
            System.arraycopy(head, 0, all, 0, 10);
            in.readFully(all, 10, size - 10);
            return all;
        }
    }

    /** CMD_SET_LOCALITY on swtpm's control channel; its answer must be 0. */
    static void setLocality(int ctrl, int locality) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), ctrl), 3000);
            s.setSoTimeout(3000);
            s.getOutputStream().write(new byte[] {0, 0, 0, CMD_SET_LOCALITY, (byte) locality});
            s.getOutputStream().flush();
            InputStream in = s.getInputStream();
            byte[] result = new DataInputStream(in).readNBytes(4);
            assertEquals(0, rc(new byte[] {0, 0, 0, 0, 0, 0, result[0], result[1], result[2], result[3]}),
                    "CMD_SET_LOCALITY");
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    static void awaitListening(int port) throws Exception {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (System.nanoTime() < deadline) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
                return;
            } catch (IOException notYet) {
                Thread.sleep(50);
            }
        }
        throw new IOException("swtpm did not listen on port " + port);
    }
}
