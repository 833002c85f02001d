package org.jswtpm.core.command;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.List;
import org.jswtpm.core.TpmException;
import org.jswtpm.core.crypto.Der;
import org.jswtpm.core.crypto.Der.DerException;
import org.jswtpm.core.crypto.Der.Element;
import org.jswtpm.core.crypto.EccCurve;
import org.jswtpm.core.crypto.HashAlg;
import org.jswtpm.core.crypto.SigScheme;
import org.jswtpm.core.crypto.Signatures;
import org.jswtpm.core.engine.CommandContext;
import org.jswtpm.core.engine.CommandHandler;
import org.jswtpm.core.marshal.TpmReader;
import org.jswtpm.core.marshal.TpmWriter;
import org.jswtpm.core.object.PublicParms;
import org.jswtpm.core.object.TpmObject;
import org.jswtpm.core.object.TpmtPublic;
import org.jswtpm.core.types.TpmAlg;
import org.jswtpm.core.types.TpmRc;
import org.jswtpm.core.types.TpmaObject;

/**
 * TCG TPM 2.0 Part 3, 18.8 TPM2_CertifyX509. The caller supplies partialCertificate, a DER SEQUENCE of
 * the TBSCertificate fields it chooses: [signature AlgorithmIdentifier,] issuer, validity, subject and
 * the [3] extensions (which must hold keyUsage). The TPM adds version [0] v3, a serialNumber (the signing
 * key's nameAlg digest of the other TBS fields, the signer's Name and the object's Name, at most 20
 * octets), the signature AlgorithmIdentifier when the caller gave none, and the object's
 * subjectPublicKeyInfo; it returns these as addedToCertificate (SEQUENCE { version, serialNumber,
 * [signature,] subjectPublicKeyInfo }), the digest of the whole TBSCertificate in the scheme's hash and
 * the signature over it. Response codes: TPM_RC_SIZE (reserved not empty, parameter 1; partialCertificate
 * not exactly one SEQUENCE, parameter 3); TPM_RC_KEY (signHandle cannot sign, handle 2); TPM_RC_SCHEME
 * (inScheme does not fit, parameter 2; no AlgorithmIdentifier for the scheme, handle 2);
 * TPM_RC_ASYMMETRIC (the object is no RSA or named-curve ECC key, handle 1); TPM_RC_VALUE (a malformed
 * partialCertificate, no keyUsage, or a keyUsage the object's attributes do not allow, parameter 3);
 * TPM_RC_RESERVED_BITS (keyUsage bits beyond decipherOnly, parameter 3); TPM_RC_ATTRIBUTES (a TCG
 * TPMA_OBJECT extension that differs from the object's attributes, handle 1).
 */
final class X509Commands {
    /** SIZE_OF_X509_SERIAL_NUMBER of the reference implementation. */
    static final int SERIAL_NUMBER_SIZE = 20;

    static final byte[] OID_KEY_USAGE = Der.oid("2.5.29.15");
    static final byte[] OID_TCG_TPMA_OBJECT = Der.oid("2.23.133.10.1.1.1");

    /** TPMA_X509_KEY_USAGE (bit 31 digitalSignature ... bit 23 decipherOnly). */
    static final int KEY_USAGE_ALLOWED = 0xFF800000;
    static final int KU_SIGN = 0x80000000 | 0x04000000 | 0x02000000; // digitalSignature, keyCertSign, cRLSign
    static final int KU_DECRYPT = 0x20000000 | 0x10000000 | 0x08000000 | 0x01000000 | 0x00800000;
    static final int KU_NON_REPUDIATION = 0x40000000;
    static final int KU_KEY_ENCIPHERMENT = 0x20000000;

    private X509Commands() {
    }

    record CertifyX509In(byte[] reserved, SigScheme inScheme, byte[] partialCertificate) {
    }

