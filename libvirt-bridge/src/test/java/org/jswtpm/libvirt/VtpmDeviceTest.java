package org.jswtpm.libvirt;

import static org.jswtpm.libvirt.XmlChecks.attributes;
import static org.jswtpm.libvirt.XmlChecks.childNames;
import static org.jswtpm.libvirt.XmlChecks.onlyChild;
import static org.jswtpm.libvirt.XmlChecks.parse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;

class VtpmDeviceTest {
    private static final UUID SECRET = UUID.fromString("6dd3e4a5-1d76-44ce-961f-f119f5aad935");

    @Test
    void tpmElementOfAResolvedRequest() {
        VtpmRequest r = VtpmRequest.resolve(Map.of("hw:tpm_version", "2.0", "hw:tpm_model", "tpm-crb"), Map.of())
                .orElseThrow();
        Element tpm = parse(VtpmDevice.of(r, SECRET).toXml());
        assertEquals("tpm", tpm.getTagName());
        attributes(tpm, "model");
        assertEquals("tpm-crb", tpm.getAttribute("model"));
        assertEquals(List.of("backend"), childNames(tpm));
        Element backend = onlyChild(tpm, "backend");
        attributes(backend, "type", "version");
        assertEquals("emulator", backend.getAttribute("type"));
        assertEquals("2.0", backend.getAttribute("version"));
        assertEquals(List.of("encryption"), childNames(backend));
        Element encryption = onlyChild(backend, "encryption");
        attributes(encryption, "secret");
        assertEquals(SECRET.toString(), encryption.getAttribute("secret"));
        assertEquals(List.of(), childNames(encryption));
    }

    @Test
    void defaultModelIsTis() {
        VtpmRequest r = VtpmRequest.resolve(Map.of(), Map.of("hw_tpm_version", "2.0")).orElseThrow();
        assertEquals("tpm-tis", parse(VtpmDevice.of(r, SECRET).toXml()).getAttribute("model"));
    }

    @Test
    void activePcrBanksFollowEncryptionInBankOrder() {
        VtpmDevice d = new VtpmDevice(TpmModel.TIS, TpmVersion.V2_0, SECRET, Set.of())
                .withActivePcrBanks(EnumSet.of(PcrBank.SHA384, PcrBank.SHA1, PcrBank.SHA256));
        Element backend = onlyChild(parse(d.toXml()), "backend");
        assertEquals(List.of("encryption", "active_pcr_banks"), childNames(backend));
        Element banks = onlyChild(backend, "active_pcr_banks");
        attributes(banks);
        assertEquals(List.of("sha1", "sha256", "sha384"), childNames(banks));
        for (Element bank : XmlChecks.children(banks)) {
            attributes(bank);
            assertEquals("", bank.getTextContent());
        }
    }

    @Test
    void version12IsWrittenFaithfullyButWithoutBanksOrCrb() {
        VtpmRequest r = VtpmRequest.resolve(Map.of("hw:tpm_version", "1.2"), Map.of()).orElseThrow();
        VtpmDevice d = VtpmDevice.of(r, SECRET);
        assertEquals("1.2", onlyChild(parse(d.toXml()), "backend").getAttribute("version"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> d.withActivePcrBanks(Set.of(PcrBank.SHA256)));
        assertTrue(e.getMessage().contains("active_pcr_banks"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> new VtpmDevice(TpmModel.CRB, TpmVersion.V1_2, SECRET, Set.of()));
    }

    @Test
    void aSecretIsRequired() {
        assertThrows(NullPointerException.class, () -> new VtpmDevice(TpmModel.TIS, TpmVersion.V2_0, null, Set.of()));
    }

    @Test
    void domainXmlGetsExactlyOneTpm() {
        String domain = "<domain type='qemu'><name>a&amp;b</name><devices><tpm model='tpm-tis'><backend type='passthrough'/>"
                + "</tpm><emulator>/usr/bin/qemu-system-x86_64</emulator><tpm model='tpm-tis'/></devices></domain>";
        VtpmDevice d = new VtpmDevice(TpmModel.CRB, TpmVersion.V2_0, SECRET, Set.of(PcrBank.SHA256));
        Element root = parse(DomainXml.withTpm(domain, d));
        assertEquals("a&b", onlyChild(root, "name").getTextContent());
        Element devices = onlyChild(root, "devices");
        assertEquals(List.of("emulator", "tpm"), childNames(devices));
        Element tpm = onlyChild(devices, "tpm");
        assertEquals("tpm-crb", tpm.getAttribute("model"));
        assertEquals("emulator", onlyChild(tpm, "backend").getAttribute("type"));
    }

    @Test
    void domainXmlWithoutDevicesGetsThem() {
        Element root = parse(DomainXml.withTpm("<domain type='kvm'><name>x</name></domain>",
                new VtpmDevice(TpmModel.TIS, TpmVersion.V2_0, SECRET, Set.of())));
        assertEquals(List.of("name", "devices"), childNames(root));
        assertEquals(List.of("tpm"), childNames(onlyChild(root, "devices")));
    }

    @Test
    void domainXmlIsParsedSafely() {
        VtpmDevice d = new VtpmDevice(TpmModel.TIS, TpmVersion.V2_0, SECRET, Set.of());
        String xxe = "<?xml version='1.0'?><!DOCTYPE domain [<!ENTITY x SYSTEM 'file:///etc/passwd'>]>"
                + "<domain><name>&x;</name></domain>";
        assertThrows(IllegalArgumentException.class, () -> DomainXml.withTpm(xxe, d));
        assertThrows(IllegalArgumentException.class, () -> DomainXml.withTpm("<domain>", d));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DomainXml.withTpm("<network/>", d));
        assertTrue(e.getMessage().contains("<network>"), e.getMessage());
    }
}
