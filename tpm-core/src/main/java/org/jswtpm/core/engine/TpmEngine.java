package org.jswtpm.core.engine;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import org.jswtpm.core.StateFormatException;
import org.jswtpm.core.StateKind;
import org.jswtpm.core.StateSink;
import org.jswtpm.core.TimeSource;
import org.jswtpm.core.Tpm;
import org.jswtpm.core.TpmException;
import org.jswtpm.core.crypto.CtrDrbg;
import org.jswtpm.core.engine.session.CpHash;
import org.jswtpm.core.engine.session.SessionSlots;
import org.jswtpm.core.marshal.TpmReader;
import org.jswtpm.core.marshal.TpmWriter;
import org.jswtpm.core.state.PcrBanks;
import org.jswtpm.core.state.PermanentState;
import org.jswtpm.core.state.RuntimeState;
import org.jswtpm.core.types.TpmCc;
import org.jswtpm.core.types.TpmRc;
import org.jswtpm.core.types.TpmRh;
import org.jswtpm.core.types.TpmSt;
import org.jswtpm.core.types.TpmSu;

/**
 * The TPM 2.0 engine: the dispatcher and authorization pipeline of TCG TPM 2.0 Part 3, 5 "Command
 * processing", the power and startup life cycle, and the state a handler works on. Built with
 * {@link org.jswtpm.core.Tpm2#builder()}; handlers reach the state through the accessors below.
 */
public final class TpmEngine implements Tpm {
    private static final Logger LOG = System.getLogger(TpmEngine.class.getName());
    private static final int HEADER = 10;

    private final CommandTable table;
    private final StateSink sink;
    private final CtrDrbg drbg;
    private final TpmClock clock;
    private final Hierarchies hierarchies = new Hierarchies(this);
    private final DictionaryAttack dictionaryAttack = new DictionaryAttack(this);
    private final ObjectSlots objects = new ObjectSlots();
    private final SessionSlots sessions = new SessionSlots();
    private final DrtmSequence drtm = new DrtmSequence(this);
    private final org.jswtpm.core.object.ObjectEngine objectEngine = new org.jswtpm.core.object.ObjectEngine(this);
    private final TpmWriter params = new TpmWriter(Tpm.MAX_COMMAND_SIZE);
    private final CommandAudit commandAudit = new CommandAudit(this);

    private PermanentState permanent;
    private RuntimeState runtime;
    private byte[] saveState;
    private byte[] volatileState;
    private boolean running;
    private boolean failureMode;
    private boolean permanentChanged;
    private boolean orderlyStartup;
    private int lastCommandCode;

    /** Assembled by {@link org.jswtpm.core.Tpm2.Builder}. */
    public TpmEngine(CommandTable table, StateSink sink, CtrDrbg drbg, TimeSource time,
            PermanentState permanent, byte[] saveState, byte[] volatileState) {
        this.table = table;
        this.sink = sink;
        this.drbg = drbg;
        this.clock = new TpmClock(time);
        this.permanent = permanent;
        this.saveState = saveState;
        this.volatileState = volatileState;
    }

    // ---- accessors for handlers

    public CommandTable table() {
        return table;
    }

    public PermanentState permanent() {
        return permanent;
    }

    public RuntimeState runtime() {
        return runtime;
    }

    public PcrBanks pcrs() {
        return runtime.pcrs;
    }

    public CtrDrbg drbg() {
        return drbg;
    }

    public TpmClock clock() {
        return clock;
    }

    public Hierarchies hierarchies() {
        return hierarchies;
    }

    public DictionaryAttack dictionaryAttack() {
        return dictionaryAttack;
    }

    public ObjectSlots objects() {
        return objects;
    }

    /** The object subsystem: primary-key memo, persistent objects, context protection. */
    public org.jswtpm.core.object.ObjectEngine objectEngine() {
        return objectEngine;
    }

    /** The HMAC, policy and trial sessions (Part 1, 30.4). */
    /** Command audit: the audited commands and the command audit digest. */
    public CommandAudit commandAudit() {
        return commandAudit;
    }

    public SessionSlots sessions() {
        return sessions;
    }

    /** True once TPM2_Startup has succeeded since the last _TPM_Init. */
    public boolean isStarted() {
        return runtime != null && runtime.started;
    }

