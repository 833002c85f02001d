package org.jswtpm.core.state;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.jswtpm.core.crypto.HashAlg;
import org.jswtpm.core.types.NvPublic;
import org.jswtpm.core.types.TpmaNv;

/**
 * The state behind the golden blobs in {@code src/test/resources/state/golden/}: every field has a
 * distinctive value, so a reader that puts a field in the wrong place fails. {@link #main} wrote the
 * version-1 files with the version-1 serializers and the version-2 files (adding NV indices) with the
 * version-2 serializers; it is kept to show how they were made, and must not be re-run to "fix" a
 * failing {@link GoldenStateBlobsTest}: the files are the contract.
 *
 * <pre>mvn -o -q -pl tpm-core test-compile && java -cp tpm-core/target/classes:tpm-core/target/test-classes \
 *     org.jswtpm.core.state.GoldenStateBlobs tpm-core/src/test/resources/state/golden v2</pre>
 */
final class GoldenStateBlobs {
    /** SHA-1 and SHA-256 banks (bits 0 and 1: {@link HashAlg} SHA1 and SHA256). */
    static final int PCR_ALLOCATION = PcrBanks.maskOf(HashAlg.SHA1) | PcrBanks.maskOf(HashAlg.SHA256);
    static final long CLOCK = 1_234_567_890_123L;
    static final int PCR_UPDATE_COUNTER = 42;

    private GoldenStateBlobs() {
    }

    static byte[] fill(int length, int value) {
        byte[] b = new byte[length];
        Arrays.fill(b, (byte) value);
        return b;
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** The value of PCR {@code pcr} in the SHA-256 bank: 32 bytes of {@code pcr}. */
    static byte[] sha256Pcr(int pcr) {
        return fill(32, pcr);
    }

    /** The value of PCR {@code pcr} in the SHA-1 bank: 20 bytes of {@code 0x80 + pcr}. */
    static byte[] sha1Pcr(int pcr) {
        return fill(20, 0x80 + pcr);
    }

    static PermanentState permanent() {
        PermanentState s = new PermanentState();
        s.endorsementSeed = fill(64, 0x11);
        s.storageSeed = fill(64, 0x22);
        s.platformSeed = fill(64, 0x33);
        s.endorsementProof = fill(64, 0x44);
        s.storageProof = fill(64, 0x55);
        s.platformProof = fill(64, 0x66);
        s.ownerAuth = ascii("owner");
        s.endorsementAuth = ascii("endorse");
        s.lockoutAuth = ascii("lockout");
        s.ownerPolicy = new PermanentState.Policy(0x000b, fill(32, 0xa1));
        s.endorsementPolicy = PermanentState.Policy.NONE;
        s.lockoutPolicy = new PermanentState.Policy(0x0004, fill(20, 0xb2));
        s.pcrAllocation = PCR_ALLOCATION;
        s.failedTries = 2;
        s.maxTries = 32;
        s.recoveryTime = 7200;
        s.lockoutRecovery = 86400;
        s.lockoutAuthEnabled = true;
        s.disableClear = true;
        s.clock = CLOCK;
        s.resetCount = 7;
        s.restartCount = 3;
        s.orderlyState = 0x0001; // TPM_SU_STATE: the save-state below is resumable
        s.tpmEstablished = true;
        return s;
    }

    /** The runtime state: the save-state form keeps PCR 0-15, the volatile form all 24. */
    static RuntimeState runtime(int startupLocality) {
        RuntimeState r = new RuntimeState();
        r.started = true;
        r.startupLocality = startupLocality;
        r.phEnable = true;
        r.shEnable = true;
        r.ehEnable = false;
        r.phEnableNV = true;
        r.platformAuth = ascii("platform");
        r.platformPolicy = PermanentState.Policy.NONE;
        r.nullSeed = fill(64, 0x77);
        r.nullProof = fill(64, 0x88);
        r.clockSafe = true;
        r.pcrs = new PcrBanks(PCR_ALLOCATION);
        for (int pcr = 0; pcr < PcrAttributes.PCR_COUNT; pcr++) {
            System.arraycopy(sha1Pcr(pcr), 0, r.pcrs.value(0, pcr), 0, 20);
            System.arraycopy(sha256Pcr(pcr), 0, r.pcrs.value(1, pcr), 0, 32);
        }
        for (int i = 0; i < PCR_UPDATE_COUNTER; i++) {
            r.pcrs.changed(0);
        }
        return r;
    }

    /** Ordinary NV index 0x01500001: 16 bytes of data, an authValue and an authPolicy (version 2 on). */
    static final int NV_ORDINARY = 0x01500001;
    /** Orderly counter NV index 0x01500002: stored value 0x1234, RAM copy 0x1240 (version 2 on). */
    static final int NV_ORDERLY_COUNTER = 0x01500002;
    static final int NV_ORDINARY_ATTRIBUTES = TpmaNv.OWNERWRITE | TpmaNv.AUTHWRITE | TpmaNv.OWNERREAD
            | TpmaNv.AUTHREAD | TpmaNv.WRITTEN;
    static final int NV_COUNTER_ATTRIBUTES = (TpmaNv.NT_COUNTER << TpmaNv.TPM_NT_SHIFT) | TpmaNv.AUTHWRITE
            | TpmaNv.AUTHREAD | TpmaNv.NO_DA | TpmaNv.ORDERLY | TpmaNv.WRITTEN;
    static final long NV_MAX_COUNT = 0x777;

    /** The NV store of the version-2 golden blobs; the counter's RAM copy is ahead of its stored value. */
    static NvStore nv() {
        NvStore nv = new NvStore();
        NvIndex deleted = new NvIndex(new NvPublic(0x01500003, HashAlg.SHA256, NV_COUNTER_ATTRIBUTES & ~TpmaNv.ORDERLY,
                new byte[0], 8), new byte[0]);
        deleted.setUint64(NV_MAX_COUNT);
        nv.add(deleted);
        nv.remove(deleted);
        NvIndex ordinary = new NvIndex(new NvPublic(NV_ORDINARY, HashAlg.SHA256, NV_ORDINARY_ATTRIBUTES,
                fill(32, 0xc3), 16), ascii("nvauth"));
        ordinary.write(0, ascii("golden NV data!!"));
        ordinary.store();
        nv.add(ordinary);
        NvIndex counter = new NvIndex(new NvPublic(NV_ORDERLY_COUNTER, HashAlg.SHA1, NV_COUNTER_ATTRIBUTES,
                new byte[0], 8), new byte[0]);
        counter.setUint64(0x1234);
        counter.store();
        counter.setUint64(0x1240);
        nv.add(counter);
        return nv;
    }

    /** Writes {@code permall-<v>.bin}, {@code savestate-<v>.bin}, {@code volatilestate-<v>.bin} into args[0]. */
    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        String v = args[1];
        PermanentState permanent = permanent();
        RuntimeState volatileState = runtime(3);
        if (!v.equals("v1")) {
            permanent.nv = nv();
            volatileState.nvOrderlyRam = permanent.nv.orderlyRam();
        }
        Files.write(dir.resolve("permall-" + v + ".bin"), permanent.serialize());
        Files.write(dir.resolve("savestate-" + v + ".bin"), runtime(0).serialize(false));
        Files.write(dir.resolve("volatilestate-" + v + ".bin"), volatileState.serialize(true));
    }
}
