package org.jswtpm.core.command;

import static org.jswtpm.core.testing.SessionClient.CONTINUE;
import static org.jswtpm.core.testing.SessionClient.DECRYPT;
import static org.jswtpm.core.testing.SessionClient.ENCRYPT;
import static org.jswtpm.core.testing.SessionClient.cat;
import static org.jswtpm.core.testing.SessionClient.digest;
import static org.jswtpm.core.testing.SessionClient.u32;
import static org.jswtpm.core.testing.TestTpm.run;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.nio.charset.StandardCharsets;
import org.jswtpm.core.Tpm;
import org.jswtpm.core.marshal.TpmReader;
import org.jswtpm.core.testing.Command;
import org.jswtpm.core.testing.SessionClient;
import org.jswtpm.core.testing.TestTpm;
import org.jswtpm.core.types.TpmAlg;
import org.jswtpm.core.types.TpmCc;
import org.jswtpm.core.types.TpmRc;
import org.jswtpm.core.types.TpmaNv;
import org.junit.jupiter.api.Test;

/**
 * NV indices through HMAC and policy sessions: the index's Name (nameAlg || H(TPMS_NV_PUBLIC), which
 * changes when TPMA_NV_WRITTEN is set) in cpHash, encrypted NV_Write data and NV_Read results, and
 * NV_ChangeAuth (ADMIN role) by a policy session only.
 */
class NvSessionTest {
    static final byte[] NV_AUTH = "nv-secret".getBytes(StandardCharsets.US_ASCII);

    /** The Name computed here from the public area NV_ReadPublic returns. */
    static byte[] name(Tpm tpm) throws Exception {
        TpmReader r = run(tpm, Nv.readPublic(Nv.INDEX)).ok();
        byte[] nvPublic = r.tpm2b(256);
        byte[] name = cat(new byte[] {0, 0x0B}, digest("SHA-256", nvPublic));
        assertArrayEquals(name, r.tpm2b(66), "the TPM's Name is nameAlg || H(TPMS_NV_PUBLIC)");
        return name;
    }

    @Test
    void hmacSessionWritesAndReadsWithParameterEncryption() throws Exception {
        Tpm tpm = TestTpm.started();
        run(tpm, Nv.define(Nv.OWNER, NV_AUTH, Nv.INDEX, Nv.AUTH_RW, 16)).ok();
        SessionClient s = SessionClient.start(tpm, 0, Nv.OWNER, new byte[0], SessionClient.ALG_AES, 128, "SHA-256");
        byte[] data = "sixteen bytes!!!".getBytes(StandardCharsets.US_ASCII);
        byte[] unwritten = name(tpm);
        Command write = Command.of(TpmCc.NV_Write).handle(Nv.INDEX).handle(Nv.INDEX).tpm2b(data).u16(0);
        s.nextNonce();
        write.parameters(s.encryptCommand(write.parameters(), NV_AUTH));
        int attrs = CONTINUE | DECRYPT;
        write.auth(s.handle, s.nonceCaller, attrs, s.commandHmac(s.cpHash(write, unwritten, unwritten), attrs,
                NV_AUTH));
        s.verify(run(tpm, write), TpmCc.NV_Write, 0, 0, attrs, NV_AUTH);

        byte[] written = name(tpm);
        Command read = Command.of(TpmCc.NV_Read).handle(Nv.INDEX).handle(Nv.INDEX).u16(16).u16(0);
        byte[] params = s.verify(run(tpm, s.authorize(read, CONTINUE | ENCRYPT, NV_AUTH, written, written)),
                TpmCc.NV_Read, 0, 0, CONTINUE | ENCRYPT, NV_AUTH);
        assertArrayEquals(data, new TpmReader(s.decryptResponse(params, NV_AUTH)).tpm2b(64));
        // The Name before the write is stale now: the HMAC does not match.
        run(tpm, s.authorize(Command.of(TpmCc.NV_Read).handle(Nv.INDEX).handle(Nv.INDEX).u16(16).u16(0),
                CONTINUE, NV_AUTH, unwritten, unwritten)).assertRc(TpmRc.AUTH_FAIL.session(1));
    }

