package org.jswtpm.core.differential;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import org.jswtpm.core.Tpm;
import org.jswtpm.core.Tpm2;
import org.jswtpm.core.crypto.EccCurve;
import org.jswtpm.core.marshal.TpmReader;
import org.jswtpm.core.marshal.TpmWriter;
import org.jswtpm.core.testing.Command;
import org.jswtpm.core.testing.Response;
import org.jswtpm.core.testing.TestObjects;
import org.jswtpm.core.types.TpmCc;
import org.jswtpm.core.types.TpmRc;
import org.jswtpm.core.types.TpmRh;
import org.jswtpm.core.types.TpmSu;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * SM2 signatures across Debian's swtpm (libtpms 0.9.2) and jswtpm. The TPMs have different seeds, so
 * each makes its own SM2 keys; both public keys are then loaded into both TPMs (LoadExternal, null
 * hierarchy, so the same handles and the NULL ticket on both), and every signature either TPM makes
 * must verify on both with byte-identical responses, as must every rejection of a tampered one. Skipped
 * without swtpm unless {@code jswtpm.requireTools} is true.
 */
class DifferentialSm2Test {
    static final int SM2 = 0x001B;
    static final int SM2_P256 = 0x0020;
    static final int SHA384 = 0x000C;

    private static SwtpmProcess swtpm;
    private static Tpm engine;

    @BeforeAll
    static void start() throws Exception {
        Path binary = SwtpmProcess.require();
        swtpm = SwtpmProcess.start(binary);
        engine = Tpm2.builder().deterministicSeed("jswtpm differential sm2".getBytes(StandardCharsets.US_ASCII))
                .build();
        same(Command.of(TpmCc.Startup).u16(TpmSu.CLEAR));
    }

    @AfterAll
    static void stop() throws Exception {
        if (swtpm != null) {
            swtpm.close();
        }
    }

    /** swtpm's response, the command sent again on TPM_RC_RETRY as TSSs do. */
    static Response swtpm(byte[] cmd) throws Exception {
        Response r = new Response(swtpm.execute(cmd));
        for (int i = 0; i < 5 && r.rc == 0x922; i++) {
            r = new Response(swtpm.execute(cmd));
        }
        return r;
    }

    /** The command on both TPMs, {jswtpm, swtpm}, with the same response code. */
    static Response[] both(Command c) throws Exception {
        byte[] cmd = c.build();
        Response ours = new Response(engine.execute(cmd));
        Response theirs = swtpm(cmd);
        assertEquals(Integer.toHexString(theirs.rc), Integer.toHexString(ours.rc),
                () -> c.cc() + " response code (expected swtpm's)\n  jswtpm: " + Comparison.hex(ours.bytes)
                        + "\n  swtpm:  " + Comparison.hex(theirs.bytes));
        return new Response[] {ours, theirs};
    }

    /** Both TPMs answer with the same bytes. */
    static Response same(Command c) throws Exception {
        Response[] r = both(c);
        assertEquals(Comparison.hex(r[1].bytes), Comparison.hex(r[0].bytes), c.cc() + " response");
        return r[0];
    }

    /** A TPM2B_PUBLIC template of an unrestricted ECC signing key. */
    static byte[] template(int curve, int scheme, int hash) {
        TpmWriter w = new TpmWriter().u16(TestObjects.ECC).u16(TestObjects.SHA256).u32(TestObjects.SIGNING).u16(0)
                .u16(TestObjects.NULL).u16(scheme);
        if (scheme != TestObjects.NULL) {
            w.u16(hash);
        }
        return TestObjects.tpm2b(w.u16(curve).u16(TestObjects.NULL).u16(0).u16(0).toByteArray());
    }