    /** True if a save-state from TPM2_Shutdown(STATE) waits for TPM2_Startup(STATE). */
    public boolean hasSaveState() {
        return saveState != null && permanent.orderlyState == TpmSu.STATE;
    }

    /**
     * True if the last TPM2_Startup followed an orderly TPM2_Shutdown (TPMA_STARTUP_CLEAR.orderly,
     * Part 2, 8.7).
     */
    public boolean orderlyStartup() {
        return orderlyStartup;
    }

    /** The command code of the last command executed (swtpm's automatic shutdown looks at it). */
    public int lastCommandCode() {
        return lastCommandCode;
    }

    void markPermanentChanged() {
        permanentChanged = true;
    }

    // ---- power life cycle

    @Override
    public synchronized void init() {
        objects.clear();
        sessions.flushLoaded();
        drtm.abandon();
        failureMode = false;
        running = true;
        lastCommandCode = 0;
        clock.powerOn(permanent.clock);
        permanent.nv.powerOn();
        runtime = freshRuntime();
        runtime.clockSafe = permanent.isOrderly();
        if (volatileState != null) {
            try {
                runtime = RuntimeState.deserialize(volatileState, true, new PcrBanks(permanent.pcrAllocation));
                permanent.nv.restoreOrderlyRam(runtime.nvOrderlyRam);
                objectEngine.importLoaded(runtime.loadedObjects);
                dictionaryAttack.resume(runtime);
                orderlyStartup = runtime.orderlyStartup;
                if (runtime.savedSessions != null) {
                    sessions.restoreSaved(runtime.contextCounter, runtime.savedSessions);
                }
            } catch (StateFormatException e) {
                LOG.log(Level.WARNING, "volatile state not resumed: {0}", e.getMessage());
            }
            volatileState = null;
        }
    }

    private RuntimeState freshRuntime() {
        RuntimeState r = new RuntimeState();
        r.pcrs = new PcrBanks(permanent.pcrAllocation);
        r.nullSeed = new byte[PermanentState.SEED_SIZE];
        r.nullProof = new byte[PermanentState.PROOF_SIZE];
        return r;
    }

    @Override
    public synchronized void stop() {
        objects.clear();
        sessions.clear();
        drtm.abandon();
        if (runtime != null) {
            runtime.wipe();
        }
        runtime = null;
        running = false;
    }

    @Override
    public synchronized boolean isRunning() {
        return running;
    }

    /**
     * TPM2_Startup's effect on the whole TPM (Part 1, 12.2 and Part 3, 9.3): TPM Reset, TPM Restart
     * or TPM Resume depending on {@code startupType} and how the TPM was shut down.
     */
    public void startup(int startupType, int locality) throws TpmException {
        boolean resume = startupType == TpmSu.STATE;
        if (resume && !hasSaveState()) {
            throw new TpmException(TpmRc.VALUE.parameter(1));
        }
        int startupLocality = locality == 3 ? 3 : 0;
        boolean orderlyState = permanent.orderlyState == TpmSu.STATE && saveState != null;
        boolean disorderly = !permanent.isOrderly(); // SU_NONE, or SU_DA_USED
        if (resume || orderlyState) {
            RuntimeState saved;
            try {
                saved = RuntimeState.deserialize(saveState, false, new PcrBanks(permanent.pcrAllocation));
            } catch (StateFormatException e) {
                LOG.log(Level.WARNING, "save-state unusable: {0}", e.getMessage());
                throw new TpmException(TpmRc.VALUE.parameter(1));
            }
            if (resume) {
                saved.pcrs.initializeUnsaved(startupLocality);
                // phEnable is SET on any startup, even a Resume (the reference's HierarchyStartup).
                saved.phEnable = true;
                if (saved.savedSessions != null) {
                    // saved session contexts stay loadable after a TPM Resume (gr.contextArray)
                    sessions.restoreSaved(saved.contextCounter, saved.savedSessions);
                }
                runtime = saved;
            } else {
                // TPM Restart: keeps the null hierarchy, everything else as on a reset.
                runtime = freshRuntime();
                runtime.nullSeed = saved.nullSeed;
                runtime.nullProof = saved.nullProof;
                runtime.pcrs.initialize(startupLocality);
            }
            permanent.restartCount++;
        } else {
            runtime = freshRuntime();
            runtime.pcrs.initialize(startupLocality);
            runtime.nullSeed = drbg.generate(PermanentState.SEED_SIZE);
            runtime.nullProof = drbg.generate(PermanentState.PROOF_SIZE);
            permanent.resetCount++;
            permanent.restartCount = 0;
            commandAudit.clearDigest();
            objectEngine.commitments().reset();
        }
        if (!resume) {
            sessions.clear();
        }
        permanent.nv.startup(resume, !(resume || orderlyState), disorderly);
        drtm.applyPreStartupMeasurement(runtime.pcrs);
        dictionaryAttack.startup();
        orderlyStartup = permanent.isOrderly();
        runtime.clockSafe = orderlyStartup;
        runtime.startupLocality = startupLocality;
        runtime.started = true;
        permanent.orderlyState = PermanentState.SU_NONE;
        saveState = null;
        emit(StateKind.SAVE_STATE, new byte[0]);
        markPermanentChanged();
    }

