package org.jswtpm.swtpm.interop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import org.jswtpm.core.testing.ExternalTools;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The policy family through the real tpm2-tools over the swtpm TCTI against {@code bin/swtpm} as a
 * separate process, every trial digest recomputed with the JDK: PolicyOR over two PCR states,
 * PolicySecret, PolicySigned with an openssl key (and its ticket), PolicyAuthorize of signed PCR
 * policies, PolicyNV.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PolicyIT {
    static final HexFormat HEX = HexFormat.of();
    static final byte[] SECRET = "a policy-protected secret".getBytes(StandardCharsets.US_ASCII);
    @TempDir
    static Path dir;
    static JswtpmProcess tpm;
    static Tpm2Tools tools;

    @BeforeAll
    static void start() throws Exception {
        ExternalTools.require("tpm2_policyor");
        ExternalTools.require("openssl");
        tpm = JswtpmProcess.startIn(dir);
        tools = Tpm2Tools.forProcess(tpm, dir);
        tools.ok("tpm2_startup", "-c");
        tools.assumeCommands("PolicyOR", "PolicySecret", "PolicySigned", "PolicyAuthorize", "PolicyNV", "VerifySignature");
        tools.ok("tpm2_createprimary", "-C", "o", "-G", "ecc", "-c", "prim.ctx");
        Files.write(dir.resolve("secret"), SECRET);
        tools.ok("openssl", "genrsa", "-out", "signer.pem", "2048");
        tools.ok("openssl", "rsa", "-in", "signer.pem", "-pubout", "-out", "signer.pub.pem");
        tools.ok("tpm2_loadexternal", "-C", "o", "-G", "rsa", "-u", "signer.pub.pem", "-c", "signer.ctx", "-n", "signer.name");
    }

    @AfterAll
    static void stop() throws Exception {
        if (tpm != null) {
            tpm.close();
        }
    }

    static byte[] bytes(String name) throws Exception {
        return Files.readAllBytes(dir.resolve(name));
    }

    static byte[] cc(int code) {
        return ByteBuffer.allocate(4).putInt(code).array();
    }

    /** H(H(old || cc || name) || policyRef), the shape of PolicySecret, PolicySigned and PolicyAuthorize. */
    static byte[] policyUpdate(byte[] old, int code, byte[] name) throws Exception {
        return Tpm2Tools.sha256(Tpm2Tools.sha256(old, cc(code), name));
    }

    static byte[] policyPcr23(byte[] old, byte[] pcrValue) throws Exception {
        return Tpm2Tools.sha256(old, cc(0x17f), HEX.parseHex("00000001000b03000080"), Tpm2Tools.sha256(pcrValue));
    }

    /** Seals SECRET under {@code policy} (no userWithAuth) and loads it as {@code name}.ctx. */
    static void seal(String name, String policy) throws Exception {
        tools.ok("tpm2_create", "-C", "prim.ctx", "-u", name + ".pub", "-r", name + ".priv", "-L", policy, "-i", "secret");
        tools.ok("tpm2_load", "-C", "prim.ctx", "-u", name + ".pub", "-r", name + ".priv", "-c", name + ".ctx");
    }

    static byte[] unseal(String ctx, String session) throws Exception {
        Files.deleteIfExists(dir.resolve("unsealed"));
        tools.ok("tpm2_unseal", "-c", ctx, "-p", "session:" + session, "-o", "unsealed");
        tools.run("tpm2_flushcontext", session);
        return bytes("unsealed");
    }

    static void trial(String... policyCommands) throws Exception {
        tools.ok("tpm2_startauthsession", "-S", "t.ctx");
        String[] cmd = policyCommands;
        String[] withSession = new String[cmd.length + 2];
        withSession[0] = cmd[0];
        withSession[1] = "-S";
        withSession[2] = "t.ctx";
        System.arraycopy(cmd, 1, withSession, 3, cmd.length - 1);
        tools.ok(withSession);
        tools.ok("tpm2_flushcontext", "t.ctx");
    }

    @Test
    @Order(1)
    void policyOrOverTwoPcrStates() throws Exception {
        tools.ok("tpm2_pcrreset", "23");
        trial("tpm2_policypcr", "-l", "sha256:23", "-L", "a.policy");
        byte[] one = HEX.parseHex("00".repeat(31) + "01");
        tools.ok("tpm2_pcrextend", "23:sha256=" + HEX.formatHex(one));
        tools.ok("tpm2_startauthsession", "-S", "t.ctx");
        tools.ok("tpm2_policypcr", "-S", "t.ctx", "-l", "sha256:23", "-L", "b.policy");
        tools.ok("tpm2_policyor", "-S", "t.ctx", "-L", "or.policy", "-l", "sha256:a.policy,b.policy");
        tools.ok("tpm2_flushcontext", "t.ctx");
        byte[] a = policyPcr23(new byte[32], new byte[32]);
        byte[] b = policyPcr23(new byte[32], Tpm2Tools.sha256(new byte[32], one));
        assertArrayEquals(a, bytes("a.policy"));
        assertArrayEquals(b, bytes("b.policy"));
        assertArrayEquals(Tpm2Tools.sha256(new byte[32], cc(0x171), a, b), bytes("or.policy"));
        seal("or", "or.policy");
        for (String state : new String[] {"b", "a"}) {
            tools.ok("tpm2_startauthsession", "--policy-session", "-S", "p.ctx");
            tools.ok("tpm2_policypcr", "-S", "p.ctx", "-l", "sha256:23");
            tools.ok("tpm2_policyor", "-S", "p.ctx", "-l", "sha256:a.policy,b.policy");
            assertArrayEquals(SECRET, unseal("or.ctx", "p.ctx"), "PCR state " + state);
            tools.ok("tpm2_pcrreset", "23");
        }
        // a third state is in neither branch: PolicyOR itself refuses (TPM_RC_VALUE)
        tools.ok("tpm2_pcrextend", "23:sha256=" + "00".repeat(31) + "02");
        tools.ok("tpm2_startauthsession", "--policy-session", "-S", "p.ctx");
        tools.ok("tpm2_policypcr", "-S", "p.ctx", "-l", "sha256:23");
        tools.fails("tpm2_policyor", "-S", "p.ctx", "-l", "sha256:a.policy,b.policy");
        tools.run("tpm2_flushcontext", "p.ctx");
        tools.ok("tpm2_pcrreset", "23");
    }

    @Test
    @Order(2)
    void policySecretWithTheOwnerHierarchy() throws Exception {
        trial("tpm2_policysecret", "-c", "o", "-L", "secret.policy");
        assertArrayEquals(policyUpdate(new byte[32], 0x151, HEX.parseHex("40000001")), bytes("secret.policy"));
        seal("sec", "secret.policy");
        tools.ok("tpm2_startauthsession", "--policy-session", "-S", "p.ctx");
        tools.ok("tpm2_policysecret", "-S", "p.ctx", "-c", "o");
        assertArrayEquals(SECRET, unseal("sec.ctx", "p.ctx"));
        tools.ok("tpm2_changeauth", "-c", "o", "ownerpw");
        try {
            tools.ok("tpm2_startauthsession", "--policy-session", "-S", "p.ctx");
            assertTrue(tools.fails("tpm2_policysecret", "-S", "p.ctx", "-c", "o", "wrongpw").rc("0x9a2"));
            tools.ok("tpm2_policysecret", "-S", "p.ctx", "-c", "o", "ownerpw");
            assertArrayEquals(SECRET, unseal("sec.ctx", "p.ctx"));
        } finally {
            tools.ok("tpm2_changeauth", "-c", "o", "-p", "ownerpw");
        }
    }

    @Test
    @Order(3)
    void policySignedWithAnOpensslKey() throws Exception {
        byte[] signerName = bytes("signer.name");
        Files.write(dir.resolve("empty"), new byte[0]);
        tools.ok("openssl", "dgst", "-sha256", "-sign", "signer.pem", "-out", "sig0.bin", "empty");
        trial("tpm2_policysigned", "-g", "sha256", "-c", "signer.ctx", "-s", "sig0.bin", "-f", "rsassa", "-L", "signed.policy");
        assertArrayEquals(policyUpdate(new byte[32], 0x160, signerName), bytes("signed.policy"));
        seal("sg", "signed.policy");

        tools.ok("tpm2_startauthsession", "--policy-session", "-S", "p.ctx");
        tools.ok("tpm2_policysigned", "-S", "p.ctx", "-g", "sha256", "-c", "signer.ctx", "-x", "-t", "-100", "--raw-data", "to_sign.bin");
        tools.ok("openssl", "dgst", "-sha256", "-sign", "signer.pem", "-out", "sig.bin", "to_sign.bin");
        tools.ok("tpm2_policysigned", "-S", "p.ctx", "-g", "sha256", "-c", "signer.ctx", "-x", "-t", "-100", "-s", "sig.bin", "-f", "rsassa",
                "--ticket", "signed.tkt", "--timeout", "signed.timeout");
        assertArrayEquals(SECRET, unseal("sg.ctx", "p.ctx"));

        // the ticket stands in for the signature in a new session
        tools.ok("tpm2_startauthsession", "--policy-session", "-S", "p.ctx");
        tools.ok("tpm2_policyticket", "-S", "p.ctx", "-n", "signer.name", "--ticket", "signed.tkt", "--timeout", "signed.timeout");
        assertArrayEquals(SECRET, unseal("sg.ctx", "p.ctx"));

        // a signature over the previous session's nonce does not authorize this session
        tools.ok("tpm2_startauthsession", "--policy-session", "-S", "p.ctx");
        tools.fails("tpm2_policysigned", "-S", "p.ctx", "-g", "sha256", "-c", "signer.ctx", "-x", "-t", "-100", "-s", "sig.bin", "-f", "rsassa");
        tools.run("tpm2_flushcontext", "p.ctx");
        // nor does a signature by another key
        tools.ok("openssl", "genrsa", "-out", "other.pem", "2048");
        tools.ok("tpm2_startauthsession", "--policy-session", "-S", "p.ctx");
        tools.ok("tpm2_policysigned", "-S", "p.ctx", "-g", "sha256", "-c", "signer.ctx", "-x", "--raw-data", "to_sign2.bin");
        tools.ok("openssl", "dgst", "-sha256", "-sign", "other.pem", "-out", "sig2.bin", "to_sign2.bin");
        tools.fails("tpm2_policysigned", "-S", "p.ctx", "-g", "sha256", "-c", "signer.ctx", "-x", "-s", "sig2.bin", "-f", "rsassa");
        tools.run("tpm2_flushcontext", "p.ctx");
    }

    /** Signs the PCR 23 policy of the current state with the openssl key and verifies it on the TPM for a ticket. */
    static void approveCurrentPcrPolicy(String name) throws Exception {
        trial("tpm2_policypcr", "-l", "sha256:23", "-L", name + ".policy");
        tools.ok("openssl", "dgst", "-sha256", "-sign", "signer.pem", "-out", name + ".sig", name + ".policy");
        tools.ok("tpm2_verifysignature", "-c", "signer.ctx", "-g", "sha256", "-m", name + ".policy", "-s", name + ".sig", "-f", "rsassa",
                "-t", name + ".tkt");
    }

    static void unsealWithApproved(String name) throws Exception {
        tools.ok("tpm2_startauthsession", "--policy-session", "-S", "p.ctx");
        tools.ok("tpm2_policypcr", "-S", "p.ctx", "-l", "sha256:23");
        tools.ok("tpm2_policyauthorize", "-S", "p.ctx", "-i", name + ".policy", "-n", "signer.name", "-t", name + ".tkt");
        assertArrayEquals(SECRET, unseal("au.ctx", "p.ctx"), name);
    }

    @Test
    @Order(4)
    void policyAuthorizeOfSignedPcrPolicies() throws Exception {
        trial("tpm2_policyauthorize", "-L", "authorize.policy", "-n", "signer.name");
        assertArrayEquals(policyUpdate(new byte[32], 0x16a, bytes("signer.name")), bytes("authorize.policy"));
        seal("au", "authorize.policy");
        tools.ok("tpm2_pcrreset", "23");
        approveCurrentPcrPolicy("pcr0");
        unsealWithApproved("pcr0");

        // the PCR moves: the old approval no longer matches the session
        tools.ok("tpm2_pcrextend", "23:sha256=" + "00".repeat(31) + "03");
        tools.ok("tpm2_startauthsession", "--policy-session", "-S", "p.ctx");
        tools.ok("tpm2_policypcr", "-S", "p.ctx", "-l", "sha256:23");
        tools.fails("tpm2_policyauthorize", "-S", "p.ctx", "-i", "pcr0.policy", "-n", "signer.name", "-t", "pcr0.tkt");
        tools.run("tpm2_flushcontext", "p.ctx");
        // ... and a new signed policy for the new state opens the same object, never resealed
        approveCurrentPcrPolicy("pcr3");
        unsealWithApproved("pcr3");
        // a policy signed by another key gives no ticket for this signer
        tools.ok("openssl", "dgst", "-sha256", "-sign", "other.pem", "-out", "forged.sig", "pcr3.policy");
        tools.fails("tpm2_verifysignature", "-c", "signer.ctx", "-g", "sha256", "-m", "pcr3.policy", "-s", "forged.sig", "-f", "rsassa",
                "-t", "forged.tkt");
        tools.ok("tpm2_pcrreset", "23");
    }

    @Test
    @Order(5)
    void policyNv() throws Exception {
        tools.ok("tpm2_nvdefine", "0x01500016", "-C", "o", "-s", "2", "-a", "ownerread|ownerwrite");
        Files.write(dir.resolve("nv.in"), HEX.parseHex("0102"));
        tools.ok("tpm2_nvwrite", "0x01500016", "-C", "o", "-i", "nv.in");
        String nvName = tools.ok("tpm2_nvreadpublic", "0x01500016").replaceAll("(?s).*name: ([0-9a-f]+).*", "$1");
        trial("tpm2_policynv", "-C", "o", "-i", "nv.in", "0x01500016", "eq", "-L", "nv.policy");
        byte[] args = Tpm2Tools.sha256(HEX.parseHex("0102"), HEX.parseHex("0000"), HEX.parseHex("0000"));
        assertArrayEquals(Tpm2Tools.sha256(new byte[32], cc(0x149), args, HEX.parseHex(nvName)), bytes("nv.policy"));
        seal("nv", "nv.policy");
        tools.ok("tpm2_startauthsession", "--policy-session", "-S", "p.ctx");
        tools.fails("tpm2_policynv", "-S", "p.ctx", "-C", "o", "-i", "nv.in", "0x01500016", "neq");
        tools.ok("tpm2_policynv", "-S", "p.ctx", "-C", "o", "-i", "nv.in", "0x01500016", "eq");
        assertArrayEquals(SECRET, unseal("nv.ctx", "p.ctx"));

        Files.write(dir.resolve("nv.other"), HEX.parseHex("0103"));
        tools.ok("tpm2_nvwrite", "0x01500016", "-C", "o", "-i", "nv.other");
        tools.ok("tpm2_startauthsession", "--policy-session", "-S", "p.ctx");
        tools.fails("tpm2_policynv", "-S", "p.ctx", "-C", "o", "-i", "nv.in", "0x01500016", "eq");
        // the index (operand A) is 0x0103, operand B 0x0102: A <= B fails, A >= B holds, but that is another policy digest
        tools.fails("tpm2_policynv", "-S", "p.ctx", "-C", "o", "-i", "nv.in", "0x01500016", "ule");
        tools.ok("tpm2_policynv", "-S", "p.ctx", "-C", "o", "-i", "nv.in", "0x01500016", "uge");
        tools.fails("tpm2_unseal", "-c", "nv.ctx", "-p", "session:p.ctx");
        tools.run("tpm2_flushcontext", "p.ctx");
        tools.ok("tpm2_nvundefine", "0x01500016", "-C", "o");
    }

    @Test
    @Order(6)
    void trialDigestsOfTheOtherPolicyCommands() throws Exception {
        byte[] zero = new byte[32];
        trial("tpm2_policylocality", "-L", "loc.policy", "three");
        assertArrayEquals(Tpm2Tools.sha256(zero, cc(0x16f), new byte[] {0x08}), bytes("loc.policy"));

        trial("tpm2_policycountertimer", "-L", "ct.policy", "--ult", "60000");
        byte[] ctArgs = Tpm2Tools.sha256(ByteBuffer.allocate(12).putLong(60000).putShort((short) 0).putShort((short) 5).array());
        assertArrayEquals(Tpm2Tools.sha256(zero, cc(0x16d), ctArgs), bytes("ct.policy"));
        tools.ok("tpm2_startauthsession", "--policy-session", "-S", "p.ctx");
        tools.fails("tpm2_policycountertimer", "-S", "p.ctx", "--ult", "1");
        tools.ok("tpm2_policycountertimer", "-S", "p.ctx", "safe");
        tools.run("tpm2_flushcontext", "p.ctx");

        byte[] nameHash = Tpm2Tools.sha256(bytes("signer.name"));
        Files.write(dir.resolve("nh.bin"), nameHash);
        trial("tpm2_policynamehash", "-n", "nh.bin", "-L", "nh.policy");
        assertArrayEquals(Tpm2Tools.sha256(zero, cc(0x170), nameHash), bytes("nh.policy"));

        trial("tpm2_policynvwritten", "-L", "written.policy", "s");
        assertArrayEquals(Tpm2Tools.sha256(zero, cc(0x18f), new byte[] {0x01}), bytes("written.policy"));

        trial("tpm2_policyduplicationselect", "-n", "signer.name", "-N", "signer.name", "-L", "dup.policy");
        assertArrayEquals(Tpm2Tools.sha256(zero, cc(0x188), bytes("signer.name"), new byte[] {0x00}), bytes("dup.policy"));
    }

    @Test
    @Order(7)
    void policyAuthorizeNv() throws Exception {
        // the NV index holds the approved policy (TPMT_HA): PolicyCommandCode(Unseal)
        trial("tpm2_policycommandcode", "TPM2_CC_Unseal", "-L", "cc.policy");
        assertArrayEquals(Tpm2Tools.sha256(new byte[32], cc(0x16c), cc(0x15e)), bytes("cc.policy"));
        byte[] ha = new byte[34];
        ha[1] = 0x0b;
        System.arraycopy(bytes("cc.policy"), 0, ha, 2, 32);
        Files.write(dir.resolve("ha.bin"), ha);
        tools.ok("tpm2_nvdefine", "0x01500017", "-C", "o", "-s", "34", "-a", "ownerread|ownerwrite");
        tools.ok("tpm2_nvwrite", "0x01500017", "-C", "o", "-i", "ha.bin");
        String nvName = tools.ok("tpm2_nvreadpublic", "0x01500017").replaceAll("(?s).*name: ([0-9a-f]+).*", "$1");
        trial("tpm2_policyauthorizenv", "-C", "o", "0x01500017", "-L", "anv.policy");
        assertArrayEquals(Tpm2Tools.sha256(new byte[32], cc(0x192), HEX.parseHex(nvName)), bytes("anv.policy"));
        seal("anv", "anv.policy");
        tools.ok("tpm2_startauthsession", "--policy-session", "-S", "p.ctx");
        tools.ok("tpm2_policycommandcode", "-S", "p.ctx", "TPM2_CC_Unseal");
        tools.ok("tpm2_policyauthorizenv", "-S", "p.ctx", "-C", "o", "0x01500017");
        assertArrayEquals(SECRET, unseal("anv.ctx", "p.ctx"));
        // another approved policy in the index: the old one no longer passes
        Files.write(dir.resolve("ha2.bin"), new byte[] {0x00, 0x0b, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20,
            21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32});
        tools.ok("tpm2_nvwrite", "0x01500017", "-C", "o", "-i", "ha2.bin");
        tools.ok("tpm2_startauthsession", "--policy-session", "-S", "p.ctx");
        tools.ok("tpm2_policycommandcode", "-S", "p.ctx", "TPM2_CC_Unseal");
        tools.fails("tpm2_policyauthorizenv", "-S", "p.ctx", "-C", "o", "0x01500017");
        tools.run("tpm2_flushcontext", "p.ctx");
        tools.ok("tpm2_nvundefine", "0x01500017", "-C", "o");
    }
}
