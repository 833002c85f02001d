package org.jswtpm.core.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.jswtpm.core.Tpm;
import org.jswtpm.core.marshal.TpmWriter;
import org.jswtpm.core.testing.Command;
import org.jswtpm.core.testing.Keys;
import org.jswtpm.core.testing.TestObjects;
import org.jswtpm.core.testing.TestTpm;
import org.jswtpm.core.types.TpmCc;
import org.jswtpm.core.types.TpmRc;
import org.jswtpm.core.types.TpmRh;
import org.junit.jupiter.api.Test;

/**
 * Mutated signing, asymmetric, symmetric and attestation commands never make the engine fail
 * internally: every answer is well formed and never TPM_RC_FAILURE. Seeded, so a failure reproduces.
 */
class CryptoFuzzTest {
    private static final int ROUNDS = 2000;

    @Test
    void mutatedCryptoCommandsNeverFailInternally() throws Exception {
        Tpm tpm = TestTpm.started();
        int rsa = Keys.primary(tpm, TpmRh.OWNER, TestObjects.rsa(TestObjects.SIGNING | TestObjects.DECRYPT, 1024,
                TestObjects.NULL, 0)).handle();
        int ecc = Keys.primary(tpm, TpmRh.ENDORSEMENT, TestObjects.ecc(TestObjects.SIGNING | TestObjects.DECRYPT, 3,
                TestObjects.NULL, 0)).handle();
        int parent = Keys.primary(tpm, TpmRh.NULL, TestObjects.rsaStorage(1024)).handle();
        byte[] digest = new byte[32];
        byte[] point = new TpmWriter().u16(68).tpm2b(new byte[32]).tpm2b(new byte[32]).toByteArray();
        byte[] sel = new TpmWriter().u32(1).u16(0x0B).u8(3).bytes(new byte[] {1, 0, 0}).toByteArray();
        List<byte[]> seeds = new ArrayList<>();
        seeds.add(Keys.sign(rsa, digest, 0x14, 0x0B, null).build());
        seeds.add(Keys.sign(ecc, digest, 0x1C, 0x0B, null).build());
        seeds.add(Command.of(TpmCc.VerifySignature).handle(ecc).tpm2b(digest).u16(0x18).u16(0x0B).tpm2b(new byte[32])
                .tpm2b(new byte[32]).build());
        seeds.add(Command.of(TpmCc.RSA_Encrypt).handle(rsa).tpm2b("m".getBytes()).u16(0x17).u16(0x0B)
                .tpm2b("l\0".getBytes()).build());
        seeds.add(Command.of(TpmCc.RSA_Decrypt).handle(rsa).emptyAuth().tpm2b(new byte[128]).u16(0x10)
                .tpm2b(new byte[0]).build());
        seeds.add(Command.of(TpmCc.ECDH_ZGen).handle(ecc).emptyAuth().bytes(point).build());
        seeds.add(Command.of(TpmCc.ECDH_KeyGen).handle(ecc).build());
        seeds.add(Command.of(TpmCc.ECC_Parameters).u16(3).build());
        seeds.add(Command.of(TpmCc.EncryptDecrypt2).handle(parent).emptyAuth().tpm2b(new byte[16]).u8(0).u16(0x43)
                .tpm2b(new byte[16]).build());
        seeds.add(Command.of(TpmCc.HMAC).handle(parent).emptyAuth().tpm2b(new byte[4]).u16(0x0B).build());
        seeds.add(Command.of(TpmCc.Quote).handle(ecc).emptyAuth().tpm2b(new byte[4]).u16(0x18).u16(0x0B).bytes(sel)
                .build());
        seeds.add(Command.of(TpmCc.Certify).handle(parent).handle(rsa).passwords(new byte[0], new byte[0])
                .tpm2b(new byte[4]).u16(0x16).u16(0x0B).build());
        seeds.add(Command.of(TpmCc.GetTime).handle(TpmRh.ENDORSEMENT).handle(ecc).passwords(new byte[0], new byte[0])
                .tpm2b(new byte[4]).u16(0x18).u16(0x0B).build());
        seeds.add(Command.of(TpmCc.GetCommandAuditDigest).handle(TpmRh.ENDORSEMENT).handle(TpmRh.NULL)
                .passwords(new byte[0], new byte[0]).tpm2b(new byte[4]).u16(0x10).build());
        seeds.add(Command.of(TpmCc.SetCommandCodeAuditStatus).handle(TpmRh.OWNER).emptyAuth().u16(0x10).u32(1)
                .u32(0x17B).u32(0).build());
        Random rnd = new Random(20261122);
        for (int i = 0; i < ROUNDS; i++) {
            byte[] cmd = ObjectFuzzTest.mutate(seeds.get(rnd.nextInt(seeds.size())), rnd);
            byte[] rsp = tpm.execute(cmd);
            assertEquals(rsp.length, ((rsp[2] & 0xFF) << 24) | ((rsp[3] & 0xFF) << 16) | ((rsp[4] & 0xFF) << 8)
                    | (rsp[5] & 0xFF), "size field");
            int rc = ((rsp[6] & 0xFF) << 24) | ((rsp[7] & 0xFF) << 16) | ((rsp[8] & 0xFF) << 8) | (rsp[9] & 0xFF);
            assertNotEquals(TpmRc.FAILURE.value(), rc, () -> "TPM_RC_FAILURE for " + HexFormat.of().formatHex(cmd));
        }
    }
}
