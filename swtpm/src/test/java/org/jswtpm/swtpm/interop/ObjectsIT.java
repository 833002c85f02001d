package org.jswtpm.swtpm.interop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.jswtpm.swtpm.interop.RawTpm.indexOf;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jswtpm.core.testing.ExternalTools;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keys and objects through the real tpm2-tools over the swtpm TCTI against {@code bin/swtpm} as a
 * separate process: primaries in every hierarchy, create / load / readpublic, sealing, changeauth of an
 * object and of the owner hierarchy, evictcontrol across a process restart, flushcontext. Keys are
 * parsed by the JDK and names recomputed with it.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ObjectsIT {
    static final HexFormat HEX = HexFormat.of();
    @TempDir
    static Path dir;
    static JswtpmProcess tpm;
    static Tpm2Tools tools;

    @BeforeAll
    static void start() throws Exception {
        ExternalTools.require("tpm2_createprimary");
        tpm = JswtpmProcess.startIn(dir);
        tools = Tpm2Tools.forProcess(tpm, dir);
        tools.ok("tpm2_startup", "-c");
        tools.ok("tpm2_createprimary", "-C", "o", "-G", "ecc", "-c", "prim.ctx");
    }

    @AfterAll
    static void stop() throws Exception {
        if (tpm != null) {
            tpm.close();
        }
    }

    static PublicKey readPem(String ctx, String pem) throws Exception {
        tools.ok("tpm2_readpublic", "-c", ctx, "-f", "pem", "-o", pem);
        return Tpm2Tools.pem(dir.resolve(pem));
    }

    static void restart() throws Exception {
        tools.ok("tpm2_shutdown", "-c");
        tpm = tpm.restart();
        tools = Tpm2Tools.forProcess(tpm, dir);
        tools.ok("tpm2_startup", "-c");
    }

    @Test
    @Order(1)
    void primariesInEveryHierarchyAreDeterministicPerHierarchy() throws Exception {
        Map<String, byte[]> keys = new HashMap<>();
        for (String alg : new String[] {"rsa", "ecc"}) {
            for (String h : new String[] {"o", "e", "n"}) {
                PublicKey first = null;
                for (int i = 0; i < 2; i++) {
                    String ctx = "p-" + alg + h + i + ".ctx";
                    tools.ok("tpm2_createprimary", "-C", h, "-G", alg, "-g", "sha256", "-c", ctx);
                    PublicKey k = readPem(ctx, "p-" + alg + h + i + ".pem");
                    if (alg.equals("rsa")) {
                        RSAPublicKey r = assertInstanceOf(RSAPublicKey.class, k);
                        assertEquals(2048, r.getModulus().bitLength());
                        assertEquals(BigInteger.valueOf(65537), r.getPublicExponent());
                    } else {
                        ECPublicKey e = assertInstanceOf(ECPublicKey.class, k);
                        assertEquals(256, e.getParams().getCurve().getField().getFieldSize());
                    }
                    if (first == null) {
                        first = k;
                    } else {
                        assertArrayEquals(first.getEncoded(), k.getEncoded(), "same template, same hierarchy: same key " + alg + h);
                    }
                }
                for (Map.Entry<String, byte[]> other : keys.entrySet()) {
                    assertFalse(Arrays.equals(other.getValue(), first.getEncoded()), alg + h + " differs from " + other.getKey());
                }
                keys.put(alg + h, first.getEncoded());
            }
        }
    }

    @Test
    @Order(2)
    void createLoadReadPublicWithNames() throws Exception {
        for (String alg : new String[] {"rsa2048", "ecc256", "ecc384", "aes128", "hmac"}) {
            String k = "k-" + alg;
            tools.ok("tpm2_create", "-C", "prim.ctx", "-G", alg, "-u", k + ".pub", "-r", k + ".priv");
            tools.ok("tpm2_load", "-C", "prim.ctx", "-u", k + ".pub", "-r", k + ".priv", "-c", k + ".ctx", "-n", k + ".name");
            // The name is nameAlg || H(TPMT_PUBLIC); the .pub file is the TPM2B_PUBLIC.
            byte[] pub = Files.readAllBytes(dir.resolve(k + ".pub"));
            assertEquals(pub.length - 2, ((pub[0] & 0xFF) << 8) | (pub[1] & 0xFF));
            byte[] expectedName = concat(new byte[] {0x00, 0x0B}, Tpm2Tools.sha256(Arrays.copyOfRange(pub, 2, pub.length)));
            assertArrayEquals(expectedName, Files.readAllBytes(dir.resolve(k + ".name")), alg);
            String rp = tools.ok("tpm2_readpublic", "-c", k + ".ctx");
            assertTrue(rp.contains("name: " + HEX.formatHex(expectedName)), rp);
            if (alg.startsWith("rsa") || alg.startsWith("ecc")) {
                PublicKey key = readPem(k + ".ctx", k + ".pem");
                if (alg.startsWith("rsa")) {
                    assertEquals(2048, ((RSAPublicKey) key).getModulus().bitLength());
                    // the modulus is in the public area: the PEM is the TPM's key
                    byte[] n = unsigned(((RSAPublicKey) key).getModulus(), 256);
                    assertTrue(indexOf(pub, n) > 0, "modulus in " + k + ".pub");
                } else {
                    ECPublicKey e = (ECPublicKey) key;
                    int size = alg.equals("ecc256") ? 32 : 48;
                    assertEquals(size * 8, e.getParams().getCurve().getField().getFieldSize());
                    assertTrue(indexOf(pub, unsigned(e.getW().getAffineX(), size)) > 0, "x in " + k + ".pub");
                    assertTrue(indexOf(pub, unsigned(e.getW().getAffineY(), size)) > 0, "y in " + k + ".pub");
                }
            }
        }
    }

    @Test
    @Order(2)
    void everyKeySizeTheIssueAsksFor() throws Exception {
        String[][] keys = {{"rsa1024", "1024"}, {"rsa3072", "3072"}, {"rsa4096", "4096"}, {"ecc384", "384"}, {"ecc521", "521"}};
        for (String[] k : keys) {
            String name = "size-" + k[0];
            tools.ok("tpm2_create", "-C", "prim.ctx", "-G", k[0], "-u", name + ".pub", "-r", name + ".priv");
            tools.ok("tpm2_load", "-C", "prim.ctx", "-u", name + ".pub", "-r", name + ".priv", "-c", name + ".ctx");
            PublicKey key = readPem(name + ".ctx", name + ".pem");
            int bits = key instanceof RSAPublicKey r ? r.getModulus().bitLength()
                    : ((ECPublicKey) key).getParams().getCurve().getField().getFieldSize();
            assertEquals(Integer.parseInt(k[1]), bits, k[0]);
        }
        tools.ok("tpm2_createprimary", "-C", "o", "-G", "rsa4096", "-c", "big.ctx");
        assertEquals(4096, ((RSAPublicKey) readPem("big.ctx", "big.pem")).getModulus().bitLength());
        for (String sym : new String[] {"aes128", "aes256", "hmac:sha384", "hmac:sha512"}) {
            tools.ok("tpm2_create", "-C", "prim.ctx", "-G", sym, "-u", "sym.pub", "-r", "sym.priv");
            tools.ok("tpm2_load", "-C", "prim.ctx", "-u", "sym.pub", "-r", "sym.priv", "-c", "sym.ctx");
        }
        // libtpms 0.9 builds AES without 192-bit keys: Debian's swtpm answers TPM_RC_VALUE (inPublic) too
        assertTrue(tools.fails("tpm2_create", "-C", "prim.ctx", "-G", "aes192", "-u", "sym.pub", "-r", "sym.priv")
                .rc("0x2c4"));
        // a restricted key that both signs and decrypts is refused, as by libtpms (TPM_RC_ATTRIBUTES)
        assertTrue(tools.fails("tpm2_createprimary", "-C", "o", "-G", "rsa2048",
                "-a", "fixedtpm|fixedparent|sensitivedataorigin|userwithauth|restricted|decrypt|sign", "-c", "bad.ctx").rc("0x2c2"));
    }

    @Test
    @Order(3)
    void sealAndUnseal() throws Exception {
        byte[] secret = "a sealed secret, 32 bytes long!!".getBytes(StandardCharsets.US_ASCII);
        Files.write(dir.resolve("secret"), secret);
        tools.ok("tpm2_create", "-C", "prim.ctx", "-i", "secret", "-u", "seal.pub", "-r", "seal.priv");
        tools.ok("tpm2_load", "-C", "prim.ctx", "-u", "seal.pub", "-r", "seal.priv", "-c", "seal.ctx");
        tools.ok("tpm2_unseal", "-c", "seal.ctx", "-o", "unsealed");
        assertArrayEquals(secret, Files.readAllBytes(dir.resolve("unsealed")));
        String rp = tools.ok("tpm2_readpublic", "-c", "seal.ctx");
        assertTrue(rp.contains("keyedhash"), rp);

        // from stdin is not possible here; a password-protected sealed object instead
        tools.ok("tpm2_create", "-C", "prim.ctx", "-i", "secret", "-p", "sealpw", "-u", "sealpw.pub", "-r", "sealpw.priv",
                "-a", "fixedtpm|fixedparent|userwithauth|noda");
        tools.ok("tpm2_load", "-C", "prim.ctx", "-u", "sealpw.pub", "-r", "sealpw.priv", "-c", "sealpw.ctx");
        assertTrue(tools.fails("tpm2_unseal", "-c", "sealpw.ctx", "-p", "wrong").rc("0x9a2"), "noDA object: BAD_AUTH");
        assertArrayEquals(secret, unseal("sealpw.ctx", "sealpw"));
    }

    static byte[] unseal(String ctx, String auth) throws Exception {
        Files.deleteIfExists(dir.resolve("unsealed"));
        tools.ok("tpm2_unseal", "-c", ctx, "-p", auth, "-o", "unsealed");
        return Files.readAllBytes(dir.resolve("unsealed"));
    }

    @Test
    @Order(4)
    void changeAuthOfAnObject() throws Exception {
        byte[] secret = "object changeauth".getBytes(StandardCharsets.US_ASCII);
        Files.write(dir.resolve("secret2"), secret);
        tools.ok("tpm2_create", "-C", "prim.ctx", "-i", "secret2", "-p", "oldpw", "-u", "ca.pub", "-r", "ca.priv",
                "-a", "fixedtpm|fixedparent|userwithauth|noda");
        tools.ok("tpm2_load", "-C", "prim.ctx", "-u", "ca.pub", "-r", "ca.priv", "-c", "ca.ctx");
        tools.ok("tpm2_changeauth", "-c", "ca.ctx", "-C", "prim.ctx", "-p", "oldpw", "-r", "ca-new.priv", "newpw");
        tools.ok("tpm2_load", "-C", "prim.ctx", "-u", "ca.pub", "-r", "ca-new.priv", "-c", "ca-new.ctx");
        assertArrayEquals(secret, unseal("ca-new.ctx", "newpw"));
        assertTrue(tools.fails("tpm2_unseal", "-c", "ca-new.ctx", "-p", "oldpw").rc("0x9a2"));
        // the old private blob still loads with the old password: ObjectChangeAuth makes a new blob
        assertArrayEquals(secret, unseal("ca.ctx", "oldpw"));
    }

    @Test
    @Order(5)
    void flushContext() throws Exception {
        Tpm2Tools raw = new Tpm2Tools(tpm.tcti()).in(dir);
        raw.ok("tpm2_flushcontext", "-t");
        assertFalse(raw.ok("tpm2_getcap", "handles-transient").contains("0x80"));
        raw.ok("tpm2_createprimary", "-C", "o", "-G", "ecc", "-c", "f.ctx");
        String handles = raw.ok("tpm2_getcap", "handles-transient");
        Matcher m = Pattern.compile("0x8[0-9A-Fa-f]{7}").matcher(handles);
        assertTrue(m.find(), handles);
        String handle = m.group();
        raw.ok("tpm2_flushcontext", handle);
        assertFalse(raw.ok("tpm2_getcap", "handles-transient").contains(handle));
        Tpm2Tools.Result again = raw.fails("tpm2_flushcontext", handle);
        assertTrue(again.rc("0x18b") || again.rc("0x184") || again.err().contains("handle"), again.err());

        raw.ok("tpm2_startauthsession", "-S", "fs.ctx", "--hmac-session");
        raw.ok("tpm2_flushcontext", "fs.ctx");
        raw.ok("tpm2_flushcontext", "-t");
    }

    @Test
    @Order(6)
    void evictControlSurvivesARestart() throws Exception {
        PublicKey key = readPem("prim.ctx", "prim.pem");
        tools.ok("tpm2_evictcontrol", "-C", "o", "-c", "prim.ctx", "0x81000001");
        assertTrue(tools.ok("tpm2_getcap", "handles-persistent").contains("0x81000001"));
        tools.ok("tpm2_createprimary", "-C", "n", "-G", "ecc", "-c", "null1.ctx");
        PublicKey null1 = readPem("null1.ctx", "null1.pem");
        restart();
        // Startup(CLEAR) after the restart is a TPM Reset: a new null seed, the same storage seed
        tools.ok("tpm2_createprimary", "-C", "n", "-G", "ecc", "-c", "null2.ctx");
        assertFalse(Arrays.equals(null1.getEncoded(), readPem("null2.ctx", "null2.pem").getEncoded()), "new null seed");
        assertTrue(tools.ok("tpm2_readclock").contains("restart_count: 0"), "a TPM Reset, not a Restart");
        tools.ok("tpm2_createprimary", "-C", "o", "-G", "ecc", "-c", "o2.ctx");
        assertArrayEquals(key.getEncoded(), readPem("o2.ctx", "o2.pem").getEncoded(), "same storage seed");
        assertTrue(tools.ok("tpm2_getcap", "handles-persistent").contains("0x81000001"));
        assertArrayEquals(key.getEncoded(), readPem("0x81000001", "persisted.pem").getEncoded());
        // the persistent key still works as a parent after the restart
        tools.ok("tpm2_create", "-C", "0x81000001", "-G", "ecc", "-u", "pk.pub", "-r", "pk.priv");
        tools.ok("tpm2_load", "-C", "0x81000001", "-u", "pk.pub", "-r", "pk.priv", "-c", "pk.ctx");
        assertTrue(tools.fails("tpm2_evictcontrol", "-C", "o", "-c", "prim.ctx", "0x81000001").exit() != 0);
        tools.ok("tpm2_evictcontrol", "-C", "o", "-c", "0x81000001");
        assertFalse(tools.ok("tpm2_getcap", "handles-persistent").contains("0x81000001"));
        tools.ok("tpm2_createprimary", "-C", "o", "-G", "ecc", "-c", "prim.ctx");
    }

    @Test
    @Order(7)
    void changeAuthOfTheOwnerHierarchy() throws Exception {
        tools.ok("tpm2_changeauth", "-c", "o", "ownerpw");
        assertTrue(tools.ok("tpm2_getcap", "properties-variable").contains("ownerAuthSet:              1"));
        long clock = clock();
        long target = clock + 100_000_000L;
        assertTrue(tools.fails("tpm2_setclock", "-c", "o", Long.toString(target)).rc("0x9a2"));
        assertTrue(tools.fails("tpm2_setclock", "-c", "o", "-p", "wrong", Long.toString(target)).rc("0x9a2"));
        assertTrue(clock() < target);
        tools.ok("tpm2_setclock", "-c", "o", "-p", "ownerpw", Long.toString(target));
        assertTrue(clock() >= target);
        assertTrue(tools.fails("tpm2_createprimary", "-C", "o", "-G", "ecc", "-c", "x.ctx").rc("0x9a2"));
        tools.ok("tpm2_createprimary", "-C", "o", "-P", "ownerpw", "-G", "ecc", "-c", "x.ctx");
        // the owner is not DA-protected: wrong owner passwords never lock the TPM out
        assertFalse(tools.ok("tpm2_getcap", "properties-variable").contains("inLockout:                 1"));
        tools.ok("tpm2_changeauth", "-c", "o", "-p", "ownerpw");
        assertTrue(tools.ok("tpm2_getcap", "properties-variable").contains("ownerAuthSet:              0"));
        tools.ok("tpm2_createprimary", "-C", "o", "-G", "ecc", "-c", "x.ctx");
    }

    static long clock() throws Exception {
        Matcher m = Pattern.compile("\\bclock: (\\d+)").matcher(tools.ok("tpm2_readclock"));
        assertTrue(m.find());
        return Long.parseLong(m.group(1));
    }

    static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] out = new byte[n];
        int o = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, o, p.length);
            o += p.length;
        }
        return out;
    }

    static byte[] unsigned(BigInteger v, int size) {
        byte[] b = v.toByteArray();
        byte[] out = new byte[size];
        int copy = Math.min(b.length, size);
        System.arraycopy(b, b.length - copy, out, size - copy, copy);
        return out;
    }

}