    /** TPM2_Shutdown's effect (Part 3, 9.4): records an orderly shutdown, keeping state if asked. */
    public void shutdown(int shutdownType) {
        permanent.nv.shutdown();
        if (shutdownType == TpmSu.STATE) {
            captureSessions();
            saveState = runtime.serialize(false);
            emit(StateKind.SAVE_STATE, saveState);
        }
        dictionaryAttack.shutdown();
        permanent.orderlyState = shutdownType;
        markPermanentChanged();
    }

    /** Copies the saved-session bookkeeping (context counter, saved sequences) into the runtime state. */
    private void captureSessions() {
        runtime.contextCounter = sessions.contextCounter();
        runtime.savedSessions = sessions.savedSequences();
    }

    /**
     * A command changed state that TPM2_Shutdown saved (the reference's g_clearOrderly): the
     * shutdown no longer counts as orderly.
     */
    public void clearOrderly() {
        if (permanent.isOrderly()) {
            permanent.orderlyState = PermanentState.SU_NONE;
            markPermanentChanged();
        }
    }

    // ---- command execution

    @Override
    public synchronized byte[] execute(int locality, byte[] command) {
        if (!running || failureMode || command == null) {
            return errorResponse(TpmRc.FAILURE);
        }
        if (locality < 0 || locality > 4) {
            return errorResponse(TpmRc.LOCALITY);
        }
        drtm.abandon();
        byte[] response;
        try {
            response = dispatch(locality, command);
        } catch (TpmException e) {
            response = errorResponse(e.rc());
        } catch (RuntimeException e) {
            LOG.log(Level.ERROR, "internal error executing a command: " + e.getClass().getName());
            response = errorResponse(TpmRc.FAILURE);
        }
        return persistIfChanged() ? response : errorResponse(TpmRc.FAILURE);
    }

    /**
     * Hands the permanent state to the sink if it changed (or if Clock is due for its periodic NV
     * update). Returns false if the sink failed, which puts the TPM in failure mode.
     */
    private boolean persistIfChanged() {
        long now = clock.clock();
        if (isStarted() && now - permanent.clock >= CLOCK_UPDATE_INTERVAL) {
            runtime.clockSafe = true;
            permanentChanged = true;
        }
        if (!permanentChanged) {
            return true;
        }
        permanentChanged = false;
        permanent.clock = now;
        return emit(StateKind.PERMANENT, permanent.serialize());
    }

    /** Interval at which Clock is written to NV (TPM_PT_CLOCK_UPDATE), in milliseconds. */
    public static final long CLOCK_UPDATE_INTERVAL = 1L << 22;

    private boolean emit(StateKind kind, byte[] blob) {
        try {
            sink.stateChanged(kind, blob);
            return true;
        } catch (Exception e) {
            LOG.log(Level.ERROR, "the state sink failed to store " + kind.swtpmName()
                    + "; the TPM enters failure mode: " + e.getClass().getSimpleName());
            failureMode = true;
            return false;
        }
    }

