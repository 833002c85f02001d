package org.jswtpm.core.command;

import java.util.ArrayList;
import java.util.List;
import org.jswtpm.core.TpmException;
import org.jswtpm.core.crypto.HashAlg;
import org.jswtpm.core.engine.CommandContext;
import org.jswtpm.core.engine.CommandHandler;
import org.jswtpm.core.engine.Tickets;
import org.jswtpm.core.marshal.TpmReader;
import org.jswtpm.core.marshal.TpmWriter;
import org.jswtpm.core.types.TaggedDigest;
import org.jswtpm.core.types.TpmAlg;
import org.jswtpm.core.types.TpmRc;
import org.jswtpm.core.types.TpmRh;

/** TCG TPM 2.0 Part 3, 15.4 TPM2_Hash and 17 "Hash/HMAC/Event sequences". */
final class HashCommands {
    /** TPM2B_MAX_BUFFER maximum (MAX_DIGEST_BUFFER). */
    static final int MAX_BUFFER = 1024;
    /** TPM2B_AUTH maximum: the largest digest. */
    static final int MAX_AUTH = HashAlg.MAX_DIGEST_SIZE;

    private HashCommands() {
    }

    /** TPMI_ALG_HASH: an implemented hash, or TPM_ALG_NULL if {@code allowNull}; else TPM_RC_HASH. */
    static HashAlg readHash(TpmReader in, boolean allowNull) throws TpmException {
        int id = in.u16();
        if (allowNull && id == TpmAlg.NULL.id()) {
            return null;
        }
        HashAlg h = HashAlg.of(id);
        if (h == null) {
            throw in.error(TpmRc.HASH);
        }
        return h;
    }

    /** TPMI_RH_HIERARCHY+: owner, endorsement, platform or null; else TPM_RC_VALUE. */
    static int readHierarchy(TpmReader in) throws TpmException {
        int h = in.u32();
        if (h != TpmRh.OWNER && h != TpmRh.ENDORSEMENT && h != TpmRh.PLATFORM && h != TpmRh.NULL) {
            throw in.error(TpmRc.VALUE);
        }
        return h;
    }

    record HashIn(byte[] data, HashAlg hash, int hierarchy) {
    }

    /**
     * Part 3, 15.4 TPM2_Hash: the digest and a hash-check ticket for the hierarchy (the NULL ticket
     * for TPM_RH_NULL or for data that starts with TPM_GENERATED_VALUE; unlike a sequence, short data
     * is ticketed). TPM_RC_HASH for an unknown or null hashAlg, TPM_RC_VALUE for a bad hierarchy. A
     * disabled hierarchy still gets its ticket, as in the reference implementation and swtpm.
     */
    static final class Hash implements CommandHandler<HashIn> {
        @Override
        public HashIn parse(TpmReader in) throws TpmException {
            byte[] data = in.parameter(1).tpm2b(MAX_BUFFER);
            HashAlg hash = readHash(in.parameter(2), false);
            int hierarchy = readHierarchy(in.parameter(3));
            return new HashIn(data, hash, hierarchy);
        }

        @Override
        public void execute(CommandContext ctx, HashIn p, TpmWriter out) throws TpmException {
            byte[] digest = p.hash().digest(p.data());
            out.tpm2b(digest);
            Tickets.writeHashCheck(out, ctx.tpm(), p.hierarchy(), p.hash(), digest,
                    p.data().length >= 4 && !HashSequence.isTicketSafe(p.data()));
        }
    }

    record StartIn(byte[] auth, HashAlg hash) {
    }

    /**
     * Part 3, 17.3 TPM2_HashSequenceStart: loads a hash sequence, or an event sequence for
     * TPM_ALG_NULL. TPM_RC_OBJECT_MEMORY when no object slot is free.
     */
    static final class HashSequenceStart implements CommandHandler<StartIn> {
        @Override
        public StartIn parse(TpmReader in) throws TpmException {
            byte[] auth = in.parameter(1).tpm2b(MAX_AUTH);
            HashAlg hash = readHash(in.parameter(2), true);
            return new StartIn(auth, hash);
        }