    static final class CertifyX509 implements CommandHandler<CertifyX509In> {
        @Override
        public CertifyX509In parse(TpmReader in) throws TpmException {
            byte[] reserved = AttestationCommands.readData(in.parameter(1));
            SigScheme scheme = SigScheme.read(in.parameter(2));
            return new CertifyX509In(reserved, scheme, in.parameter(3).tpm2b(HashCommands.MAX_BUFFER));
        }

        @Override
        public void execute(CommandContext ctx, CertifyX509In p, TpmWriter out) throws TpmException {
            TpmObject object = ObjectCommands.object(ctx, 0);
            TpmObject signKey = ObjectCommands.object(ctx, 1);
            if (p.reserved().length != 0) {
                throw new TpmException(TpmRc.SIZE.parameter(1));
            }
            SigScheme scheme = SigningCommands.signingScheme(signKey, 1, p.inScheme(), 2);
            byte[] spki = subjectPublicKeyInfo(object.publicArea());
            if (spki == null) {
                throw new TpmException(TpmRc.ASYMMETRIC.handle(1));
            }
            byte[] b = p.partialCertificate();
            Element outer;
            try {
                outer = Der.next(b, 0, b.length);
            } catch (DerException e) {
                throw new TpmException(TpmRc.VALUE.parameter(3));
            }
            if (outer.tag() != Der.SEQUENCE || outer.end() != b.length) {
                throw new TpmException(TpmRc.SIZE.parameter(3));
            }
            List<Element> elements;
            try {
                elements = Der.children(b, outer);
            } catch (DerException e) {
                throw new TpmException(TpmRc.VALUE.parameter(3));
            }
            List<Element> sequences = new java.util.ArrayList<>();
            Element extensions = null;
            for (Element e : elements) {
                if (e.tag() == Der.SEQUENCE) {
                    sequences.add(e);
                } else if (e.tag() == 0xA3 && extensions == null) {
                    extensions = e;
                } else {
                    throw new TpmException(TpmRc.VALUE.parameter(3));
                }
            }
            if (sequences.size() < 3 || sequences.size() > 4 || extensions == null) {
                throw new TpmException(TpmRc.VALUE.parameter(3));
            }
            byte[] signatureAlg;
            int first = sequences.size() - 3;
            if (first == 1) {
                signatureAlg = bytes(b, sequences.get(0));
            } else {
                signatureAlg = signatureAlgorithm(signKey.publicArea(), scheme);
                if (signatureAlg == null) {
                    throw new TpmException(TpmRc.SCHEME.handle(2));
                }
            }
            checkExtensions(object.publicArea(), b, extensions);
            byte[] issuer = bytes(b, sequences.get(first));
            byte[] validity = bytes(b, sequences.get(first + 1));
            byte[] subject = bytes(b, sequences.get(first + 2));
            byte[] ext = bytes(b, extensions);

            java.security.MessageDigest md = signKey.publicArea().nameHash().newDigest();
            for (byte[] part : new byte[][] {signatureAlg, issuer, validity, subject, spki, ext}) {
                md.update(part);
            }
            md.update(signKey.name());
            md.update(object.name());
            byte[] serialValue = Arrays.copyOf(md.digest(), Math.min(SERIAL_NUMBER_SIZE,
                    signKey.publicArea().nameHash().digestSize()));
            byte[] serial = Der.unsignedInteger(serialValue);
            byte[] version = Der.explicit(0, Der.integer(2));
            byte[] tbs = Der.sequence(version, serial, signatureAlg, issuer, validity, subject, spki, ext);
            byte[] tbsDigest = scheme.hash().digest(tbs);
            byte[] added = first == 1 ? Der.sequence(version, serial, spki)
                    : Der.sequence(version, serial, signatureAlg, spki);
            out.tpm2b(added);
            out.tpm2b(tbsDigest);
            Signatures.sign(signKey, scheme, tbsDigest, ctx.tpm().drbg(),
                    ctx.tpm().objectEngine().commitments()).write(out);
        }
    }