    private byte[] dispatch(int locality, byte[] command) throws TpmException {
        TpmReader r = new TpmReader(command);
        int tag = r.u16();
        if (!TpmSt.isDefined(tag)) {
            throw new TpmException(TpmRc.VALUE);
        }
        if (tag != TpmSt.NO_SESSIONS && tag != TpmSt.SESSIONS) {
            throw new TpmException(TpmRc.BAD_TAG);
        }
        int size = r.u32();
        if (size != command.length || size > Tpm.MAX_COMMAND_SIZE) {
            throw new TpmException(TpmRc.COMMAND_SIZE);
        }
        int code = r.u32();
        CommandSpec spec = table.get(code);
        if (spec == null) {
            throw new TpmException(TpmRc.COMMAND_CODE);
        }
        if (isStarted() == (code == TpmCc.Startup.code())) {
            throw new TpmException(TpmRc.INITIALIZE);
        }
        lastCommandCode = code;
        objects.returnBorrowed();
        if (isStarted()) {
            dictionaryAttack.selfHeal();
        }
        int n = spec.handleCount();
        int[] handles = new int[n];
        Entity[] entities = new Entity[n];
        for (int i = 0; i < n; i++) {
            handles[i] = r.handle(i + 1).u32();
            if (!spec.handles()[i].accepts(handles[i])) {
                throw new TpmException(TpmRc.VALUE.handle(i + 1));
            }
        }
        for (int i = 0; i < n; i++) {
            entities[i] = resolve(handles[i], i + 1);
        }
        Authorization auth = null;
        TpmReader in = r;
        if (tag == TpmSt.SESSIONS) {
            if (spec.has(CommandSpec.NO_SESSIONS)) {
                throw new TpmException(TpmRc.AUTH_CONTEXT);
            }
            int authSize = r.parameter(0).u32();
            if (authSize < 9 || authSize > r.remaining()) {
                throw new TpmException(TpmRc.SIZE);
            }
            auth = Authorization.parse(this, spec, r.slice(authSize));
            in = auth.check(locality, entities, handles, command, r.offset(), r.remaining());
        } else if (spec.needsAuthorization()) {
            throw new TpmException(TpmRc.AUTH_MISSING);
        }
        byte[] auditCpHash = commandAudit.isAudited(code)
                ? new CpHash(code, entities, handles, command, r.offset(), r.remaining()).digest(commandAudit.hash())
                : null;
        return run(spec, new CommandContext(this, spec, locality, handles, entities), in, auth, auditCpHash);
    }

    @SuppressWarnings("unchecked")
    private byte[] run(CommandSpec spec, CommandContext ctx, TpmReader in, Authorization auth, byte[] auditCpHash)
            throws TpmException {
        CommandHandler<Object> handler = (CommandHandler<Object>) spec.handler();
        Object parsed = handler.parse(in);
        in.expectEnd();
        params.reset();
        handler.execute(ctx, parsed, params);
        if (auditCpHash != null) {
            commandAudit.record(auditCpHash, spec.cc().code(), params.array(), params.length());
        }
        boolean withSessions = auth != null;
        if (withSessions) {
            auth.beforeResponse(params.array(), params.length());
        } else if (!spec.has(CommandSpec.NO_SESSIONS)) {
            Authorization.notAudited(this);
        }
        // exact size without sessions, so the response needs no copy
        TpmWriter rsp = new TpmWriter(HEADER + (ctx.hasResponseHandle() ? 4 : 0) + params.length()
                + (withSessions ? 4 + auth.size() * 70 : 0));
        rsp.u16(withSessions ? TpmSt.SESSIONS : TpmSt.NO_SESSIONS).u32(0).u32(0);
        if (ctx.hasResponseHandle()) {
            rsp.u32(ctx.responseHandle());
        }
        if (withSessions) {
            rsp.u32(params.length());
        }
        rsp.bytes(params.array(), 0, params.length());
        if (withSessions) {
            auth.writeResponse(rsp, params.array(), params.length());
        }
        rsp.putU32(2, rsp.length());
        return rsp.detach();
    }

