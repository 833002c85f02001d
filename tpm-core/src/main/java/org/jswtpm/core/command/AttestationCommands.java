package org.jswtpm.core.command;

import java.util.List;
import java.util.function.Consumer;
import org.jswtpm.core.TpmException;
import org.jswtpm.core.crypto.HashAlg;
import org.jswtpm.core.crypto.Kdf;
import org.jswtpm.core.crypto.SigScheme;
import org.jswtpm.core.crypto.Signatures;
import org.jswtpm.core.crypto.TpmtSignature;
import org.jswtpm.core.engine.CommandContext;
import org.jswtpm.core.engine.CommandHandler;
import org.jswtpm.core.engine.Tickets;
import org.jswtpm.core.engine.TpmEngine;
import org.jswtpm.core.engine.session.AuthSession;
import org.jswtpm.core.marshal.TpmReader;
import org.jswtpm.core.marshal.TpmWriter;
import org.jswtpm.core.object.Creation;
import org.jswtpm.core.object.CreationTicket;
import org.jswtpm.core.object.TpmObject;
import org.jswtpm.core.state.PermanentState;
import org.jswtpm.core.types.PcrSelection;
import org.jswtpm.core.types.TpmRc;
import org.jswtpm.core.types.TpmRh;
import org.jswtpm.core.types.TpmSt;

/**
 * TCG TPM 2.0 Part 3, 18 "Attestation Commands" (and GetSessionAuditDigest of 18.5). Each builds a
 * TPMS_ATTEST (Part 2, 10.12.12): TPM_GENERATED_VALUE, the attestation type, the signer's Qualified Name,
 * the caller's qualifying data as extraData, TPMS_CLOCK_INFO, the firmware version and the attested
 * structure; then signs its digest with the scheme's hash (no signature for TPM_RH_NULL as signer).
 * As in the reference's FillInAttestInfo, when the signer is not in the endorsement or platform
 * hierarchy, firmwareVersion, resetCount and restartCount are offset by KDFa(shProof, "OBFUSCATE",
 * qualifiedSigner) so that the owner cannot correlate attestations across resets.
 */
final class AttestationCommands {
    /** TPM_GENERATED_VALUE. */
    static final int TPM_GENERATED = 0xFF544347;

    private AttestationCommands() {
    }

    /** A signer and the scheme selected for it; both null for TPM_RH_NULL. */
    record Signer(TpmObject key, SigScheme scheme) {
    }

    /**
     * The signer of handle {@code i} (TPM_RH_NULL allowed): TPM_RC_KEY on the handle if it is no signing
     * key, TPM_RC_SCHEME on {@code schemeParam} if no scheme fits.
     */
    static Signer signer(CommandContext ctx, int i, SigScheme in, int schemeParam) throws TpmException {
        if (ctx.handle(i) == TpmRh.NULL) {
            return new Signer(null, SigScheme.NULL);
        }
        TpmObject key = ObjectCommands.object(ctx, i);
        return new Signer(key, SigningCommands.signingScheme(key, i, in, schemeParam));
    }

    /** Builds TPMS_ATTEST, writes it as TPM2B_ATTEST, then its TPMT_SIGNATURE. */
    static void attest(CommandContext ctx, Signer signer, byte[] qualifyingData, int type,
            Consumer<TpmWriter> attested, TpmWriter out) throws TpmException {
        TpmEngine tpm = ctx.tpm();
        byte[] qualifiedSigner = signer.key() == null ? TpmObject.hierarchyName(TpmRh.NULL)
                : signer.key().qualifiedName();
        PermanentState p = tpm.permanent();
        long firmware = ((long) TpmProperties.FIRMWARE_VERSION_1 << 32);
        int resetCount = p.resetCount;
        int restartCount = p.restartCount;
        if (signer.key() == null || (signer.key().hierarchy() != TpmRh.ENDORSEMENT
                && signer.key().hierarchy() != TpmRh.PLATFORM)) {
            byte[] o = Kdf.kdfa(Tickets.CONTEXT_INTEGRITY_HASH, tpm.hierarchies().proof(TpmRh.OWNER), "OBFUSCATE",
                    qualifiedSigner, null, 128);
            // the reference reads the two 64-bit halves in host (little-endian) order
            long o0 = littleEndian(o, 0);
            long o1 = littleEndian(o, 8);
            firmware += o0;
            resetCount += (int) (o1 >>> 32);
            restartCount += (int) o1;
        }
        TpmWriter a = new TpmWriter(256);
        a.u32(TPM_GENERATED).u16(type).tpm2b(qualifiedSigner).tpm2b(qualifyingData);
        a.u64(tpm.clock().clock()).u32(resetCount).u32(restartCount).u8(tpm.runtime().clockSafe ? 1 : 0);
        a.u64(firmware);
        attested.accept(a);
        byte[] info = a.toByteArray();
        out.tpm2b(info);
        if (signer.key() == null) {
            TpmtSignature.NULL.write(out);
            return;
        }
        byte[] digest = signer.scheme().hash().digest(info);
        Signatures.sign(signer.key(), signer.scheme(), digest, tpm.drbg(),
                tpm.objectEngine().commitments()).write(out);
    }

