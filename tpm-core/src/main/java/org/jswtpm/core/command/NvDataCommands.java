package org.jswtpm.core.command;

import static org.jswtpm.core.command.NvCommands.checkRead;
import static org.jswtpm.core.command.NvCommands.checkWrite;
import static org.jswtpm.core.command.NvCommands.index;
import static org.jswtpm.core.command.NvCommands.writeData;

import java.security.MessageDigest;
import org.jswtpm.core.TpmException;
import org.jswtpm.core.engine.CommandContext;
import org.jswtpm.core.engine.CommandHandler;
import org.jswtpm.core.engine.NvAccess;
import org.jswtpm.core.marshal.TpmReader;
import org.jswtpm.core.marshal.TpmWriter;
import org.jswtpm.core.state.NvIndex;
import org.jswtpm.core.state.NvStore;
import org.jswtpm.core.types.TpmRc;
import org.jswtpm.core.types.TpmaNv;

/**
 * TCG TPM 2.0 Part 3, 31 "Non-volatile storage": the commands that read, write and lock an index's
 * data (31.7 to 31.14). Each takes the authorizing handle (owner, platform or the index) and the
 * index, and begins with the access checks of {@link NvCommands#checkWrite} or
 * {@link NvCommands#checkRead}.
 */
final class NvDataCommands {
    private NvDataCommands() {
    }

    record WriteIn(byte[] data, int offset) {
    }

    /**
     * Part 3, 31.7 TPM2_NV_Write. After the write access checks: TPM_RC_ATTRIBUTES for a counter,
     * bits or extend index; TPM_RC_VALUE (parameter 2) for an offset beyond the index;
     * TPM_RC_NV_RANGE for data that does not fit, or that does not cover a WRITEALL index.
     */
    static final class Write implements CommandHandler<WriteIn> {
        @Override
        public WriteIn parse(TpmReader in) throws TpmException {
            byte[] data = in.parameter(1).tpm2b(NvStore.MAX_BUFFER_SIZE);
            return new WriteIn(data, in.parameter(2).u16());
        }

        @Override
        public void execute(CommandContext ctx, WriteIn p, TpmWriter out) throws TpmException {
            NvIndex index = index(ctx, 1);
            checkWrite(ctx.handle(0), index);
            int nt = index.type();
            if (nt == TpmaNv.NT_COUNTER || nt == TpmaNv.NT_BITS || nt == TpmaNv.NT_EXTEND) {
                throw new TpmException(TpmRc.ATTRIBUTES);
            }
            int size = index.pub().dataSize();
            if (p.offset() > size) {
                throw new TpmException(TpmRc.VALUE.parameter(2));
            }
            if (p.data().length > size - p.offset()
                    || (index.has(TpmaNv.WRITEALL) && p.data().length < size)) {
                throw new TpmException(TpmRc.NV_RANGE);
            }
            writeData(ctx, index, p.offset(), p.data());
        }
    }

    /**
     * Part 3, 31.8 TPM2_NV_Increment. After the write access checks: TPM_RC_ATTRIBUTES (handle 2) if
     * the index is not a counter. A counter's first increment starts above the largest value any
     * counter had; an orderly counter is stored each time its low-order bits roll over.
     */
    static final class Increment implements CommandHandler.NoParameters {
        @Override
        public void execute(CommandContext ctx, TpmWriter out) throws TpmException {
            NvIndex index = index(ctx, 1);
            checkWrite(ctx.handle(0), index);
            if (index.type() != TpmaNv.NT_COUNTER) {
                throw new TpmException(TpmRc.ATTRIBUTES.handle(2));
            }
            long value = index.has(TpmaNv.WRITTEN) ? index.uint64() : ctx.tpm().permanent().nv.maxCount();
            value++;
            writeData(ctx, index, 0, NvCommands.uint64(value));
            if (index.isOrderly() && (value & NvStore.MAX_ORDERLY_COUNT) == 0) {
                NvAccess.storeNow(ctx.tpm(), index);
            }
        }
    }

    /**
     * Part 3, 31.9 TPM2_NV_Extend: data = H_nameAlg(data || new). After the write access checks:
     * TPM_RC_ATTRIBUTES (handle 2) if the index is not an extend index.
     */
    static final class Extend implements CommandHandler<byte[]> {
        @Override
        public byte[] parse(TpmReader in) throws TpmException {
            return in.parameter(1).tpm2b(NvStore.MAX_BUFFER_SIZE);
        }

        @Override
        public void execute(CommandContext ctx, byte[] data, TpmWriter out) throws TpmException {
            NvIndex index = index(ctx, 1);
            checkWrite(ctx.handle(0), index);
            if (index.type() != TpmaNv.NT_EXTEND) {
                throw new TpmException(TpmRc.ATTRIBUTES.handle(2));
            }
            MessageDigest md = index.nameAlg().newDigest();
            if (index.has(TpmaNv.WRITTEN)) {
                md.update(index.data());
            } else {
                md.update(new byte[index.nameAlg().digestSize()]);
            }
            md.update(data);
            writeData(ctx, index, 0, md.digest());
        }
    }

