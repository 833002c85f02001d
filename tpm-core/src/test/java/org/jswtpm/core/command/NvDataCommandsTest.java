package org.jswtpm.core.command;

import static org.jswtpm.core.command.Nv.AUTH_RW;
import static org.jswtpm.core.command.Nv.INDEX;
import static org.jswtpm.core.command.Nv.NONE;
import static org.jswtpm.core.command.Nv.OWNER;
import static org.jswtpm.core.command.Nv.OWNER_RW;
import static org.jswtpm.core.command.Nv.PLATFORM;
import static org.jswtpm.core.command.Nv.type;
import static org.jswtpm.core.testing.TestTpm.run;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import org.jswtpm.core.Tpm;
import org.jswtpm.core.TpmException;
import org.jswtpm.core.engine.TpmEngine;
import org.jswtpm.core.marshal.TpmReader;
import org.jswtpm.core.testing.TestTpm;
import org.jswtpm.core.types.TpmAlg;
import org.jswtpm.core.types.TpmRc;
import org.jswtpm.core.types.TpmRh;
import org.jswtpm.core.types.TpmaNv;
import org.junit.jupiter.api.Test;

/**
 * Part 3, 31.7 TPM2_NV_Write, 31.8 NV_Increment, 31.9 NV_Extend, 31.10 NV_SetBits, 31.11 NV_WriteLock,
 * 31.13 NV_Read and 31.14 NV_ReadLock: data semantics of every index type and the access checks with
 * their exact response codes.
 */
class NvDataCommandsTest {
    static final byte[] PW = "index password".getBytes(StandardCharsets.US_ASCII);
    private final Tpm tpm = TestTpm.started();

    private void define(int attributes, int size) {
        run(tpm, Nv.define(OWNER, PW, INDEX, attributes, size)).ok();
    }

    private byte[] read(int authHandle, byte[] pw, int size, int offset) throws TpmException {
        TpmReader r = run(tpm, Nv.read(authHandle, INDEX, pw, size, offset)).okWithSessions(0);
        return r.tpm2b(1024);
    }

    private long readU64() throws TpmException {
        return new TpmReader(read(OWNER, NONE, 8, 0)).u64();
    }

    @Test
    void ordinaryIndexWriteAndRead() throws TpmException {
        define(OWNER_RW | AUTH_RW, 16);
        run(tpm, Nv.read(OWNER, INDEX, NONE, 16, 0)).assertRc(TpmRc.NV_UNINITIALIZED);
        run(tpm, Nv.write(INDEX, INDEX, PW, "abcd".getBytes(), 4)).ok();
        byte[] expected = new byte[16];
        Arrays.fill(expected, (byte) 0xFF); // the first partial write erases the rest
        System.arraycopy("abcd".getBytes(), 0, expected, 4, 4);
        assertArrayEquals(expected, read(OWNER, NONE, 16, 0));
        run(tpm, Nv.write(OWNER, INDEX, NONE, "xy".getBytes(), 14)).ok();
        assertArrayEquals("abcd".getBytes(), read(INDEX, PW, 4, 4));
        assertArrayEquals("xy".getBytes(), read(INDEX, PW, 2, 14));
        assertArrayEquals(new byte[0], read(OWNER, NONE, 0, 16));
    }

    @Test
    void ordinaryIndexRangeChecks() {
        define(OWNER_RW, 16);
        run(tpm, Nv.write(OWNER, INDEX, NONE, new byte[1], 17)).assertRc(TpmRc.VALUE.parameter(2));
        run(tpm, Nv.write(OWNER, INDEX, NONE, new byte[2], 15)).assertRc(TpmRc.NV_RANGE);
        run(tpm, Nv.write(OWNER, INDEX, NONE, new byte[1025], 0)).assertRc(TpmRc.SIZE.parameter(1));
        run(tpm, Nv.write(OWNER, INDEX, NONE, new byte[16], 0)).ok();
        run(tpm, Nv.read(OWNER, INDEX, NONE, 1025, 0)).assertRc(TpmRc.VALUE.parameter(1));
        run(tpm, Nv.read(OWNER, INDEX, NONE, 0, 17)).assertRc(TpmRc.VALUE.parameter(2));
        run(tpm, Nv.read(OWNER, INDEX, NONE, 2, 15)).assertRc(TpmRc.NV_RANGE);
    }

    @Test
    void writeAllNeedsWholeWrites() {
        define(OWNER_RW | TpmaNv.WRITEALL, 8);
        run(tpm, Nv.write(OWNER, INDEX, NONE, new byte[7], 0)).assertRc(TpmRc.NV_RANGE);
        run(tpm, Nv.write(OWNER, INDEX, NONE, new byte[8], 0)).ok();
    }