    private static long littleEndian(byte[] b, int off) {
        long v = 0;
        for (int i = 7; i >= 0; i--) {
            v = (v << 8) | (b[off + i] & 0xFF);
        }
        return v;
    }

    /** TPM2B_DATA: sizeof(TPMT_HA). */
    static byte[] readData(TpmReader in) throws TpmException {
        return in.tpm2b(AsymmetricCommands.MAX_DATA);
    }

    record AttestIn(byte[] qualifyingData, SigScheme inScheme) {
    }

    static AttestIn readAttestIn(TpmReader in) throws TpmException {
        byte[] data = readData(in.parameter(1));
        return new AttestIn(data, SigScheme.read(in.parameter(2)));
    }

    /**
     * Part 3, 18.2 TPM2_Certify: attests that an object is loaded (TPMS_CERTIFY_INFO: its Name and
     * Qualified Name). Response codes: TPM_RC_KEY (signHandle is no signing key); TPM_RC_SCHEME
     * (inScheme does not fit the key).
     */
    static final class Certify implements CommandHandler<AttestIn> {
        @Override
        public AttestIn parse(TpmReader in) throws TpmException {
            return readAttestIn(in);
        }

        @Override
        public void execute(CommandContext ctx, AttestIn p, TpmWriter out) throws TpmException {
            TpmObject certified = ObjectCommands.object(ctx, 0);
            Signer s = signer(ctx, 1, p.inScheme(), 2);
            byte[] name = certified.name();
            byte[] qn = certified.qualifiedName();
            attest(ctx, s, p.qualifyingData(), TpmSt.ATTEST_CERTIFY, w -> w.tpm2b(name).tpm2b(qn), out);
        }
    }

    record CreationIn(byte[] qualifyingData, byte[] creationHash, SigScheme inScheme, CreationTicket ticket) {
    }

    /**
     * Part 3, 18.3 TPM2_CertifyCreation: attests the creation data of an object the TPM created, given
     * its creation ticket (TPMS_CREATION_INFO: Name and creationHash). Response codes: TPM_RC_KEY,
     * TPM_RC_SCHEME as Certify; TPM_RC_TICKET (creationTicket does not match the object and hash);
     * TPM_RC_VALUE (the ticket names no hierarchy); TPM_RC_TAG (not a creation ticket).
     */
    static final class CertifyCreation implements CommandHandler<CreationIn> {
        @Override
        public CreationIn parse(TpmReader in) throws TpmException {
            byte[] data = readData(in.parameter(1));
            byte[] hash = in.parameter(2).tpm2b(HashAlg.MAX_DIGEST_SIZE);
            SigScheme scheme = SigScheme.read(in.parameter(3));
            CreationTicket t = CreationTicket.read(in.parameter(4));
            if (!TpmObject.isHierarchy(t.hierarchy())) {
                throw in.error(TpmRc.VALUE);
            }
            return new CreationIn(data, hash, scheme, t);
        }

