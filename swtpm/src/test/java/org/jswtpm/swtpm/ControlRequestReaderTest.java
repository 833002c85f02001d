package org.jswtpm.swtpm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** How many bytes swtpm waits for before it handles a control request. */
class ControlRequestReaderTest {
    private static int needed(String hex) {
        byte[] b = TestServer.HEX.parseHex(hex.replace(" ", ""));
        return ControlRequestReader.needed(b, b.length);
    }

    @Test
    void minimumBytesPerCommand() {
        assertEquals(4, needed("0000"));
        assertEquals(4, needed("00000001"));
        assertEquals(8, needed("00000002"));
        assertEquals(5, needed("00000005"));
        assertEquals(5, needed("0000000b"));
        assertEquals(8, needed("00000007"));
        assertEquals(8 + 3, needed("00000007 00000003"));
        assertEquals(ControlRequestReader.BUFFER_SIZE, needed("00000007 00010000"));
        assertEquals(16, needed("0000000c"));
        assertEquals(16, needed("0000000d 00000000 00000001 00000002"), "the handler reads the data");
        assertEquals(4, needed("00000011"));
        assertEquals(4, needed("00000012"));
        assertEquals(4, needed("deadbeef"));
    }
}
