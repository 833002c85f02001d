package org.jswtpm.core.command;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.jswtpm.core.TpmException;
import org.jswtpm.core.crypto.HashAlg;
import org.jswtpm.core.engine.CommandContext;
import org.jswtpm.core.engine.CommandHandler;
import org.jswtpm.core.engine.CommandSpec;
import org.jswtpm.core.engine.TpmEngine;
import org.jswtpm.core.marshal.TpmReader;
import org.jswtpm.core.marshal.TpmWriter;
import org.jswtpm.core.state.PcrAttributes;
import org.jswtpm.core.state.PcrBanks;
import org.jswtpm.core.state.PermanentState;
import org.jswtpm.core.types.PcrSelection;
import org.jswtpm.core.types.TpmCap;
import org.jswtpm.core.types.TpmCc;
import org.jswtpm.core.types.TpmRc;
import org.jswtpm.core.types.TpmRh;

/** TCG TPM 2.0 Part 3, 30 "Capability commands". */
final class CapabilityCommands {
    /** MAX_CAP_DATA: MAX_CAP_BUFFER less the capability and count fields. */
    static final int MAX_CAP_DATA = TpmProperties.MAX_CAP_BUFFER - 4 - 4;

    private CapabilityCommands() {
    }

    /** One entry of a capability list: its sort key and how to marshal it. */
    record Item(long key, Consumer<TpmWriter> writer) {
    }

    record GetCapabilityIn(int capability, int property, int count) {
    }

    /**
     * Part 3, 30.2 TPM2_GetCapability: the entries of one capability from {@code property} on, at most
     * {@code propertyCount} (and at most what fits in MAX_CAP_BUFFER), with moreData set when entries
     * remain. Everything reported is derived from what the engine implements (the command table, the
     * hashes, the PCR banks), so capability and behaviour never disagree. TPM_RC_VALUE (parameter 1)
     * for an unknown capability, (parameter 2) for a handle range that names no handle type.
     */
    static final class GetCapability implements CommandHandler<GetCapabilityIn> {
        @Override
        public GetCapabilityIn parse(TpmReader in) throws TpmException {
            int cap = in.parameter(1).u32();
            int property = in.parameter(2).u32();
            int count = in.parameter(3).u32();
            if (cap < 0 || cap > TpmCap.LAST) {
                throw new TpmException(TpmRc.VALUE.parameter(1));
            }
            return new GetCapabilityIn(cap, property, count);
        }

        @Override
        public void execute(CommandContext ctx, GetCapabilityIn p, TpmWriter out) throws TpmException {
            TpmEngine tpm = ctx.tpm();
            List<Item> items;
            int itemSize;
            switch (p.capability()) {
                case TpmCap.ALGS: items = algorithms(); itemSize = 6; break;
                case TpmCap.HANDLES: items = handles(tpm, p.property()); itemSize = 4; break;
                case TpmCap.COMMANDS: items = commands(tpm); itemSize = 4; break;
                case TpmCap.PP_COMMANDS: items = ppCommands(tpm); itemSize = 4; break;
                case TpmCap.AUDIT_COMMANDS: items = AuditCommands.auditCommands(tpm); itemSize = 4; break;
                case TpmCap.PCRS: writePcrs(out, tpm); return;
                case TpmCap.TPM_PROPERTIES: items = TpmProperties.all(tpm); itemSize = 8; break;
                case TpmCap.PCR_PROPERTIES: items = pcrProperties(); itemSize = 8; break;
                case TpmCap.AUTH_POLICIES: items = authPolicies(tpm.permanent(), tpm); itemSize = 70; break;
                case TpmCap.ECC_CURVES: items = ObjectAlgorithms.curves(); itemSize = 2; break;
                default: items = List.of(); itemSize = 4; break; // ACT: none implemented
            }
            writePage(out, p, items, MAX_CAP_DATA / itemSize);
        }
    }

    /** TPM_CAP_PP_COMMANDS: the commands that require physical presence (TPM2_PP_Commands' list). */
    private static List<Item> ppCommands(TpmEngine tpm) {
        List<Item> items = new ArrayList<>();
        for (int cc : tpm.permanent().ppCommands) {
            items.add(new Item(cc, w -> w.u32(cc)));
        }
        return items;
    }

    private static void writePage(TpmWriter out, GetCapabilityIn p, List<Item> items, int max) {
        long start = Integer.toUnsignedLong(p.property());
        int limit = (int) Math.min(Integer.toUnsignedLong(p.count()), max);
        List<Item> page = new ArrayList<>();
        boolean more = false;
        for (Item item : items) {
            if (item.key() < start) {
                continue;
            }
            if (page.size() == limit) {
                more = true;
                break;
            }
            page.add(item);
        }
        out.u8(more ? 1 : 0);
        out.u32(p.capability());
        out.u32(page.size());
        for (Item item : page) {
            item.writer().accept(out);
        }
    }

    private static List<Item> algorithms() {
        List<Item> items = new ArrayList<>();
        for (HashAlg h : HashAlg.values()) {
            if (h.available()) {
                items.add(new Item(h.id(), w -> w.u16(h.id()).u32(h.alg().attributes())));
            }
        }
        items.addAll(ObjectAlgorithms.algorithms());
        items.addAll(CryptoAlgorithms.algorithms());
        items.sort((a, b) -> Long.compare(a.key(), b.key()));
        return items;
    }

