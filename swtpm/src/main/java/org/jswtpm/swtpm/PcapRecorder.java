package org.jswtpm.swtpm;

import com.sun.jna.LastErrorException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.concurrent.ThreadLocalRandom;

/**
 * {@code --pcap file=<path>|fd=<fd>[,truncate][,mode=0<mode>][,checksums]}: every TPM command and response
 * of the data channel, and the ones the process sends itself (the start-up {@code TPM2_Startup}, the
 * automatic {@code TPM2_Shutdown}), written to a pcapng file as a simulated TCP conversation between
 * 127.0.0.1:&lt;random port in [50000, 55000)&gt; and the TPM on 127.0.0.1:2321, so that Wireshark's
 * TPM 2.0 dissector decodes it — the layout of swtpm 0.11's {@code --pcap}: a section header and an
 * Ethernet interface block, a SYN / SYN+ACK / ACK exchange, one enhanced packet block per command or
 * response, and a FIN / FIN+ACK / ACK exchange when the process ends. The pcapng blocks are in this
 * machine's byte order, the packet headers in network order; IP and TCP checksums are zero unless
 * {@code checksums} is given. Data segments carry PSH+ACK (swtpm leaves their flags empty). As in swtpm,
 * a failed write is ignored: the trace never stops the TPM.
 */
public final class PcapRecorder {
    /** The parsed {@code --pcap} option: a file or a descriptor, and how to open it. */
    public record Options(Path file, int fd, boolean truncate, int mode, boolean checksums) {
    }

    /** The TPM's port: Wireshark decodes TCP port 2321 as TPM 2.0. */
    static final int TPM_PORT = 2321;
    private static final int SHB = 0x0A0D0D0A;
    private static final int IDB = 0x00000001;
    private static final int EPB = 0x00000006;
    private static final int ETHERNET = 1;
    private static final int HEADERS = 14 + 20 + 20;
    private static final int EPB_HEADER = 28;
    private static final int LOOPBACK = 0x7F000001;
    static final int FIN = 0x01;
    static final int SYN = 0x02;
    static final int PSH = 0x08;
    static final int ACK = 0x10;

    private final FileChannel out;
    private final int ownedFd;
    private final boolean checksums;
    private final int clientPort;
    private int clientSeq;
    private int tpmSeq;
    private boolean closed;

    private PcapRecorder(FileChannel out, int ownedFd, boolean checksums, int clientPort, int clientSeq,
            int tpmSeq) {
        this.out = out;
        this.ownedFd = ownedFd;
        this.checksums = checksums;
        this.clientPort = clientPort;
        this.clientSeq = clientSeq;
        this.tpmSeq = tpmSeq;
    }

    /**
     * Opens the trace as swtpm does — a file with {@code O_NOFOLLOW}, appended to unless {@code truncate};
     * a descriptor positioned at its end (or truncated) — sets its mode (0640 unless {@code mode=}) and
     * writes the file header and the connection's opening handshake.
     *
     * @throws IOException with swtpm's message if the file or descriptor cannot be used
     */
    public static PcapRecorder open(Options options) throws IOException {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        int port = random.nextInt(50000, 55000);
        PcapRecorder recorder;
        if (options.file() != null) {
            FileChannel channel;
            try {
                channel = FileChannel.open(options.file(), StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                        options.truncate() ? StandardOpenOption.TRUNCATE_EXISTING : StandardOpenOption.APPEND,
                        LinkOption.NOFOLLOW_LINKS);
            } catch (IOException e) {
                throw new IOException("Could not open pcap file for writing: " + e.getMessage(), e);
            }
            try {
                Files.setPosixFilePermissions(options.file(), UnixListener.permissions(options.mode()));
            } catch (IOException | UnsupportedOperationException e) {
                channel.close();
                throw new IOException("Could not chmod the pcap file: " + e.getMessage(), e);
            }
            recorder = new PcapRecorder(channel, -1, options.checksums(), port, random.nextInt(), random.nextInt());
        } else {
            int fd = options.fd();
            try {
                if (options.truncate()) {
                    LibC.ftruncate(fd, 0);
                }
                LibC.lseek(fd, 0, options.truncate() ? LibC.SEEK_SET : LibC.SEEK_END);
            } catch (LastErrorException e) {
                throw new IOException("Could not seek to desired position in pcap file: "
                        + UnixFds.strerror(e.getErrorCode()), e);
            }
            try {
                LibC.fchmod(fd, options.mode());
            } catch (LastErrorException e) {
                throw new IOException("Could not chmod the pcap file: " + UnixFds.strerror(e.getErrorCode()), e);
            }
            recorder = new PcapRecorder(null, fd, options.checksums(), port, random.nextInt(), random.nextInt());
        }
        recorder.start();
        return recorder;
    }

    /** A recorder writing to {@code channel}, for tests: fixed port and sequence numbers. */
    static PcapRecorder to(FileChannel channel, boolean checksums, int clientPort, int clientSeq, int tpmSeq) {
        PcapRecorder recorder = new PcapRecorder(channel, -1, checksums, clientPort, clientSeq, tpmSeq);
        recorder.start();
        return recorder;
    }

