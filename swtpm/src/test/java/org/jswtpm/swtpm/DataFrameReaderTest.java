package org.jswtpm.swtpm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Data-channel framing on byte streams, without sockets. */
class DataFrameReaderTest {
    private static DataFrameReader reader(String hex) {
        return new DataFrameReader(new ByteArrayInputStream(TestServer.HEX.parseHex(hex.replace(" ", ""))));
    }

    @Test
    void rawCommandsBackToBack() throws Exception {
        DataFrameReader r = reader("80010000000a00000181 80020000000c0000017b0008");
        DataFrame first = r.next(4096);
        assertFalse(first.prefixed());
        assertEquals(-1, first.locality());
        assertEquals("80010000000a00000181", TestServer.HEX.formatHex(first.command()));
        assertEquals(12, r.next(4096).command().length);
        assertNull(r.next(4096));
    }

    @Test
    void prefixedCommand() throws Exception {
        DataFrame f = reader("00000008 03 0000000a 80010000000a00000181").next(4096);
        assertTrue(f.prefixed());
        assertEquals(3, f.locality());
        assertArrayEquals(TestServer.HEX.parseHex("80010000000a00000181"), f.command());
    }

    @Test
    void commandOfExactlyTheBufferSizeIsAccepted() throws Exception {
        byte[] cmd = new byte[4096];
        cmd[0] = (byte) 0x80;
        cmd[1] = 1;
        cmd[4] = 0x10;
        assertEquals(4096, new DataFrameReader(new ByteArrayInputStream(cmd)).next(4096).command().length);
        assertThrows(DataFrameReader.BadFrameException.class,
                () -> new DataFrameReader(new ByteArrayInputStream(cmd)).next(4095));
    }

    @Test
    void impossibleSizes() {
        DataFrameReader.BadFrameException e = assertThrows(DataFrameReader.BadFrameException.class,
                () -> reader("800100000009000001810000").next(4096));
        assertEquals("80010000000a00000142", TestServer.HEX.formatHex(e.response()));
        assertThrows(DataFrameReader.BadFrameException.class, () -> reader("8001ffffffff00000181").next(4096));
        assertThrows(DataFrameReader.BadFrameException.class, () -> reader("00000008 00 ffffffff").next(4096));
    }

    @Test
    void truncatedFrames() {
        assertThrows(EOFException.class, () -> reader("8001").next(4096));
        assertThrows(EOFException.class, () -> reader("80010000").next(4096));
        assertThrows(EOFException.class, () -> reader("80010000000c00000181").next(4096));
        assertThrows(EOFException.class, () -> reader("00000008 00 0000000a 8001").next(4096));
    }

    /** A connection whose reads return at most {@code chunk} bytes each, recording timeouts set. */
    private static final class ChunkedConnection implements Connection {
        final List<Integer> timeouts = new ArrayList<>();
        int reads;
        private final InputStream in;

        ChunkedConnection(String hex, int chunk) {
            ByteArrayInputStream bytes = new ByteArrayInputStream(TestServer.HEX.parseHex(hex.replace(" ", "")));
            in = new InputStream() {
                @Override
                public int read() {
                    throw new UnsupportedOperationException();
                }

                @Override
                public int read(byte[] b, int off, int len) {
                    reads++;
                    return bytes.read(b, off, Math.min(len, chunk));
                }
            };
        }

        @Override
        public InputStream in() {
            return in;
        }

        @Override
        public OutputStream out() {
            return OutputStream.nullOutputStream();
        }

        @Override
        public void timeout(int millis) {
            timeouts.add(millis);
        }

        @Override
        public String describe() {
            return "test";
        }

        @Override
        public void close() throws IOException {
        }
    }

    @Test
    void wholeCommandsTakeOneReadEachAndNeverATimeout() throws Exception {
        ChunkedConnection c = new ChunkedConnection("80010000000a00000181 80020000000c0000017b0008", 4096);
        DataFrameReader r = new DataFrameReader(c, 2000);
        assertEquals(10, r.next(4096).command().length);
        assertEquals(12, r.next(4096).command().length);
        assertNull(r.next(4096));
        assertEquals(2, c.reads, "one read for both commands (read ahead), one for the end of the stream");
        assertEquals(List.of(), c.timeouts);
    }

    @Test
    void framesSplitAcrossReadsUseTheFrameTimeoutThenWaitWithoutLimit() throws Exception {
        ChunkedConnection c = new ChunkedConnection(
                "80010000000a00000181 00000008 02 0000000c 80020000000c0000017b0008 80010000000a00000181", 3);
        DataFrameReader r = new DataFrameReader(c, 2000);
        assertEquals("80010000000a00000181", TestServer.HEX.formatHex(r.next(4096).command()));
        DataFrame prefixed = r.next(4096);
        assertTrue(prefixed.prefixed());
        assertEquals(2, prefixed.locality());
        assertEquals("80020000000c0000017b0008", TestServer.HEX.formatHex(prefixed.command()));
        assertEquals("80010000000a00000181", TestServer.HEX.formatHex(r.next(4096).command()));
        assertNull(r.next(4096));
        assertEquals(2000, c.timeouts.get(0));
        assertEquals(0, c.timeouts.get(c.timeouts.size() - 1));
    }

    @Test
    void aCommandLargerThanTheInitialBufferIsFramed() throws Exception {
        byte[] cmd = new byte[9000];
        cmd[0] = (byte) 0x80;
        cmd[1] = 1;
        cmd[4] = 0x23;
        cmd[5] = 0x28;
        cmd[8999] = 7;
        DataFrameReader r = new DataFrameReader(new ByteArrayInputStream(cmd));
        assertArrayEquals(cmd, r.next(10000).command());
        assertNull(r.next(10000));
    }
}
