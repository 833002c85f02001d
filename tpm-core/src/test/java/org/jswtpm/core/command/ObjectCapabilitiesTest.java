package org.jswtpm.core.command;

import static org.jswtpm.core.testing.TestTpm.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.jswtpm.core.Tpm;
import org.jswtpm.core.marshal.TpmReader;
import org.jswtpm.core.testing.Command;
import org.jswtpm.core.testing.TestTpm;
import org.jswtpm.core.types.TpmAlg;
import org.jswtpm.core.types.TpmCap;
import org.jswtpm.core.types.TpmCc;
import org.jswtpm.core.types.TpmPt;
import org.junit.jupiter.api.Test;

/** What TPM2_GetCapability says about objects: algorithms, curves, persistent handles, context size. */
class ObjectCapabilitiesTest {
    @Test
    void algorithmsAndCurves() throws Exception {
        Tpm tpm = TestTpm.started();
        TpmReader r = run(tpm, Command.of(TpmCc.GetCapability).u32(TpmCap.ALGS).u32(0).u32(1000)).ok();
        r.u8();
        r.u32();
        List<Integer> algs = new ArrayList<>();
        for (int n = r.u32(); n > 0; n--) {
            int alg = r.u16();
            assertEquals(TpmAlg.of(alg).attributes(), r.u32(), "TPMA_ALGORITHM of " + TpmAlg.of(alg));
            algs.add(alg);
        }
        for (TpmAlg a : new TpmAlg[] {TpmAlg.RSA, TpmAlg.ECC, TpmAlg.KEYEDHASH, TpmAlg.SYMCIPHER, TpmAlg.AES,
            TpmAlg.CFB, TpmAlg.HMAC, TpmAlg.XOR, TpmAlg.KDF1_SP800_108}) {
            assertTrue(algs.contains(a.id()), a.name());
        }
        for (TpmAlg a : new TpmAlg[] {TpmAlg.ECDAA, TpmAlg.ECMQV, TpmAlg.KDF1_SP800_56A, TpmAlg.KDF2}) {
            assertTrue(algs.contains(a.id()), a.name() + " is implemented, so it is listed");
        }
        // the reference's TPMA_ALGORITHM values (AlgorithmCap.c), as libtpms reports them
        assertEquals(0x30C, TpmAlg.KEYEDHASH.attributes(), "hash, object, signing, encrypting");
        assertEquals(0x8, TpmAlg.SYMCIPHER.attributes(), "object only");
        assertTrue(algs.contains(TpmAlg.SM2.id()), "SM2 is implemented, so it is listed");
        assertEquals(0x501, TpmAlg.SM2.attributes(), "asymmetric, signing, method");
        assertFalse(algs.contains(TpmAlg.SM3_256.id()), "libtpms 0.9.2 does not build SM3");
        assertFalse(algs.contains(TpmAlg.SM4.id()), "nor SM4");
        assertEquals(algs.stream().sorted().distinct().toList(), algs, "ascending, no duplicates");
        r = run(tpm, Command.of(TpmCc.GetCapability).u32(TpmCap.ECC_CURVES).u32(0).u32(100)).ok();
        r.u8();
        assertEquals(TpmCap.ECC_CURVES, r.u32());
        assertEquals(8, r.u32(), "the eight curves libtpms 0.9 builds");
        assertEquals(0x0001, r.u16(), "NIST P-192");
        assertEquals(0x0002, r.u16(), "NIST P-224");
        assertEquals(0x0003, r.u16());
        assertEquals(0x0004, r.u16());
        assertEquals(0x0005, r.u16());
        assertEquals(0x0010, r.u16());
        assertEquals(0x0011, r.u16(), "BN P-638");
        assertEquals(0x0020, r.u16(), "SM2 P-256");
    }

    @Test
    void properties() throws Exception {
        Tpm tpm = TestTpm.started();
        assertEquals(8, EvictControlTest.property(tpm, TpmPt.HR_PERSISTENT_MIN));
        assertEquals(0, EvictControlTest.property(tpm, TpmPt.HR_PERSISTENT));
        assertEquals(8, EvictControlTest.property(tpm, TpmPt.HR_PERSISTENT_AVAIL));
        assertEquals(4096, EvictControlTest.property(tpm, TpmPt.MAX_OBJECT_CONTEXT));
        assertEquals(4096, EvictControlTest.property(tpm, TpmPt.MAX_SESSION_CONTEXT));
        assertEquals(128, EvictControlTest.property(tpm, TpmPt.SPLIT_MAX), "commit array bits");
        assertEquals(8, EvictControlTest.property(tpm, TpmPt.LOADED_CURVES));
    }
}
