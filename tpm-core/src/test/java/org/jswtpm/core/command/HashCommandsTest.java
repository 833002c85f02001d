package org.jswtpm.core.command;

import static org.jswtpm.core.testing.TestTpm.run;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jswtpm.core.Tpm;
import org.jswtpm.core.engine.TpmEngine;
import org.jswtpm.core.marshal.TpmReader;
import org.jswtpm.core.testing.Command;
import org.jswtpm.core.testing.TestTpm;
import org.jswtpm.core.types.TpmAlg;
import org.jswtpm.core.types.TpmCc;
import org.jswtpm.core.types.TpmRc;
import org.jswtpm.core.types.TpmRh;
import org.jswtpm.core.types.TpmSt;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** Part 3, 15.4 TPM2_Hash and 17 hash and event sequences, digests recomputed with the JDK. */
class HashCommandsTest {
    static final byte[] DATA = "The quick brown fox".getBytes(StandardCharsets.US_ASCII);

    @ParameterizedTest
    @CsvSource({"4,SHA-1", "11,SHA-256", "12,SHA-384", "13,SHA-512", "39,SHA3-256", "40,SHA3-384", "41,SHA3-512"})
    void hashEqualsTheJdkDigest(int alg, String jdk) throws Exception {
        Tpm tpm = TestTpm.started();
        TpmReader r = run(tpm, Command.of(TpmCc.Hash).tpm2b(DATA).u16(alg).u32(TpmRh.NULL)).ok();
        assertArrayEquals(MessageDigest.getInstance(jdk).digest(DATA), r.tpm2b(64));
        assertEquals(TpmSt.HASHCHECK, r.u16());
        assertEquals(TpmRh.NULL, r.u32());
        assertEquals(0, r.u16(), "NULL ticket");
        r.expectEnd();
    }

    @Test
    void hashTicketIsAnHmacWithTheHierarchyProof() throws Exception {
        Tpm tpm = TestTpm.started();
        TpmReader r = run(tpm, Command.of(TpmCc.Hash).tpm2b(DATA).u16(TpmAlg.SHA256.id()).u32(TpmRh.OWNER)).ok();
        byte[] digest = r.tpm2b(64);
        r.u16();
        assertEquals(TpmRh.OWNER, r.u32());
        byte[] ticket = r.tpm2b(64);
        Mac mac = Mac.getInstance("HmacSHA512");
        mac.init(new SecretKeySpec(((TpmEngine) tpm).permanent().storageProof, "HmacSHA512"));
        mac.update(new byte[] {(byte) 0x80, 0x24, 0x00, 0x0B});
        assertArrayEquals(mac.doFinal(digest), ticket);
    }

    @Test
    void dataStartingWithTpmGeneratedGetsANullTicket() throws Exception {
        Tpm tpm = TestTpm.started();
        byte[] data = {(byte) 0xFF, 'T', 'C', 'G', 1};
        TpmReader r = run(tpm, Command.of(TpmCc.Hash).tpm2b(data).u16(TpmAlg.SHA256.id()).u32(TpmRh.OWNER)).ok();
        r.tpm2b(64);
        r.u16();
        assertEquals(TpmRh.NULL, r.u32());
        assertEquals(0, r.u16());
    }

    @Test
    void badHashAndHierarchyArePositioned() {
        Tpm tpm = TestTpm.started();
        run(tpm, Command.of(TpmCc.Hash).tpm2b(DATA).u16(0x0010).u32(TpmRh.NULL)).assertRc(TpmRc.HASH.parameter(2));
        run(tpm, Command.of(TpmCc.Hash).tpm2b(DATA).u16(0x0999).u32(TpmRh.NULL)).assertRc(TpmRc.HASH.parameter(2));
        run(tpm, Command.of(TpmCc.Hash).tpm2b(DATA).u16(TpmAlg.SHA256.id()).u32(TpmRh.LOCKOUT))
                .assertRc(TpmRc.VALUE.parameter(3));
        run(tpm, Command.of(TpmCc.Hash).tpm2b(new byte[1025]).u16(TpmAlg.SHA256.id()).u32(TpmRh.NULL))
                .assertRc(TpmRc.SIZE.parameter(1));
    }

    @Test
    void hashSequenceDigestsEverythingUpdated() throws Exception {
        Tpm tpm = TestTpm.started();
        byte[] auth = {1, 2, 3};
        TpmReader start = run(tpm, Command.of(TpmCc.HashSequenceStart).tpm2b(auth).u16(TpmAlg.SHA384.id())).ok();
        int handle = start.u32();
        assertEquals(0x80000000, handle);
        run(tpm, Command.of(TpmCc.SequenceUpdate).handle(handle).passwords(auth).tpm2b(DATA)).ok();
        run(tpm, Command.of(TpmCc.SequenceUpdate).handle(handle).passwords(new byte[] {9}).tpm2b(DATA))
                .assertRc(TpmRc.BAD_AUTH.session(1));
        TpmReader done = run(tpm, Command.of(TpmCc.SequenceComplete).handle(handle).passwords(auth)
                .tpm2b(DATA).u32(TpmRh.NULL)).okWithSessions(0);
        MessageDigest md = MessageDigest.getInstance("SHA-384");
        md.update(DATA);
        assertArrayEquals(md.digest(DATA), done.tpm2b(64));
        run(tpm, Command.of(TpmCc.SequenceUpdate).handle(handle).passwords(auth).tpm2b(DATA))
                .assertRc(TpmRc.REFERENCE_H0);
    }

    @Test
    void eventSequenceExtendsAPcrWithEveryBankDigest() throws Exception {
        Tpm tpm = TestTpm.started();
        int handle = run(tpm, Command.of(TpmCc.HashSequenceStart).tpm2b(new byte[0]).u16(TpmAlg.NULL.id())).ok().u32();
        run(tpm, Command.of(TpmCc.SequenceComplete).handle(handle).emptyAuth().tpm2b(DATA).u32(TpmRh.NULL))
                .assertRc(TpmRc.MODE.handle(1));
        TpmReader r = run(tpm, Command.of(TpmCc.EventSequenceComplete).handle(16).handle(handle)
                .passwords(new byte[0], new byte[0]).tpm2b(DATA)).okWithSessions(0);
        assertEquals(4, r.u32());
        assertEquals(TpmAlg.SHA1.id(), r.u16());
        byte[] sha1 = r.bytes(20);
        assertArrayEquals(MessageDigest.getInstance("SHA-1").digest(DATA), sha1);
        byte[] expected = MessageDigest.getInstance("SHA-1").digest(concat(new byte[20], sha1));
        assertArrayEquals(expected, StartupTestSupport.read(tpm, TpmAlg.SHA1, 16));
    }

    @Test
    void objectSlotsRunOutAndFlushFreesThem() {
        Tpm tpm = TestTpm.started();
        Command start = Command.of(TpmCc.HashSequenceStart).tpm2b(new byte[0]).u16(TpmAlg.SHA256.id());
        for (int i = 0; i < 3; i++) {
            run(tpm, start).ok();
        }
        run(tpm, start).assertRc(TpmRc.OBJECT_MEMORY);
        run(tpm, Command.of(TpmCc.FlushContext).u32(0x80000001)).ok();
        run(tpm, Command.of(TpmCc.FlushContext).u32(0x80000001)).assertRc(TpmRc.HANDLE.parameter(1));
        run(tpm, Command.of(TpmCc.FlushContext).u32(0x40000001)).assertRc(TpmRc.VALUE.parameter(1));
        run(tpm, start).ok();
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
