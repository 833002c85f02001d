package org.jswtpm.core.state;

import java.security.MessageDigest;
import java.util.Arrays;
import org.jswtpm.core.crypto.HashAlg;
import org.jswtpm.core.marshal.TpmReader;
import org.jswtpm.core.marshal.TpmWriter;
import org.jswtpm.core.TpmException;

/**
 * The PCR values of every allocated bank and the PCR update counter (TCG TPM 2.0 Part 1, 17 "PCR").
 * Which banks exist is fixed at construction from the permanent allocation; TPM2_PCR_Allocate changes
 * the allocation, which takes effect at the next TPM Reset.
 */
public final class PcrBanks {
    private final HashAlg[] banks;
    private final byte[][][] values; // [bank][pcr][digest]
    private int updateCounter;

    public PcrBanks(int allocationMask) {
        int n = Integer.bitCount(allocationMask);
        banks = new HashAlg[n];
        int i = 0;
        for (HashAlg h : HashAlg.values()) {
            if ((allocationMask & (1 << h.ordinal())) != 0) {
                banks[i++] = h;
            }
        }
        values = new byte[n][PcrAttributes.PCR_COUNT][];
        for (int b = 0; b < n; b++) {
            for (int p = 0; p < PcrAttributes.PCR_COUNT; p++) {
                values[b][p] = new byte[banks[b].digestSize()];
            }
        }
    }

    /** The bit of {@code alg} in an allocation mask. */
    public static int maskOf(HashAlg alg) {
        return 1 << alg.ordinal();
    }

    /** The allocated banks, in TPM_ALG_ID order. */
    public HashAlg[] banks() {
        return banks.clone();
    }

    public int bankCount() {
        return banks.length;
    }

    public HashAlg bank(int index) {
        return banks[index];
    }

    /** The index of the bank for {@code alg}, or -1 if not allocated. */
    public int indexOf(HashAlg alg) {
        for (int i = 0; i < banks.length; i++) {
            if (banks[i] == alg) {
                return i;
            }
        }
        return -1;
    }

    public int updateCounter() {
        return updateCounter;
    }

    /** The value of {@code pcr} in bank {@code bank} (not copied: do not modify). */
    public byte[] value(int bank, int pcr) {
        return values[bank][pcr];
    }

    /**
     * Sets every PCR to its initial value (TPM Reset or TPM Restart). Each reset counts as a change of
     * that PCR, as in the reference implementation, so the counter starts at the number of PCRs
     * outside the no-increment group.
     */
    public void initialize(int startupLocality) {
        updateCounter = 0;
        for (int p = 0; p < PcrAttributes.PCR_COUNT; p++) {
            resetToInitial(p, startupLocality);
            changed(p);
        }
    }

    /** On TPM Resume: PCRs without the save attribute return to their initial value. */
    public void initializeUnsaved(int startupLocality) {
        for (int p = 0; p < PcrAttributes.PCR_COUNT; p++) {
            if (!PcrAttributes.isSaved(p)) {
                resetToInitial(p, startupLocality);
                changed(p);
            }
        }
    }

    private void resetToInitial(int pcr, int startupLocality) {
        for (int b = 0; b < banks.length; b++) {
            byte[] v = values[b][pcr];
            Arrays.fill(v, (byte) PcrAttributes.initialFill(pcr));
            if (pcr == 0) {
                v[v.length - 1] = (byte) startupLocality;
            }
        }
    }

    /** PCR[pcr] := H(PCR[pcr] || digest) in bank {@code bank}. */
    public void extend(int bank, int pcr, byte[] digest) {
        MessageDigest md = banks[bank].newDigest();
        md.update(values[bank][pcr]);
        md.update(digest);
        values[bank][pcr] = md.digest();
    }

    /** Counts one change of {@code pcr} (Part 1, 17.7 "pcrUpdateCounter"). */
    public void changed(int pcr) {
        if (!PcrAttributes.isNoIncrement(pcr)) {
            updateCounter++;
        }
    }

    /** Sets {@code pcr} to zero in every bank (TPM2_PCR_Reset, _TPM_Hash_Start). */
    public void reset(int pcr) {
        for (int b = 0; b < banks.length; b++) {
            Arrays.fill(values[b][pcr], (byte) 0);
        }
    }

    /** Writes values and counter; {@code savedOnly} restricts to PCRs with the save attribute. */
    public void write(TpmWriter w, boolean savedOnly) {
        w.u32(updateCounter);
        w.u8(banks.length);
        for (int b = 0; b < banks.length; b++) {
            w.u16(banks[b].id());
            for (int p = 0; p < PcrAttributes.PCR_COUNT; p++) {
                if (!savedOnly || PcrAttributes.isSaved(p)) {
                    w.bytes(values[b][p]);
                }
            }
        }
    }

    /**
     * Reads what {@link #write} wrote. Banks in the blob that are not allocated now are skipped;
     * banks allocated now but absent keep their current values.
     */
    public void read(TpmReader r, boolean savedOnly) throws TpmException {
        updateCounter = r.u32();
        int n = r.u8();
        for (int i = 0; i < n; i++) {
            HashAlg alg = HashAlg.of(r.u16());
            if (alg == null) {
                throw new TpmException(org.jswtpm.core.types.TpmRc.HASH);
            }
            int b = indexOf(alg);
            for (int p = 0; p < PcrAttributes.PCR_COUNT; p++) {
                if (!savedOnly || PcrAttributes.isSaved(p)) {
                    byte[] v = r.bytes(alg.digestSize());
                    if (b >= 0) {
                        values[b][p] = v;
                    }
                }
            }
        }
    }
}
