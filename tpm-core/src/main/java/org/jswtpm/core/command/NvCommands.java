package org.jswtpm.core.command;

import org.jswtpm.core.TpmException;
import org.jswtpm.core.crypto.HashAlg;
import org.jswtpm.core.engine.CommandContext;
import org.jswtpm.core.engine.CommandHandler;
import org.jswtpm.core.engine.NvAccess;
import org.jswtpm.core.engine.NvEntity;
import org.jswtpm.core.engine.TpmEngine;
import org.jswtpm.core.marshal.TpmReader;
import org.jswtpm.core.marshal.TpmWriter;
import org.jswtpm.core.state.NvIndex;
import org.jswtpm.core.state.NvStore;
import org.jswtpm.core.types.NvPublic;
import org.jswtpm.core.types.TpmRc;
import org.jswtpm.core.types.TpmRh;
import org.jswtpm.core.types.TpmaNv;

/**
 * TCG TPM 2.0 Part 3, 31 "Non-volatile storage". Handle 1 of the access commands is the authorizing
 * entity (TPMI_RH_NV_AUTH: owner, platform or the index itself), handle 2 the index. Authorization
 * itself was checked by the pipeline; the handlers check that the attributes allow that authorization
 * for the operation (Part 3, 31.3 "access controls").
 */
final class NvCommands {
    private NvCommands() {
    }

    /** The index named by handle {@code i} (0-based); the pipeline resolved it. */
    static NvIndex index(CommandContext ctx, int i) {
        return ((NvEntity) ctx.entity(i)).index();
    }

    /** The size of a TPM2B_AUTH with its trailing zeros removed (Part 1, 19.6.4). */
    static byte[] trimAuth(byte[] auth) {
        int n = auth.length;
        while (n > 0 && auth[n - 1] == 0) {
            n--;
        }
        return java.util.Arrays.copyOf(auth, n);
    }

    /**
     * The write access checks: TPM_RC_NV_LOCKED if write-locked; TPM_RC_NV_AUTHORIZATION if owner or
     * platform authorized and OWNERWRITE / PPWRITE is clear, or if the authorizing handle is another
     * index.
     */
    static void checkWrite(int authHandle, NvIndex index) throws TpmException {
        if (index.has(TpmaNv.WRITELOCKED)) {
            throw new TpmException(TpmRc.NV_LOCKED);
        }
        checkAuthorization(authHandle, index, TpmaNv.OWNERWRITE, TpmaNv.PPWRITE);
    }

    /**
     * The read access checks: TPM_RC_NV_LOCKED if read-locked; TPM_RC_NV_AUTHORIZATION as for writes
     * with OWNERREAD / PPREAD; then TPM_RC_NV_UNINITIALIZED if the index was never written.
     */
    static void checkRead(int authHandle, NvIndex index) throws TpmException {
        if (index.has(TpmaNv.READLOCKED)) {
            throw new TpmException(TpmRc.NV_LOCKED);
        }
        checkAuthorization(authHandle, index, TpmaNv.OWNERREAD, TpmaNv.PPREAD);
        if (!index.has(TpmaNv.WRITTEN)) {
            throw new TpmException(TpmRc.NV_UNINITIALIZED);
        }
    }

    private static void checkAuthorization(int authHandle, NvIndex index, int ownerBit, int platformBit)
            throws TpmException {
        boolean allowed = authHandle == TpmRh.OWNER ? index.has(ownerBit)
                : authHandle == TpmRh.PLATFORM ? index.has(platformBit)
                : authHandle == index.handle();
        if (!allowed) {
            throw new TpmException(TpmRc.NV_AUTHORIZATION);
        }
    }

    /**
     * Writes {@code bytes} at {@code offset}: sets WRITTEN on the first write (zeroing an ordinary
     * index first, so that a partial first write leaves no stale data), then records the change. An
     * orderly counter is stored when it is first written.
     */
    static void writeData(CommandContext ctx, NvIndex index, int offset, byte[] bytes) {
        boolean first = !index.has(TpmaNv.WRITTEN);
        if (first) {
            index.setAttributes(index.attributes() | TpmaNv.WRITTEN);
            if (index.type() == TpmaNv.NT_ORDINARY) {
                index.clearData();
            }
        }
        index.write(offset, bytes);
        NvAccess.changed(ctx.tpm(), index);
        if (first && index.isOrderly() && index.type() == TpmaNv.NT_COUNTER) {
            NvAccess.storeNow(ctx.tpm(), index);
        }
    }

    static byte[] uint64(long v) {
        byte[] b = new byte[8];
        for (int i = 7; i >= 0; i--) {
            b[i] = (byte) v;
            v >>>= 8;
        }
        return b;
    }

    // ---- 31.3 TPM2_NV_DefineSpace

    record DefineSpaceIn(byte[] auth, NvPublic pub) {
    }

