package org.jswtpm.core.command;

import static org.jswtpm.core.testing.TestObjects.NULL;
import static org.jswtpm.core.testing.TestObjects.SHA256;
import static org.jswtpm.core.testing.TestObjects.SIGNING;
import static org.jswtpm.core.testing.TestTpm.run;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SignatureException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.jswtpm.core.Tpm;
import org.jswtpm.core.crypto.Der;
import org.jswtpm.core.crypto.TpmtSignature;
import org.jswtpm.core.marshal.TpmReader;
import org.jswtpm.core.testing.Command;
import org.jswtpm.core.testing.Keys;
import org.jswtpm.core.testing.TestObjects;
import org.jswtpm.core.testing.TestTpm;
import org.jswtpm.core.types.TpmCc;
import org.jswtpm.core.types.TpmRc;
import org.jswtpm.core.types.TpmRh;
import org.junit.jupiter.api.Test;

/**
 * Part 3, 18.8 TPM2_CertifyX509: a partial certificate built here, the full certificate assembled from
 * it, addedToCertificate and the signature, then parsed and verified by the JDK.
 */
class X509CommandsTest {
    static final int RSASSA = 0x14;
    static final int RSAPSS = 0x16;
    static final int ECDSA = 0x18;
    static final int P256 = 3;
    static final int P384 = 4;
    static final int SHA384 = 0x0C;
    static final int DIGITAL_SIGNATURE = 1;
    static final int KEY_ENCIPHERMENT = 1 << 2;
    static final int DATA_ENCIPHERMENT = 1 << 3;

    static byte[] name(String cn) {
        byte[] rdn = Der.sequence(Der.oid("2.5.4.3"), Der.tlv(Der.UTF8_STRING, cn.getBytes(StandardCharsets.UTF_8)));
        return Der.sequence(Der.set(rdn));
    }

    static byte[] validity() {
        return Der.sequence(Der.tlv(Der.UTC_TIME, "250101000000Z".getBytes(StandardCharsets.US_ASCII)),
                Der.tlv(Der.UTC_TIME, "350101000000Z".getBytes(StandardCharsets.US_ASCII)));
    }

    static byte[] keyUsage(int bits) {
        return Der.sequence(Der.oid("2.5.29.15"), new byte[] {1, 1, (byte) 0xFF},
                Der.octetString(Der.namedBits(bits, 9)));
    }

    static byte[] tpmaObject(int attributes) {
        return Der.sequence(Der.oid("2.23.133.10.1.1.1"),
                Der.octetString(Der.namedBits(Integer.reverse(attributes) & 0xFFFFFFFFL, 32)));
    }

    static byte[] extensions(byte[]... ext) {
        return Der.explicit(3, Der.sequence(ext));
    }

    /** partialCertificate: [signature,] issuer, validity, subject, extensions. */
    static byte[] partial(byte[] signatureAlg, byte[] extensions) {
        List<byte[]> parts = new ArrayList<>();
        if (signatureAlg != null) {
            parts.add(signatureAlg);
        }
        parts.add(name("jswtpm test CA"));
        parts.add(validity());
        parts.add(name("jswtpm test key"));
        parts.add(extensions);
        return Der.sequence(parts.toArray(new byte[0][]));
    }

    static Command certify(int object, int signer, int scheme, int hash, byte[] partial) {
        Command c = Command.of(TpmCc.CertifyX509).handle(object).handle(signer).passwords(new byte[0], new byte[0])
                .tpm2b(new byte[0]).u16(scheme);
        if (scheme != NULL) {
            c.u16(hash);
        }
        return c.tpm2b(partial);
    }

    static void flush(Tpm tpm, int handle) throws Exception {
        run(tpm, Command.of(TpmCc.FlushContext).u32(handle)).ok();
    }

    record Result(byte[] added, byte[] tbsDigest, TpmtSignature signature) {
    }

    static Result run509(Tpm tpm, Command c) throws Exception {
        TpmReader r = run(tpm, c).okWithSessions(0);
        Result res = new Result(r.tpm2b(1024), r.tpm2b(64), TpmtSignature.read(r, false));
        assertEquals(0, r.remaining());
        return res;
    }

    static List<byte[]> elements(byte[] der) throws Exception {
        Der.Element outer = Der.next(der, 0, der.length);
        assertEquals(der.length, outer.end());
        List<byte[]> out = new ArrayList<>();
        for (Der.Element e : Der.children(der, outer)) {
            out.add(Arrays.copyOfRange(der, e.start(), e.end()));
        }
        return out;
    }

