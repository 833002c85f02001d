package org.jswtpm.core.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.jswtpm.core.Tpm;
import org.jswtpm.core.marshal.TpmReader;
import org.jswtpm.core.marshal.TpmWriter;
import org.jswtpm.core.testing.Command;
import org.jswtpm.core.testing.Offline;
import org.jswtpm.core.testing.TestObjects;
import org.jswtpm.core.testing.TestTpm;
import org.jswtpm.core.types.TpmCc;
import org.jswtpm.core.types.TpmRc;
import org.jswtpm.core.types.TpmRh;
import org.junit.jupiter.api.Test;

/**
 * Mutated credential, duplication and two-phase ECC commands never make the engine fail internally:
 * every answer is a well-formed success or a TPM error other than TPM_RC_FAILURE. Seeded, so a failure
 * reproduces.
 */
class DuplicationFuzzTest {
    private static final int ROUNDS = 1500;

    @Test
    void mutatedCommandsNeverFailInternally() throws Exception {
        Tpm tpm = TestTpm.started();
        TestObjects.Created rsa = TestObjects.createPrimary(tpm, TpmRh.OWNER, TestObjects.rsaStorage(2048));
        int ecc = TestObjects.createPrimary(tpm, TpmRh.OWNER, TestObjects.eccStorage(3)).handle();
        int zkey = EccExtraCommandsTest.loadKey(tpm, BigInteger.valueOf(987654321),
                TestObjects.DECRYPT | TestObjects.USER_WITH_AUTH, TestObjects.NULL, new byte[0]);
        byte[] name = TestObjects.readPublic(tpm, ecc)[1];
        List<byte[]> seeds = new ArrayList<>();
        for (int key : new int[] {rsa.handle(), ecc}) {
            TpmReader r = TestTpm.run(tpm, CredentialCommandsTest.make(key, "credential".getBytes(), name)).ok();
            seeds.add(CredentialCommandsTest.make(key, "credential".getBytes(), name).build());
            seeds.add(CredentialCommandsTest.activate(ecc, key, r.tpm2b(200), r.tpm2b(600)).build());
        }
        byte[][] o = DuplicationCommandsTest.offlineSealed();
        byte[] objectName = new TpmWriter().u16(TestObjects.SHA256).bytes(org.jswtpm.core.testing.SessionClient
                .digest("SHA-256", o[0])).toByteArray();
        Offline.Secret s = Offline.rsaSecret(Offline.rsaPublic(CredentialCommandsTest.rsaModulus(rsa.outPublic())),
                "DUPLICATE", new byte[32]);
        byte[] outer = Offline.outerWrap(s.seed(), objectName, o[1]);
        seeds.add(DuplicationCommandsTest.importCommand(rsa.handle(), new byte[0], o[0], o[1], new byte[0],
                DuplicationCommandsTest.SYM_NULL).build());
        seeds.add(DuplicationCommandsTest.importCommand(rsa.handle(), new byte[0], o[0], outer, s.encrypted(),
                DuplicationCommandsTest.SYM_NULL).build());
        seeds.add(DuplicationCommandsTest.importCommand(rsa.handle(), new byte[16], o[0], outer, s.encrypted(),
                DuplicationCommandsTest.AES_128_CFB).build());
        seeds.add(Command.of(TpmCc.Rewrap).handle(rsa.handle()).handle(ecc).emptyAuth().tpm2b(outer)
                .tpm2b(objectName).tpm2b(s.encrypted()).build());
        seeds.add(Command.of(TpmCc.EC_Ephemeral).u16(3).build());
        byte[][] q = EccExtraCommandsTest.P256.multiplyGenerator(BigInteger.valueOf(12345));
        for (int c = 0; c < 3; c++) {
            TestTpm.run(tpm, Command.of(TpmCc.EC_Ephemeral).u16(3)).ok();
            seeds.add(EccExtraCommandsTest.zgen(zkey, q, q, c % 2 == 0 ? 0x0019 : 0x001D, c).build());
        }
        seeds.add(EccExtraCommandsTest.commit(zkey, EccExtraCommandsTest.point(q), new byte[0], new byte[0]).build());
        Random rnd = new Random(20261123);
        int successes = 0;
        for (int i = 0; i < ROUNDS; i++) {
            byte[] cmd = ObjectFuzzTest.mutate(seeds.get(rnd.nextInt(seeds.size())), rnd);
            byte[] rsp = tpm.execute(cmd);
            assertEquals(rsp.length, ((rsp[2] & 0xFF) << 24) | ((rsp[3] & 0xFF) << 16) | ((rsp[4] & 0xFF) << 8)
                    | (rsp[5] & 0xFF), "size field");
            int rc = ((rsp[6] & 0xFF) << 24) | ((rsp[7] & 0xFF) << 16) | ((rsp[8] & 0xFF) << 8) | (rsp[9] & 0xFF);
            assertNotEquals(TpmRc.FAILURE.value(), rc, () -> "TPM_RC_FAILURE for " + HexFormat.of().formatHex(cmd));
            if (rc == 0) {
                successes++;
            }
        }
        System.out.println("duplication fuzz: " + successes + " of " + ROUNDS + " mutated commands succeeded");
    }
}