    private static byte[] bytes(byte[] b, Element e) {
        return Arrays.copyOfRange(b, e.start(), e.end());
    }

    /**
     * The reference's X509ProcessExtensions: an optional TCG TPMA_OBJECT extension must equal the
     * object's attributes; keyUsage is required and must agree with them.
     */
    static void checkExtensions(TpmtPublic pub, byte[] b, Element extensions) throws TpmException {
        Integer tpmaObject;
        Integer keyUsage;
        try {
            List<Element> inner = Der.children(b, extensions);
            if (inner.size() != 1 || inner.get(0).tag() != Der.SEQUENCE) {
                throw new DerException("extensions");
            }
            List<Element> list = Der.children(b, inner.get(0));
            tpmaObject = extensionBits(b, list, OID_TCG_TPMA_OBJECT);
            keyUsage = extensionBits(b, list, OID_KEY_USAGE);
        } catch (DerException e) {
            throw new TpmException(TpmRc.VALUE.parameter(3));
        }
        int attributes = pub.attributes();
        if (tpmaObject != null && tpmaObject != attributes) {
            throw new TpmException(TpmRc.ATTRIBUTES.handle(1));
        }
        if (keyUsage == null) {
            throw new TpmException(TpmRc.VALUE.parameter(3));
        }
        int ku = keyUsage;
        if ((ku & ~KEY_USAGE_ALLOWED) != 0) {
            throw new TpmException(TpmRc.RESERVED_BITS.parameter(3));
        }
        boolean badSign = (ku & KU_SIGN) != 0 && !pub.has(TpmaObject.SIGN_ENCRYPT);
        boolean badDecrypt = (ku & KU_DECRYPT) != 0 && !pub.has(TpmaObject.DECRYPT);
        boolean badFixedTpm = (ku & KU_NON_REPUDIATION) != 0 && !pub.has(TpmaObject.FIXED_TPM);
        boolean badRestricted = (ku & KU_KEY_ENCIPHERMENT) != 0 && !pub.has(TpmaObject.RESTRICTED);
        if (badSign || badDecrypt || badFixedTpm || badRestricted) {
            throw new TpmException(TpmRc.VALUE.parameter(3));
        }
    }

    /** The bits of the extension {@code oid} (SEQUENCE { OID, [critical,] OCTET STRING { BIT STRING } }). */
    private static Integer extensionBits(byte[] b, List<Element> extensions, byte[] oid) throws DerException {
        for (Element e : extensions) {
            if (e.tag() != Der.SEQUENCE) {
                throw new DerException("extension");
            }
            List<Element> parts = Der.children(b, e);
            if (parts.isEmpty() || !Arrays.equals(bytes(b, parts.get(0)), oid)) {
                continue;
            }
            for (Element part : parts.subList(1, parts.size())) {
                if (part.tag() == Der.OCTET_STRING) {
                    Element bits = Der.next(b, part.contentStart(), part.end());
                    if (bits.end() != part.end()) {
                        throw new DerException("extension value");
                    }
                    return Der.bitStringValue(b, bits);
                }
            }
            throw new DerException("extension without value");
        }
        return null;
    }

    // ---- the structures the TPM adds