    /**
     * Part 3, 18.8: the TBSCertificate is version and serialNumber from addedToCertificate, the signature
     * AlgorithmIdentifier from the partial certificate or else from addedToCertificate, issuer, validity,
     * subject from the partial certificate, subjectPublicKeyInfo from addedToCertificate and the
     * extensions from the partial certificate; the certificate adds the AlgorithmIdentifier again and the
     * signature as a BIT STRING.
     */
    static X509Certificate assemble(byte[] partial, Result res) throws Exception {
        List<byte[]> p = elements(partial);
        List<byte[]> a = elements(res.added());
        byte[] sigAlg;
        if (p.size() == 5) {
            sigAlg = p.remove(0);
            assertEquals(3, a.size());
        } else {
            assertEquals(4, a.size());
            sigAlg = a.remove(2);
        }
        byte[] tbs = Der.sequence(a.get(0), a.get(1), sigAlg, p.get(0), p.get(1), p.get(2), a.get(2), p.get(3));
        TpmtSignature s = res.signature();
        String hash = res.tbsDigest().length == 48 ? "SHA-384" : "SHA-256";
        assertArrayEquals(MessageDigest.getInstance(hash).digest(tbs), res.tbsDigest());
        byte[] sigValue = s.sigAlg() == ECDSA
                ? Der.sequence(Der.unsignedInteger(s.r()), Der.unsignedInteger(s.s())) : s.sig();
        byte[] cert = Der.sequence(tbs, sigAlg, Der.bitString(sigValue));
        return (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(cert));
    }

    @Test
    void rsaKeyCertifiedByEcdsaKey() throws Exception {
        Tpm tpm = TestTpm.started();
        Keys.Key signer = Keys.primary(tpm, TpmRh.ENDORSEMENT, TestObjects.ecc(SIGNING, P256, ECDSA, SHA256));
        Keys.Key object = Keys.primary(tpm, TpmRh.OWNER, TestObjects.rsa(SIGNING, 2048, RSASSA, SHA256));
        byte[] partial = partial(null, extensions(keyUsage(DIGITAL_SIGNATURE), tpmaObject(object.pub().attributes())));
        Result res = run509(tpm, certify(object.handle(), signer.handle(), NULL, 0, partial));
        X509Certificate cert = assemble(partial, res);
        cert.verify(signer.jdk());
        assertEquals("SHA256withECDSA", cert.getSigAlgName());
        assertEquals(3, cert.getVersion());
        assertArrayEquals(object.jdk().getEncoded(), cert.getPublicKey().getEncoded());
        assertEquals("CN=jswtpm test key", cert.getSubjectX500Principal().getName());
        assertEquals("CN=jswtpm test CA", cert.getIssuerX500Principal().getName());
        assertTrue(cert.getKeyUsage()[0]);
        // the serial number: the signer's nameAlg over the other fields and both Names, 20 octets at most
        List<byte[]> p = elements(partial);
        List<byte[]> a = elements(res.added());
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        for (byte[] f : new byte[][] {a.get(2), p.get(0), p.get(1), p.get(2), a.get(3), p.get(3)}) {
            md.update(f);
        }
        md.update(signer.name());
        md.update(object.name());
        assertEquals(new BigInteger(1, Arrays.copyOf(md.digest(), 20)), cert.getSerialNumber());
        // another signer's key does not verify it
        Keys.Key other = Keys.primary(tpm, TpmRh.OWNER, TestObjects.ecc(SIGNING, P256, ECDSA, SHA256));
        assertThrows(SignatureException.class, () -> cert.verify(other.jdk()));
    }

    @Test
    void eccKeyCertifiedByRsaKeyWithTheCallersAlgorithm() throws Exception {
        Tpm tpm = TestTpm.started();
        Keys.Key signer = Keys.primary(tpm, TpmRh.ENDORSEMENT, TestObjects.rsa(SIGNING, 2048, RSASSA, SHA256));
        Keys.Key object = Keys.primary(tpm, TpmRh.OWNER, TestObjects.ecc(SIGNING, P384, ECDSA, SHA384));
        byte[] sha256WithRsa = Der.sequence(Der.oid("1.2.840.113549.1.1.11"), Der.nul());
        byte[] partial = partial(sha256WithRsa, extensions(keyUsage(DIGITAL_SIGNATURE)));
        Result res = run509(tpm, certify(object.handle(), signer.handle(), NULL, 0, partial));
        X509Certificate cert = assemble(partial, res);
        cert.verify(signer.jdk());
        assertEquals("SHA256withRSA", cert.getSigAlgName());
        assertArrayEquals(object.jdk().getEncoded(), cert.getPublicKey().getEncoded());
    }

