package org.jswtpm.swtpm.setup;

import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.io.Writer;
import java.math.BigInteger;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.DERSet;
import org.bouncycastle.asn1.DERUTF8String;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.Attribute;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectDirectoryAttributes;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The local certificate authority that issues EK and platform certificates, as swtpm_localca keeps one:
 * a self-signed root CA and an intermediate signing CA, in PEM files in a state directory
 * ({@code swtpm-localca-rootca-privkey.pem}, {@code swtpm-localca-rootca-cert.pem}, {@code signkey.pem},
 * {@code issuercert.pem}) and the last serial number in {@code certserial}. Created on first use; an
 * existing directory with unencrypted PEM keys (also one made by swtpm_localca) is reused.
 *
 * <p>Certificates follow the TCG EK Credential Profile as swtpm_cert fills it: the subject is
 * {@code CN=<vmid>} (or {@code CN=unknown}), a critical subject alternative name carries the TPM (EK) or
 * platform (platform certificate) manufacturer, model and version, basic constraints CA:false, the TPM
 * specification as a subject directory attribute (EK), key usage keyEncipherment (RSA) or keyAgreement
 * (ECC), extended key usage tcg-kp-EKCertificate / tcg-kp-PlatformCertificate, and no expiry
 * (99991231235959Z).
 */
public final class LocalCa {
    static final String ROOT_KEY = "swtpm-localca-rootca-privkey.pem";
    static final String ROOT_CERT = "swtpm-localca-rootca-cert.pem";
    static final String SIGN_KEY = "signkey.pem";
    static final String ISSUER_CERT = "issuercert.pem";
    static final String CERT_SERIAL = "certserial";
    /** The lock file swtpm_localca also takes while it creates the CA or counts a serial. */
    static final String LOCK_FILE = ".lock.swtpm-localca";

    static final ASN1ObjectIdentifier TPM_MANUFACTURER = new ASN1ObjectIdentifier("2.23.133.2.1");
    static final ASN1ObjectIdentifier TPM_MODEL = new ASN1ObjectIdentifier("2.23.133.2.2");
    static final ASN1ObjectIdentifier TPM_VERSION = new ASN1ObjectIdentifier("2.23.133.2.3");
    static final ASN1ObjectIdentifier TPM_SPECIFICATION = new ASN1ObjectIdentifier("2.23.133.2.16");
    static final ASN1ObjectIdentifier PLATFORM_MANUFACTURER = new ASN1ObjectIdentifier("2.23.133.5.1.1");
    static final ASN1ObjectIdentifier PLATFORM_MODEL = new ASN1ObjectIdentifier("2.23.133.5.1.4");
    static final ASN1ObjectIdentifier PLATFORM_VERSION = new ASN1ObjectIdentifier("2.23.133.5.1.5");
    static final ASN1ObjectIdentifier KP_EK_CERTIFICATE = new ASN1ObjectIdentifier("2.23.133.8.1");
    static final ASN1ObjectIdentifier KP_PLATFORM_CERTIFICATE = new ASN1ObjectIdentifier("2.23.133.8.2");

    /** RFC 5280 4.1.2.5: no well-defined expiration date. */
    static final Date NO_EXPIRY = Date.from(Instant.parse("9999-12-31T23:59:59Z"));

    private final Path statedir;
    private final Path signKeyFile;
    private final Path issuerCertFile;
    private final Path serialFile;
    private final SecureRandom random = new SecureRandom();
    private PrivateKey signKey;
    private X509Certificate issuerCert;

    /** What the TPM reports about itself (GET_INFO / TPM properties), for the EK certificate. */
    public record TpmIdentity(String manufacturer, String model, String version, String specFamily,
            int specLevel, int specRevision) {
    }

    /** The platform the certificate names (from {@code swtpm-localca.options}). */
    public record PlatformIdentity(String manufacturer, String model, String version) {
    }

    private LocalCa(Path statedir, Path signKeyFile, Path issuerCertFile, Path serialFile) {
        this.statedir = statedir;
        this.signKeyFile = signKeyFile;
        this.issuerCertFile = issuerCertFile;
        this.serialFile = serialFile;
    }

    /**
     * Opens the CA in {@code statedir}, creating the directory, the root and the signing CA if they are
     * missing. {@code signKeyFile}, {@code issuerCertFile} and {@code serialFile} may be null for the
     * default names in {@code statedir}.
     */
    public static LocalCa open(Path statedir, Path signKeyFile, Path issuerCertFile, Path serialFile)
            throws IOException, GeneralSecurityException {
        LocalCa ca = new LocalCa(statedir,
                signKeyFile != null ? signKeyFile : statedir.resolve(SIGN_KEY),
                issuerCertFile != null ? issuerCertFile : statedir.resolve(ISSUER_CERT),
                serialFile != null ? serialFile : statedir.resolve(CERT_SERIAL));
        ca.loadOrCreate();
        return ca;
    }

