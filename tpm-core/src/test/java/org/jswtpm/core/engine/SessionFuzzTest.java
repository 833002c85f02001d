package org.jswtpm.core.engine;

import static org.jswtpm.core.testing.SessionClient.CONTINUE;
import static org.jswtpm.core.testing.TestTpm.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.jswtpm.core.Tpm;
import org.jswtpm.core.testing.Command;
import org.jswtpm.core.testing.Response;
import org.jswtpm.core.testing.SessionClient;
import org.jswtpm.core.testing.TestTpm;
import org.jswtpm.core.types.TpmCc;
import org.jswtpm.core.types.TpmRc;
import org.jswtpm.core.types.TpmRh;
import org.junit.jupiter.api.Test;

/**
 * Mutated commands with sessions (bit flips, truncations, changed size fields) never make the engine
 * fail internally: every answer is a proper response code, and the TPM keeps serving.
 */
class SessionFuzzTest {
    @Test
    void mutatedSessionCommandsNeverFailInternally() {
        Random random = new Random(20261122);
        Tpm tpm = TestTpm.started();
        List<byte[]> seeds = new ArrayList<>();
        SessionClient hmac = SessionClient.start(tpm, 0, TpmRh.OWNER, new byte[0], SessionClient.ALG_AES, 128,
                "SHA-256");
        SessionClient policy = SessionClient.policy(tpm, false);
        seeds.add(hmac.authorize(Command.of(TpmCc.Hash).tpm2b(new byte[40]).u16(0x0B).u32(TpmRh.NULL),
                CONTINUE | 0x60, new byte[0]).build());
        seeds.add(hmac.authorize(Command.of(TpmCc.PCR_Extend).handle(10).u32(0), CONTINUE | 0x80, new byte[0],
                SessionClient.u32(10)).build());
        seeds.add(Command.of(TpmCc.StartAuthSession).handle(TpmRh.NULL).handle(TpmRh.OWNER).tpm2b(new byte[16])
                .tpm2b(new byte[0]).u8(0).u16(0x0A).u16(0x0B).u16(0x0B).build());
        seeds.add(Command.of(TpmCc.PolicyPCR).handle(policy.handle).tpm2b(new byte[0]).u32(1).u16(0x0B).u8(3)
                .bytes(new byte[] {1, 0, 0}).build());
        seeds.add(Command.of(TpmCc.PolicyCommandCode).handle(policy.handle).u32(TpmCc.ClockSet.code())
                .auth(hmac.handle, new byte[16], 0x81, new byte[32]).build());
        for (int i = 0; i < 20000; i++) {
            byte[] cmd = seeds.get(random.nextInt(seeds.size())).clone();
            int mutations = 1 + random.nextInt(4);
            for (int m = 0; m < mutations; m++) {
                int at = 10 + random.nextInt(cmd.length - 10);
                switch (random.nextInt(3)) {
                    case 0 -> cmd[at] ^= (byte) (1 << random.nextInt(8));
                    case 1 -> cmd[at] = (byte) random.nextInt(256);
                    default -> cmd = java.util.Arrays.copyOf(cmd, at);
                }
                if (cmd.length <= 10) {
                    break;
                }
            }
            if (cmd.length >= 6) {
                cmd[2] = (byte) (cmd.length >>> 24);
                cmd[3] = (byte) (cmd.length >>> 16);
                cmd[4] = (byte) (cmd.length >>> 8);
                cmd[5] = (byte) cmd.length;
            }
            Response r = new Response(tpm.execute(cmd));
            byte[] sent = cmd;
            assertNotEquals(TpmRc.FAILURE.value(), r.rc, () -> "internal failure on " + HexFormat.of().formatHex(sent));
            if (random.nextInt(500) == 0) {
                // Sessions get used up; start over now and then.
                for (int h : new int[] {0x02000000, 0x02000001, 0x02000002, 0x03000000, 0x03000001, 0x03000002}) {
                    tpm.execute(Command.of(TpmCc.FlushContext).u32(h).build());
                }
                hmac = SessionClient.start(tpm, 0, TpmRh.OWNER, new byte[0], SessionClient.ALG_AES, 128, "SHA-256");
                policy = SessionClient.policy(tpm, false);
            }
        }
        assertEquals(0, run(tpm, Command.of(TpmCc.GetRandom).u16(8)).rc, "still serving");
    }
}