    /**
     * Part 3, 31.3 TPM2_NV_DefineSpace. Response codes: TPM_RC_SIZE (parameter 2) for an authPolicy
     * that is neither empty nor nameAlg's size or a dataSize the type does not allow, (parameter 1) for
     * an authValue longer than nameAlg's digest; TPM_RC_HIERARCHY (handle 1) for platform authorization
     * with phEnableNV clear; TPM_RC_ATTRIBUTES (parameter 2) for an unknown type, a counter with
     * CLEAR_STCLEAR, a PIN index with AUTHWRITE, GLOBALLOCK or WRITEDEFINE (PIN Fail also without
     * NO_DA), WRITTEN / WRITELOCKED / READLOCKED set, no way to read or to write, CLEAR_STCLEAR with
     * WRITEDEFINE, POLICY_DELETE without platform authorization; TPM_RC_ATTRIBUTES (handle 1) for
     * PLATFORMCREATE that does not match the authorizing hierarchy; TPM_RC_NV_DEFINED; TPM_RC_NV_SPACE.
     */
    static final class DefineSpace implements CommandHandler<DefineSpaceIn> {
        @Override
        public DefineSpaceIn parse(TpmReader in) throws TpmException {
            byte[] auth = in.parameter(1).tpm2b(HashAlg.MAX_DIGEST_SIZE);
            NvPublic pub = NvPublic.readSized(in.parameter(2));
            return new DefineSpaceIn(auth, pub);
        }

        @Override
        public void execute(CommandContext ctx, DefineSpaceIn p, TpmWriter out) throws TpmException {
            NvPublic pub = p.pub();
            int a = pub.attributes();
            int digestSize = pub.nameAlg().digestSize();
            int authHandle = ctx.handle(0);
            if (pub.authPolicy().length != 0 && pub.authPolicy().length != digestSize) {
                throw new TpmException(TpmRc.SIZE.parameter(2));
            }
            byte[] auth = trimAuth(p.auth());
            if (auth.length > digestSize) {
                throw new TpmException(TpmRc.SIZE.parameter(1));
            }
            if (authHandle == TpmRh.PLATFORM && !ctx.tpm().runtime().phEnableNV) {
                throw new TpmException(TpmRc.HIERARCHY.handle(1));
            }
            checkTypeAndSize(pub, digestSize);
            checkAttributes(a, authHandle);
            if (pub.dataSize() > NvStore.MAX_BUFFER_SIZE && TpmaNv.has(a, TpmaNv.WRITEALL)) {
                throw new TpmException(TpmRc.SIZE.parameter(2));
            }
            NvStore store = ctx.tpm().permanent().nv;
            if (store.get(pub.nvIndex()) != null) {
                throw new TpmException(TpmRc.NV_DEFINED);
            }
            if (!store.fits(a, pub.dataSize(), pub.authPolicy().length)) {
                throw new TpmException(TpmRc.NV_SPACE);
            }
            store.add(new NvIndex(pub, auth));
            NvAccess.definitionsChanged(ctx.tpm());
        }

        private static void checkTypeAndSize(NvPublic pub, int digestSize) throws TpmException {
            int nt = TpmaNv.type(pub.attributes());
            switch (nt) {
                case TpmaNv.NT_ORDINARY:
                    if (pub.dataSize() > NvStore.MAX_INDEX_SIZE) {
                        throw new TpmException(TpmRc.SIZE.parameter(2));
                    }
                    break;
                case TpmaNv.NT_EXTEND:
                    if (pub.dataSize() != digestSize) {
                        throw new TpmException(TpmRc.SIZE.parameter(2));
                    }
                    break;
                case TpmaNv.NT_COUNTER:
                case TpmaNv.NT_BITS:
                case TpmaNv.NT_PIN_FAIL:
                case TpmaNv.NT_PIN_PASS:
                    if (pub.dataSize() != 8) {
                        throw new TpmException(TpmRc.SIZE.parameter(2));
                    }
                    break;
                default:
                    throw new TpmException(TpmRc.ATTRIBUTES.parameter(2));
            }
        }

        private static void checkAttributes(int a, int authHandle) throws TpmException {
            TpmRc bad = TpmRc.ATTRIBUTES.parameter(2);
            int nt = TpmaNv.type(a);
            if (nt == TpmaNv.NT_COUNTER && TpmaNv.has(a, TpmaNv.CLEAR_STCLEAR)) {
                throw new TpmException(bad);
            }
            if (nt == TpmaNv.NT_PIN_FAIL && !TpmaNv.has(a, TpmaNv.NO_DA)) {
                throw new TpmException(bad);
            }
            if (TpmaNv.isPin(a) && (a & (TpmaNv.AUTHWRITE | TpmaNv.GLOBALLOCK | TpmaNv.WRITEDEFINE)) != 0) {
                throw new TpmException(bad);
            }
            if ((a & (TpmaNv.WRITTEN | TpmaNv.WRITELOCKED | TpmaNv.READLOCKED)) != 0
                    || (a & (TpmaNv.OWNERREAD | TpmaNv.PPREAD | TpmaNv.AUTHREAD | TpmaNv.POLICYREAD)) == 0
                    || (a & (TpmaNv.OWNERWRITE | TpmaNv.PPWRITE | TpmaNv.AUTHWRITE | TpmaNv.POLICYWRITE)) == 0
                    || (TpmaNv.has(a, TpmaNv.CLEAR_STCLEAR) && TpmaNv.has(a, TpmaNv.WRITEDEFINE))) {
                throw new TpmException(bad);
            }
            if (TpmaNv.has(a, TpmaNv.PLATFORMCREATE) != (authHandle == TpmRh.PLATFORM)) {
                throw new TpmException(TpmRc.ATTRIBUTES.handle(1));
            }
            if (TpmaNv.has(a, TpmaNv.POLICY_DELETE) && authHandle != TpmRh.PLATFORM) {
                throw new TpmException(bad);
            }
        }
    }

