package org.jswtpm.core.command;

import static org.jswtpm.core.testing.TestObjects.NULL;
import static org.jswtpm.core.testing.TestObjects.SHA256;
import static org.jswtpm.core.testing.TestObjects.SIGNING;
import static org.jswtpm.core.testing.TestTpm.run;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.MessageDigest;
import java.util.Arrays;
import org.jswtpm.core.Tpm;
import org.jswtpm.core.marshal.TpmReader;
import org.jswtpm.core.marshal.TpmWriter;
import org.jswtpm.core.testing.Command;
import org.jswtpm.core.testing.Keys;
import org.jswtpm.core.testing.Response;
import org.jswtpm.core.testing.TestObjects;
import org.jswtpm.core.testing.TestTpm;
import org.jswtpm.core.types.TpmCc;
import org.jswtpm.core.types.TpmRc;
import org.jswtpm.core.types.TpmRh;
import org.jswtpm.core.types.TpmSt;
import org.junit.jupiter.api.Test;

/** Part 3, 21 and 18.6: SetCommandCodeAuditStatus, the audit digest in the pipeline, GetCommandAuditDigest. */
class CommandAuditTest {
    static byte[] sha512(byte[]... parts) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-512");
        for (byte[] p : parts) {
            md.update(p);
        }
        return md.digest();
    }

    static byte[] u32(int v) {
        return new TpmWriter().u32(v).toByteArray();
    }

    static int[] auditedCommands(Tpm tpm) throws Exception {
        TpmReader r = run(tpm, Command.of(TpmCc.GetCapability).u32(4).u32(0).u32(64)).ok();
        r.u8();
        r.u32();
        int n = r.u32();
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = r.u32();
        }
        return out;
    }

    static Command setStatus(int alg, int[] set, int[] clear) {
        Command c = Command.of(TpmCc.SetCommandCodeAuditStatus).handle(TpmRh.OWNER).emptyAuth().u16(alg).u32(set.length);
        for (int cc : set) {
            c.u32(cc);
        }
        c.u32(clear.length);
        for (int cc : clear) {
            c.u32(cc);
        }
        return c;
    }

    @Test
    void auditDigestFollowsTheAuditedCommands() throws Exception {
        Tpm tpm = TestTpm.started();
        assertArrayEquals(new int[] {TpmCc.SetCommandCodeAuditStatus.code()}, auditedCommands(tpm));
        Command set = setStatus(NULL, new int[] {TpmCc.GetRandom.code(), TpmCc.Shutdown.code(), 0x1FF}, new int[0]);
        run(tpm, set).ok();
        assertArrayEquals(new int[] {TpmCc.SetCommandCodeAuditStatus.code(), TpmCc.GetRandom.code()},
                auditedCommands(tpm), "Shutdown and unimplemented codes are never audited");
        // SetCommandCodeAuditStatus is itself audited: the digest starts from zeros
        byte[] setParams = Arrays.copyOfRange(set.build(), 10 + 4 + 4 + 9, set.build().length);
        byte[] d = sha512(new byte[64], sha512(u32(TpmCc.SetCommandCodeAuditStatus.code()), u32(TpmRh.OWNER), setParams),
                sha512(u32(0), u32(TpmCc.SetCommandCodeAuditStatus.code())));
        Response rsp = run(tpm, Command.of(TpmCc.GetRandom).u16(8));
        byte[] random = Arrays.copyOfRange(rsp.bytes, 10, rsp.bytes.length);
        d = sha512(d, sha512(u32(TpmCc.GetRandom.code()), new byte[] {0, 8}),
                sha512(u32(0), u32(TpmCc.GetRandom.code()), random));
        // a failing audited command is not audited
        run(tpm, setStatus(0x0C, new int[] {TpmCc.GetRandom.code()}, new int[0])).assertRc(TpmRc.VALUE.parameter(1));

        Keys.Key signer = Keys.primary(tpm, TpmRh.ENDORSEMENT, TestObjects.rsa(SIGNING, 2048, 0x14, SHA256));
        Command get = Command.of(TpmCc.GetCommandAuditDigest).handle(TpmRh.ENDORSEMENT).handle(signer.handle())
                .passwords(new byte[0], new byte[0]).tpm2b("nonce".getBytes()).u16(NULL);
        AttestationCommandsTest.Signed s = AttestationCommandsTest.Signed.read(run(tpm, get).okWithSessions(0));
        AttestationCommandsTest.Attest a = AttestationCommandsTest.Attest.parse(s.attest());
        assertEquals(TpmSt.ATTEST_COMMAND_AUDIT, a.type());
        TpmReader r = a.attested();
        assertEquals(1, r.u64(), "audit counter");
        assertEquals(0x0D, r.u16(), "SHA-512");
        assertArrayEquals(d, r.tpm2b(64));
        assertArrayEquals(sha512(u32(TpmCc.SetCommandCodeAuditStatus.code()), u32(TpmCc.GetRandom.code())), r.tpm2b(64));
        assertTrue(AttestationCommandsTest.jdkVerify("SHA256withRSA", signer, s.attest(), s.signature().sig()));

        // signed: the digest starts over and the counter steps at the next audited command
        run(tpm, Command.of(TpmCc.GetRandom).u16(8)).ok();
        s = AttestationCommandsTest.Signed.read(run(tpm, get).okWithSessions(0));
        r = AttestationCommandsTest.Attest.parse(s.attest()).attested();
        assertEquals(2, r.u64());

        // a new hash with an empty list; then clearing GetRandom
        run(tpm, setStatus(SHA256, new int[0], new int[0])).ok();
        run(tpm, setStatus(NULL, new int[0], new int[] {TpmCc.GetRandom.code(),
            TpmCc.SetCommandCodeAuditStatus.code()})).ok();
        assertArrayEquals(new int[] {TpmCc.SetCommandCodeAuditStatus.code()}, auditedCommands(tpm));
    }
}
