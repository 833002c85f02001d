package org.jswtpm.core.types;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.security.MessageDigest;
import java.util.HexFormat;
import org.jswtpm.core.TpmException;
import org.jswtpm.core.crypto.HashAlg;
import org.jswtpm.core.marshal.TpmReader;
import org.jswtpm.core.marshal.TpmWriter;
import org.junit.jupiter.api.Test;

/** Part 2, 13.5 / 13.6: TPMS_NV_PUBLIC and TPM2B_NV_PUBLIC codec, and the Name of an index. */
class NvPublicTest {
    static final NvPublic SAMPLE = new NvPublic(0x01500001, HashAlg.SHA256,
            TpmaNv.OWNERWRITE | TpmaNv.OWNERREAD | TpmaNv.NO_DA, new byte[32], 64);

    @Test
    void roundTripsAndGoldenBytes() throws TpmException {
        TpmWriter w = new TpmWriter();
        SAMPLE.writeSized(w);
        byte[] bytes = w.toByteArray();
        assertEquals("002e" + "01500001" + "000b" + "02020002" + "0020" + "00".repeat(32) + "0040",
                HexFormat.of().formatHex(bytes));
        NvPublic back = NvPublic.readSized(new TpmReader(bytes));
        assertEquals(SAMPLE, back);
        TpmWriter again = new TpmWriter();
        back.writeSized(again);
        assertArrayEquals(bytes, again.toByteArray());
    }

    @Test
    void nameIsNameAlgThenDigestOfThePublicArea() throws Exception {
        TpmWriter w = new TpmWriter();
        SAMPLE.write(w);
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(w.toByteArray());
        byte[] name = SAMPLE.name();
        assertEquals(34, name.length);
        assertEquals(0x000b, ((name[0] & 0xFF) << 8) | (name[1] & 0xFF));
        assertArrayEquals(digest, java.util.Arrays.copyOfRange(name, 2, 34));
    }

    @Test
    void typeHelpers() {
        int a = TpmaNv.withType(TpmaNv.AUTHREAD, TpmaNv.NT_PIN_PASS);
        assertEquals(TpmaNv.NT_PIN_PASS, TpmaNv.type(a));
        assertEquals(true, TpmaNv.isPin(a));
        assertEquals(true, TpmaNv.isUint64(TpmaNv.withType(0, TpmaNv.NT_COUNTER)));
        assertEquals(false, TpmaNv.isUint64(TpmaNv.withType(0, TpmaNv.NT_EXTEND)));
    }

    private static TpmRc error(String hex) {
        TpmReader r = new TpmReader(HexFormat.of().parseHex(hex)).parameter(2);
        return assertThrows(TpmException.class, () -> NvPublic.readSized(r)).rc();
    }

    @Test
    void malformedPublicAreasAreBlamedOnTheParameter() {
        assertEquals(TpmRc.SIZE.parameter(2), error("0000"));
        assertEquals(TpmRc.VALUE.parameter(2), error("000e" + "81000001" + "000b" + "00020002" + "0000" + "0008"));
        assertEquals(TpmRc.HASH.parameter(2), error("000e" + "01000001" + "0010" + "00020002" + "0000" + "0008"));
        assertEquals(TpmRc.RESERVED_BITS.parameter(2), error("000e" + "01000001" + "000b" + "00020102" + "0000" + "0008"));
        assertEquals(TpmRc.SIZE.parameter(2), error("000e" + "01000001" + "000b" + "00020002" + "0041" + "0008"));
        assertEquals(TpmRc.SIZE.parameter(2), error("000f" + "01000001" + "000b" + "00020002" + "0000" + "0008" + "00"));
        assertEquals(TpmRc.INSUFFICIENT.parameter(2), error("000e" + "01000001" + "000b" + "00020002" + "0000" + "00"));
    }
}