    private void start() {
        ByteBuffer header = ByteBuffer.allocate(28 + 20).order(ByteOrder.nativeOrder());
        header.putInt(SHB).putInt(28).putInt(0x1A2B3C4D).putShort((short) 1).putShort((short) 0)
                .putLong(-1L).putInt(28);
        header.putInt(IDB).putInt(20).putShort((short) ETHERNET).putShort((short) 0).putInt(0).putInt(20);
        write(header.flip());
        handshake(SYN);
    }

    /** A command on its way to the TPM. */
    public synchronized void command(byte[] command) {
        segment(true, PSH | ACK, command);
        clientSeq += command.length;
    }

    /** The TPM's response. */
    public synchronized void response(byte[] response) {
        segment(false, PSH | ACK, response);
        tpmSeq += response.length;
    }

    /** Writes the closing handshake and closes the file or descriptor; later calls do nothing. */
    public synchronized void close() {
        if (closed) {
            return;
        }
        handshake(FIN);
        closed = true;
        if (out != null) {
            try {
                out.close();
            } catch (IOException e) {
                // nothing more to lose
            }
        } else {
            UnixFds.closeQuietly(ownedFd);
        }
    }

    /** SYN (or FIN) from the client, SYN+ACK (FIN+ACK) from the TPM, the client's ACK. */
    private void handshake(int flag) {
        segment(true, flag, new byte[0]);
        clientSeq++;
        segment(false, flag | ACK, new byte[0]);
        tpmSeq++;
        segment(true, ACK, new byte[0]);
    }

    private void segment(boolean toTpm, int flags, byte[] payload) {
        if (closed) {
            return;
        }
        int captured = HEADERS + payload.length;
        int padding = (4 - (captured & 3)) & 3;
        int total = EPB_HEADER + captured + padding + 4;
        ByteBuffer b = ByteBuffer.allocate(total).order(ByteOrder.nativeOrder());
        Instant now = Instant.now();
        long micros = now.getEpochSecond() * 1_000_000L + now.getNano() / 1000;
        b.putInt(EPB).putInt(total).putInt(0).putInt((int) (micros >>> 32)).putInt((int) micros)
                .putInt(captured).putInt(captured);
        b.order(ByteOrder.BIG_ENDIAN);
        int ip = b.position() + 14;
        b.put(new byte[12]).putShort((short) 0x0800);
        b.put((byte) 0x45).put((byte) 0x10).putShort((short) (40 + payload.length)).putShort((short) 0x069b)
                .putShort((short) 0x4000).put((byte) 64).put((byte) 6).putShort((short) 0)
                .putInt(LOOPBACK).putInt(LOOPBACK);
        int tcp = b.position();
        int seq = toTpm ? clientSeq : tpmSeq;
        int ack = flags == SYN ? 0 : toTpm ? tpmSeq : clientSeq;
        b.putShort((short) (toTpm ? clientPort : TPM_PORT)).putShort((short) (toTpm ? TPM_PORT : clientPort))
                .putInt(seq).putInt(ack).put((byte) 0x50).put((byte) flags).putShort((short) 0xffc4)
                .putShort((short) 0).putShort((short) 0);
        b.put(payload);
        if (checksums) {
            b.putShort(tcp + 16, (short) tcpChecksum(b, ip, tcp, 20 + payload.length));
            b.putShort(ip + 10, (short) checksum(b.array(), ip, 20, 0));
        }
        b.put(new byte[padding]);
        b.order(ByteOrder.nativeOrder()).putInt(total);
        write(b.flip());
    }

    /** The TCP checksum: the pseudo header (addresses, protocol 6, length), the segment. */
    private static int tcpChecksum(ByteBuffer b, int ip, int tcp, int length) {
        long pseudo = 0;
        for (int i = 12; i < 20; i += 2) {
            pseudo += ((b.get(ip + i) & 0xff) << 8) | (b.get(ip + i + 1) & 0xff);
        }
        pseudo += 6 + length;
        return checksum(b.array(), tcp, length, pseudo);
    }

    /** The Internet checksum (RFC 1071) of {@code length} bytes at {@code offset}, plus {@code initial}. */
    static int checksum(byte[] data, int offset, int length, long initial) {
        long sum = initial;
        for (int i = 0; i + 1 < length; i += 2) {
            sum += ((data[offset + i] & 0xff) << 8) | (data[offset + i + 1] & 0xff);
        }
        if ((length & 1) != 0) {
            sum += (data[offset + length - 1] & 0xff) << 8;
        }
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xffff) + (sum >>> 16);
        }
        return (int) (~sum & 0xffff);
    }

    private void write(ByteBuffer b) {
        try {
            if (out != null) {
                while (b.hasRemaining()) {
                    out.write(b);
                }
            } else {
                UnixFds.writeAll(ownedFd, b.array(), 0, b.limit());
            }
        } catch (IOException e) {
            // as swtpm: errors writing the trace are ignored
        }
    }
}