        @Override
        public void execute(CommandContext ctx, StartIn p, TpmWriter out) throws TpmException {
            ctx.responseHandle(ctx.tpm().objects().load(new HashSequence(p.auth(), p.hash())));
        }
    }

    /** The sequence object of handle {@code i}; TPM_RC_MODE on that handle if it is no sequence. */
    static HashSequence sequence(CommandContext ctx, int i) throws TpmException {
        if (!(ctx.entity(i) instanceof HashSequence)) {
            throw new TpmException(TpmRc.MODE.handle(i + 1));
        }
        return (HashSequence) ctx.entity(i);
    }

    /** Part 3, 17.4 TPM2_SequenceUpdate. TPM_RC_MODE if the handle is not a sequence. */
    static final class SequenceUpdate implements CommandHandler<byte[]> {
        @Override
        public byte[] parse(TpmReader in) throws TpmException {
            return in.parameter(1).tpm2b(MAX_BUFFER);
        }

        @Override
        public void execute(CommandContext ctx, byte[] buffer, TpmWriter out) throws TpmException {
            sequence(ctx, 0).update(buffer);
        }
    }

    record CompleteIn(byte[] buffer, int hierarchy) {
    }

    /**
     * Part 3, 17.5 TPM2_SequenceComplete: the digest and a hash-check ticket; flushes the sequence.
     * TPM_RC_MODE for an event sequence.
     */
    static final class SequenceComplete implements CommandHandler<CompleteIn> {
        @Override
        public CompleteIn parse(TpmReader in) throws TpmException {
            byte[] buffer = in.parameter(1).tpm2b(MAX_BUFFER);
            return new CompleteIn(buffer, readHierarchy(in.parameter(2)));
        }

        @Override
        public void execute(CommandContext ctx, CompleteIn p, TpmWriter out) throws TpmException {
            HashSequence seq = sequence(ctx, 0);
            if (seq.isEvent()) {
                throw new TpmException(TpmRc.MODE.handle(1));
            }
            seq.update(p.buffer());
            byte[] digest = seq.finish()[0];
            ctx.tpm().objects().flush(ctx.handle(0));
            out.tpm2b(digest);
            Tickets.writeHashCheck(out, ctx.tpm(), p.hierarchy(), seq.hash(), digest, !seq.ticketSafe());
        }
    }

    /**
     * Part 3, 17.6 TPM2_EventSequenceComplete: the digests of every bank hash, extended into the PCR
     * unless it is TPM_RH_NULL; flushes the sequence. TPM_RC_MODE (handle 2) if the sequence is not an
     * event sequence, TPM_RC_LOCALITY if the PCR may not be extended from this locality.
     */
    static final class EventSequenceComplete implements CommandHandler<byte[]> {
        @Override
        public byte[] parse(TpmReader in) throws TpmException {
            return in.parameter(1).tpm2b(MAX_BUFFER);
        }

        @Override
        public void execute(CommandContext ctx, byte[] buffer, TpmWriter out) throws TpmException {
            HashSequence seq = sequence(ctx, 1);
            if (!seq.isEvent()) {
                throw new TpmException(TpmRc.MODE.handle(2));
            }
            int pcr = ctx.handle(0);
            if (pcr != TpmRh.NULL) {
                PcrCommands.checkExtend(pcr, ctx.locality());
            }
            seq.update(buffer);
            byte[][] values = seq.finish();
            List<TaggedDigest> digests = new ArrayList<>(values.length);
            for (int i = 0; i < values.length; i++) {
                digests.add(new TaggedDigest(seq.algs()[i], values[i]));
            }
            if (pcr != TpmRh.NULL) {
                PcrCommands.extend(ctx.tpm().pcrs(), pcr, digests);
            }
            ctx.tpm().objects().flush(ctx.handle(1));
            TaggedDigest.writeList(out, digests);
        }
    }
}