    @Test
    void authorizationByHierarchiesFollowsTheAttributes() {
        define(TpmaNv.OWNERREAD | TpmaNv.PPWRITE | AUTH_RW, 8);
        run(tpm, Nv.write(OWNER, INDEX, NONE, new byte[1], 0)).assertRc(TpmRc.NV_AUTHORIZATION);
        run(tpm, Nv.write(PLATFORM, INDEX, NONE, new byte[1], 0)).ok();
        run(tpm, Nv.read(PLATFORM, INDEX, NONE, 1, 0)).assertRc(TpmRc.NV_AUTHORIZATION);
        run(tpm, Nv.read(OWNER, INDEX, NONE, 1, 0)).ok();
        run(tpm, Nv.define(OWNER, NONE, INDEX + 1, OWNER_RW | AUTH_RW, 8)).ok();
        run(tpm, Nv.write(INDEX + 1, INDEX, NONE, new byte[1], 0)).assertRc(TpmRc.NV_AUTHORIZATION);
        run(tpm, Nv.read(INDEX + 1, INDEX, NONE, 1, 0)).assertRc(TpmRc.NV_AUTHORIZATION);
    }

    @Test
    void indexAuthValueOnlyWhereAuthReadAndAuthWriteAllow() {
        define(OWNER_RW | TpmaNv.POLICYWRITE | TpmaNv.POLICYREAD | TpmaNv.NO_DA, 8);
        run(tpm, Nv.write(INDEX, INDEX, PW, new byte[1], 0)).assertRc(TpmRc.AUTH_UNAVAILABLE);
        run(tpm, Nv.write(OWNER, INDEX, NONE, new byte[1], 0)).ok();
        run(tpm, Nv.read(INDEX, INDEX, PW, 1, 0)).assertRc(TpmRc.AUTH_UNAVAILABLE);
    }

    @Test
    void wrongPasswordIsAuthFailOrBadAuthWithNoDa() throws TpmException {
        define(OWNER_RW | AUTH_RW, 8);
        run(tpm, Nv.define(OWNER, PW, INDEX + 1, OWNER_RW | AUTH_RW | TpmaNv.NO_DA, 8)).ok();
        run(tpm, Nv.write(INDEX + 1, INDEX + 1, "no".getBytes(), new byte[1], 0)).assertRc(TpmRc.BAD_AUTH.session(1));
        assertEquals(0, ((TpmEngine) tpm).permanent().failedTries);
        run(tpm, Nv.write(INDEX, INDEX, "no".getBytes(), new byte[1], 0)).assertRc(TpmRc.AUTH_FAIL.session(1));
        assertEquals(1, ((TpmEngine) tpm).permanent().failedTries);
        ((TpmEngine) tpm).permanent().failedTries = 3; // lockout
        run(tpm, Nv.write(INDEX, INDEX, PW, new byte[1], 0)).assertRc(TpmRc.LOCKOUT);
        run(tpm, Nv.write(INDEX + 1, INDEX + 1, PW, new byte[1], 0)).ok();
    }

    @Test
    void counterStartsAtOneAndCountsUp() throws TpmException {
        define(OWNER_RW | AUTH_RW | type(TpmaNv.NT_COUNTER), 8);
        run(tpm, Nv.read(OWNER, INDEX, NONE, 8, 0)).assertRc(TpmRc.NV_UNINITIALIZED);
        run(tpm, Nv.increment(INDEX, INDEX, PW)).ok();
        assertEquals(1, readU64());
        run(tpm, Nv.increment(OWNER, INDEX, NONE)).ok();
        assertEquals(2, readU64());
        run(tpm, Nv.write(OWNER, INDEX, NONE, new byte[8], 0)).assertRc(TpmRc.ATTRIBUTES);
        run(tpm, Nv.setBits(OWNER, INDEX, NONE, 1)).assertRc(TpmRc.ATTRIBUTES.handle(2));
        run(tpm, Nv.extend(OWNER, INDEX, NONE, new byte[1])).assertRc(TpmRc.ATTRIBUTES.handle(2));
    }

    @Test
    void aRedefinedCounterStartsAboveEveryEarlierCounter() throws TpmException {
        int counter = OWNER_RW | type(TpmaNv.NT_COUNTER);
        define(counter, 8);
        for (int i = 0; i < 5; i++) {
            run(tpm, Nv.increment(OWNER, INDEX, NONE)).ok();
        }
        run(tpm, Nv.undefine(OWNER, INDEX)).ok();
        define(counter, 8);
        run(tpm, Nv.increment(OWNER, INDEX, NONE)).ok();
        assertEquals(6, readU64());
    }

