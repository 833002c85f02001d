package org.jswtpm.core.command;

import java.util.ArrayList;
import java.util.List;
import org.jswtpm.core.types.TpmAlg;

/**
 * What the signing, asymmetric and symmetric commands add to TPM_CAP_ALGS (TCG TPM 2.0 Part 2, 10.9.8):
 * the signature schemes of {@link org.jswtpm.core.crypto.Signatures} (SM2 among them), RSAES, OAEP and MGF1 of
 * TPM2_RSA_Encrypt / Decrypt, ECDH of TPM2_ECDH_ZGen, ECMQV of TPM2_ZGen_2Phase, the key derivation schemes
 * an ECC or RSA template may name, and the AES modes of TPM2_EncryptDecrypt.
 */
final class CryptoAlgorithms {
    static final TpmAlg[] IMPLEMENTED = {TpmAlg.MGF1, TpmAlg.RSASSA, TpmAlg.RSAES, TpmAlg.RSAPSS, TpmAlg.OAEP,
        TpmAlg.ECDSA, TpmAlg.ECDH, TpmAlg.ECDAA, TpmAlg.SM2, TpmAlg.ECSCHNORR, TpmAlg.ECMQV, TpmAlg.KDF1_SP800_56A,
        TpmAlg.KDF2, TpmAlg.CMAC, TpmAlg.CTR, TpmAlg.OFB, TpmAlg.CBC, TpmAlg.ECB};

    private CryptoAlgorithms() {
    }

    static List<CapabilityCommands.Item> algorithms() {
        List<CapabilityCommands.Item> items = new ArrayList<>();
        for (TpmAlg a : IMPLEMENTED) {
            items.add(new CapabilityCommands.Item(a.id(), w -> w.u16(a.id()).u32(a.attributes())));
        }
        return items;
    }
}
