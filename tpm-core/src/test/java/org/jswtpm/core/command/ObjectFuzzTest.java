package org.jswtpm.core.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.jswtpm.core.Tpm;
import org.jswtpm.core.testing.Command;
import org.jswtpm.core.testing.TestObjects;
import org.jswtpm.core.testing.TestTpm;
import org.jswtpm.core.types.TpmCc;
import org.jswtpm.core.types.TpmRc;
import org.jswtpm.core.types.TpmRh;
import org.junit.jupiter.api.Test;

/**
 * Mutated object commands never make the engine fail internally: every answer is a well-formed success
 * or a TPM error other than TPM_RC_FAILURE. Seeded, so a failure reproduces.
 */
class ObjectFuzzTest {
    private static final int ROUNDS = 1500;

    static byte[] mutate(byte[] command, Random rnd) {
        byte[] c = command.clone();
        int edits = 1 + rnd.nextInt(4);
        for (int i = 0; i < edits; i++) {
            int at = 10 + rnd.nextInt(c.length - 10);
            switch (rnd.nextInt(4)) {
                case 0: c[at] ^= (byte) (1 << rnd.nextInt(8)); break;
                case 1: c[at] = (byte) rnd.nextInt(256); break;
                case 2: c[at] = 0; break;
                default: c[at] = (byte) 0xFF; break;
            }
        }
        if (rnd.nextInt(8) == 0) {
            c = java.util.Arrays.copyOf(c, 10 + rnd.nextInt(c.length - 10));
            c[2] = (byte) (c.length >>> 24);
            c[3] = (byte) (c.length >>> 16);
            c[4] = (byte) (c.length >>> 8);
            c[5] = (byte) c.length;
        }
        return c;
    }

    @Test
    void mutatedObjectCommandsNeverFailInternally() throws Exception {
        Tpm tpm = TestTpm.started();
        int parent = TestObjects.createPrimary(tpm, TpmRh.OWNER, TestObjects.eccStorage(3)).handle();
        TestObjects.Blob blob = TestObjects.create(tpm, parent, TestObjects.sealed(), "pw".getBytes(), "data".getBytes());
        int sealed = TestObjects.load(tpm, parent, blob);
        org.jswtpm.core.testing.Response saved = TestTpm.run(tpm, Command.of(TpmCc.ContextSave).handle(sealed));
        byte[] context = java.util.Arrays.copyOfRange(saved.bytes, 10, saved.bytes.length);
        TestObjects.flush(tpm, sealed);
        List<byte[]> seeds = new ArrayList<>();
        seeds.add(TestObjects.createPrimaryCommand(TpmRh.OWNER, TestObjects.eccStorage(3), new byte[0]).build());
        seeds.add(TestObjects.createPrimaryCommand(TpmRh.NULL, TestObjects.sealed(), new byte[0]).build());
        seeds.add(TestObjects.createPrimaryCommand(TpmRh.OWNER, TestObjects.aesKey(TestObjects.STORAGE, 128), new byte[0]).build());
        seeds.add(Command.of(TpmCc.Create).handle(parent).emptyAuth().bytes(TestObjects.sensitive(new byte[0],
                "x".getBytes())).bytes(TestObjects.sealed()).u16(0).u32(0).build());
        seeds.add(TestObjects.loadCommand(parent, blob).build());
        seeds.add(Command.of(TpmCc.ContextLoad).bytes(context).build());
        seeds.add(Command.of(TpmCc.LoadExternal).u16(0).bytes(TestObjects.tpm2b(TestObjects.readPublic(tpm, parent)[0]))
                .u32(TpmRh.OWNER).build());
        seeds.add(Command.of(TpmCc.TestParms).u16(0x0023).u16(0x0010).u16(0x0010).u16(0x0003).u16(0x0010).build());
        seeds.add(Command.of(TpmCc.EvictControl).handle(TpmRh.OWNER).handle(parent).emptyAuth().u32(0x81000001).build());
        Random rnd = new Random(20261122);
        int successes = 0;
        for (int i = 0; i < ROUNDS; i++) {
            byte[] cmd = mutate(seeds.get(rnd.nextInt(seeds.size())), rnd);
            byte[] rsp = tpm.execute(cmd);
            assertEquals(rsp.length, ((rsp[2] & 0xFF) << 24) | ((rsp[3] & 0xFF) << 16) | ((rsp[4] & 0xFF) << 8)
                    | (rsp[5] & 0xFF), "size field");
            int rc = ((rsp[6] & 0xFF) << 24) | ((rsp[7] & 0xFF) << 16) | ((rsp[8] & 0xFF) << 8) | (rsp[9] & 0xFF);
            assertNotEquals(TpmRc.FAILURE.value(), rc, () -> "TPM_RC_FAILURE for " + java.util.HexFormat.of()
                    .formatHex(cmd));
            if (rc == 0) {
                successes++;
                if (rsp.length >= 14 && (rsp[10] & 0xFF) == 0x80) {
                    int h = ((rsp[10] & 0xFF) << 24) | ((rsp[11] & 0xFF) << 16) | ((rsp[12] & 0xFF) << 8) | (rsp[13] & 0xFF);
                    if (h != parent) {
                        tpm.execute(Command.of(TpmCc.FlushContext).u32(h).build());
                    }
                }
            }
        }
        System.out.println("object fuzz: " + successes + " of " + ROUNDS + " mutated commands succeeded");
    }
}
