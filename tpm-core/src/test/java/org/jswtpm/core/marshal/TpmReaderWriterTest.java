package org.jswtpm.core.marshal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.jswtpm.core.TpmException;
import org.jswtpm.core.types.TpmRc;
import org.junit.jupiter.api.Test;

class TpmReaderWriterTest {
    @Test
    void roundTripsEveryPrimitive() throws TpmException {
        TpmWriter w = new TpmWriter(1);
        w.u8(0xAB).u16(0xBEEF).u32(0xDEADBEEF).u64(0x0102030405060708L).tpm2b(new byte[] {9, 8, 7});
        byte[] bytes = w.toByteArray();
        assertArrayEquals(new byte[] {(byte) 0xAB, (byte) 0xBE, (byte) 0xEF, (byte) 0xDE, (byte) 0xAD,
            (byte) 0xBE, (byte) 0xEF, 1, 2, 3, 4, 5, 6, 7, 8, 0, 3, 9, 8, 7}, bytes);
        TpmReader r = new TpmReader(bytes);
        assertEquals(0xAB, r.u8());
        assertEquals(0xBEEF, r.u16());
        assertEquals(0xDEADBEEF, r.u32());
        assertEquals(0x0102030405060708L, r.u64());
        assertArrayEquals(new byte[] {9, 8, 7}, r.tpm2b(3));
        r.expectEnd();
    }

    @Test
    void readingPastTheEndIsInsufficientOnTheCurrentParameter() {
        TpmReader r = new TpmReader(new byte[] {0, 1, 2});
        TpmException e = assertThrows(TpmException.class, () -> r.parameter(2).u32());
        assertEquals(TpmRc.INSUFFICIENT.parameter(2), e.rc());
        assertEquals(0x2DA, e.rc().value());
    }

    @Test
    void oversizedTpm2bIsSize() {
        TpmReader r = new TpmReader(new byte[] {0, 5, 1, 2, 3, 4, 5});
        TpmException e = assertThrows(TpmException.class, () -> r.parameter(1).tpm2b(4));
        assertEquals(0x1D5, e.rc().value());
    }

    @Test
    void leftoverBytesAreSize() {
        TpmReader r = new TpmReader(new byte[] {0, 0});
        assertEquals(TpmRc.SIZE, assertThrows(TpmException.class, r::expectEnd).rc());
    }

    @Test
    void sizedFieldsAreBackfilled() {
        TpmWriter w = new TpmWriter();
        int at = w.startSized16();
        w.u32(7);
        w.endSized16(at);
        int at32 = w.startSized32();
        w.u8(1);
        w.endSized32(at32);
        assertArrayEquals(new byte[] {0, 4, 0, 0, 0, 7, 0, 0, 0, 1, 1}, w.toByteArray());
    }

    @Test
    void sliceBlamesTheSameParameterAndAdvances() throws TpmException {
        TpmReader r = new TpmReader(new byte[] {1, 2, 3, 4});
        TpmReader s = r.parameter(3).slice(2);
        assertEquals(0x0102, s.u16());
        assertEquals(TpmRc.INSUFFICIENT.parameter(3), assertThrows(TpmException.class, s::u8).rc());
        assertEquals(0x0304, r.u16());
    }
}