    /** Resolves handle number {@code index} to the entity it names (Part 3, 5.3 "handle area"). */
    private Entity resolve(int handle, int index) throws TpmException {
        switch (TpmRh.type(handle)) {
            case TpmRh.HT_PCR:
                return null;
            case TpmRh.HT_PERMANENT:
                return handle == TpmRh.NULL ? null : hierarchies.resolve(handle, index);
            case TpmRh.HT_HMAC_SESSION:
            case TpmRh.HT_POLICY_SESSION:
                if ((handle & 0x00FFFFFF) >= SessionSlots.MAX_ACTIVE) {
                    // beyond the last session handle (TPMI_SH_*: HMAC/POLICY_SESSION_LAST), as the reference
                    throw new TpmException(TpmRc.VALUE.handle(index));
                }
                if (sessions.loadedAt(handle) == null) {
                    throw new TpmException(TpmRc.REFERENCE_H0.plus(index - 1));
                }
                if (sessions.get(handle) == null) {
                    throw new TpmException(TpmRc.HANDLE.handle(index));
                }
                return null;
            case TpmRh.HT_NV_INDEX:
                return NvAccess.resolve(this, handle, index);
            case TpmRh.HT_TRANSIENT: {
                if (handle - TpmRh.TRANSIENT_FIRST >= ObjectSlots.CAPACITY) {
                    // beyond TRANSIENT_LAST: the reference's TPMI_DH_* unmarshalling answers TPM_RC_VALUE
                    throw new TpmException(TpmRc.VALUE.handle(index));
                }
                LoadedObject o = objects.get(handle);
                if (o == null) {
                    throw new TpmException(TpmRc.REFERENCE_H0.plus(index - 1));
                }
                return o;
            }
            case TpmRh.HT_PERSISTENT: {
                LoadedObject o = objectEngine.persistent(handle);
                if (o == null) {
                    throw new TpmException(TpmRc.HANDLE.handle(index));
                }
                objects.borrow();
                return o;
            }
            default:
                throw new TpmException(TpmRc.HANDLE.handle(index));
        }
    }

    /** A response with no parameters: {@code 80 01 | 00 00 00 0a | rc}. */
    public static byte[] errorResponse(TpmRc rc) {
        int v = rc.value();
        return new byte[] {(byte) 0x80, 0x01, 0, 0, 0, HEADER,
            (byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v};
    }

    // ---- platform signals

    @Override
    public synchronized void hashStart() {
        if (!running) {
            return;
        }
        drtm.start();
        if (!permanent.tpmEstablished) {
            permanent.tpmEstablished = true;
            permanentChanged = true;
            persistIfChanged();
        }
    }

    @Override
    public synchronized void hashData(byte[] data) {
        if (running) {
            drtm.data(data);
        }
    }

    @Override
    public synchronized void hashEnd() {
        if (running) {
            drtm.end();
        }
    }

    @Override
    public synchronized boolean isTpmEstablished() {
        return permanent.tpmEstablished;
    }

    @Override
    public synchronized boolean resetTpmEstablished(int locality) {
        if (locality < 3 || locality > 4) {
            return false;
        }
        if (permanent.tpmEstablished) {
            permanent.tpmEstablished = false;
            permanentChanged = true;
            persistIfChanged();
        }
        return true;
    }

    @Override
    public void cancel() {
        // No command of this engine runs long enough to be worth interrupting yet.
    }

    // ---- state blobs

    @Override
    public synchronized byte[] getState(StateKind kind) {
        switch (kind) {
            case PERMANENT:
                if (isStarted()) {
                    permanent.clock = clock.clock();
                }
                return permanent.serialize();
            case SAVE_STATE:
                return hasSaveState() ? saveState.clone() : null;
            case VOLATILE:
                if (running && runtime != null) {
                    runtime.nvOrderlyRam = permanent.nv.orderlyRam();
                    runtime.loadedObjects = objectEngine.exportLoaded();
                    dictionaryAttack.suspend(runtime);
                    runtime.orderlyStartup = orderlyStartup;
                    captureSessions();
                    return runtime.serialize(true);
                }
                return volatileState == null ? null : volatileState.clone();
            default:
                throw new IllegalArgumentException(String.valueOf(kind));
        }
    }

    @Override
    public synchronized void setState(StateKind kind, byte[] blob) throws StateFormatException {
        if (running) {
            throw new IllegalStateException("state can only be replaced while the TPM is stopped");
        }
        boolean delete = blob == null || blob.length == 0;
        switch (kind) {
            case PERMANENT:
                if (delete) {
                    throw new StateFormatException("the permanent state cannot be deleted");
                }
                permanent = PermanentState.deserialize(blob);
                break;
            case SAVE_STATE:
                if (!delete) {
                    RuntimeState.deserialize(blob, false, new PcrBanks(permanent.pcrAllocation));
                }
                saveState = delete ? null : blob.clone();
                break;
            case VOLATILE:
                if (!delete) {
                    RuntimeState.deserialize(blob, true, new PcrBanks(permanent.pcrAllocation));
                }
                volatileState = delete ? null : blob.clone();
                break;
            default:
                throw new IllegalArgumentException(String.valueOf(kind));
        }
    }
}