    @Test
    void incrementOfANonCounterIsAttributes() {
        define(OWNER_RW, 8);
        run(tpm, Nv.increment(OWNER, INDEX, NONE)).assertRc(TpmRc.ATTRIBUTES.handle(2));
    }

    @Test
    void bitsAreOredIn() throws TpmException {
        define(OWNER_RW | type(TpmaNv.NT_BITS), 8);
        run(tpm, Nv.setBits(OWNER, INDEX, NONE, 0x8000000000000005L)).ok();
        run(tpm, Nv.setBits(OWNER, INDEX, NONE, 0x30)).ok();
        assertEquals(0x8000000000000035L, readU64());
        run(tpm, Nv.setBits(OWNER, INDEX, NONE, 0)).ok();
        assertEquals(0x8000000000000035L, readU64());
        run(tpm, Nv.increment(OWNER, INDEX, NONE)).assertRc(TpmRc.ATTRIBUTES.handle(2));
    }

    @Test
    void extendMatchesAJdkSha256Chain() throws Exception {
        define(OWNER_RW | type(TpmaNv.NT_EXTEND), 32);
        byte[] expected = new byte[32];
        for (String event : new String[] {"grub", "kernel", "initrd"}) {
            run(tpm, Nv.extend(OWNER, INDEX, NONE, event.getBytes())).ok();
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(expected);
            md.update(event.getBytes());
            expected = md.digest();
        }
        assertArrayEquals(expected, read(OWNER, NONE, 32, 0));
        run(tpm, Nv.write(OWNER, INDEX, NONE, new byte[32], 0)).assertRc(TpmRc.ATTRIBUTES);
    }

    @Test
    void sha1ExtendIndexUsesItsNameAlg() throws Exception {
        run(tpm, Nv.define(OWNER, NONE, Nv.publicArea(INDEX, TpmAlg.SHA1, OWNER_RW | type(TpmaNv.NT_EXTEND), NONE, 20)))
                .ok();
        run(tpm, Nv.extend(OWNER, INDEX, NONE, "x".getBytes())).ok();
        MessageDigest md = MessageDigest.getInstance("SHA-1");
        md.update(new byte[20]);
        assertArrayEquals(md.digest("x".getBytes()), read(OWNER, NONE, 20, 0));
    }

    @Test
    void writeLockNeedsWriteDefineOrWriteStclear() throws TpmException {
        define(OWNER_RW, 8);
        run(tpm, Nv.writeLock(OWNER, INDEX, NONE)).assertRc(TpmRc.ATTRIBUTES.handle(2));
        run(tpm, Nv.undefine(OWNER, INDEX)).ok();
        define(OWNER_RW | TpmaNv.WRITEDEFINE, 8);
        run(tpm, Nv.writeLock(PLATFORM, INDEX, NONE)).assertRc(TpmRc.NV_AUTHORIZATION);
        run(tpm, Nv.writeLock(OWNER, INDEX, NONE)).ok();
        run(tpm, Nv.write(OWNER, INDEX, NONE, new byte[8], 0)).assertRc(TpmRc.NV_LOCKED);
        run(tpm, Nv.writeLock(OWNER, INDEX, NONE)).ok(); // already locked: success
        run(tpm, Nv.writeLock(PLATFORM, INDEX, NONE)).ok(); // the lock check comes first
        assertEquals(TpmaNv.WRITELOCKED, NvCommandsTest.readPublic(tpm, INDEX).attributes() & TpmaNv.WRITELOCKED);
    }

    @Test
    void lockedIndicesRefuseEveryWriteKind() {
        int[] types = {TpmaNv.NT_COUNTER, TpmaNv.NT_BITS, TpmaNv.NT_EXTEND};
        int handle = INDEX;
        for (int t : types) {
            run(tpm, Nv.define(OWNER, NONE, handle, OWNER_RW | TpmaNv.WRITE_STCLEAR | type(t),
                    t == TpmaNv.NT_EXTEND ? 32 : 8)).ok();
            run(tpm, Nv.writeLock(OWNER, handle, NONE)).ok();
            handle++;
        }
        run(tpm, Nv.increment(OWNER, INDEX, NONE)).assertRc(TpmRc.NV_LOCKED);
        run(tpm, Nv.setBits(OWNER, INDEX + 1, NONE, 1)).assertRc(TpmRc.NV_LOCKED);
        run(tpm, Nv.extend(OWNER, INDEX + 2, NONE, new byte[1])).assertRc(TpmRc.NV_LOCKED);
    }