    /** A primary made by each TPM, loaded by its public area into both: {jswtpm's key, swtpm's key}. */
    static int[] keys(int curve, int scheme, int hash) throws Exception {
        Response[] r = both(TestObjects.createPrimaryCommand(TpmRh.OWNER, template(curve, scheme, hash), new byte[0]));
        byte[][] pubs = new byte[2][];
        int primary = 0;
        for (int i = 0; i < 2; i++) {
            TpmReader rd = r[i].ok();
            primary = rd.u32();
            rd.u32();
            pubs[i] = rd.tpm2b(1024);
        }
        same(Command.of(TpmCc.FlushContext).u32(primary));
        int[] loaded = new int[2];
        for (int i = 0; i < 2; i++) {
            loaded[i] = same(Command.of(TpmCc.LoadExternal).u16(0).tpm2b(pubs[i]).u32(TpmRh.NULL)).ok().u32();
        }
        return loaded;
    }

    /**
     * Each TPM signs with its own key (loaded again as a private primary), and the two public copies in
     * both TPMs verify the signature, and refuse it over another digest, with the same bytes.
     */
    static void crossVerify(int curve, int keyScheme, int scheme, int hash, byte[] digest) throws Exception {
        Response[] made = both(TestObjects.createPrimaryCommand(TpmRh.OWNER, template(curve, keyScheme, hash),
                new byte[0]));
        int signer = made[0].ok().u32();
        assertEquals(made[1].ok().u32(), signer, "the same handle on both");
        // the public copies: CreatePrimary is repeatable, so the same primary again gives the same public area
        int[] pubs = keys(curve, keyScheme, hash);
        byte[] other = digest.clone();
        other[0] ^= 1;
        Command sign = Command.of(TpmCc.Sign).handle(signer).emptyAuth().tpm2b(digest).u16(scheme).u16(hash)
                .u16(0x8024).u32(TpmRh.NULL).u16(0);
        Response[] sigs = both(sign);
        for (int i = 0; i < 2; i++) {
            TpmReader rd = sigs[i].okWithSessions(0);
            byte[] sig = new TpmWriter().u16(rd.u16()).u16(rd.u16()).tpm2b(rd.tpm2b(128)).tpm2b(rd.tpm2b(128))
                    .toByteArray();
            assertEquals(scheme, ((sig[0] & 0xFF) << 8) | (sig[1] & 0xFF));
            same(Command.of(TpmCc.VerifySignature).handle(pubs[i]).tpm2b(digest).bytes(sig)).ok();
            Response[] bad = both(Command.of(TpmCc.VerifySignature).handle(pubs[i]).tpm2b(other).bytes(sig));
            assertEquals(Comparison.hex(bad[1].bytes), Comparison.hex(bad[0].bytes));
            assertEquals(TpmRc.SIGNATURE.parameter(2).value(), bad[0].rc);
            // the other TPM's key does not verify it
            assertEquals(TpmRc.SIGNATURE.parameter(2).value(), same(Command.of(TpmCc.VerifySignature)
                    .handle(pubs[1 - i]).tpm2b(digest).bytes(sig)).rc);
        }
        for (int h : new int[] {signer, pubs[0], pubs[1]}) {
            same(Command.of(TpmCc.FlushContext).u32(h));
        }
    }

