package org.jswtpm.libvirt;

import static org.jswtpm.libvirt.XmlChecks.childNames;
import static org.jswtpm.libvirt.XmlChecks.onlyChild;
import static org.jswtpm.libvirt.XmlChecks.parse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.jswtpm.core.testing.ExternalTools;
import org.jswtpm.swtpm.interop.LibvirtDaemons;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.libvirt.Connect;
import org.libvirt.LibvirtException;
import org.w3c.dom.Element;

/**
 * The bridge against a real libvirtd (root; {@link LibvirtDaemons} starts virtlogd and libvirtd with this
 * tree's {@code bin/} first on the daemon's PATH, as swtpm's LibvirtIT does): a vTPM resolved from flavor
 * extra specs gets its {@code vtpm} secrets defined through libvirt-java, and a domain whose XML carries
 * the generated {@code <tpm>}; {@code virsh secret-dumpxml}, {@code secret-get-value} and {@code dumpxml}
 * show that libvirt kept what was asked. No guest is started.
 */
class LibvirtBridgeIT {
    private static final Path WORK = Path.of("/tmp/jswtpm-libvirt-bridge-it");
    private static final Path BIN = Path.of("..", "bin").toAbsolutePath().normalize();
    private static final String DOMAIN = "jswtpm-libvirt-bridge-it";
    private static final UUID DOMAIN_UUID = UUID.fromString("7b0e4c52-2f1d-4b8e-a4c3-9d1e2f3a4b01");
    private static final UUID HOST_SECRET = UUID.fromString("7b0e4c52-2f1d-4b8e-a4c3-9d1e2f3a4b02");
    private static final UUID USER_SECRET = UUID.fromString("7b0e4c52-2f1d-4b8e-a4c3-9d1e2f3a4b03");
    private static final Path SECRETS_DIR = Path.of("/etc/libvirt/secrets");

    private LibvirtDaemons libvirt;
    private Connect connection;

    @BeforeEach
    void start() throws Exception {
        for (String tool : new String[] {"libvirtd", "virtlogd", "virsh", "qemu-system-x86_64"}) {
            ExternalTools.require(tool);
        }
        ExternalTools.requireRoot("the libvirt-bridge test starts libvirtd and");
        if (!Files.isDirectory(BIN.getParent().resolve("swtpm").resolve("target").resolve("lib"))) {
            fail("jswtpm's bin/ needs swtpm/target/lib: build the swtpm module first (mvn -pl swtpm -am package)");
        }
        Files.createDirectories(WORK);
        libvirt = LibvirtDaemons.start(BIN, WORK);
        cleanUp();
        connection = new Connect(LibvirtDaemons.URI);
    }

    @AfterEach
    void stop() throws Exception {
        try {
            if (connection != null) {
                connection.close();
            }
            if (libvirt != null) {
                cleanUp();
            }
        } finally {
            if (libvirt != null) {
                libvirt.close();
            }
        }
    }

    private void cleanUp() throws Exception {
        libvirt.virshMayFail("undefine", DOMAIN, "--tpm");
        for (UUID s : List.of(HOST_SECRET, USER_SECRET)) {
            libvirt.virshMayFail("secret-undefine", s.toString());
        }
    }

    @Test
    @Timeout(120)
    void secretsAndDomainAsLibvirtKeepsThem() throws Exception {
        long started = System.nanoTime();
        VtpmRequest request = VtpmRequest.resolve(Map.of("hw:tpm_version", "2.0", "hw:tpm_model", "tpm-crb",
                "hw:tpm_secret_security", "host"), Map.of()).orElseThrow();
        HostTpmTraits.jswtpm().check(request);
        VtpmSecrets secrets = new VtpmSecrets(connection);

        try (VtpmPassphrase hostValue = VtpmPassphrase.generate(); VtpmPassphrase userValue = VtpmPassphrase.generate()) {
            assertEquals(HOST_SECRET, secrets.define(
                    new VtpmSecretDefinition(HOST_SECRET, DOMAIN_UUID.toString(), request.secretSecurity()), hostValue));
            assertEquals(USER_SECRET, secrets.define(
                    new VtpmSecretDefinition(USER_SECRET, "other-instance", SecretSecurity.USER), userValue));
            checkHostSecret(hostValue);
            checkUserSecret();
            checkDuplicateUsageIsRefused();
        }

        VtpmDevice device = VtpmDevice.of(request, HOST_SECRET).withActivePcrBanks(Set.of(PcrBank.SHA256,
                PcrBank.SHA384));
        Path domainXml = WORK.resolve("domain.xml");
        Files.writeString(domainXml, DomainXml.withTpm(minimalDomain(), device));
        libvirt.virsh("define", domainXml.toString());
        checkDomainTpm(parse(libvirt.virsh("dumpxml", DOMAIN)));
        checkDomainTpm(parse(libvirt.virsh("dumpxml", "--inactive", DOMAIN)));

        libvirt.virsh("undefine", DOMAIN, "--tpm");
        assertTrue(secrets.undefine(HOST_SECRET));
        assertTrue(secrets.undefine(USER_SECRET));
        assertFalse(secrets.exists(HOST_SECRET));
        assertFalse(secrets.undefine(HOST_SECRET), "undefining a missing secret says so");
        assertFalse(Files.exists(SECRETS_DIR.resolve(HOST_SECRET + ".xml")), "libvirt dropped the stored secret");
        System.out.println("LibvirtBridgeIT: secrets and domain checked in "
                + (System.nanoTime() - started) / 1_000_000 + " ms (after the daemons started)");
    }

