package org.jswtpm.core.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.jswtpm.core.Tpm;
import org.jswtpm.core.testing.Command;
import org.jswtpm.core.testing.Response;
import org.jswtpm.core.testing.TestTpm;
import org.jswtpm.core.types.TpmCc;
import org.jswtpm.core.types.TpmRc;
import org.junit.jupiter.api.Test;

/** Malformed commands get the specified response code, never an exception, and the TPM carries on. */
class MalformedCommandTest {
    static final byte[] GET_RANDOM = Command.of(TpmCc.GetRandom).u16(8).build();

    static Response send(Tpm tpm, byte[] bytes) {
        return new Response(tpm.execute(bytes));
    }

    @Test
    void headerErrors() {
        Tpm tpm = TestTpm.started();
        send(tpm, new byte[] {(byte) 0x80}).assertRc(TpmRc.INSUFFICIENT);
        send(tpm, new byte[0]).assertRc(TpmRc.INSUFFICIENT);
        byte[] undefinedTag = GET_RANDOM.clone();
        undefinedTag[1] = 0x03;
        send(tpm, undefinedTag).assertRc(TpmRc.VALUE);
        byte[] responseTag = GET_RANDOM.clone();
        responseTag[0] = 0x00;
        responseTag[1] = (byte) 0xC4;
        send(tpm, responseTag).assertRc(TpmRc.BAD_TAG);
        byte[] tooBig = GET_RANDOM.clone();
        tooBig[5]++;
        send(tpm, tooBig).assertRc(TpmRc.COMMAND_SIZE);
        byte[] unknown = GET_RANDOM.clone();
        unknown[9] = 0x5A; // 0x15a: no command has this code
        unknown[8] = 0x01;
        send(tpm, unknown).assertRc(TpmRc.COMMAND_CODE);
        byte[] huge = new byte[4097];
        System.arraycopy(GET_RANDOM, 0, huge, 0, 10);
        huge[2] = 0;
        huge[3] = 0;
        huge[4] = 0x10;
        huge[5] = 0x01;
        send(tpm, huge).assertRc(TpmRc.COMMAND_SIZE);
        assertEquals(0, send(tpm, GET_RANDOM).rc, "still serving");
    }

    @Test
    void parameterErrors() {
        Tpm tpm = TestTpm.started();
        send(tpm, Command.of(TpmCc.GetRandom).build()).assertRc(TpmRc.INSUFFICIENT.parameter(1));
        send(tpm, Command.of(TpmCc.GetRandom).u16(8).u8(0).build()).assertRc(TpmRc.SIZE);
        send(tpm, Command.of(TpmCc.PCR_Extend).handle(1).passwords(new byte[0]).u32(9).build())
                .assertRc(TpmRc.SIZE.parameter(1));
        byte[] noAuthArea = Command.of(TpmCc.PCR_Extend).handle(1).emptyAuth().u32(0).build();
        noAuthArea[17] = 0x40; // authorizationSize far larger than the command
        send(tpm, noAuthArea).assertRc(TpmRc.SIZE);
        send(tpm, Command.of(TpmCc.Startup).emptyAuth().u16(0).build()).assertRc(TpmRc.INITIALIZE);
        send(tpm, Command.of(TpmCc.FlushContext).emptyAuth().u32(0x80000000).build()).assertRc(TpmRc.AUTH_CONTEXT);
    }

    @Test
    void passwordSessionRules() {
        Tpm tpm = TestTpm.started();
        byte[] audit = Command.of(TpmCc.GetRandom).emptyAuth().u16(1).build();
        audit[20] = (byte) 0x80; // TPMA_SESSION.audit is illegal for TPM_RS_PW
        send(tpm, audit).assertRc(TpmRc.ATTRIBUTES.session(1));
        send(tpm, Command.of(TpmCc.GetRandom).emptyAuth().u16(1).build()).assertRc(TpmRc.HANDLE.session(1));
    }

    @Test
    void randomGarbageNeverEscapes() {
        Tpm tpm = TestTpm.started();
        Random random = new Random(42);
        for (int i = 0; i < 20000; i++) {
            byte[] cmd = new byte[random.nextInt(64)];
            random.nextBytes(cmd);
            if (cmd.length >= 10 && random.nextBoolean()) {
                cmd[0] = (byte) 0x80;
                cmd[1] = (byte) (1 + random.nextInt(2));
                cmd[2] = 0;
                cmd[3] = 0;
                cmd[4] = 0;
                cmd[5] = (byte) cmd.length;
                cmd[6] = 0;
                cmd[7] = 0;
                cmd[8] = 1;
            }
            byte[] rsp = tpm.execute(random.nextInt(5), cmd);
            Response r = new Response(rsp);
            assertTrue(r.rc != TpmRc.FAILURE.value(), "no internal failure for input " + i);
        }
        assertEquals(0, send(tpm, GET_RANDOM).rc);
    }
}