    @Test
    void nistP192AndP224KeysGetTheirCurveOids() throws Exception {
        Tpm tpm = TestTpm.started();
        Keys.Key signer = Keys.primary(tpm, TpmRh.ENDORSEMENT, TestObjects.rsa(SIGNING, 2048, RSASSA, SHA256));
        byte[] sha256WithRsa = Der.sequence(Der.oid("1.2.840.113549.1.1.11"), Der.nul());
        byte[] partial = partial(sha256WithRsa, extensions(keyUsage(DIGITAL_SIGNATURE)));
        Object[][] curves = {{0x0001, org.bouncycastle.asn1.sec.SECObjectIdentifiers.secp192r1},
            {0x0002, org.bouncycastle.asn1.sec.SECObjectIdentifiers.secp224r1}};
        for (Object[] c : curves) {
            Keys.Key object = Keys.primary(tpm, TpmRh.OWNER, TestObjects.ecc(SIGNING, (Integer) c[0], ECDSA, SHA256));
            Result res = run509(tpm, certify(object.handle(), signer.handle(), NULL, 0, partial));
            List<byte[]> a = elements(res.added());
            assertEquals(3, a.size());
            org.bouncycastle.asn1.x509.SubjectPublicKeyInfo spki =
                    org.bouncycastle.asn1.x509.SubjectPublicKeyInfo.getInstance(a.get(2));
            assertEquals(org.bouncycastle.asn1.x9.X9ObjectIdentifiers.id_ecPublicKey, spki.getAlgorithm().getAlgorithm());
            assertEquals(c[1], spki.getAlgorithm().getParameters());
            byte[] x = object.pub().unique().x();
            byte[] y = object.pub().unique().y();
            byte[] point = new byte[1 + x.length + y.length];
            point[0] = 4;
            System.arraycopy(x, 0, point, 1, x.length);
            System.arraycopy(y, 0, point, 1 + x.length, y.length);
            assertArrayEquals(point, spki.getPublicKeyData().getOctets());
            flush(tpm, object.handle());
        }
    }

    @Test
    void rsaPssAndEcdsaSha384Signers() throws Exception {
        Tpm tpm = TestTpm.started();
        Keys.Key pss = Keys.primary(tpm, TpmRh.OWNER, TestObjects.rsa(SIGNING, 2048, NULL, 0));
        Keys.Key object = Keys.primary(tpm, TpmRh.OWNER, TestObjects.ecc(SIGNING, P256, ECDSA, SHA256));
        byte[] partial = partial(null, extensions(keyUsage(DIGITAL_SIGNATURE)));
        X509Certificate cert = assemble(partial, run509(tpm, certify(object.handle(), pss.handle(), RSAPSS, SHA256,
                partial)));
        cert.verify(pss.jdk());
        assertEquals("RSASSA-PSS", cert.getSigAlgName());
        assertArrayEquals(object.jdk().getEncoded(), cert.getPublicKey().getEncoded());
        flush(tpm, object.handle());
        Keys.Key ec384 = Keys.primary(tpm, TpmRh.OWNER, TestObjects.ecc(SIGNING, P384, NULL, 0));
        cert = assemble(partial, run509(tpm, certify(pss.handle(), ec384.handle(), ECDSA, SHA384, partial)));
        cert.verify(ec384.jdk());
        assertEquals("SHA384withECDSA", cert.getSigAlgName());
        assertArrayEquals(pss.jdk().getEncoded(), cert.getPublicKey().getEncoded());
        // a decryption key with keyEncipherment: needs decrypt and restricted, which a storage key has
        flush(tpm, pss.handle());
        Keys.Key storage = Keys.primary(tpm, TpmRh.OWNER, TestObjects.rsaStorage(2048));
        byte[] enc = partial(null, extensions(keyUsage(KEY_ENCIPHERMENT | DATA_ENCIPHERMENT)));
        cert = assemble(enc, run509(tpm, certify(storage.handle(), ec384.handle(), ECDSA, SHA384, enc)));
        cert.verify(ec384.jdk());
        assertArrayEquals(storage.jdk().getEncoded(), cert.getPublicKey().getEncoded());
    }