    /**
     * Part 3, 31.10 TPM2_NV_SetBits: ORs bits into a bit-field index. After the write access checks:
     * TPM_RC_ATTRIBUTES (handle 2) if the index is not a bits index.
     */
    static final class SetBits implements CommandHandler<Long> {
        @Override
        public Long parse(TpmReader in) throws TpmException {
            return in.parameter(1).u64();
        }

        @Override
        public void execute(CommandContext ctx, Long bits, TpmWriter out) throws TpmException {
            NvIndex index = index(ctx, 1);
            checkWrite(ctx.handle(0), index);
            if (index.type() != TpmaNv.NT_BITS) {
                throw new TpmException(TpmRc.ATTRIBUTES.handle(2));
            }
            long old = index.has(TpmaNv.WRITTEN) ? index.uint64() : 0;
            writeData(ctx, index, 0, NvCommands.uint64(old | bits));
        }
    }

    /**
     * Part 3, 31.11 TPM2_NV_WriteLock: sets WRITELOCKED. TPM_RC_NV_AUTHORIZATION as for a write; an
     * index already locked is success; TPM_RC_ATTRIBUTES (handle 2) if neither WRITEDEFINE nor
     * WRITE_STCLEAR is set.
     */
    static final class WriteLock implements CommandHandler.NoParameters {
        @Override
        public void execute(CommandContext ctx, TpmWriter out) throws TpmException {
            NvIndex index = index(ctx, 1);
            try {
                checkWrite(ctx.handle(0), index);
            } catch (TpmException e) {
                if (e.rc().equals(TpmRc.NV_LOCKED)) {
                    return;
                }
                throw e;
            }
            if (!index.has(TpmaNv.WRITEDEFINE) && !index.has(TpmaNv.WRITE_STCLEAR)) {
                throw new TpmException(TpmRc.ATTRIBUTES.handle(2));
            }
            index.setAttributes(index.attributes() | TpmaNv.WRITELOCKED);
            NvAccess.changed(ctx.tpm(), index);
        }
    }

    record ReadIn(int size, int offset) {
    }

    /**
     * Part 3, 31.13 TPM2_NV_Read. After the read access checks (TPM_RC_NV_LOCKED,
     * TPM_RC_NV_AUTHORIZATION, TPM_RC_NV_UNINITIALIZED): TPM_RC_VALUE (parameter 1) for a size above
     * MAX_NV_BUFFER_SIZE, (parameter 2) for an offset beyond the index; TPM_RC_NV_RANGE if offset +
     * size passes the end of the index.
     */
    static final class Read implements CommandHandler<ReadIn> {
        @Override
        public ReadIn parse(TpmReader in) throws TpmException {
            int size = in.parameter(1).u16();
            return new ReadIn(size, in.parameter(2).u16());
        }

        @Override
        public void execute(CommandContext ctx, ReadIn p, TpmWriter out) throws TpmException {
            NvIndex index = index(ctx, 1);
            checkRead(ctx.handle(0), index);
            int dataSize = index.pub().dataSize();
            if (p.size() > NvStore.MAX_BUFFER_SIZE) {
                throw new TpmException(TpmRc.VALUE.parameter(1));
            }
            if (p.offset() > dataSize) {
                throw new TpmException(TpmRc.VALUE.parameter(2));
            }
            if (p.size() > dataSize - p.offset()) {
                throw new TpmException(TpmRc.NV_RANGE);
            }
            out.u16(p.size()).bytes(index.data(), p.offset(), p.size());
        }
    }

    /**
     * Part 3, 31.14 TPM2_NV_ReadLock: sets READLOCKED until the next TPM Reset or Restart.
     * TPM_RC_NV_AUTHORIZATION as for a read; an index already read-locked is success, an unwritten one
     * may be locked; TPM_RC_ATTRIBUTES (handle 2) if READ_STCLEAR is clear.
     */
    static final class ReadLock implements CommandHandler.NoParameters {
        @Override
        public void execute(CommandContext ctx, TpmWriter out) throws TpmException {
            NvIndex index = index(ctx, 1);
            try {
                checkRead(ctx.handle(0), index);
            } catch (TpmException e) {
                if (e.rc().equals(TpmRc.NV_LOCKED)) {
                    return;
                }
                if (!e.rc().equals(TpmRc.NV_UNINITIALIZED)) {
                    throw e;
                }
            }
            if (!index.has(TpmaNv.READ_STCLEAR)) {
                throw new TpmException(TpmRc.ATTRIBUTES.handle(2));
            }
            index.setAttributes(index.attributes() | TpmaNv.READLOCKED);
            NvAccess.changed(ctx.tpm(), index);
        }
    }
}
