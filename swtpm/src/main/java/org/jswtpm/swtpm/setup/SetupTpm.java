package org.jswtpm.swtpm.setup;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jswtpm.core.Tpm;
import org.jswtpm.core.TpmException;
import org.jswtpm.core.marshal.TpmReader;
import org.jswtpm.core.marshal.TpmWriter;

/**
 * The few TPM 2 commands swtpm_setup sends, as raw command bytes to an in-process {@link Tpm}, each
 * authorized with an empty password (the hierarchies of a new TPM have empty authorization). A command
 * that fails throws {@link SetupException} naming the command and its response code.
 */
final class SetupTpm {
    static final int ST_NO_SESSIONS = 0x8001;
    static final int ST_SESSIONS = 0x8002;
    static final int RS_PW = 0x40000009;
    static final int RH_OWNER = 0x40000001;
    static final int RH_ENDORSEMENT = 0x4000000B;
    static final int RH_PLATFORM = 0x4000000C;

    static final int CC_EVICT_CONTROL = 0x120;
    static final int CC_NV_DEFINE_SPACE = 0x12A;
    static final int CC_PCR_ALLOCATE = 0x12B;
    static final int CC_CREATE_PRIMARY = 0x131;
    static final int CC_NV_WRITE = 0x137;
    static final int CC_NV_WRITE_LOCK = 0x138;
    static final int CC_STARTUP = 0x144;
    static final int CC_SHUTDOWN = 0x145;
    static final int CC_FLUSH_CONTEXT = 0x165;
    static final int CC_GET_CAPABILITY = 0x17A;

    static final int CAP_PCRS = 5;
    static final int CAP_TPM_PROPERTIES = 6;

    /** The largest NV_Write chunk swtpm_setup sends. */
    static final int NV_WRITE_CHUNK = 1024;

    /** Hash algorithm ids of the PCR bank names swtpm_setup knows. */
    static final Map<String, Integer> BANKS = new LinkedHashMap<>();

    static {
        BANKS.put("sha1", 0x0004);
        BANKS.put("sha256", 0x000B);
        BANKS.put("sha384", 0x000C);
        BANKS.put("sha512", 0x000D);
        BANKS.put("sm3-256", 0x0012);
        BANKS.put("sha3-256", 0x0027);
        BANKS.put("sha3-384", 0x0028);
        BANKS.put("sha3-512", 0x0029);
    }

    private final Tpm tpm;

    SetupTpm(Tpm tpm) {
        this.tpm = tpm;
    }

    /** A created primary key: its transient handle and its public area (TPMT_PUBLIC). */
    record Primary(int handle, byte[] publicArea) {
    }

    void startupClear() throws SetupException {
        send("TPM2_Startup", command(ST_NO_SESSIONS, CC_STARTUP, new int[0], new TpmWriter().u16(0)));
    }

    void shutdownClear() throws SetupException {
        send("TPM2_Shutdown", command(ST_NO_SESSIONS, CC_SHUTDOWN, new int[0], new TpmWriter().u16(0)));
    }

    /** TPM2_CreatePrimary under {@code hierarchy} with {@code template} (a TPMT_PUBLIC). */
    Primary createPrimary(int hierarchy, byte[] template, String what) throws SetupException {
        TpmWriter p = new TpmWriter();
        p.u16(4).u32(0); // inSensitive: empty userAuth, empty data
        p.tpm2b(template);
        p.u16(0); // outsideInfo
        p.u32(0); // creationPCR: no selections
        TpmReader r = send("TPM2_CreatePrimary(" + what + ")",
                authorized(CC_CREATE_PRIMARY, new int[] {hierarchy}, p));
        try {
            int handle = r.u32();
            r.u32(); // parameterSize
            byte[] publicArea = r.tpm2b(4096);
            return new Primary(handle, publicArea);
        } catch (TpmException e) {
            throw new SetupException("Response from TPM2_CreatePrimary(" + what + ") is too short");
        }
    }

    void evictControl(int objectHandle, int persistentHandle) throws SetupException {
        send("TPM2_EvictControl", authorized(CC_EVICT_CONTROL, new int[] {RH_OWNER, objectHandle},
                new TpmWriter().u32(persistentHandle)));
    }

    void flushContext(int handle) throws SetupException {
        send("TPM2_FlushContext", command(ST_NO_SESSIONS, CC_FLUSH_CONTEXT, new int[0],
                new TpmWriter().u32(handle)));
    }

    /** NV_DefineSpace with platform authorization, SHA-256 names, no authValue, no policy. */
    void nvDefineSpace(int index, int attributes, int size) throws SetupException {
        TpmWriter p = new TpmWriter();
        p.u16(0); // auth
        int at = p.startSized16();
        p.u32(index).u16(EkTemplates.ALG_SHA256).u32(attributes).u16(0).u16(size);
        p.endSized16(at);
        send("TPM2_NV_DefineSpace", authorized(CC_NV_DEFINE_SPACE, new int[] {RH_PLATFORM}, p));
    }