    /** SubjectPublicKeyInfo of an RSA or named-curve ECC key; null for any other object. */
    static byte[] subjectPublicKeyInfo(TpmtPublic pub) {
        if (pub.parms() instanceof PublicParms.Rsa r) {
            long e = r.exponent() == 0 ? 65537 : r.exponent() & 0xFFFFFFFFL;
            byte[] rsaKey = Der.sequence(Der.unsignedInteger(pub.unique().x()),
                    Der.tlv(Der.INTEGER, BigInteger.valueOf(e).toByteArray()));
            return Der.sequence(Der.sequence(Der.oid("1.2.840.113549.1.1.1"), Der.nul()), Der.bitString(rsaKey));
        }
        if (pub.parms() instanceof PublicParms.Ecc e) {
            EccCurve curve;
            try {
                curve = e.curve();
            } catch (RuntimeException ex) {
                return null;
            }
            String oid = curveOid(curve);
            if (oid == null) {
                return null;
            }
            byte[] point = new byte[1 + 2 * curve.bytes()];
            point[0] = 4;
            System.arraycopy(curve.fixed(new BigInteger(1, pub.unique().x())), 0, point, 1, curve.bytes());
            System.arraycopy(curve.fixed(new BigInteger(1, pub.unique().y())), 0, point, 1 + curve.bytes(),
                    curve.bytes());
            return Der.sequence(Der.sequence(Der.oid("1.2.840.10045.2.1"), Der.oid(oid)), Der.bitString(point));
        }
        return null;
    }

    private static String curveOid(EccCurve c) {
        switch (c) {
            case NIST_P192:
                return "1.2.840.10045.3.1.1";
            case NIST_P224:
                return "1.3.132.0.33";
            case NIST_P256:
                return "1.2.840.10045.3.1.7";
            case NIST_P384:
                return "1.3.132.0.34";
            case NIST_P521:
                return "1.3.132.0.35";
            default:
                return null;
        }
    }

    /** The hash's OID, null for a hash without a certificate signature OID here. */
    private static String hashOid(HashAlg h) {
        switch (h) {
            case SHA1:
                return "1.3.14.3.2.26";
            case SHA256:
                return "2.16.840.1.101.3.4.2.1";
            case SHA384:
                return "2.16.840.1.101.3.4.2.2";
            case SHA512:
                return "2.16.840.1.101.3.4.2.3";
            default:
                return null;
        }
    }

    /**
     * The AlgorithmIdentifier of the signature (the reference's X509AddSigningAlgorithm): PKCS #1
     * sha*WithRSAEncryption with NULL parameters, RSASSA-PSS with RFC 4055 parameters (none for SHA-1,
     * salt as long as the digest), ecdsa-with-SHA* without parameters; null when there is none.
     */
    static byte[] signatureAlgorithm(TpmtPublic signKey, SigScheme scheme) {
        HashAlg h = scheme.hash();
        if (h == null || hashOid(h) == null) {
            return null;
        }
        int a = scheme.alg();
        if (signKey.type() == TpmAlg.RSA.id() && a == TpmAlg.RSASSA.id()) {
            String oid = switch (h) {
                case SHA1 -> "1.2.840.113549.1.1.5";
                case SHA256 -> "1.2.840.113549.1.1.11";
                case SHA384 -> "1.2.840.113549.1.1.12";
                default -> "1.2.840.113549.1.1.13";
            };
            return Der.sequence(Der.oid(oid), Der.nul());
        }
        if (signKey.type() == TpmAlg.RSA.id() && a == TpmAlg.RSAPSS.id()) {
            byte[] pss = Der.oid("1.2.840.113549.1.1.10");
            if (h == HashAlg.SHA1) {
                return Der.sequence(pss, Der.nul());
            }
            byte[] hashId = Der.sequence(Der.oid(hashOid(h)), Der.nul());
            byte[] mgf = Der.sequence(Der.oid("1.2.840.113549.1.1.8"), hashId);
            return Der.sequence(pss, Der.sequence(Der.explicit(0, hashId), Der.explicit(1, mgf),
                    Der.explicit(2, Der.integer(h.digestSize()))));
        }
        if (signKey.type() == TpmAlg.ECC.id() && a == TpmAlg.ECDSA.id()) {
            String oid = switch (h) {
                case SHA1 -> "1.2.840.10045.4.1";
                case SHA256 -> "1.2.840.10045.4.3.2";
                case SHA384 -> "1.2.840.10045.4.3.3";
                default -> "1.2.840.10045.4.3.4";
            };
            return Der.sequence(Der.oid(oid));
        }
        return null;
    }
}