    // ---- 31.4 TPM2_NV_UndefineSpace, 31.5 TPM2_NV_UndefineSpaceSpecial

    /**
     * Part 3, 31.4 TPM2_NV_UndefineSpace. TPM_RC_ATTRIBUTES (handle 2) if the index has POLICY_DELETE;
     * TPM_RC_NV_AUTHORIZATION if the owner tries to delete a platform-created index.
     */
    static final class UndefineSpace implements CommandHandler.NoParameters {
        @Override
        public void execute(CommandContext ctx, TpmWriter out) throws TpmException {
            NvIndex index = index(ctx, 1);
            if (index.has(TpmaNv.POLICY_DELETE)) {
                throw new TpmException(TpmRc.ATTRIBUTES.handle(2));
            }
            if (ctx.handle(0) == TpmRh.OWNER && index.has(TpmaNv.PLATFORMCREATE)) {
                throw new TpmException(TpmRc.NV_AUTHORIZATION);
            }
            delete(ctx.tpm(), index);
        }
    }

    static void delete(TpmEngine tpm, NvIndex index) {
        tpm.permanent().nv.remove(index);
        NvAccess.definitionsChanged(tpm);
    }

    /**
     * Part 3, 31.5 TPM2_NV_UndefineSpaceSpecial: deletes an index with POLICY_DELETE, authorized by its
     * policy (ADMIN role, handle 1) and by the platform (handle 2). TPM_RC_ATTRIBUTES (handle 1) if
     * POLICY_DELETE is clear.
     */
    static final class UndefineSpaceSpecial implements CommandHandler.NoParameters {
        @Override
        public void execute(CommandContext ctx, TpmWriter out) throws TpmException {
            NvIndex index = index(ctx, 0);
            if (!index.has(TpmaNv.POLICY_DELETE)) {
                throw new TpmException(TpmRc.ATTRIBUTES.handle(1));
            }
            delete(ctx.tpm(), index);
        }
    }

    // ---- 31.6 TPM2_NV_ReadPublic

    /** Part 3, 31.6 TPM2_NV_ReadPublic: the public area (with its current attributes) and the Name. */
    static final class ReadPublic implements CommandHandler.NoParameters {
        @Override
        public void execute(CommandContext ctx, TpmWriter out) {
            NvPublic pub = index(ctx, 0).pub();
            pub.writeSized(out);
            out.tpm2b(pub.name());
        }
    }

    // ---- 31.12 TPM2_NV_GlobalWriteLock, 31.15 TPM2_NV_ChangeAuth

    /**
     * Part 3, 31.12 TPM2_NV_GlobalWriteLock: write-locks every index with GLOBALLOCK until the next
     * TPM Reset or TPM Restart (owner or platform authorization).
     */
    static final class GlobalWriteLock implements CommandHandler.NoParameters {
        @Override
        public void execute(CommandContext ctx, TpmWriter out) {
            NvStore store = ctx.tpm().permanent().nv;
            for (NvIndex index : store.all()) {
                if (index.has(TpmaNv.GLOBALLOCK) && !index.has(TpmaNv.WRITELOCKED)) {
                    index.setAttributes(index.attributes() | TpmaNv.WRITELOCKED);
                    NvAccess.changed(ctx.tpm(), index);
                }
            }
        }
    }

    /**
     * Part 3, 31.15 TPM2_NV_ChangeAuth: a new authValue, authorized by the index's policy (ADMIN role;
     * any other session is TPM_RC_AUTH_TYPE from the pipeline). TPM_RC_SIZE (parameter 1) if the new
     * authValue, trailing zeros removed, is longer than nameAlg's digest.
     */
    static final class ChangeAuth implements CommandHandler<byte[]> {
        @Override
        public byte[] parse(TpmReader in) throws TpmException {
            return in.parameter(1).tpm2b(HashAlg.MAX_DIGEST_SIZE);
        }

        @Override
        public void execute(CommandContext ctx, byte[] newAuth, TpmWriter out) throws TpmException {
            NvIndex index = index(ctx, 0);
            byte[] auth = trimAuth(newAuth);
            if (auth.length > index.nameAlg().digestSize()) {
                throw new TpmException(TpmRc.SIZE.parameter(1));
            }
            index.setAuthValue(auth);
            NvAccess.definitionsChanged(ctx.tpm());
        }
    }
}