    /** NV_Write in chunks of {@link #NV_WRITE_CHUNK} bytes, with platform authorization. */
    void nvWrite(int index, byte[] data) throws SetupException {
        for (int offset = 0; offset < data.length; offset += NV_WRITE_CHUNK) {
            int n = Math.min(NV_WRITE_CHUNK, data.length - offset);
            TpmWriter p = new TpmWriter();
            p.u16(n).bytes(data, offset, n).u16(offset);
            send("TPM2_NV_Write", authorized(CC_NV_WRITE, new int[] {RH_PLATFORM, index}, p));
        }
    }

    void nvWriteLock(int index) throws SetupException {
        send("TPM2_NV_WriteLock", authorized(CC_NV_WRITE_LOCK, new int[] {RH_PLATFORM, index}, new TpmWriter()));
    }

    /** The PCR banks the TPM implements (names of {@link #BANKS}), in the TPM's order. */
    List<String> allPcrBanks() throws SetupException {
        TpmWriter p = new TpmWriter().u32(CAP_PCRS).u32(0).u32(64);
        TpmReader r = send("TPM2_GetCapability", command(ST_NO_SESSIONS, CC_GET_CAPABILITY, new int[0], p));
        List<String> banks = new ArrayList<>();
        try {
            r.u8(); // moreData
            r.u32(); // capability
            int count = r.u32();
            for (int i = 0; i < count; i++) {
                int alg = r.u16();
                r.skip(r.u8());
                String name = bankName(alg);
                if (name != null) {
                    banks.add(name);
                }
            }
        } catch (TpmException e) {
            throw new SetupException("Response from TPM2_GetCapability is too short");
        }
        return banks;
    }

    /**
     * TPM2_PCR_Allocate: all 24 PCRs in the chosen banks, none in the others.
     *
     * @param chosen the banks to activate (known to the TPM)
     * @param all all banks of the TPM
     */
    void pcrAllocate(List<String> chosen, List<String> all) throws SetupException {
        TpmWriter p = new TpmWriter();
        List<String> order = new ArrayList<>(chosen);
        for (String bank : all) {
            if (!order.contains(bank)) {
                order.add(bank);
            }
        }
        p.u32(order.size());
        for (String bank : order) {
            int select = chosen.contains(bank) ? 0xFF : 0;
            p.u16(BANKS.get(bank)).u8(3).u8(select).u8(select).u8(select);
        }
        send("TPM2_PCR_Allocate", authorized(CC_PCR_ALLOCATE, new int[] {RH_PLATFORM}, p));
    }

    /** One TPM property (TPM_PT_*) from GetCapability(TPM_PROPERTIES). */
    int property(int property) throws SetupException {
        TpmWriter p = new TpmWriter().u32(CAP_TPM_PROPERTIES).u32(property).u32(1);
        TpmReader r = send("TPM2_GetCapability", command(ST_NO_SESSIONS, CC_GET_CAPABILITY, new int[0], p));
        try {
            r.u8();
            r.u32();
            int count = r.u32();
            if (count < 1 || r.u32() != property) {
                throw new SetupException("TPM2_GetCapability did not report property 0x"
                        + Integer.toHexString(property));
            }
            return r.u32();
        } catch (TpmException e) {
            throw new SetupException("Response from TPM2_GetCapability is too short");
        }
    }

    static String bankName(int alg) {
        for (Map.Entry<String, Integer> e : BANKS.entrySet()) {
            if (e.getValue() == alg) {
                return e.getKey();
            }
        }
        return null;
    }

    private static byte[] authorized(int cc, int[] handles, TpmWriter parameters) {
        return command(ST_SESSIONS, cc, handles, parameters);
    }

    private static byte[] command(int tag, int cc, int[] handles, TpmWriter parameters) {
        TpmWriter w = new TpmWriter();
        w.u16(tag).u32(0).u32(cc);
        for (int h : handles) {
            w.u32(h);
        }
        if (tag == ST_SESSIONS) {
            w.u32(9).u32(RS_PW).u16(0).u8(0).u16(0); // one empty password session
        }
        w.bytes(parameters.toByteArray());
        w.putU32(2, w.length());
        return w.toByteArray();
    }

    /** Sends a command; returns a reader after the response header, or throws on a non-zero code. */
    private TpmReader send(String name, byte[] command) throws SetupException {
        byte[] response = tpm.execute(command);
        TpmReader r = new TpmReader(response);
        try {
            r.u16();
            r.u32();
            int rc = r.u32();
            if (rc != 0) {
                throw new SetupException(name + " failed: TPM_RC 0x" + Integer.toHexString(rc));
            }
        } catch (TpmException e) {
            throw new SetupException(name + ": malformed response");
        }
        return r;
    }
}