    @Test
    void nvChangeAuthNeedsAPolicySession() throws Exception {
        Tpm tpm = TestTpm.started();
        byte[] policy = digest("SHA-256", digest("SHA-256", new byte[32], u32(0x16C), u32(TpmCc.NV_ChangeAuth.code())),
                u32(0x16B));
        run(tpm, Nv.define(Nv.OWNER, NV_AUTH, Nv.publicArea(Nv.INDEX, TpmAlg.SHA256, Nv.AUTH_RW, policy, 8))).ok();
        byte[] newAuth = "changed".getBytes(StandardCharsets.US_ASCII);
        run(tpm, Command.of(TpmCc.NV_ChangeAuth).handle(Nv.INDEX).passwords(NV_AUTH).tpm2b(newAuth))
                .assertRc(TpmRc.AUTH_TYPE);
        SessionClient p = SessionClient.policy(tpm, false);
        // Without the command code, an ADMIN-role command is refused even though the digest matches.
        run(tpm, Command.of(TpmCc.PolicyAuthValue).handle(p.handle)).ok();
        run(tpm, Command.of(TpmCc.PolicyRestart).handle(p.handle)).ok();
        run(tpm, Command.of(TpmCc.PolicyCommandCode).handle(p.handle).u32(TpmCc.NV_ChangeAuth.code())).ok();
        run(tpm, Command.of(TpmCc.PolicyAuthValue).handle(p.handle)).ok();
        byte[] name = name(tpm);
        Command change = Command.of(TpmCc.NV_ChangeAuth).handle(Nv.INDEX).tpm2b(newAuth);
        p.verify(run(tpm, p.authorize(change, CONTINUE, NV_AUTH, name)), TpmCc.NV_ChangeAuth, 0, 0, CONTINUE,
                newAuth);
        run(tpm, Nv.write(Nv.INDEX, Nv.INDEX, newAuth, new byte[] {1}, 0)).ok();
        run(tpm, Nv.write(Nv.INDEX, Nv.INDEX, NV_AUTH, new byte[] {1}, 0)).assertRc(TpmRc.AUTH_FAIL.session(1));
    }

    @Test
    void undefineSpaceSpecialWithAPolicySession() throws Exception {
        Tpm tpm = TestTpm.started();
        byte[] policy = digest("SHA-256", digest("SHA-256", new byte[32], u32(0x16C),
                u32(TpmCc.NV_UndefineSpaceSpecial.code())), u32(0x16B));
        int attributes = TpmaNv.OWNERREAD | TpmaNv.OWNERWRITE | TpmaNv.PLATFORMCREATE | TpmaNv.POLICY_DELETE;
        run(tpm, Command.of(TpmCc.NV_DefineSpace).handle(Nv.PLATFORM).emptyAuth().tpm2b(NV_AUTH)
                .bytes(Nv.publicArea(Nv.INDEX, TpmAlg.SHA256, attributes, policy, 8))).ok();
        byte[] name = name(tpm);
        SessionClient p = SessionClient.policy(tpm, false);
        run(tpm, Command.of(TpmCc.PolicyCommandCode).handle(p.handle).u32(TpmCc.NV_UndefineSpaceSpecial.code()))
                .ok();
        run(tpm, Command.of(TpmCc.PolicyAuthValue).handle(p.handle)).ok();
        Command c = Command.of(TpmCc.NV_UndefineSpaceSpecial).handle(Nv.INDEX).handle(Nv.PLATFORM);
        p.authorize(c, CONTINUE, NV_AUTH, name, u32(Nv.PLATFORM));
        c.auth(org.jswtpm.core.types.TpmRh.PW, new byte[0], 0, new byte[0]);
        // The index is gone when the response is made: the policy session answers with an empty authValue.
        p.verify(run(tpm, c), TpmCc.NV_UndefineSpaceSpecial, 0, 0, CONTINUE, new byte[0]);
        run(tpm, Nv.readPublic(Nv.INDEX)).assertRc(TpmRc.HANDLE.handle(1));
    }

    @Test
    void aPinIndexCannotBeABindEntity() throws Exception {
        Tpm tpm = TestTpm.started();
        int pinFail = Nv.OWNER_RW | TpmaNv.AUTHREAD | TpmaNv.NO_DA | Nv.type(TpmaNv.NT_PIN_FAIL);
        run(tpm, Nv.define(Nv.OWNER, NV_AUTH, Nv.INDEX, pinFail, 8)).ok();
        run(tpm, Command.of(TpmCc.StartAuthSession).handle(org.jswtpm.core.types.TpmRh.NULL).handle(Nv.INDEX)
                .tpm2b(new byte[16]).tpm2b(new byte[0]).u8(0).u16(0x10).u16(0x0B)).assertRc(TpmRc.HANDLE.handle(2));
        run(tpm, Nv.define(Nv.OWNER, NV_AUTH, 0x01000011, Nv.AUTH_RW, 8)).ok();
        run(tpm, Command.of(TpmCc.StartAuthSession).handle(org.jswtpm.core.types.TpmRh.NULL).handle(0x01000011)
                .tpm2b(new byte[16]).tpm2b(new byte[0]).u8(0).u16(0x10).u16(0x0B)).ok();
    }
}
