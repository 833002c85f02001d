package org.jswtpm.core.command;

import static org.jswtpm.core.testing.TestTpm.run;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import org.jswtpm.core.Tpm;
import org.jswtpm.core.TpmException;
import org.jswtpm.core.marshal.TpmReader;
import org.jswtpm.core.testing.Command;
import org.jswtpm.core.testing.TestTpm;
import org.jswtpm.core.types.TpmAlg;
import org.jswtpm.core.types.TpmCc;
import org.jswtpm.core.types.TpmRc;
import org.jswtpm.core.types.TpmRh;
import org.jswtpm.core.types.TpmSu;
import org.junit.jupiter.api.Test;

/** Part 3, 22: PCR_Extend, PCR_Event, PCR_Read, PCR_Reset, PCR_Allocate, checked against the JDK. */
class PcrCommandsTest {
    static byte[] sha(String alg, byte[]... parts) throws Exception {
        MessageDigest md = MessageDigest.getInstance(alg);
        for (byte[] p : parts) {
            md.update(p);
        }
        return md.digest();
    }

    @Test
    void extendMatchesAnIndependentComputationInEveryBank() throws Exception {
        Tpm tpm = TestTpm.started();
        byte[] d1 = sha("SHA-1", "a".getBytes(StandardCharsets.US_ASCII));
        byte[] d256 = sha("SHA-256", "b".getBytes(StandardCharsets.US_ASCII));
        run(tpm, Command.of(TpmCc.PCR_Extend).handle(10).emptyAuth().u32(2)
                .u16(TpmAlg.SHA1.id()).bytes(d1).u16(TpmAlg.SHA256.id()).bytes(d256)).ok();
        assertArrayEquals(sha("SHA-1", new byte[20], d1), StartupTestSupport.read(tpm, TpmAlg.SHA1, 10));
        assertArrayEquals(sha("SHA-256", new byte[32], d256), StartupTestSupport.read(tpm, TpmAlg.SHA256, 10));
        assertArrayEquals(new byte[48], StartupTestSupport.read(tpm, TpmAlg.SHA384, 10), "no digest: unchanged");
    }

    @Test
    void eventHashesTheDataInEveryBankAndExtends() throws Exception {
        Tpm tpm = TestTpm.started();
        byte[] data = "event data".getBytes(StandardCharsets.US_ASCII);
        TpmReader r = run(tpm, Command.of(TpmCc.PCR_Event).handle(7).emptyAuth().tpm2b(data)).okWithSessions(0);
        assertEquals(4, r.u32());
        String[] jdk = {"SHA-1", "SHA-256", "SHA-384", "SHA-512"};
        TpmAlg[] algs = {TpmAlg.SHA1, TpmAlg.SHA256, TpmAlg.SHA384, TpmAlg.SHA512};
        for (int i = 0; i < 4; i++) {
            assertEquals(algs[i].id(), r.u16());
            byte[] digest = r.bytes(sha(jdk[i], data).length);
            assertArrayEquals(sha(jdk[i], data), digest);
            byte[] zero = new byte[digest.length];
            assertArrayEquals(sha(jdk[i], zero, digest), StartupTestSupport.read(tpm, algs[i], 7));
        }
    }

    @Test
    void localityRulesForExtendAndReset() throws Exception {
        Tpm tpm = TestTpm.started();
        Command extend17 = Command.of(TpmCc.PCR_Extend).handle(17).emptyAuth().u32(0);
        run(tpm, 0, extend17).assertRc(TpmRc.LOCALITY);
        assertEquals(0, run(tpm, 2, extend17).rc);
        run(tpm, Command.of(TpmCc.PCR_Reset).handle(0).emptyAuth()).assertRc(TpmRc.LOCALITY);
        run(tpm, Command.of(TpmCc.PCR_Reset).handle(17).emptyAuth()).assertRc(TpmRc.LOCALITY);
        run(tpm, Command.of(TpmCc.PCR_Extend).handle(16).emptyAuth().u32(1).u16(TpmAlg.SHA256.id())
                .bytes(new byte[32])).ok();
        run(tpm, Command.of(TpmCc.PCR_Reset).handle(16).emptyAuth()).ok();
        assertArrayEquals(new byte[32], StartupTestSupport.read(tpm, TpmAlg.SHA256, 16));
        run(tpm, Command.of(TpmCc.PCR_Reset).handle(24).emptyAuth()).assertRc(TpmRc.VALUE.handle(1));
        assertEquals(0, run(tpm, 4, Command.of(TpmCc.PCR_Reset).handle(17).emptyAuth()).rc);
        assertArrayEquals(new byte[32], StartupTestSupport.read(tpm, TpmAlg.SHA256, 17));
    }

