package org.jswtpm.core.command;

import java.util.ArrayList;
import java.util.List;
import org.jswtpm.core.crypto.HashAlg;
import org.jswtpm.core.engine.ObjectSlots;
import org.jswtpm.core.engine.Tickets;
import org.jswtpm.core.engine.TpmEngine;
import org.jswtpm.core.object.ObjectEngine;
import org.jswtpm.core.object.SavedContext;
import org.jswtpm.core.engine.session.SessionSlots;
import org.jswtpm.core.state.NvStore;
import org.jswtpm.core.state.PcrAttributes;
import org.jswtpm.core.state.PermanentState;
import org.jswtpm.core.state.RuntimeState;
import org.jswtpm.core.types.TpmAlg;
import org.jswtpm.core.types.TpmPt;

/**
 * The TPM properties reported by TPM2_GetCapability(TPM_CAP_TPM_PROPERTIES) (TCG TPM 2.0 Part 2, 6.13):
 * the fixed ones describe this implementation, the variable ones are read from the state. Capacities of
 * features that are not implemented yet are reported as 0.
 */
final class TpmProperties {
    static final int MAX_CAP_BUFFER = 1024;
    /** "JSWT": jswtpm's manufacturer identifier. */
    static final int MANUFACTURER = 0x4A535754;
    static final int FIRMWARE_VERSION_1 = 0x00000001; // 0.1
    static final int SPEC_LEVEL = 0;
    static final int SPEC_REVISION = 159;
    static final int SPEC_DAY_OF_YEAR = 312;
    static final int SPEC_YEAR = 2019;

    private TpmProperties() {
    }

    private static int ascii(String four) {
        int v = 0;
        for (int i = 0; i < 4; i++) {
            v = (v << 8) | (i < four.length() ? four.charAt(i) : 0);
        }
        return v;
    }

