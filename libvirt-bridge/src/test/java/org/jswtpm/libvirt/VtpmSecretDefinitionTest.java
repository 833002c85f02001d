package org.jswtpm.libvirt;

import static org.jswtpm.libvirt.XmlChecks.attributes;
import static org.jswtpm.libvirt.XmlChecks.childNames;
import static org.jswtpm.libvirt.XmlChecks.onlyChild;
import static org.jswtpm.libvirt.XmlChecks.parse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;

class VtpmSecretDefinitionTest {
    private static final UUID SECRET = UUID.fromString("0b4f3c0e-7a55-4d0c-8b0e-5a1b2c3d4e5f");
    private static final String INSTANCE = "c8f2e7a6-3f51-4c2b-9a7e-2d4f6b8a0c1e";

    private static Element secret(SecretSecurity s) {
        return parse(new VtpmSecretDefinition(SECRET, INSTANCE, s).toXml());
    }

    @Test
    void structure() {
        Element secret = secret(SecretSecurity.USER);
        assertEquals("secret", secret.getTagName());
        attributes(secret, "ephemeral", "private");
        assertEquals(List.of("uuid", "usage"), childNames(secret));
        assertEquals(SECRET.toString(), onlyChild(secret, "uuid").getTextContent());
        Element usage = onlyChild(secret, "usage");
        attributes(usage, "type");
        assertEquals("vtpm", usage.getAttribute("type"));
        assertEquals(List.of("name"), childNames(usage));
        assertEquals(INSTANCE, onlyChild(usage, "name").getTextContent());
    }

    @Test
    void userAndDeploymentArePrivateAndEphemeral() {
        for (SecretSecurity s : List.of(SecretSecurity.USER, SecretSecurity.DEPLOYMENT)) {
            Element secret = secret(s);
            assertEquals("yes", secret.getAttribute("private"), s.value());
            assertEquals("yes", secret.getAttribute("ephemeral"), s.value());
        }
    }

    @Test
    void hostIsNeitherPrivateNorEphemeral() {
        Element secret = secret(SecretSecurity.HOST);
        assertEquals("no", secret.getAttribute("private"));
        assertEquals("no", secret.getAttribute("ephemeral"));
    }

    @Test
    void usageNameIsEscaped() {
        String name = "a<b>&'\"]]>c";
        Element secret = parse(new VtpmSecretDefinition(SECRET, name, SecretSecurity.HOST).toXml());
        assertEquals(name, onlyChild(onlyChild(secret, "usage"), "name").getTextContent());
        assertEquals(List.of("uuid", "usage"), childNames(secret));
    }

    @Test
    void usageNameIsRequired() {
        assertThrows(IllegalArgumentException.class, () -> new VtpmSecretDefinition(SECRET, " ", SecretSecurity.USER));
        assertThrows(NullPointerException.class, () -> new VtpmSecretDefinition(SECRET, null, SecretSecurity.USER));
    }
}
