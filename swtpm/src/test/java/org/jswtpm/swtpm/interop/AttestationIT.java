package org.jswtpm.swtpm.interop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Signature;
import java.util.HexFormat;
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
 * Attestation through the real tpm2-tools over the swtpm TCTI against {@code bin/swtpm} as a separate
 * process: Quote (checked by tpm2_checkquote, by openssl and by the JDK, the TPMS_ATTEST parsed and the
 * PCR digest recomputed), a wrong nonce rejected, Certify and GetTime verified by openssl.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AttestationIT {
    static final HexFormat HEX = HexFormat.of();
    @TempDir
    static Path dir;
    static JswtpmProcess tpm;
    static Tpm2Tools tools;
    static byte[] akQualifiedName;

    @BeforeAll
    static void start() throws Exception {
        ExternalTools.require("tpm2_quote");
        ExternalTools.require("openssl");
        tpm = JswtpmProcess.startIn(dir);
        tools = Tpm2Tools.forProcess(tpm, dir);
        tools.ok("tpm2_startup", "-c");
        tools.assumeCommands("Quote", "Certify", "GetTime", "VerifySignature", "NV_Certify", "CertifyCreation",
                "GetSessionAuditDigest");
        tools.ok("tpm2_createprimary", "-C", "e", "-g", "sha256", "-G", "rsa2048:rsassa-sha256:null",
                "-a", "fixedtpm|fixedparent|sensitivedataorigin|userwithauth|restricted|sign", "-c", "ak.ctx");
        tools.ok("tpm2_readpublic", "-c", "ak.ctx", "-f", "pem", "-o", "ak.pem");
        String rp = tools.ok("tpm2_readpublic", "-c", "ak.ctx");
        Matcher m = Pattern.compile("qualified name: ([0-9a-f]+)").matcher(rp);
        assertTrue(m.find(), rp);
        akQualifiedName = HEX.parseHex(m.group(1));
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

    static byte[] tpm2b(ByteBuffer b) {
        byte[] v = new byte[b.getShort() & 0xFFFF];
        b.get(v);
        return v;
    }

    /** Reads the TPMS_ATTEST header up to the type-specific part; checks magic, type, signer, extraData. */
    static ByteBuffer attest(byte[] msg, int type, byte[] extraData) {
        ByteBuffer b = ByteBuffer.wrap(msg);
        assertEquals(0xff544347, b.getInt(), "TPM_GENERATED_VALUE");
        assertEquals(type, b.getShort() & 0xFFFF);
        assertArrayEquals(akQualifiedName, tpm2b(b), "qualifiedSigner");
        byte[] extra = tpm2b(b);
        if (extraData != null) {
            assertArrayEquals(extraData, extra, "extraData");
        }
        b.position(b.position() + 17 + 8); // clockInfo, firmwareVersion
        return b;
    }

    static void opensslVerifies(String sig, String msg) throws Exception {
        assertTrue(tools.ok("openssl", "dgst", "-sha256", "-verify", "ak.pem", "-signature", sig, msg).contains("Verified OK"));
        Signature s = Signature.getInstance("SHA256withRSA");
        s.initVerify(Tpm2Tools.pem(dir.resolve("ak.pem")));
        s.update(bytes(msg));
        assertTrue(s.verify(bytes(sig)), "JDK verifies " + sig);
    }

    static byte[] pcr(int index) throws Exception {
        String out = tools.ok("tpm2_pcrread", "sha256:" + index);
        Matcher m = Pattern.compile("\\b" + index + "\\s*: 0x([0-9A-F]+)").matcher(out);
        assertTrue(m.find(), out);
        return HEX.parseHex(m.group(1).toLowerCase());
    }

    @Test
    @Order(1)
    void quoteAndCheckQuote() throws Exception {
        tools.ok("tpm2_pcrextend", "16:sha256=" + HEX.formatHex(Tpm2Tools.sha256("measured".getBytes(StandardCharsets.US_ASCII))));
        tools.ok("tpm2_quote", "-c", "ak.ctx", "-l", "sha256:0,16", "-q", "1234abcd", "-m", "quote.msg", "-s", "quote.sig",
                "-o", "quote.pcrs", "-g", "sha256");
        tools.ok("tpm2_checkquote", "-u", "ak.pem", "-m", "quote.msg", "-s", "quote.sig", "-f", "quote.pcrs", "-g", "sha256",
                "-q", "1234abcd");
        tools.fails("tpm2_checkquote", "-u", "ak.pem", "-m", "quote.msg", "-s", "quote.sig", "-f", "quote.pcrs", "-g", "sha256",
                "-q", "1234abce");

        // the same quote with a plain signature, for openssl and the JDK
        tools.ok("tpm2_quote", "-c", "ak.ctx", "-l", "sha256:0,16", "-q", "cafe", "-m", "q2.msg", "-s", "q2.sig", "-g", "sha256",
                "-f", "plain");
        opensslVerifies("q2.sig", "q2.msg");
        ByteBuffer b = attest(bytes("q2.msg"), 0x8018, HEX.parseHex("cafe"));
        assertEquals(1, b.getInt(), "one PCR bank");
        assertEquals(0x000b, b.getShort());
        assertEquals(3, b.get());
        byte[] select = new byte[3];
        b.get(select);
        assertArrayEquals(new byte[] {0x01, 0x00, 0x01}, select, "PCRs 0 and 16");
        assertArrayEquals(Tpm2Tools.sha256(pcr(0), pcr(16)), tpm2b(b), "pcrDigest = H(PCR0 || PCR16)");
        assertEquals(0, b.remaining());

        // a tampered attestation no longer verifies
        byte[] tampered = bytes("q2.msg");
        tampered[tampered.length - 1] ^= 1;
        Files.write(dir.resolve("q2.bad"), tampered);
        tools.fails("openssl", "dgst", "-sha256", "-verify", "ak.pem", "-signature", "q2.sig", "q2.bad");
    }

    @Test
    @Order(2)
    void certifyAndGetTime() throws Exception {
        tools.ok("tpm2_createprimary", "-C", "o", "-G", "ecc", "-c", "obj.ctx");
        String rp = tools.ok("tpm2_readpublic", "-c", "obj.ctx");
        Matcher n = Pattern.compile("(?m)^name: ([0-9a-f]+)").matcher(rp);
        Matcher q = Pattern.compile("qualified name: ([0-9a-f]+)").matcher(rp);
        assertTrue(n.find() && q.find(), rp);
        tools.ok("tpm2_certify", "-C", "ak.ctx", "-c", "obj.ctx", "-g", "sha256", "-o", "certify.msg", "-s", "certify.sig", "-f", "plain");
        opensslVerifies("certify.sig", "certify.msg");
        // tpm2_certify 5.4 always sends the qualifying data 00ff55aa
        ByteBuffer b = attest(bytes("certify.msg"), 0x8017, HEX.parseHex("00ff55aa"));
        assertArrayEquals(HEX.parseHex(n.group(1)), tpm2b(b), "certified name");
        assertArrayEquals(HEX.parseHex(q.group(1)), tpm2b(b), "certified qualified name");

        tools.ok("tpm2_gettime", "-c", "ak.ctx", "-o", "time.sig", "--attestation", "time.msg", "-f", "plain");
        opensslVerifies("time.sig", "time.msg");
        attest(bytes("time.msg"), 0x8019, null);
    }

    @Test
    @Order(3)
    void nvCertify() throws Exception {
        Files.write(dir.resolve("d8"), "12345678".getBytes(StandardCharsets.US_ASCII));
        tools.ok("tpm2_nvdefine", "0x1500020", "-C", "o", "-s", "8", "-a", "ownerread|ownerwrite|authread");
        tools.ok("tpm2_nvwrite", "-C", "o", "-i", "d8", "0x1500020");
        String nvName = tools.ok("tpm2_nvreadpublic", "0x1500020").replaceAll("(?s).*name: ([0-9a-f]+).*", "$1");
        tools.ok("tpm2_nvcertify", "-C", "ak.ctx", "-g", "sha256", "-f", "plain", "-o", "nv.sig", "--attestation", "nv.attest",
                "--size", "4", "--offset", "2", "-c", "0x1500020", "0x1500020");
        opensslVerifies("nv.sig", "nv.attest");
        ByteBuffer b = attest(bytes("nv.attest"), 0x8014, null);
        assertArrayEquals(HEX.parseHex(nvName), tpm2b(b), "indexName");
        assertEquals(2, b.getShort(), "offset");
        assertArrayEquals("3456".getBytes(StandardCharsets.US_ASCII), tpm2b(b), "nvContents");
        tools.ok("tpm2_nvundefine", "-C", "o", "0x1500020");
    }

    @Test
    @Order(4)
    void certifyCreation() throws Exception {
        tools.ok("tpm2_createprimary", "-C", "o", "-G", "ecc", "-c", "made.ctx", "--creation-data", "cd.bin", "-d", "cd.digest",
                "-t", "cd.ticket");
        String rp = tools.ok("tpm2_readpublic", "-c", "made.ctx");
        Matcher n = Pattern.compile("(?m)^name: ([0-9a-f]+)").matcher(rp);
        assertTrue(n.find(), rp);
        byte[] creationData = bytes("cd.bin");
        byte[] creationHash = Tpm2Tools.sha256(java.util.Arrays.copyOfRange(creationData, 2, creationData.length));
        tools.ok("tpm2_certifycreation", "-C", "ak.ctx", "-c", "made.ctx", "-d", "cd.digest", "-t", "cd.ticket", "-g", "sha256",
                "-o", "cc.sig", "-f", "plain", "--attestation", "cc.attest");
        opensslVerifies("cc.sig", "cc.attest");
        ByteBuffer b = attest(bytes("cc.attest"), 0x801a, null);
        assertArrayEquals(HEX.parseHex(n.group(1)), tpm2b(b), "objectName");
        assertArrayEquals(creationHash, tpm2b(b), "creationHash = H(TPMS_CREATION_DATA)");
        // a creation ticket for another object is refused
        tools.ok("tpm2_createprimary", "-C", "o", "-G", "rsa", "-c", "other.ctx");
        tools.fails("tpm2_certifycreation", "-C", "ak.ctx", "-c", "other.ctx", "-d", "cd.digest", "-t", "cd.ticket", "-g", "sha256",
                "-o", "x.sig", "-f", "plain", "--attestation", "x.attest");
    }

    @Test
    @Order(5)
    void sessionAuditDigest() throws Exception {
        tools.ok("tpm2_startauthsession", "-S", "a.ctx", "--hmac-session");
        tools.ok("tpm2_sessionconfig", "a.ctx", "--enable-audit");
        byte[] random = HEX.parseHex(tools.ok("tpm2_getrandom", "-S", "a.ctx", "--hex", "4").trim());
        tools.ok("tpm2_getsessionauditdigest", "-c", "ak.ctx", "-g", "sha256", "-m", "sa.attest", "-s", "sa.sig", "-f", "plain",
                "-S", "a.ctx");
        tools.run("tpm2_flushcontext", "a.ctx");
        opensslVerifies("sa.sig", "sa.attest");
        ByteBuffer b = attest(bytes("sa.attest"), 0x8016, null);
        b.get(); // exclusiveSession
        // one audited GetRandom(4): H(0^32 || cpHash || rpHash)
        byte[] cpHash = Tpm2Tools.sha256(HEX.parseHex("0000017b0004"));
        byte[] rpHash = Tpm2Tools.sha256(HEX.parseHex("000000000000017b0004"), random);
        assertArrayEquals(Tpm2Tools.sha256(new byte[32], cpHash, rpHash), tpm2b(b), "sessionDigest");
    }
}