    @Test
    void rules() throws Exception {
        Tpm tpm = TestTpm.started();
        Keys.Key signer = Keys.primary(tpm, TpmRh.OWNER, TestObjects.rsa(SIGNING, 2048, RSASSA, SHA256));
        Keys.Key object = Keys.primary(tpm, TpmRh.OWNER, TestObjects.ecc(SIGNING, P256, ECDSA, SHA256));
        Keys.Key storage = Keys.primary(tpm, TpmRh.OWNER, TestObjects.rsaStorage(2048));
        byte[] ok = partial(null, extensions(keyUsage(DIGITAL_SIGNATURE)));
        int o = object.handle();
        int s = signer.handle();
        // a signing key that may not sign, a scheme that does not fit it
        run(tpm, certify(o, storage.handle(), NULL, 0, ok)).assertRc(TpmRc.KEY.handle(2));
        run(tpm, certify(o, s, RSAPSS, SHA256, ok)).assertRc(TpmRc.SCHEME.parameter(2));
        run(tpm, certify(o, s, ECDSA, SHA256, ok)).assertRc(TpmRc.SCHEME.parameter(2));
        // reserved must be empty
        run(tpm, Command.of(TpmCc.CertifyX509).handle(o).handle(s).passwords(new byte[0], new byte[0])
                .tpm2b(new byte[] {1}).u16(NULL).tpm2b(ok)).assertRc(TpmRc.SIZE.parameter(1));
        // bad partial certificates
        run(tpm, certify(o, s, NULL, 0, Der.set(Der.nul()))).assertRc(TpmRc.SIZE.parameter(3));
        byte[] trailing = Arrays.copyOf(ok, ok.length + 1);
        run(tpm, certify(o, s, NULL, 0, trailing)).assertRc(TpmRc.SIZE.parameter(3));
        run(tpm, certify(o, s, NULL, 0, Arrays.copyOf(ok, ok.length - 1))).assertRc(TpmRc.VALUE.parameter(3));
        byte[] noExtensions = Der.sequence(name("a"), validity(), name("b"));
        run(tpm, certify(o, s, NULL, 0, noExtensions)).assertRc(TpmRc.VALUE.parameter(3));
        byte[] twoSequences = Der.sequence(validity(), name("b"), extensions(keyUsage(DIGITAL_SIGNATURE)));
        run(tpm, certify(o, s, NULL, 0, twoSequences)).assertRc(TpmRc.VALUE.parameter(3));
        byte[] strayInteger = Der.sequence(Der.integer(1), name("a"), validity(), name("b"),
                extensions(keyUsage(DIGITAL_SIGNATURE)));
        run(tpm, certify(o, s, NULL, 0, strayInteger)).assertRc(TpmRc.VALUE.parameter(3));
        // keyUsage is required and must fit the object's attributes
        byte[] basicConstraints = Der.sequence(Der.oid("2.5.29.19"), Der.octetString(Der.sequence()));
        run(tpm, certify(o, s, NULL, 0, partial(null, extensions(basicConstraints))))
                .assertRc(TpmRc.VALUE.parameter(3));
        run(tpm, certify(o, s, NULL, 0, partial(null, extensions(keyUsage(DATA_ENCIPHERMENT)))))
                .assertRc(TpmRc.VALUE.parameter(3));
        run(tpm, certify(storage.handle(), s, NULL, 0, ok)).assertRc(TpmRc.VALUE.parameter(3));
        byte[] tenBits = Der.sequence(Der.oid("2.5.29.15"), Der.octetString(Der.namedBits(1 << 9, 10)));
        run(tpm, certify(o, s, NULL, 0, partial(null, extensions(tenBits)))).assertRc(TpmRc.RESERVED_BITS.parameter(3));
        // a TPMA_OBJECT extension must equal the object's attributes
        byte[] wrongAttributes = partial(null, extensions(keyUsage(DIGITAL_SIGNATURE),
                tpmaObject(object.pub().attributes() ^ TestObjects.FIXED_TPM)));
        run(tpm, certify(o, s, NULL, 0, wrongAttributes)).assertRc(TpmRc.ATTRIBUTES.handle(1));
        // an object without an X.509 public key
        flush(tpm, storage.handle());
        Keys.Key hmac = Keys.primary(tpm, TpmRh.OWNER, TestObjects.hmacKey());
        run(tpm, certify(hmac.handle(), s, NULL, 0, ok)).assertRc(TpmRc.ASYMMETRIC.handle(1));
        // the scheme has no AlgorithmIdentifier (EC-Schnorr) unless the caller brings one
        flush(tpm, hmac.handle());
        Keys.Key ecSigner = Keys.primary(tpm, TpmRh.OWNER, TestObjects.ecc(SIGNING, P256, NULL, 0));
        run(tpm, certify(o, ecSigner.handle(), 0x1C, SHA256, ok)).assertRc(TpmRc.SCHEME.handle(2));
        byte[] withAlg = partial(Der.sequence(Der.oid("1.2.840.10045.4.3.2")),
                extensions(keyUsage(DIGITAL_SIGNATURE)));
        run509(tpm, certify(o, ecSigner.handle(), 0x1C, SHA256, withAlg));
    }
}