    static final int[] PERMANENT_HANDLES = {TpmRh.OWNER, TpmRh.NULL, TpmRh.PW, TpmRh.LOCKOUT,
        TpmRh.ENDORSEMENT, TpmRh.PLATFORM, TpmRh.PLATFORM_NV};

    private static List<Item> handles(TpmEngine tpm, int property) throws TpmException {
        List<Item> items = new ArrayList<>();
        switch (TpmRh.type(property)) {
            case TpmRh.HT_PCR:
                for (int i = 0; i < PcrAttributes.PCR_COUNT; i++) {
                    items.add(handleItem(i));
                }
                break;
            case TpmRh.HT_PERMANENT:
                for (int h : PERMANENT_HANDLES) {
                    items.add(handleItem(h));
                }
                break;
            case TpmRh.HT_TRANSIENT:
                tpm.objects().forEachHandle(h -> items.add(handleItem(h)));
                break;
            case TpmRh.HT_PERSISTENT:
                tpm.permanent().persistentObjects.keySet().forEach(h -> items.add(handleItem(h)));
                break;
            case TpmRh.HT_HMAC_SESSION: // TPM_HT_LOADED_SESSION: HMAC and policy handles, by index
                tpm.sessions().forEachLoaded((i, h) -> items.add(
                        new Item(Integer.toUnsignedLong(0x02000000 | i), w -> w.u32(h))));
                break;
            case TpmRh.HT_POLICY_SESSION: // TPM_HT_SAVED_SESSION: listed as 0x02000000 + index
                tpm.sessions().forEachSaved(i -> items.add(new Item(0x03000000L | i, w -> w.u32(0x02000000 | i))));
                break;
            case TpmRh.HT_NV_INDEX:
                tpm.permanent().nv.all().forEach(i -> items.add(handleItem(i.handle())));
                break;
            default:
                throw new TpmException(TpmRc.VALUE.parameter(2));
        }
        return items;
    }

    private static Item handleItem(int handle) {
        return new Item(Integer.toUnsignedLong(handle), w -> w.u32(handle));
    }

    private static List<Item> commands(TpmEngine tpm) {
        List<Item> items = new ArrayList<>();
        for (CommandSpec s : tpm.table().all()) {
            items.add(new Item(s.cc().code(), w -> w.u32(s.tpmaCc())));
        }
        return items;
    }

    /** TPML_PCR_SELECTION of the allocation (as stored: a pending TPM2_PCR_Allocate shows). */
    private static void writePcrs(TpmWriter out, TpmEngine tpm) {
        out.u8(0).u32(TpmCap.PCRS);
        List<PcrSelection> list = new ArrayList<>();
        for (HashAlg h : PcrCommands.BANK_HASHES) {
            boolean on = (tpm.permanent().pcrAllocation & PcrBanks.maskOf(h)) != 0;
            byte fill = (byte) (on ? 0xFF : 0);
            list.add(new PcrSelection(h, new byte[] {fill, fill, fill}));
        }
        PcrSelection.writeList(out, list);
    }

    private static List<Item> pcrProperties() {
        List<Item> items = new ArrayList<>();
        for (int tag = 0; tag <= 0x14; tag++) {
            int map = PcrAttributes.propertyMap(tag);
            if (map >= 0) {
                int t = tag;
                items.add(new Item(tag, w -> w.u32(t).u8(3).u8(map).u8(map >>> 8).u8(map >>> 16)));
            }
        }
        return items;
    }

    private static List<Item> authPolicies(PermanentState p, TpmEngine tpm) {
        List<Item> items = new ArrayList<>();
        addPolicy(items, TpmRh.OWNER, p.ownerPolicy);
        addPolicy(items, TpmRh.LOCKOUT, p.lockoutPolicy);
        addPolicy(items, TpmRh.ENDORSEMENT, p.endorsementPolicy);
        addPolicy(items, TpmRh.PLATFORM, tpm.runtime().platformPolicy);
        return items;
    }

    private static void addPolicy(List<Item> items, int handle, PermanentState.Policy policy) {
        if (policy.digest().length > 0) {
            items.add(new Item(Integer.toUnsignedLong(handle),
                    w -> w.u32(handle).u16(policy.hashAlg()).bytes(policy.digest())));
        }
    }

    /**
     * Part 3, 30.3 TPM2_TestParms: succeeds if the TPMT_PUBLIC_PARMS unmarshal, that is, if the type,
     * key size, curve, schemes and symmetric algorithm are implemented. Failures are the unmarshalling
     * codes on parameter 1: TPM_RC_TYPE, TPM_RC_VALUE (RSA key size, RSA or keyed-hash scheme), TPM_RC_CURVE,
     * TPM_RC_SCHEME (ECC scheme), TPM_RC_SYMMETRIC, TPM_RC_MODE, TPM_RC_HASH, TPM_RC_KDF.
     */
    static final class TestParms implements CommandHandler<Void> {
        @Override
        public Void parse(TpmReader in) throws TpmException {
            org.jswtpm.core.object.PublicParms.readWithType(in.parameter(1));
            return null;
        }

        @Override
        public void execute(CommandContext ctx, Void params, TpmWriter out) {
            // the parameters unmarshalled: they are supported
        }
    }

    /** The command codes this engine's table implements, for property counts. */
    static int libraryCommands(TpmEngine tpm) {
        int n = 0;
        for (CommandSpec s : tpm.table().all()) {
            if (s.cc() != TpmCc.Vendor_TCG_Test) {
                n++;
            }
        }
        return n;
    }
}
