package org.jswtpm.swtpm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The pcapng layout of {@code --pcap}, read back block by block (PcapIT has tshark read it). */
class PcapRecorderTest {
    private static final HexFormat HEX = HexFormat.of();

    @TempDir
    Path dir;

    /** One enhanced packet block: the TCP fields that matter and the payload. */
    private record Segment(int srcPort, int dstPort, long seq, long ack, int flags, byte[] payload, byte[] packet) {
    }

    private List<Segment> record(boolean checksums, byte[]... exchange) throws Exception {
        Path file = dir.resolve("t.pcapng");
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            PcapRecorder recorder = PcapRecorder.to(channel, checksums, 51000, 1000, 5000);
            for (int i = 0; i < exchange.length; i++) {
                if (i % 2 == 0) {
                    recorder.command(exchange[i]);
                } else {
                    recorder.response(exchange[i]);
                }
            }
            recorder.close();
        }
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.nativeOrder());
        assertEquals(0x0A0D0D0A, b.getInt(0));
        assertEquals(28, b.getInt(4));
        assertEquals(0x1A2B3C4D, b.getInt(8));
        assertEquals(28, b.getInt(24));
        assertEquals(1, b.getInt(28), "interface description block");
        assertEquals(1, b.getShort(36), "link type Ethernet");
        List<Segment> segments = new ArrayList<>();
        for (int at = 48; at < b.limit(); ) {
            assertEquals(6, b.getInt(at), "enhanced packet block");
            int total = b.getInt(at + 4);
            assertEquals(0, total % 4);
            assertEquals(total, b.getInt(at + total - 4), "trailing length");
            int captured = b.getInt(at + 20);
            byte[] packet = Arrays.copyOfRange(b.array(), at + 28, at + 28 + captured);
            ByteBuffer p = ByteBuffer.wrap(packet);
            assertEquals(0x0800, p.getShort(12));
            assertEquals(0x45, p.get(14));
            assertEquals(captured - 14, p.getShort(16), "IP total length");
            assertEquals(0x7F000001, p.getInt(26));
            assertEquals(0x7F000001, p.getInt(30));
            segments.add(new Segment(p.getShort(34) & 0xffff, p.getShort(36) & 0xffff, p.getInt(38) & 0xffffffffL,
                    p.getInt(42) & 0xffffffffL, p.get(47) & 0xff, Arrays.copyOfRange(packet, 54, captured), packet));
            at += total;
        }
        return segments;
    }

    @Test
    void aConversationWithHandshakesAndSequenceNumbers() throws Exception {
        byte[] command = HEX.parseHex("80010000000c0000017b0008");
        byte[] response = HEX.parseHex("8001000000140000000000080102030405060708");
        List<Segment> s = record(false, command, response);
        assertEquals(8, s.size());
        int[] flags = {0x02, 0x12, 0x10, 0x18, 0x18, 0x01, 0x11, 0x10};
        int[] from = {51000, 2321, 51000, 51000, 2321, 51000, 2321, 51000};
        long[] seq = {1000, 5000, 1001, 1001, 5001, 1013, 5021, 1014};
        long[] ack = {0, 1001, 5001, 5001, 1013, 5021, 1014, 5022};
        for (int i = 0; i < 8; i++) {
            assertEquals(flags[i], s.get(i).flags(), "flags of segment " + i);
            assertEquals(from[i], s.get(i).srcPort(), "source of segment " + i);
            assertEquals(from[i] == 2321 ? 51000 : 2321, s.get(i).dstPort());
            assertEquals(seq[i], s.get(i).seq(), "seq of segment " + i);
            assertEquals(ack[i], s.get(i).ack(), "ack of segment " + i);
            assertEquals(0, ByteBuffer.wrap(s.get(i).packet()).getShort(24), "no IP checksum unless asked");
        }
        assertArrayEquals(command, s.get(3).payload());
        assertArrayEquals(response, s.get(4).payload());
    }

    @Test
    void checksumsVerifyWhenAsked() throws Exception {
        List<Segment> s = record(true, HEX.parseHex("80010000000b00000145ff"), HEX.parseHex("80010000000a00000000"));
        for (Segment segment : s) {
            byte[] p = segment.packet();
            assertEquals(0xffff, onesComplementSum(p, 14, 20, 0), "IP header sums to all ones");
            int tcpLength = p.length - 34;
            long pseudo = ((p[26] & 0xff) << 8 | (p[27] & 0xff)) + ((p[28] & 0xff) << 8 | (p[29] & 0xff))
                    + ((p[30] & 0xff) << 8 | (p[31] & 0xff)) + ((p[32] & 0xff) << 8 | (p[33] & 0xff)) + 6 + tcpLength;
            assertEquals(0xffff, onesComplementSum(p, 34, tcpLength, pseudo), "TCP segment sums to all ones");
        }
    }

    /** RFC 1071's sum, written here independently of the recorder. */
    private static int onesComplementSum(byte[] data, int offset, int length, long initial) {
        long sum = initial;
        for (int i = 0; i < length; i += 2) {
            int hi = data[offset + i] & 0xff;
            int lo = i + 1 < length ? data[offset + i + 1] & 0xff : 0;
            sum += (hi << 8) | lo;
        }
        while (sum > 0xffff) {
            sum = (sum & 0xffff) + (sum >> 16);
        }
        return (int) sum;
    }
}
