package org.jswtpm.core.command;

import static org.jswtpm.core.command.PolicyCommands.u32;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import org.jswtpm.core.TpmException;
import org.jswtpm.core.crypto.HashAlg;
import org.jswtpm.core.engine.CommandContext;
import org.jswtpm.core.engine.CommandHandler;
import org.jswtpm.core.engine.ConstantTime;
import org.jswtpm.core.engine.session.AuthSession;
import org.jswtpm.core.marshal.TpmReader;
import org.jswtpm.core.marshal.TpmWriter;
import org.jswtpm.core.state.NvIndex;
import org.jswtpm.core.types.TpmCc;
import org.jswtpm.core.types.TpmRc;

/**
 * TCG TPM 2.0 Part 3, 23: the policy assertions that need no signature, ticket, secret or comparison —
 * PolicyOR, PolicyLocality, PolicyPhysicalPresence, PolicyCpHash, PolicyNameHash,
 * PolicyDuplicationSelect, PolicyNvWritten, PolicyTemplate and PolicyAuthorizeNV ({@link
 * PolicyOperandCommands} has PolicyNV and PolicyCounterTimer).
 * Each extends the session's policyDigest as its section gives it and, in a policy session, either
 * checks its condition now or records it for {@code PolicyConditions} to check when the session
 * authorizes a command. A trial session only extends the digest.
 */
final class PolicyAssertionCommands {
    /** The TPM2B_NAME bound. */
    static final int MAX_NAME = HashAlg.MAX_DIGEST_SIZE + 2;

    private PolicyAssertionCommands() {
    }

    static AuthSession session(CommandContext ctx, int i) {
        return ctx.tpm().sessions().get(ctx.handle(i));
    }

    static byte[] u16(int v) {
        return new byte[] {(byte) (v >>> 8), (byte) v};
    }

    /**
     * Part 3, 23.6 TPM2_PolicyOR: in a policy session the current policyDigest must be one of the list
     * (TPM_RC_VALUE, parameter 1); then policyDigest := H(zeros || TPM_CC_PolicyOR || digests). A list
     * of fewer than two or more than eight digests is TPM_RC_SIZE.
     */
    static final class PolicyOr implements CommandHandler<List<byte[]>> {
        @Override
        public List<byte[]> parse(TpmReader in) throws TpmException {
            TpmReader p = in.parameter(1);
            int count = p.u32();
            if (count < 2 || count > 8) {
                throw p.error(TpmRc.SIZE);
            }
            List<byte[]> digests = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                digests.add(p.tpm2b(HashAlg.MAX_DIGEST_SIZE));
            }
            return digests;
        }