    @Test
    void extendWithoutAuthorizationIsAuthMissing() {
        Tpm tpm = TestTpm.started();
        run(tpm, Command.of(TpmCc.PCR_Extend).handle(1).u32(0)).assertRc(TpmRc.AUTH_MISSING);
        run(tpm, Command.of(TpmCc.PCR_Extend).handle(1).passwords(new byte[] {1}).u32(0))
                .assertRc(TpmRc.BAD_AUTH.session(1));
        assertEquals(0, run(tpm, Command.of(TpmCc.PCR_Extend).handle(TpmRh.NULL).emptyAuth().u32(0)).rc);
    }

    @Test
    void readReturnsAtMostEightValuesAndSaysWhich() throws TpmException {
        Tpm tpm = TestTpm.started();
        TpmReader r = run(tpm, Command.of(TpmCc.PCR_Read).u32(2)
                .u16(TpmAlg.SHA256.id()).u8(3).bytes(new byte[] {(byte) 0xFF, 0x03, 0})
                .u16(TpmAlg.SHA1.id()).u8(3).bytes(new byte[] {1, 0, 0})).ok();
        r.u32();
        assertEquals(2, r.u32());
        assertEquals(TpmAlg.SHA256.id(), r.u16());
        assertEquals(3, r.u8());
        assertArrayEquals(new byte[] {(byte) 0xFF, 0, 0}, r.bytes(3));
        assertEquals(TpmAlg.SHA1.id(), r.u16());
        assertEquals(3, r.u8());
        assertArrayEquals(new byte[] {0, 0, 0}, r.bytes(3));
        assertEquals(8, r.u32());
    }

    @Test
    void updateCounterCountsChangesExceptNoIncrementPcrs() throws TpmException {
        Tpm tpm = TestTpm.started();
        long before = StartupTestSupport.counter(tpm);
        run(tpm, Command.of(TpmCc.PCR_Extend).handle(4).emptyAuth().u32(0)).ok();
        run(tpm, Command.of(TpmCc.PCR_Extend).handle(16).emptyAuth().u32(0)).ok();
        assertEquals(before + 1, StartupTestSupport.counter(tpm));
    }

    @Test
    void allocateTakesEffectAtTheNextReset() throws TpmException {
        Tpm tpm = TestTpm.started();
        TpmReader r = run(tpm, Command.of(TpmCc.PCR_Allocate).handle(TpmRh.PLATFORM).emptyAuth().u32(2)
                .u16(TpmAlg.SHA1.id()).u8(3).bytes(new byte[3])
                .u16(TpmAlg.SHA384.id()).u8(3).bytes(new byte[3])).okWithSessions(0);
        assertEquals(1, r.u8());
        assertEquals(24, r.u32());
        assertEquals((32 + 64) * 24, r.u32());
        assertEquals(20, StartupTestSupport.read(tpm, TpmAlg.SHA1, 0).length, "still allocated until reset");
        run(tpm, Command.of(TpmCc.Shutdown).u16(TpmSu.CLEAR)).ok();
        tpm.init();
        run(tpm, Command.of(TpmCc.Startup).u16(TpmSu.CLEAR)).ok();
        assertEquals(0, StartupTestSupport.read(tpm, TpmAlg.SHA1, 0).length);
        assertEquals(32, StartupTestSupport.read(tpm, TpmAlg.SHA256, 0).length);
        TpmReader partial = run(tpm, Command.of(TpmCc.PCR_Allocate).handle(TpmRh.PLATFORM).emptyAuth().u32(1)
                .u16(TpmAlg.SHA1.id()).u8(3).bytes(new byte[] {1, 0, 0})).okWithSessions(0);
        assertEquals(0, partial.u8(), "a partial bank is refused");
    }
}
