package org.jswtpm.swtpm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
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
}