        @Override
        public void execute(CommandContext ctx, List<byte[]> digests, TpmWriter out) throws TpmException {
            AuthSession s = session(ctx, 0);
            boolean match = s.isTrial();
            for (byte[] d : digests) {
                match |= ConstantTime.equals(d, s.policyDigest());
            }
            if (!match) {
                throw new TpmException(TpmRc.VALUE.parameter(1));
            }
            s.clearPolicyDigest();
            byte[][] parts = new byte[digests.size() + 1][];
            parts[0] = u32(TpmCc.PolicyOR.code());
            for (int i = 0; i < digests.size(); i++) {
                parts[i + 1] = digests.get(i);
            }
            s.extendPolicy(parts);
        }
    }

    /**
     * Part 3, 23.8 TPM2_PolicyLocality: limits the localities the authorized command may come from.
     * Localities 0 to 4 are a bitmap that successive assertions intersect; an extended locality (32 and
     * up) is one value that must repeat. TPM_RC_RANGE (parameter 1) for zero, for mixing the two
     * kinds, for an empty intersection and for a different extended locality.
     */
    static final class PolicyLocality implements CommandHandler<Integer> {
        @Override
        public Integer parse(TpmReader in) throws TpmException {
            return in.parameter(1).u8();
        }

        @Override
        public void execute(CommandContext ctx, Integer locality, TpmWriter out) throws TpmException {
            AuthSession s = session(ctx, 0);
            int previous = s.localities();
            TpmException range = new TpmException(TpmRc.RANGE.parameter(1));
            if (locality == 0 || (previous != 0 && (previous < 32) != (locality < 32))) {
                throw range;
            }
            int next;
            if (locality < 32) {
                next = (previous == 0 ? 0x1F : previous) & locality;
                if (next == 0) {
                    throw range;
                }
            } else {
                if (previous != 0 && previous != locality) {
                    throw range;
                }
                next = locality;
            }
            s.extendPolicy(u32(TpmCc.PolicyLocality.code()), new byte[] {(byte) (int) locality});
            s.localities(next);
        }
    }

    /**
     * Part 3, 23.12 TPM2_PolicyPhysicalPresence: the authorized command needs physical presence. This
     * platform never asserts physical presence, so a policy session with this assertion authorizes
     * nothing (TPM_RC_PP when it is used); the digest is as specified, for trial sessions.
     */
    static final class PolicyPhysicalPresence implements CommandHandler.NoParameters {
        @Override
        public void execute(CommandContext ctx, TpmWriter out) {
            AuthSession s = session(ctx, 0);
            s.extendPolicy(u32(TpmCc.PolicyPhysicalPresence.code()));
            s.requirePhysicalPresence();
        }
    }

    /**
     * Part 3, 23.13 TPM2_PolicyCpHash: the authorized command must have this cpHash. TPM_RC_SIZE
     * (parameter 1) unless it is the session hash's size; TPM_RC_CPHASH if the session already holds
     * another cpHash, or a nameHash or templateHash.
     */
    static final class PolicyCpHash implements CommandHandler<byte[]> {
        @Override
        public byte[] parse(TpmReader in) throws TpmException {
            return in.parameter(1).tpm2b(HashAlg.MAX_DIGEST_SIZE);
        }

        @Override
        public void execute(CommandContext ctx, byte[] cpHash, TpmWriter out) throws TpmException {
            AuthSession s = session(ctx, 0);
            if (cpHash.length != s.authHash().digestSize()) {
                throw new TpmException(TpmRc.SIZE.parameter(1));
            }
            if (s.constraint() != AuthSession.CONSTRAINT_NONE && (s.constraint() != AuthSession.CONSTRAINT_CP_HASH
                    || !ConstantTime.equals(cpHash, s.constraintDigest()))) {
                throw new TpmException(TpmRc.CPHASH);
            }
            s.extendPolicy(u32(TpmCc.PolicyCpHash.code()), cpHash);
            s.constrain(AuthSession.CONSTRAINT_CP_HASH, cpHash);
        }
    }

    /**
     * Part 3, 23.14 TPM2_PolicyNameHash: the authorized command's handles must have these Names
     * (nameHash = H(Name1 || Name2 ...)). TPM_RC_SIZE (parameter 1) unless it is the session hash's
     * size; TPM_RC_CPHASH if the session holds any cpHash, nameHash or templateHash already.
     */
    static final class PolicyNameHash implements CommandHandler<byte[]> {
        @Override
        public byte[] parse(TpmReader in) throws TpmException {
            return in.parameter(1).tpm2b(HashAlg.MAX_DIGEST_SIZE);
        }

        @Override
        public void execute(CommandContext ctx, byte[] nameHash, TpmWriter out) throws TpmException {
            AuthSession s = session(ctx, 0);
            if (nameHash.length != s.authHash().digestSize()) {
                throw new TpmException(TpmRc.SIZE.parameter(1));
            }
            if (s.constraint() != AuthSession.CONSTRAINT_NONE) {
                throw new TpmException(TpmRc.CPHASH);
            }
            s.extendPolicy(u32(TpmCc.PolicyNameHash.code()), nameHash);
            s.constrain(AuthSession.CONSTRAINT_NAME_HASH, nameHash);
        }
    }

    record DuplicationSelectIn(byte[] objectName, byte[] newParentName, int includeObject) {
    }

    /**
     * Part 3, 23.15 TPM2_PolicyDuplicationSelect: limits the session to TPM2_Duplicate of objectName to
     * newParentName (nameHash = H(objectName || newParentName)); the digest covers objectName only if
     * includeObject is YES. TPM_RC_CPHASH if a cpHash, nameHash or templateHash is already set,
     * TPM_RC_COMMAND_CODE if the session is already limited to a command.
     */
    static final class PolicyDuplicationSelect implements CommandHandler<DuplicationSelectIn> {
        @Override
        public DuplicationSelectIn parse(TpmReader in) throws TpmException {
            byte[] object = in.parameter(1).tpm2b(MAX_NAME);
            byte[] parent = in.parameter(2).tpm2b(MAX_NAME);
            return new DuplicationSelectIn(object, parent, yesNo(in.parameter(3)));
        }

        @Override
        public void execute(CommandContext ctx, DuplicationSelectIn p, TpmWriter out) throws TpmException {
            AuthSession s = session(ctx, 0);
            if (s.constraint() != AuthSession.CONSTRAINT_NONE) {
                throw new TpmException(TpmRc.CPHASH);
            }
            if (s.commandCode() != 0) {
                throw new TpmException(TpmRc.COMMAND_CODE);
            }
            MessageDigest md = s.authHash().newDigest();
            md.update(p.objectName());
            md.update(p.newParentName());
            s.constrain(AuthSession.CONSTRAINT_NAME_HASH, md.digest());
            byte[] object = p.includeObject() == 1 ? p.objectName() : new byte[0];
            s.extendPolicy(u32(TpmCc.PolicyDuplicationSelect.code()), object, p.newParentName(),
                    new byte[] {(byte) p.includeObject()});
            s.commandCode(TpmCc.Duplicate.code());
        }
    }

    /** TPMI_YES_NO: TPM_RC_VALUE for anything but 0 and 1. */
    static int yesNo(TpmReader in) throws TpmException {
        int v = in.u8();
        if (v > 1) {
            throw in.error(TpmRc.VALUE);
        }
        return v;
    }

    /**
     * Part 3, 23.20 TPM2_PolicyNvWritten: the authorized entity must be an NV index whose
     * TPMA_NV_WRITTEN equals writtenSet. TPM_RC_VALUE (parameter 1) if the session already asserted
     * the opposite.
     */
    static final class PolicyNvWritten implements CommandHandler<Integer> {
        @Override
        public Integer parse(TpmReader in) throws TpmException {
            return yesNo(in.parameter(1));
        }

        @Override
        public void execute(CommandContext ctx, Integer writtenSet, TpmWriter out) throws TpmException {
            AuthSession s = session(ctx, 0);
            int state = writtenSet == 1 ? AuthSession.NV_WRITTEN_SET : AuthSession.NV_WRITTEN_CLEAR;
            if (s.nvWritten() != AuthSession.NV_WRITTEN_ANY && s.nvWritten() != state) {
                throw new TpmException(TpmRc.VALUE.parameter(1));
            }
            s.nvWritten(state);
            s.extendPolicy(u32(TpmCc.PolicyNvWritten.code()), new byte[] {(byte) (int) writtenSet});
        }
    }

    /**
     * Part 3, 23.21 TPM2_PolicyTemplate: the authorized Create, CreatePrimary or CreateLoaded must use
     * a template whose TPMT_PUBLIC hashes to templateHash. TPM_RC_CPHASH if the session holds a
     * cpHash or nameHash; TPM_RC_VALUE (parameter 1) for another templateHash (as Debian's swtpm 0.7.1
     * answers; later reference code says TPM_RC_CPHASH); TPM_RC_SIZE (parameter 1) unless it is the
     * session hash's size.
     */
    static final class PolicyTemplate implements CommandHandler<byte[]> {
        @Override
        public byte[] parse(TpmReader in) throws TpmException {
            return in.parameter(1).tpm2b(HashAlg.MAX_DIGEST_SIZE);
        }

        @Override
        public void execute(CommandContext ctx, byte[] templateHash, TpmWriter out) throws TpmException {
            AuthSession s = session(ctx, 0);
            int held = s.constraint();
            if (held == AuthSession.CONSTRAINT_CP_HASH || held == AuthSession.CONSTRAINT_NAME_HASH) {
                throw new TpmException(TpmRc.CPHASH);
            }
            if (s.constraint() == AuthSession.CONSTRAINT_TEMPLATE
                    && !ConstantTime.equals(templateHash, s.constraintDigest())) {
                throw new TpmException(TpmRc.VALUE.parameter(1));
            }
            if (templateHash.length != s.authHash().digestSize()) {
                throw new TpmException(TpmRc.SIZE.parameter(1));
            }
            s.extendPolicy(u32(TpmCc.PolicyTemplate.code()), templateHash);
            s.constrain(AuthSession.CONSTRAINT_TEMPLATE, templateHash);
        }
    }

    /**
     * Part 3, 23.22 TPM2_PolicyAuthorizeNV: in a policy session, after the NV read checks, the index
     * must hold a TPMT_HA of the session's hash (TPM_RC_HASH) equal to the current policyDigest
     * (TPM_RC_VALUE); then policyDigest := H(zeros || TPM_CC_PolicyAuthorizeNV || nvIndex Name).
     */
    static final class PolicyAuthorizeNv implements CommandHandler.NoParameters {
        @Override
        public void execute(CommandContext ctx, TpmWriter out) throws TpmException {
            AuthSession s = session(ctx, 2);
            NvIndex index = NvCommands.index(ctx, 1);
            if (!s.isTrial()) {
                NvCommands.checkRead(ctx.handle(0), index);
                byte[] data = index.data();
                TpmReader r = new TpmReader(data, 0, Math.min(data.length, 2 + HashAlg.MAX_DIGEST_SIZE));
                HashAlg hash = HashAlg.of(r.u16());
                if (hash == null) {
                    throw new TpmException(TpmRc.HASH);
                }
                byte[] digest = r.bytes(hash.digestSize());
                if (hash != s.authHash()) {
                    throw new TpmException(TpmRc.HASH);
                }
                if (!ConstantTime.equals(digest, s.policyDigest())) {
                    throw new TpmException(TpmRc.VALUE);
                }
            }
            s.clearPolicyDigest();
            s.extendPolicy(u32(TpmCc.PolicyAuthorizeNV.code()), ctx.entity(1).name());
        }
    }
}
