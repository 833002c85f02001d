package org.jswtpm.core.engine;

import static org.jswtpm.core.testing.TestTpm.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.jswtpm.core.TpmException;
import org.jswtpm.core.marshal.TpmReader;
import org.jswtpm.core.marshal.TpmWriter;
import org.jswtpm.core.testing.Command;
import org.jswtpm.core.testing.TestTpm;
import org.jswtpm.core.types.TpmAlg;
import org.jswtpm.core.types.TpmCc;
import org.jswtpm.core.types.TpmRc;
import org.jswtpm.core.types.TpmRh;
import org.jswtpm.core.types.TpmaNv;
import org.junit.jupiter.api.Test;

/**
 * TPM2_NV_UndefineSpaceSpecial and TPM2_NV_ChangeAuth need a policy session for the index (ADMIN role),
 * which the pipeline cannot check yet; their handlers run here as the pipeline would run them once it
 * has authorized the command.
 */
class NvPolicyHandlersTest {
    static final int INDEX = 0x01000020;
    private final TpmEngine tpm = (TpmEngine) TestTpm.started();

    private void define(int authHandle, int attributes) {
        TpmWriter pub = new TpmWriter();
        int at = pub.startSized16();
        pub.u32(INDEX).u16(TpmAlg.SHA256.id()).u32(attributes).tpm2b(new byte[32]).u16(8);
        pub.endSized16(at);
        run(tpm, Command.of(TpmCc.NV_DefineSpace).handle(authHandle).emptyAuth().tpm2b(new byte[0])
                .bytes(pub.toByteArray())).ok();
    }

    /** Runs the handler of {@code cc} on {@code handles} with {@code params}, as an authorized command. */
    @SuppressWarnings("unchecked")
    private void execute(TpmCc cc, int[] handles, byte[] params) throws TpmException {
        CommandSpec spec = tpm.table().get(cc.code());
        Entity[] entities = new Entity[handles.length];
        for (int i = 0; i < handles.length; i++) {
            entities[i] = TpmRh.type(handles[i]) == TpmRh.HT_NV_INDEX
                    ? NvAccess.resolve(tpm, handles[i], i + 1) : tpm.hierarchies().resolve(handles[i], i + 1);
        }
        CommandHandler<Object> h = (CommandHandler<Object>) spec.handler();
        TpmReader in = new TpmReader(params);
        Object parsed = h.parse(in);
        in.expectEnd();
        h.execute(new CommandContext(tpm, spec, 0, handles, entities), parsed, new TpmWriter());
    }

    @Test
    void undefineSpaceSpecialDeletesAPolicyDeleteIndex() throws TpmException {
        define(TpmRh.PLATFORM, TpmaNv.OWNERREAD | TpmaNv.OWNERWRITE | TpmaNv.PLATFORMCREATE | TpmaNv.POLICY_DELETE);
        execute(TpmCc.NV_UndefineSpaceSpecial, new int[] {INDEX, TpmRh.PLATFORM}, new byte[0]);
        run(tpm, Command.of(TpmCc.NV_ReadPublic).handle(INDEX)).assertRc(TpmRc.HANDLE.handle(1));
    }

    @Test
    void undefineSpaceSpecialRefusesAnIndexWithoutPolicyDelete() {
        define(TpmRh.OWNER, TpmaNv.OWNERREAD | TpmaNv.OWNERWRITE);
        TpmException e = assertThrows(TpmException.class,
                () -> execute(TpmCc.NV_UndefineSpaceSpecial, new int[] {INDEX, TpmRh.PLATFORM}, new byte[0]));
        assertEquals(TpmRc.ATTRIBUTES.handle(1), e.rc());
    }

    @Test
    void changeAuthReplacesTheAuthValue() throws TpmException {
        define(TpmRh.OWNER, TpmaNv.OWNERREAD | TpmaNv.AUTHWRITE | TpmaNv.AUTHREAD | TpmaNv.NO_DA);
        byte[] newAuth = "new".getBytes();
        execute(TpmCc.NV_ChangeAuth, new int[] {INDEX}, new TpmWriter().tpm2b(new byte[] {'n', 'e', 'w', 0, 0})
                .toByteArray());
        run(tpm, Command.of(TpmCc.NV_Write).handle(INDEX).handle(INDEX).passwords(newAuth).tpm2b(new byte[1]).u16(0))
                .ok();
        run(tpm, Command.of(TpmCc.NV_Write).handle(INDEX).handle(INDEX).passwords(new byte[0]).tpm2b(new byte[1])
                .u16(0)).assertRc(TpmRc.BAD_AUTH.session(1));
        byte[] tooLong = new byte[33];
        tooLong[32] = 1;
        TpmException e = assertThrows(TpmException.class, () -> execute(TpmCc.NV_ChangeAuth, new int[] {INDEX},
                new TpmWriter().tpm2b(tooLong).toByteArray()));
        assertEquals(TpmRc.SIZE.parameter(1), e.rc());
    }
}