    /** The certificate that signs EK and platform certificates (the intermediate CA). */
    public X509Certificate issuerCertificate() {
        return issuerCert;
    }

    /** The root CA certificate, or null if the directory has none (an externally provided signer). */
    public X509Certificate rootCertificate() throws IOException, GeneralSecurityException {
        Path root = statedir.resolve(ROOT_CERT);
        return Files.exists(root) ? readCertificate(root) : null;
    }

    private void loadOrCreate() throws IOException, GeneralSecurityException {
        Files.createDirectories(statedir);
        try (FileChannel lock = lock()) {
            loadOrCreateLocked();
        }
    }

    /** An exclusive lock on the CA directory, shared with swtpm_localca and other swtpm_setup runs. */
    private FileChannel lock() throws IOException {
        FileChannel channel = FileChannel.open(statedir.resolve(LOCK_FILE), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE);
        try {
            channel.lock();
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
        return channel;
    }

    private void loadOrCreateLocked() throws IOException, GeneralSecurityException {
        if (Files.exists(signKeyFile) && Files.exists(issuerCertFile)) {
            signKey = readPrivateKey(signKeyFile);
            issuerCert = readCertificate(issuerCertFile);
            return;
        }
        KeyPair root = rsaKeyPair();
        X500Name rootName = new X500Name("CN=jswtpm-localca-rootca");
        X509Certificate rootCert = caCertificate(rootName, root.getPublic(), rootName, root.getPrivate(), null, 1);
        KeyPair sign = rsaKeyPair();
        X509Certificate signCert = caCertificate(new X500Name("CN=jswtpm-localca"), sign.getPublic(), rootName,
                root.getPrivate(), rootCert, 0);
        writePem(statedir.resolve(ROOT_KEY), root.getPrivate(), true);
        writePem(statedir.resolve(ROOT_CERT), rootCert, false);
        writePem(signKeyFile, sign.getPrivate(), true);
        writePem(issuerCertFile, signCert, false);
        signKey = sign.getPrivate();
        issuerCert = signCert;
    }

    private KeyPair rsaKeyPair() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048, random);
        return generator.generateKeyPair();
    }

    private X509Certificate caCertificate(X500Name subject, PublicKey key, X500Name issuer, PrivateKey issuerKey,
            X509Certificate issuerCertificate, int pathLength) throws GeneralSecurityException, IOException {
        Instant now = Instant.now();
        JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
        X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(issuer, new BigInteger(63, random).add(BigInteger.ONE),
                Date.from(now.minus(Duration.ofMinutes(5))), NO_EXPIRY, subject, key);
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(pathLength));
        b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        b.addExtension(Extension.subjectKeyIdentifier, false, utils.createSubjectKeyIdentifier(key));
        if (issuerCertificate != null) {
            b.addExtension(Extension.authorityKeyIdentifier, false,
                    utils.createAuthorityKeyIdentifier(issuerCertificate));
        }
        return sign(b, issuerKey);
    }

    /**
     * Issues an EK certificate for {@code ekKey}.
     *
     * @param vmid the VM's id for the subject ({@code +} and {@code ,} replaced), or null
     * @param allowSigning the EK may sign ({@code --allow-signing})
     * @param decryption the EK may decrypt ({@code --decryption})
     */
    public X509Certificate issueEkCertificate(PublicKey ekKey, String vmid, TpmIdentity tpm, boolean allowSigning,
            boolean decryption) throws IOException, GeneralSecurityException {
        X509v3CertificateBuilder b = leaf(ekKey, vmid);
        X500NameBuilder san = new X500NameBuilder(BCStyle.INSTANCE);
        san.addRDN(TPM_MANUFACTURER, new DERUTF8String(tpm.manufacturer()));
        san.addRDN(TPM_MODEL, new DERUTF8String(tpm.model()));
        san.addRDN(TPM_VERSION, new DERUTF8String(tpm.version()));
        b.addExtension(Extension.subjectAlternativeName, true,
                new GeneralNames(new GeneralName(GeneralName.directoryName, san.build())));
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
        ASN1EncodableVector spec = new ASN1EncodableVector();
        spec.add(new DERUTF8String(tpm.specFamily()));
        spec.add(new ASN1Integer(tpm.specLevel()));
        spec.add(new ASN1Integer(tpm.specRevision()));
        java.util.Vector<Attribute> attributes = new java.util.Vector<>();
        attributes.add(new Attribute(TPM_SPECIFICATION, new DERSet(new DERSequence(spec))));
        b.addExtension(Extension.subjectDirectoryAttributes, false, new SubjectDirectoryAttributes(attributes));
        b.addExtension(Extension.keyUsage, true, new KeyUsage(keyUsage(ekKey, allowSigning, decryption)));
        b.addExtension(Extension.extendedKeyUsage, false,
                new ExtendedKeyUsage(KeyPurposeId.getInstance(KP_EK_CERTIFICATE)));
        return sign(b, signKey);
    }

    /** Issues the platform certificate, naming the platform and certifying {@code ekKey}. */
    public X509Certificate issuePlatformCertificate(PublicKey ekKey, String vmid, PlatformIdentity platform)
            throws IOException, GeneralSecurityException {
        X509v3CertificateBuilder b = leaf(ekKey, vmid);
        X500NameBuilder san = new X500NameBuilder(BCStyle.INSTANCE);
        san.addRDN(PLATFORM_MANUFACTURER, new DERUTF8String(platform.manufacturer()));
        san.addRDN(PLATFORM_MODEL, new DERUTF8String(platform.model()));
        san.addRDN(PLATFORM_VERSION, new DERUTF8String(platform.version()));
        b.addExtension(Extension.subjectAlternativeName, true,
                new GeneralNames(new GeneralName(GeneralName.directoryName, san.build())));
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
        b.addExtension(Extension.keyUsage, true, new KeyUsage(keyUsage(ekKey, false, false)));
        b.addExtension(Extension.extendedKeyUsage, false,
                new ExtendedKeyUsage(KeyPurposeId.getInstance(KP_PLATFORM_CERTIFICATE)));
        return sign(b, signKey);
    }

    private static int keyUsage(PublicKey key, boolean allowSigning, boolean decryption) {
        int usage = allowSigning ? KeyUsage.digitalSignature : 0;
        if (!allowSigning || decryption) {
            usage |= "EC".equals(key.getAlgorithm()) ? KeyUsage.keyAgreement : KeyUsage.keyEncipherment;
        }
        return usage;
    }

    private X509v3CertificateBuilder leaf(PublicKey key, String vmid) throws IOException, GeneralSecurityException {
        X500Name subject = new X500NameBuilder(BCStyle.INSTANCE)
                .addRDN(BCStyle.CN, vmid == null || vmid.isEmpty() ? "unknown" : vmid).build();
        X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(
                X500Name.getInstance(issuerCert.getSubjectX500Principal().getEncoded()), nextSerial(),
                Date.from(Instant.now().minus(Duration.ofMinutes(5))), NO_EXPIRY, subject, key);
        b.addExtension(Extension.authorityKeyIdentifier, false,
                new JcaX509ExtensionUtils().createAuthorityKeyIdentifier(issuerCert));
        return b;
    }

    /** swtpm_localca's serial: the number in {@code certserial} plus one (1 if missing or garbled). */
    private synchronized BigInteger nextSerial() throws IOException {
        try (FileChannel lock = lock()) {
            return nextSerialLocked();
        }
    }

    private BigInteger nextSerialLocked() throws IOException {
        BigInteger serial = BigInteger.ONE;
        if (Files.exists(serialFile)) {
            try {
                serial = new BigInteger(Files.readString(serialFile, StandardCharsets.US_ASCII).trim()).add(BigInteger.ONE);
            } catch (NumberFormatException e) {
                serial = BigInteger.ONE;
            }
        }
        Path tmp = serialFile.resolveSibling(serialFile.getFileName() + ".tmp");
        Files.writeString(tmp, serial.toString(), StandardCharsets.US_ASCII);
        Files.move(tmp, serialFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return serial;
    }

    private static X509Certificate sign(X509v3CertificateBuilder b, PrivateKey key) throws GeneralSecurityException {
        try {
            ContentSigner signer = new JcaContentSignerBuilder("SHA256withRSA").build(key);
            X509CertificateHolder holder = b.build(signer);
            return new JcaX509CertificateConverter().getCertificate(holder);
        } catch (OperatorCreationException e) {
            throw new GeneralSecurityException("cannot sign: " + e.getMessage(), e);
        }
    }

    private static void writePem(Path file, Object object, boolean secret) throws IOException {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter pem = new JcaPEMWriter(text)) {
            pem.writeObject(object);
        }
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        if (secret) {
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        }
        try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.US_ASCII)) {
            w.write(text.toString());
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    static X509Certificate readCertificate(Path file) throws IOException, GeneralSecurityException {
        try (var in = Files.newInputStream(file)) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }

    private static PrivateKey readPrivateKey(Path file) throws IOException {
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.US_ASCII); PEMParser parser = new PEMParser(r)) {
            Object o;
            try {
                o = parser.readObject();
            } catch (IOException | RuntimeException e) {
                throw new IOException(file + ": not a readable PEM private key: " + e.getMessage(), e);
            }
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
            if (o instanceof PEMKeyPair pair) {
                return converter.getPrivateKey(pair.getPrivateKeyInfo());
            }
            if (o instanceof PrivateKeyInfo info) {
                return converter.getPrivateKey(info);
            }
            throw new IOException(file + ": not an unencrypted PEM private key"
                    + " (password-protected or TPM-held signing keys are not supported)");
        }
    }
}