    static List<CapabilityCommands.Item> all(TpmEngine tpm) {
        List<CapabilityCommands.Item> items = new ArrayList<>(80);
        PermanentState p = tpm.permanent();
        RuntimeState r = tpm.runtime();
        int loaded = tpm.objects().count();
        int persistent = tpm.objectEngine().persistentCount();
        int sessionsLoaded = tpm.sessions().loadedCount();
        int sessionsActive = tpm.sessions().activeCount();
        int commands = CapabilityCommands.libraryCommands(tpm);
        int[][] fixed = {
            {TpmPt.FAMILY_INDICATOR, ascii("2.0")},
            {TpmPt.LEVEL, SPEC_LEVEL},
            {TpmPt.REVISION, SPEC_REVISION},
            {TpmPt.DAY_OF_YEAR, SPEC_DAY_OF_YEAR},
            {TpmPt.YEAR, SPEC_YEAR},
            {TpmPt.MANUFACTURER, MANUFACTURER},
            {TpmPt.VENDOR_STRING_1, ascii("jswt")},
            {TpmPt.VENDOR_STRING_2, ascii("pm")},
            {TpmPt.VENDOR_STRING_3, 0},
            {TpmPt.VENDOR_STRING_4, 0},
            {TpmPt.VENDOR_TPM_TYPE, 1},
            {TpmPt.FIRMWARE_VERSION_1, FIRMWARE_VERSION_1},
            {TpmPt.FIRMWARE_VERSION_2, 0},
            {TpmPt.INPUT_BUFFER, HashCommands.MAX_BUFFER},
            {TpmPt.HR_TRANSIENT_MIN, ObjectSlots.CAPACITY},
            {TpmPt.HR_PERSISTENT_MIN, ObjectEngine.PERSISTENT_CAPACITY},
            {TpmPt.HR_LOADED_MIN, SessionSlots.MAX_LOADED},
            {TpmPt.ACTIVE_SESSIONS_MAX, SessionSlots.MAX_ACTIVE},
            {TpmPt.PCR_COUNT, PcrAttributes.PCR_COUNT},
            {TpmPt.PCR_SELECT_MIN, PcrAttributes.SELECT_SIZE},
            {TpmPt.CONTEXT_GAP_MAX, 0xFFFF},
            {TpmPt.NV_COUNTERS_MAX, NvStore.MAX_COUNTERS},
            {TpmPt.NV_INDEX_MAX, NvStore.MAX_INDEX_SIZE},
            {TpmPt.MEMORY, 0x6},
            {TpmPt.CLOCK_UPDATE, (int) TpmEngine.CLOCK_UPDATE_INTERVAL},
            {TpmPt.CONTEXT_HASH, Tickets.CONTEXT_INTEGRITY_HASH.id()},
            {TpmPt.CONTEXT_SYM, TpmAlg.AES.id()},
            {TpmPt.CONTEXT_SYM_SIZE, 256},
            {TpmPt.ORDERLY_COUNT, 255},
            {TpmPt.MAX_COMMAND_SIZE, org.jswtpm.core.Tpm.MAX_COMMAND_SIZE},
            {TpmPt.MAX_RESPONSE_SIZE, org.jswtpm.core.Tpm.MAX_COMMAND_SIZE},
            {TpmPt.MAX_DIGEST, HashAlg.MAX_DIGEST_SIZE},
            {TpmPt.MAX_OBJECT_CONTEXT, SavedContext.MAX_CONTEXT_SIZE},
            {TpmPt.MAX_SESSION_CONTEXT, SavedContext.MAX_CONTEXT_SIZE},
            {TpmPt.PS_FAMILY_INDICATOR, 1},
            {TpmPt.PS_LEVEL, 0},
            {TpmPt.PS_REVISION, 0x105},
            {TpmPt.PS_DAY_OF_YEAR, 0},
            {TpmPt.PS_YEAR, 0},
            {TpmPt.SPLIT_MAX, org.jswtpm.core.object.Commitments.SLOTS},
            {TpmPt.TOTAL_COMMANDS, commands},
            {TpmPt.LIBRARY_COMMANDS, commands},
            {TpmPt.VENDOR_COMMANDS, 0},
            {TpmPt.NV_BUFFER_MAX, NvStore.MAX_BUFFER_SIZE},
            {TpmPt.MODES, 0},
            {TpmPt.MAX_CAP_BUFFER, MAX_CAP_BUFFER},
            {TpmPt.PERMANENT, permanentAttributes(p, tpm)},
            {TpmPt.STARTUP_CLEAR, startupClearAttributes(tpm, r)},
            {TpmPt.HR_NV_INDEX, p.nv.size()},
            {TpmPt.HR_LOADED, sessionsLoaded},
            {TpmPt.HR_LOADED_AVAIL, SessionSlots.MAX_LOADED - sessionsLoaded},
            {TpmPt.HR_ACTIVE, sessionsActive},
            {TpmPt.HR_ACTIVE_AVAIL, SessionSlots.MAX_ACTIVE - sessionsActive},
            {TpmPt.HR_TRANSIENT_AVAIL, ObjectSlots.CAPACITY - loaded},
            {TpmPt.HR_PERSISTENT, persistent},
            {TpmPt.HR_PERSISTENT_AVAIL, ObjectEngine.PERSISTENT_CAPACITY - persistent},
            {TpmPt.NV_COUNTERS, p.nv.counters()},
            {TpmPt.NV_COUNTERS_AVAIL, p.nv.countersAvailable()},
            {TpmPt.ALGORITHM_SET, p.algorithmSet},
            {TpmPt.LOADED_CURVES, org.jswtpm.core.crypto.EccCurve.values().length},
            {TpmPt.LOCKOUT_COUNTER, p.failedTries},
            {TpmPt.MAX_AUTH_FAIL, p.maxTries},
            {TpmPt.LOCKOUT_INTERVAL, p.recoveryTime},
            {TpmPt.LOCKOUT_RECOVERY, p.lockoutRecovery},
            {TpmPt.NV_WRITE_RECOVERY, 0},
            {TpmPt.AUDIT_COUNTER_0, 0},
            {TpmPt.AUDIT_COUNTER_1, 0},
        };
        for (int[] kv : fixed) {
            items.add(new CapabilityCommands.Item(kv[0], w -> w.u32(kv[0]).u32(kv[1])));
        }
        return items;
    }

    /** TPMA_PERMANENT (Part 2, 8.6). */
    static int permanentAttributes(PermanentState p, TpmEngine tpm) {
        int a = 0;
        a |= p.ownerAuth.length > 0 ? 1 : 0;
        a |= p.endorsementAuth.length > 0 ? 1 << 1 : 0;
        a |= p.lockoutAuth.length > 0 ? 1 << 2 : 0;
        a |= p.disableClear ? 1 << 8 : 0;
        a |= tpm.dictionaryAttack().inLockout() ? 1 << 9 : 0;
        a |= 1 << 10; // tpmGeneratedEPS
        return a;
    }

    /** TPMA_STARTUP_CLEAR (Part 2, 8.7). */
    static int startupClearAttributes(TpmEngine tpm, RuntimeState r) {
        int a = 0;
        a |= r.phEnable ? 1 : 0;
        a |= r.shEnable ? 1 << 1 : 0;
        a |= r.ehEnable ? 1 << 2 : 0;
        a |= r.phEnableNV ? 1 << 3 : 0;
        a |= tpm.orderlyStartup() ? 1 << 31 : 0;
        return a;
    }
}
