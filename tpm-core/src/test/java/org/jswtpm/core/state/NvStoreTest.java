package org.jswtpm.core.state;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.jswtpm.core.StateFormatException;
import org.jswtpm.core.crypto.CtrDrbg;
import org.jswtpm.core.crypto.HashAlg;
import org.jswtpm.core.marshal.TpmWriter;
import org.jswtpm.core.types.NvPublic;
import org.jswtpm.core.types.TpmaNv;
import org.junit.jupiter.api.Test;

/** The NV section of the permanent state: round trips, orderly indices, and reading version-1 blobs. */
class NvStoreTest {
    static PermanentState manufactured() {
        return PermanentState.manufacture(new CtrDrbg("nv store test seed".getBytes(StandardCharsets.US_ASCII)));
    }

    static NvIndex index(int handle, int attributes, int size) {
        return new NvIndex(new NvPublic(handle, HashAlg.SHA256, attributes, new byte[0], size), "pw".getBytes());
    }

    @Test
    void indicesRoundTripThroughThePermanentState() throws StateFormatException {
        PermanentState p = manufactured();
        NvIndex ordinary = index(0x01000001, TpmaNv.OWNERREAD | TpmaNv.OWNERWRITE, 4);
        ordinary.write(0, new byte[] {1, 2, 3, 4});
        ordinary.setAttributes(ordinary.attributes() | TpmaNv.WRITTEN);
        p.nv.add(ordinary);
        NvIndex orderly = index(0x01000002, TpmaNv.OWNERREAD | TpmaNv.OWNERWRITE | TpmaNv.ORDERLY, 2);
        p.nv.add(orderly);
        orderly.write(0, new byte[] {9, 9}); // RAM only: not in the blob
        orderly.setAttributes(orderly.attributes() | TpmaNv.WRITTEN);
        PermanentState back = PermanentState.deserialize(p.serialize());
        assertEquals(2, back.nv.size());
        NvIndex o = back.nv.get(0x01000001);
        assertEquals(ordinary.pub(), o.pub());
        assertArrayEquals(new byte[] {1, 2, 3, 4}, o.data());
        assertArrayEquals("pw".getBytes(), o.authValue());
        NvIndex r = back.nv.get(0x01000002);
        assertEquals(0, r.attributes() & TpmaNv.WRITTEN);
        assertArrayEquals(new byte[2], r.data());
        assertArrayEquals(p.serialize(), back.serialize());
        p.nv.shutdown(); // an orderly shutdown stores the RAM copy
        assertArrayEquals(new byte[] {9, 9}, PermanentState.deserialize(p.serialize()).nv.get(0x01000002).data());
    }

    @Test
    void versionOneBlobsAreReadWithoutNvIndices() throws StateFormatException {
        PermanentState p = manufactured();
        p.resetCount = 7;
        byte[] v2 = p.serialize();
        // Version 1 is the current version without the trailing NV section (u32 size, u64 maxCount,
        // u32 count), from version 3 the persistent-object count (u16, here 0) and from version 4 the DA
        // timers (two u64), from version 5 the PCR policy (u16, empty TPM2B), algorithm set (u32) and PP
        // list (u16 count, one u32), from version 6 the command audit state. PermanentStateTest also
        // reads golden older blobs.
        int nvSection = 4 + 8 + 4;
        int persistentObjects = 2;
        int daTimers = 8 + 8;
        int v5 = 2 + 2 + 4 + 2 + 4;
        int v6 = PcrAuthStateVersionTest.AUDIT_V6;
        byte[] v1 = Arrays.copyOf(v2, v2.length - nvSection - persistentObjects - daTimers - v5 - v6);
        v1[5] = 1;
        TpmWriter size = new TpmWriter().u32(v1.length - 10);
        System.arraycopy(size.toByteArray(), 0, v1, 6, 4);
        PermanentState old = PermanentState.deserialize(v1);
        assertEquals(7, old.resetCount);
        assertNotNull(old.nv);
        assertEquals(0, old.nv.size());
        assertArrayEquals(v2, old.serialize());
    }

    @Test
    void aCorruptNvSectionIsAStateFormatError() {
        PermanentState p = manufactured();
        p.nv.add(index(0x01000001, TpmaNv.OWNERREAD | TpmaNv.OWNERWRITE, 4));
        byte[] blob = p.serialize();
        byte[] cut = Arrays.copyOf(blob, blob.length - 1);
        assertThrows(StateFormatException.class, () -> PermanentState.deserialize(cut));
    }

    @Test
    void spaceAndCounterAccounting() {
        NvStore s = new NvStore();
        assertEquals(NvStore.SPACE, s.freeSpace());
        s.add(index(0x01000001, TpmaNv.withType(TpmaNv.OWNERREAD, TpmaNv.NT_COUNTER), 8));
        assertEquals(1, s.counters());
        assertEquals(NvStore.SPACE - NvStore.cost(8, 0), s.freeSpace());
        assertEquals(NvStore.MAX_COUNTERS - 1, s.countersAvailable());
    }
}