        @Override
        public void execute(CommandContext ctx, CreationIn p, TpmWriter out) throws TpmException {
            TpmObject certified = ObjectCommands.object(ctx, 1);
            Signer s = signer(ctx, 0, p.inScheme(), 3);
            CreationTicket expect = Creation.ticket(ctx.tpm(), p.ticket().hierarchy(), certified.name(),
                    p.creationHash());
            if (!java.security.MessageDigest.isEqual(expect.digest(), p.ticket().digest())) {
                throw new TpmException(TpmRc.TICKET.parameter(4));
            }
            byte[] name = certified.name();
            attest(ctx, s, p.qualifyingData(), TpmSt.ATTEST_CREATION,
                    w -> w.tpm2b(name).tpm2b(p.creationHash()), out);
        }
    }

    record QuoteIn(byte[] qualifyingData, SigScheme inScheme, List<PcrSelection> pcrs) {
    }

    /**
     * Part 3, 18.4 TPM2_Quote: attests PCR values (TPMS_QUOTE_INFO: the selection and the digest of the
     * selected values with the signing scheme's hash). Response codes: TPM_RC_KEY, TPM_RC_SCHEME as
     * Certify.
     */
    static final class Quote implements CommandHandler<QuoteIn> {
        @Override
        public QuoteIn parse(TpmReader in) throws TpmException {
            byte[] data = readData(in.parameter(1));
            SigScheme scheme = SigScheme.read(in.parameter(2));
            return new QuoteIn(data, scheme, PcrSelection.readList(in.parameter(3)));
        }

        @Override
        public void execute(CommandContext ctx, QuoteIn p, TpmWriter out) throws TpmException {
            TpmObject key = ObjectCommands.object(ctx, 0);
            Signer s = new Signer(key, SigningCommands.signingScheme(key, 0, p.inScheme(), 2));
            byte[] digest = PolicyCommands.digest(s.scheme().hash(), ctx.tpm().pcrs(), p.pcrs());
            attest(ctx, s, p.qualifyingData(), TpmSt.ATTEST_QUOTE, w -> {
                PcrSelection.writeList(w, p.pcrs());
                w.tpm2b(digest);
            }, out);
        }
    }

    /**
     * Part 3, 18.5 TPM2_GetSessionAuditDigest: attests an audit session's digest
     * (TPMS_SESSION_AUDIT_INFO: whether it is the exclusive audit session, its digest); the endorsement
     * hierarchy authorizes. Response codes: TPM_RC_KEY, TPM_RC_SCHEME as Certify; TPM_RC_TYPE (handle 3
     * is no audit session).
     */
    static final class GetSessionAuditDigest implements CommandHandler<AttestIn> {
        @Override
        public AttestIn parse(TpmReader in) throws TpmException {
            return readAttestIn(in);
        }

        @Override
        public void execute(CommandContext ctx, AttestIn p, TpmWriter out) throws TpmException {
            Signer s = signer(ctx, 1, p.inScheme(), 2);
            int handle = ctx.handle(2);
            AuthSession session = ctx.tpm().sessions().get(handle);
            if (session == null || !session.isAudit()) {
                throw new TpmException(TpmRc.TYPE.handle(3));
            }
            boolean exclusive = ctx.tpm().sessions().exclusiveAudit() == handle;
            byte[] digest = session.auditDigest();
            attest(ctx, s, p.qualifyingData(), TpmSt.ATTEST_SESSION_AUDIT,
                    w -> w.u8(exclusive ? 1 : 0).tpm2b(digest), out);
        }
    }

    /**
     * Part 3, 18.7 TPM2_GetTime: attests Time and Clock (TPMS_TIME_ATTEST_INFO, whose own clock info and
     * firmware version are not obfuscated); the endorsement hierarchy authorizes. Response codes:
     * TPM_RC_KEY, TPM_RC_SCHEME as Certify.
     */
    static final class GetTime implements CommandHandler<AttestIn> {
        @Override
        public AttestIn parse(TpmReader in) throws TpmException {
            return readAttestIn(in);
        }

        @Override
        public void execute(CommandContext ctx, AttestIn p, TpmWriter out) throws TpmException {
            Signer s = signer(ctx, 1, p.inScheme(), 2);
            attest(ctx, s, p.qualifyingData(), TpmSt.ATTEST_TIME, w -> {
                ClockCommands.writeTimeInfo(w, ctx.tpm());
                w.u64((long) TpmProperties.FIRMWARE_VERSION_1 << 32);
            }, out);
        }
    }

