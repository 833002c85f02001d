package org.jswtpm.core.engine;

import java.security.MessageDigest;
import java.util.Arrays;
import org.jswtpm.core.crypto.HashAlg;
import org.jswtpm.core.state.PcrAttributes;
import org.jswtpm.core.state.PcrBanks;

/**
 * The dynamic-root-of-trust measurement driven by the locality-4 signals {@code _TPM_Hash_Start},
 * {@code _TPM_Hash_Data} and {@code _TPM_Hash_End} (TCG TPM 2.0 Part 3, 6.3 to 6.5). After Startup the
 * measurement resets PCR 17 to 22 and is extended into PCR 17; before Startup it is an H-CRTM
 * measurement that TPM2_Startup places in PCR 0 (initial value 4 in its last octet). Any TPM command
 * abandons a sequence in progress.
 */
final class DrtmSequence {
    private static final int DRTM_PCR = 17;
    private static final int HCRTM_PCR = 0;

    private final TpmEngine tpm;
    private MessageDigest[] digests;
    private HashAlg[] algs;
    private byte[][] preStartupMeasurement;
    private HashAlg[] preStartupAlgs;

    DrtmSequence(TpmEngine tpm) {
        this.tpm = tpm;
    }

    void start() {
        PcrBanks pcrs = tpm.runtime().pcrs;
        algs = pcrs.banks();
        digests = new MessageDigest[algs.length];
        for (int i = 0; i < algs.length; i++) {
            digests[i] = algs[i].newDigest();
        }
    }

    void data(byte[] data) {
        if (digests != null) {
            for (MessageDigest d : digests) {
                d.update(data);
            }
        }
    }

    void end() {
        if (digests == null) {
            return;
        }
        byte[][] measured = new byte[digests.length][];
        for (int i = 0; i < digests.length; i++) {
            measured[i] = digests[i].digest();
        }
        HashAlg[] measuredAlgs = algs;
        abandon();
        if (tpm.isStarted()) {
            PcrBanks pcrs = tpm.pcrs();
            for (int pcr = 0; pcr < PcrAttributes.PCR_COUNT; pcr++) {
                if (PcrAttributes.isDrtm(pcr)) {
                    pcrs.reset(pcr);
                }
            }
            extendAll(pcrs, DRTM_PCR, measuredAlgs, measured);
        } else {
            preStartupMeasurement = measured;
            preStartupAlgs = measuredAlgs;
        }
    }

    /** Places an H-CRTM measurement taken before Startup into PCR 0. */
    void applyPreStartupMeasurement(PcrBanks pcrs) {
        if (preStartupMeasurement == null) {
            return;
        }
        for (int b = 0; b < pcrs.bankCount(); b++) {
            byte[] v = pcrs.value(b, HCRTM_PCR);
            Arrays.fill(v, (byte) 0);
            v[v.length - 1] = 4;
        }
        extendAll(pcrs, HCRTM_PCR, preStartupAlgs, preStartupMeasurement);
        preStartupMeasurement = null;
    }

    private static void extendAll(PcrBanks pcrs, int pcr, HashAlg[] algs, byte[][] measured) {
        for (int i = 0; i < algs.length; i++) {
            int bank = pcrs.indexOf(algs[i]);
            if (bank >= 0) {
                pcrs.extend(bank, pcr, measured[i]);
            }
        }
        pcrs.changed(pcr);
    }

    void abandon() {
        digests = null;
        algs = null;
    }
}