    /** Public and persistent: libvirt stores it and returns the value Nova's way (Base64 of the ASCII text). */
    private void checkHostSecret(VtpmPassphrase value) throws Exception {
        Element secret = parse(libvirt.virsh("secret-dumpxml", HOST_SECRET.toString()));
        assertEquals("no", secret.getAttribute("ephemeral"));
        assertEquals("no", secret.getAttribute("private"));
        assertEquals(HOST_SECRET.toString(), onlyChild(secret, "uuid").getTextContent());
        Element usage = onlyChild(secret, "usage");
        assertEquals("vtpm", usage.getAttribute("type"));
        assertEquals(DOMAIN_UUID.toString(), onlyChild(usage, "name").getTextContent());
        byte[] stored = Base64.getDecoder().decode(libvirt.virsh("secret-get-value", HOST_SECRET.toString()).strip());
        assertEquals(512, stored.length);
        assertTrue(value.matches(stored), "libvirt holds the passphrase we set");
        assertTrue(Files.exists(SECRETS_DIR.resolve(HOST_SECRET + ".xml")), "a persistent secret is on disk");
        assertTrue(secretsOfUsage(DOMAIN_UUID.toString()), "virsh secret-list shows the vtpm usage name");
    }

    /** Private and ephemeral: libvirt keeps it in memory and never reveals the value. */
    private void checkUserSecret() throws Exception {
        Element secret = parse(libvirt.virsh("secret-dumpxml", USER_SECRET.toString()));
        assertEquals("yes", secret.getAttribute("ephemeral"));
        assertEquals("yes", secret.getAttribute("private"));
        LibvirtDaemons.Result get = libvirt.virshMayFail("secret-get-value", USER_SECRET.toString());
        assertNotEquals(0, get.exitCode(), "a private secret's value is not revealed: " + get.output());
        assertTrue(get.output().contains("private"), get.output());
        assertFalse(Files.exists(SECRETS_DIR.resolve(USER_SECRET + ".xml")), "an ephemeral secret is not on disk");
    }

    /** libvirt allows one vtpm secret per usage name; a failed define leaves nothing behind. */
    private void checkDuplicateUsageIsRefused() throws Exception {
        UUID other = UUID.randomUUID();
        VtpmSecrets secrets = new VtpmSecrets(connection);
        try (VtpmPassphrase value = VtpmPassphrase.generate()) {
            LibvirtException e = assertThrows(LibvirtException.class, () -> secrets.define(
                    new VtpmSecretDefinition(other, DOMAIN_UUID.toString(), SecretSecurity.HOST), value));
            assertFalse(e.getMessage().contains(new String(value.bytes(), java.nio.charset.StandardCharsets.US_ASCII)));
        }
        assertFalse(secrets.exists(other));
    }

    private static void checkDomainTpm(Element domain) {
        List<Element> tpms = XmlChecks.children(onlyChild(domain, "devices")).stream()
                .filter(e -> e.getTagName().equals("tpm")).toList();
        assertEquals(1, tpms.size(), "one <tpm>");
        Element tpm = tpms.get(0);
        assertEquals("tpm-crb", tpm.getAttribute("model"));
        Element backend = onlyChild(tpm, "backend");
        assertEquals("emulator", backend.getAttribute("type"));
        assertEquals("2.0", backend.getAttribute("version"));
        assertEquals(HOST_SECRET.toString(), onlyChild(backend, "encryption").getAttribute("secret"));
        assertEquals(List.of("sha256", "sha384"), childNames(onlyChild(backend, "active_pcr_banks")));
    }

    private boolean secretsOfUsage(String usage) throws Exception {
        return libvirt.virsh("secret-list").lines().anyMatch(l -> l.contains(HOST_SECRET.toString())
                && l.contains(usage));
    }

    private static String minimalDomain() {
        return "<domain type='qemu'><name>" + DOMAIN + "</name><uuid>" + DOMAIN_UUID + "</uuid>"
                + "<memory unit='MiB'>128</memory><vcpu>1</vcpu>"
                + "<os><type arch='x86_64' machine='q35'>hvm</type></os><features><acpi/></features>"
                + "<devices><emulator>" + ExternalTools.require("qemu-system-x86_64") + "</emulator></devices>"
                + "</domain>";
    }
}
