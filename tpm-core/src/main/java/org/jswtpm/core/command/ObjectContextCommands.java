package org.jswtpm.core.command;

import org.jswtpm.core.TpmException;
import org.jswtpm.core.engine.CommandContext;
import org.jswtpm.core.engine.CommandHandler;
import org.jswtpm.core.engine.Entity;
import org.jswtpm.core.engine.LoadedObject;
import org.jswtpm.core.engine.session.SessionContexts;
import org.jswtpm.core.marshal.TpmReader;
import org.jswtpm.core.marshal.TpmWriter;
import org.jswtpm.core.object.ObjectEngine;
import org.jswtpm.core.object.SavedContext;
import org.jswtpm.core.object.TpmObject;
import org.jswtpm.core.types.TpmRc;
import org.jswtpm.core.types.TpmRh;
import org.jswtpm.core.types.TpmaObject;

/**
 * TCG TPM 2.0 Part 3, 28 "Context management": ContextSave and ContextLoad (objects and sequences here,
 * sessions through {@link SessionContexts}) and EvictControl. FlushContext is in {@link ContextCommands}.
 */
final class ObjectContextCommands {
    private ObjectContextCommands() {
    }

    /**
     * Part 3, 28.2 TPM2_ContextSave of a transient object: the object encrypted and integrity-protected
     * with keys from its hierarchy's proof; the object stays loaded. A hash or event sequence is saved as
     * well (its state kept in TPM memory, see {@link SavedContext}); a session by {@link SessionContexts}.
     */
    static final class ContextSave implements CommandHandler.NoParameters {
        @Override
        public void execute(CommandContext ctx, TpmWriter out) throws TpmException {
            Entity e = ctx.entity(0);
            int type = TpmRh.type(ctx.handle(0));
            if (type == TpmRh.HT_HMAC_SESSION || type == TpmRh.HT_POLICY_SESSION) {
                SessionContexts.save(ctx.tpm(), ctx.handle(0), out);
                return;
            }
            if (type != TpmRh.HT_TRANSIENT) {
                throw new TpmException(TpmRc.HANDLE.handle(1));
            }
            if (e instanceof TpmObject o) {
                SavedContext.save(ctx.tpm().objectEngine(), o).write(out);
                return;
            }
            HashSequence snapshot = e instanceof HashSequence s ? s.copy() : null;
            if (snapshot == null) {
                throw new TpmException(TpmRc.HANDLE.handle(1));
            }
            SavedContext.saveSequence(ctx.tpm().objectEngine(), snapshot::copy).write(out);
        }
    }

    /**
     * Part 3, 28.3 TPM2_ContextLoad of an object or sequence context (a session context goes to
     * {@link SessionContexts}). Response codes (parameter 1 unless said): TPM_RC_VALUE (a savedHandle that
     * is no TPMI_DH_SAVED, a hierarchy that is none); TPM_RC_HIERARCHY (the hierarchy is disabled);
     * TPM_RC_INSUFFICIENT, TPM_RC_SIZE (unpositioned: the integrity field does not unmarshal; on parameter
     * 1: it is not a SHA-512 digest); TPM_RC_INTEGRITY (altered, from before a TPM Reset, or under another
     * proof); TPM_RC_OBJECT_MEMORY (no free slot).
     */
    static final class ContextLoad implements CommandHandler<SavedContext> {
        @Override
        public SavedContext parse(TpmReader in) throws TpmException {
            return SavedContext.read(in.parameter(1));
        }

        @Override
        public void execute(CommandContext ctx, SavedContext context, TpmWriter out) throws TpmException {
            int type = TpmRh.type(context.savedHandle());
            if (type == TpmRh.HT_HMAC_SESSION || type == TpmRh.HT_POLICY_SESSION) {
                ctx.responseHandle(SessionContexts.load(ctx.tpm(), context.sequence(), context.savedHandle(),
                        context.hierarchy(), context.blob()));
                return;
            }
            LoadedObject o = context.restoreAny(ctx.tpm().objectEngine());
            PrimaryCommands.needSlot(ctx);
            ctx.responseHandle(ctx.tpm().objects().load(o));
        }
    }

    /**
     * Part 3, 28.5 TPM2_EvictControl: makes a loaded object persistent at {@code persistentHandle} or
     * removes a persistent object. Owner authorization uses 0x81000000-0x817FFFFF, platform authorization
     * 0x81800000-0x81FFFFFF. Response codes: TPM_RC_VALUE (persistentHandle is no persistent handle,
     * parameter 1); TPM_RC_RANGE (outside the range of the authorizing hierarchy, parameter 1);
     * TPM_RC_ATTRIBUTES (a sequence, or a stClear, public-only, external or null-hierarchy object,
     * handle 2);
     * TPM_RC_HIERARCHY (owner authorization for a platform object, or platform authorization to persist
     * any other; the platform may remove any persistent object; handle 2); TPM_RC_HANDLE (removing with a
     * persistentHandle other than objectHandle, handle 2);
     * TPM_RC_NV_DEFINED (handle in use);
     * TPM_RC_NV_SPACE (no room).
     */
    static final class EvictControl implements CommandHandler<Integer> {
        @Override
        public Integer parse(TpmReader in) throws TpmException {
            int h = in.parameter(1).u32();
            if (TpmRh.type(h) != TpmRh.HT_PERSISTENT) {
                throw in.error(TpmRc.VALUE);
            }
            return h;
        }

        @Override
        public void execute(CommandContext ctx, Integer persistentHandle, TpmWriter out) throws TpmException {
            int auth = ctx.handle(0);
            Entity e = ctx.entity(1);
            if (!(e instanceof TpmObject o)) {
                throw new TpmException(TpmRc.ATTRIBUTES.handle(2));
            }
            ObjectEngine objects = ctx.tpm().objectEngine();
            if (o.has(TpmaObject.ST_CLEAR) || o.isPublicOnly() || o.hierarchy() == TpmRh.NULL
                    || o.origin() == TpmObject.Origin.EXTERNAL) {
                throw new TpmException(TpmRc.ATTRIBUTES.handle(2));
            }
            if (o.isPersistent() && persistentHandle != o.handle()) {
                throw new TpmException(TpmRc.HANDLE.handle(2));
            }
            boolean platformObject = o.hierarchy() == TpmRh.PLATFORM;
            if (auth == TpmRh.PLATFORM) {
                // the platform persists only its own objects, in its range, and may remove any
                if (!o.isPersistent() && !platformObject) {
                    throw new TpmException(TpmRc.HIERARCHY.handle(2));
                }
                if (!o.isPersistent() && !ObjectEngine.isPlatformPersistent(persistentHandle)) {
                    throw new TpmException(TpmRc.RANGE.parameter(1));
                }
            } else {
                // the owner never touches platform objects, and persists in its range
                if (platformObject) {
                    throw new TpmException(TpmRc.HIERARCHY.handle(2));
                }
                if (!o.isPersistent() && !ObjectEngine.isOwnerPersistent(persistentHandle)) {
                    throw new TpmException(TpmRc.RANGE.parameter(1));
                }
            }
            if (o.isPersistent()) {
                objects.removePersistent(persistentHandle);
            } else {
                objects.makePersistent(o, persistentHandle);
            }
            ctx.persist();
        }
    }
}
