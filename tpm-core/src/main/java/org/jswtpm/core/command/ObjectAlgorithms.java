package org.jswtpm.core.command;

import java.util.ArrayList;
import java.util.List;
import org.jswtpm.core.crypto.EccCurve;
import org.jswtpm.core.types.TpmAlg;

/**
 * What the object subsystem adds to TPM_CAP_ALGS and TPM_CAP_ECC_CURVES (TCG TPM 2.0 Part 2, 10.9.8 and
 * 10.9.11): the object types, the block ciphers of storage keys, symmetric objects and sessions (AES,
 * Camellia, TDES; CFB mode), HMAC and XOR keyed
 * hashes, KDFa. Signing and encryption schemes are listed by the subsystems that implement them.
 */
final class ObjectAlgorithms {
    static final TpmAlg[] IMPLEMENTED = {TpmAlg.RSA, TpmAlg.TDES, TpmAlg.HMAC, TpmAlg.AES, TpmAlg.KEYEDHASH,
        TpmAlg.XOR, TpmAlg.KDF1_SP800_108, TpmAlg.ECC, TpmAlg.SYMCIPHER, TpmAlg.CAMELLIA, TpmAlg.CFB};

    private ObjectAlgorithms() {
    }

    static List<CapabilityCommands.Item> algorithms() {
        List<CapabilityCommands.Item> items = new ArrayList<>();
        for (TpmAlg a : IMPLEMENTED) {
            items.add(new CapabilityCommands.Item(a.id(), w -> w.u16(a.id()).u32(a.attributes())));
        }
        return items;
    }

    static List<CapabilityCommands.Item> curves() {
        List<CapabilityCommands.Item> items = new ArrayList<>();
        for (EccCurve c : EccCurve.values()) {
            items.add(new CapabilityCommands.Item(c.id(), w -> w.u16(c.id())));
        }
        return items;
    }
}