    record NvCertifyIn(byte[] qualifyingData, SigScheme inScheme, int size, int offset) {
    }

    /**
     * Part 3, 31.16 TPM2_NV_Certify: attests the contents of an NV index: TPMS_NV_CERTIFY_INFO (name,
     * offset, the bytes) or, for size and offset both 0, TPMS_NV_DIGEST_CERTIFY_INFO (name, digest of the
     * whole data with the scheme's hash). Response codes: TPM_RC_KEY, TPM_RC_SCHEME as Certify; the read
     * checks of TPM2_NV_Read (TPM_RC_NV_LOCKED, TPM_RC_NV_AUTHORIZATION, TPM_RC_NV_UNINITIALIZED);
     * TPM_RC_NV_RANGE (offset + size beyond the data); TPM_RC_VALUE (size above MAX_NV_BUFFER_SIZE).
     */
    static final class NvCertify implements CommandHandler<NvCertifyIn> {
        @Override
        public NvCertifyIn parse(TpmReader in) throws TpmException {
            byte[] data = readData(in.parameter(1));
            SigScheme scheme = SigScheme.read(in.parameter(2));
            int size = in.parameter(3).u16();
            return new NvCertifyIn(data, scheme, size, in.parameter(4).u16());
        }

        @Override
        public void execute(CommandContext ctx, NvCertifyIn p, TpmWriter out) throws TpmException {
            Signer s = signer(ctx, 0, p.inScheme(), 2);
            org.jswtpm.core.state.NvIndex index = NvCommands.index(ctx, 2);
            NvCommands.checkRead(ctx.handle(1), index);
            int dataSize = index.pub().dataSize();
            if (p.size() + p.offset() > dataSize) {
                throw new TpmException(TpmRc.NV_RANGE);
            }
            if (p.size() > org.jswtpm.core.state.NvStore.MAX_BUFFER_SIZE) {
                throw new TpmException(TpmRc.VALUE.parameter(3));
            }
            byte[] name = index.pub().name();
            byte[] data = index.data();
            if (p.size() != 0 || p.offset() != 0) {
                byte[] part = java.util.Arrays.copyOfRange(data, p.offset(), p.offset() + p.size());
                attest(ctx, s, p.qualifyingData(), TpmSt.ATTEST_NV,
                        w -> w.tpm2b(name).u16(p.offset()).tpm2b(part), out);
            } else {
                HashAlg h = s.scheme().hash();
                byte[] digest = h == null ? new byte[0] : h.digest(java.util.Arrays.copyOf(data, dataSize));
                attest(ctx, s, p.qualifyingData(), TpmSt.ATTEST_NV_DIGEST, w -> w.tpm2b(name).tpm2b(digest), out);
            }
        }
    }

    /**
     * Part 3, 18.6 TPM2_GetCommandAuditDigest: attests the command audit (TPMS_COMMAND_AUDIT_INFO: audit
     * counter, audit hash, audit digest, digest of the audited command codes); the endorsement hierarchy
     * authorizes. With a signing key the audit digest then starts over. Response codes: TPM_RC_KEY,
     * TPM_RC_SCHEME as Certify.
     */
    static final class GetCommandAuditDigest implements CommandHandler<AttestIn> {
        @Override
        public AttestIn parse(TpmReader in) throws TpmException {
            return readAttestIn(in);
        }

        @Override
        public void execute(CommandContext ctx, AttestIn p, TpmWriter out) throws TpmException {
            Signer s = signer(ctx, 1, p.inScheme(), 2);
            org.jswtpm.core.engine.CommandAudit audit = ctx.tpm().commandAudit();
            long counter = audit.counter();
            HashAlg alg = audit.hash();
            byte[] digest = audit.digest();
            byte[] commands = audit.commandDigest();
            attest(ctx, s, p.qualifyingData(), TpmSt.ATTEST_COMMAND_AUDIT,
                    w -> w.u64(counter).u16(alg.id()).tpm2b(digest).tpm2b(commands), out);
            if (s.key() != null) {
                audit.clearDigest();
            }
        }
    }
}