    static byte[] digest(String alg, String message) throws Exception {
        return MessageDigest.getInstance(alg).digest(message.getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void sm2SignaturesVerifyAcrossTheTwoTpms() throws Exception {
        same(Command.of(TpmCc.ECC_Parameters).u16(SM2_P256));
        byte[] d256 = digest("SHA-256", "an SM2 message");
        crossVerify(SM2_P256, SM2, SM2, TestObjects.SHA256, d256);
        crossVerify(SM2_P256, TestObjects.NULL, SM2, TestObjects.SHA256, d256);
        // e is the whole digest, not truncated to the order's size
        crossVerify(SM2_P256, TestObjects.NULL, SM2, SHA384, digest("SHA-384", "an SM2 message"));
        // SM2 on a NIST curve, and ECDSA on the SM2 curve
        crossVerify(3, TestObjects.NULL, SM2, TestObjects.SHA256, d256);
        crossVerify(SM2_P256, TestObjects.NULL, 0x0018, TestObjects.SHA256, d256);
    }

    /**
     * TPM2_ZGen_2Phase with TPM_ALG_SM2 (the SM2 key exchange), a known difference: both TPMs answer
     * success, and each outZ1 equals party B's point V = [tB](QsA + [x̄A]QeA), tB = dsB + x̄B·deB mod n,
     * computed with that TPM's own QeA; but jswtpm's x̄ is GB/T 32918.3's, 2^127 + (x mod 2^127), and
     * libtpms 0.9.2's is (x mod 2^66) | 2^94 on a 64-bit build (its avfSm2 takes w = 126 and then BnMaskBits
     * and BnSetBit(1 &lt;&lt; 62 in an int) keep 66 bits and set bit 94), so the two agree with no standard peer and
     * not with each other.
     */
    @Test
    void zgen2PhaseSm2IsAKnownDifference() throws Exception {
        EccCurve c = EccCurve.SM2_P256;
        BigInteger dsA = BigInteger.valueOf(0x5A5A5A5A5AL);
        byte[][] qsA = c.multiplyGenerator(dsA);
        TpmWriter sens = new TpmWriter();
        int at = sens.startSized16();
        sens.u16(TestObjects.ECC).tpm2b(new byte[0]).tpm2b(new byte[0]).tpm2b(c.fixed(dsA));
        sens.endSized16(at);
        TpmWriter pub = new TpmWriter();
        at = pub.startSized16();
        pub.u16(TestObjects.ECC).u16(TestObjects.SHA256).u32(TestObjects.DECRYPT | TestObjects.USER_WITH_AUTH)
                .u16(0).u16(TestObjects.NULL).u16(TestObjects.NULL).u16(SM2_P256).u16(TestObjects.NULL)
                .tpm2b(qsA[0]).tpm2b(qsA[1]);
        pub.endSized16(at);
        int key = same(Command.of(TpmCc.LoadExternal).bytes(sens.toByteArray()).bytes(pub.toByteArray())
                .u32(TpmRh.NULL)).ok().u32();
        Response[] eph = both(Command.of(TpmCc.EC_Ephemeral).u16(SM2_P256));
        BigInteger dsB = BigInteger.valueOf(0xB0B);
        BigInteger deB = BigInteger.valueOf(0xC0C0C0);
        byte[] qsB = new TpmWriter().tpm2b(c.multiplyGenerator(dsB)[0]).tpm2b(c.multiplyGenerator(dsB)[1])
                .toByteArray();
        byte[][] qeB = c.multiplyGenerator(deB);
        for (int i = 0; i < 2; i++) {
            TpmReader rd = eph[i].ok();
            rd.u16();
            byte[][] qeA = {rd.tpm2b(32), rd.tpm2b(32)};
            int counter = rd.u16();
            byte[] cmd = Command.of(TpmCc.ZGen_2Phase).handle(key).emptyAuth().tpm2b(qsB)
                    .tpm2b(new TpmWriter().tpm2b(qeB[0]).tpm2b(qeB[1]).toByteArray()).u16(SM2).u16(counter).build();
            Response r = i == 0 ? new Response(engine.execute(cmd)) : swtpm(cmd);
            TpmReader z = r.okWithSessions(0);
            z.u16();
            byte[] zx = z.tpm2b(32);
            int keep = i == 0 ? 127 : 66;
            int bit = i == 0 ? 127 : 94;
            BigInteger tB = dsB.add(avf(qeB[0], keep, bit).multiply(deB)).mod(c.order());
            byte[][] m = c.multiply(avf(qeA[0], keep, bit), qeA[0], qeA[1]);
            byte[][] sum = c.add(qsA[0], qsA[1], m[0], m[1]);
            assertEquals(Comparison.hex(c.multiply(tB, sum[0], sum[1])[0]), Comparison.hex(zx),
                    i == 0 ? "jswtpm: GB/T 32918.3's x̄" : "swtpm: libtpms 0.9.2's x̄");
        }
        same(Command.of(TpmCc.FlushContext).u32(key));
    }

    /** (x mod 2^keep) with bit {@code bit} set. */
    static BigInteger avf(byte[] x, int keep, int bit) {
        return new BigInteger(1, x).mod(BigInteger.ONE.shiftLeft(keep)).setBit(bit);
    }
}