    @Test
    void readLockNeedsReadStclearAndMayLockAnUnwrittenIndex() {
        define(OWNER_RW, 8);
        run(tpm, Nv.readLock(OWNER, INDEX, NONE)).assertRc(TpmRc.ATTRIBUTES.handle(2));
        run(tpm, Nv.undefine(OWNER, INDEX)).ok();
        define(OWNER_RW | TpmaNv.READ_STCLEAR, 8);
        run(tpm, Nv.readLock(PLATFORM, INDEX, NONE)).assertRc(TpmRc.NV_AUTHORIZATION);
        run(tpm, Nv.readLock(OWNER, INDEX, NONE)).ok();
        run(tpm, Nv.read(OWNER, INDEX, NONE, 8, 0)).assertRc(TpmRc.NV_LOCKED);
        run(tpm, Nv.readLock(OWNER, INDEX, NONE)).ok();
        run(tpm, Nv.write(OWNER, INDEX, NONE, new byte[8], 0)).ok(); // writes are not affected
    }

    @Test
    void pinPassIndexAuthorizesUpToItsLimit() throws TpmException {
        define(OWNER_RW | TpmaNv.AUTHREAD | TpmaNv.NO_DA | type(TpmaNv.NT_PIN_PASS), 8);
        run(tpm, Nv.read(INDEX, INDEX, PW, 8, 0)).assertRc(TpmRc.AUTH_UNAVAILABLE); // not written yet
        run(tpm, Nv.write(OWNER, INDEX, NONE, Nv.u64(2), 0)).ok(); // pinCount 0, pinLimit 2
        assertEquals(1L << 32 | 2, new TpmReader(read(INDEX, PW, 8, 0)).u64());
        assertEquals(2L << 32 | 2, new TpmReader(read(INDEX, PW, 8, 0)).u64());
        run(tpm, Nv.read(INDEX, INDEX, PW, 8, 0)).assertRc(TpmRc.AUTH_UNAVAILABLE);
        run(tpm, Nv.read(INDEX, INDEX, "wrong".getBytes(), 8, 0)).assertRc(TpmRc.AUTH_UNAVAILABLE);
        assertEquals(2L << 32 | 2, readU64());
    }

    @Test
    void pinFailIndexCountsFailuresAndResetsOnSuccess() throws TpmException {
        define(OWNER_RW | TpmaNv.AUTHREAD | TpmaNv.NO_DA | type(TpmaNv.NT_PIN_FAIL), 8);
        run(tpm, Nv.write(OWNER, INDEX, NONE, Nv.u64(2), 0)).ok();
        run(tpm, Nv.read(INDEX, INDEX, "wrong".getBytes(), 8, 0)).assertRc(TpmRc.BAD_AUTH.session(1));
        assertEquals(1L << 32 | 2, readU64());
        assertEquals(2, new TpmReader(read(INDEX, PW, 8, 0)).u64());
        run(tpm, Nv.read(INDEX, INDEX, "wrong".getBytes(), 8, 0)).assertRc(TpmRc.BAD_AUTH.session(1));
        run(tpm, Nv.read(INDEX, INDEX, "wrong".getBytes(), 8, 0)).assertRc(TpmRc.BAD_AUTH.session(1));
        run(tpm, Nv.read(INDEX, INDEX, PW, 8, 0)).assertRc(TpmRc.AUTH_UNAVAILABLE);
        assertEquals(2L << 32 | 2, readU64());
        run(tpm, Nv.write(OWNER, INDEX, NONE, Nv.u64(5), 0)).ok(); // the owner resets the PIN
        assertEquals(5, new TpmReader(read(INDEX, PW, 8, 0)).u64());
    }

    @Test
    void disabledHierarchiesHideTheirIndices() {
        run(tpm, Nv.define(PLATFORM, NONE, INDEX, OWNER_RW | TpmaNv.PLATFORMCREATE, 8)).ok();
        run(tpm, Nv.define(OWNER, NONE, INDEX + 1, OWNER_RW, 8)).ok();
        TpmEngine engine = (TpmEngine) tpm;
        engine.runtime().phEnableNV = false;
        run(tpm, Nv.readPublic(INDEX)).assertRc(TpmRc.HANDLE.handle(1));
        run(tpm, Nv.readPublic(INDEX + 1)).ok();
        run(tpm, Nv.define(PLATFORM, NONE, INDEX + 2, OWNER_RW | TpmaNv.PLATFORMCREATE, 8))
                .assertRc(TpmRc.HIERARCHY.handle(1));
        engine.runtime().phEnableNV = true;
        engine.runtime().shEnable = false;
        run(tpm, Nv.readPublic(INDEX)).ok();
        run(tpm, Nv.readPublic(INDEX + 1)).assertRc(TpmRc.HANDLE.handle(1));
        run(tpm, Nv.write(TpmRh.OWNER, INDEX, NONE, new byte[1], 0)).assertRc(TpmRc.HIERARCHY.handle(1));
    }
}
