package org.jswtpm.libvirt;

import java.util.Objects;
import java.util.UUID;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * The libvirt secret of usage {@code vtpm} that holds a vTPM's passphrase, with the attributes Nova gives
 * it for each {@link SecretSecurity} mode ({@code user} and {@code deployment}: private and ephemeral;
 * {@code host}: neither):
 *
 * <pre>{@code
 * <secret ephemeral='yes' private='yes'>
 *   <uuid>…</uuid>
 *   <usage type='vtpm'><name>…instance uuid…</name></usage>
 * </secret>
 * }</pre>
 *
 * The value is never part of the definition; see {@link VtpmPassphrase} and {@link VtpmSecrets}.
 *
 * @param uuid the secret's UUID, which the domain's {@code <encryption secret=…>} names
 * @param usageName the usage name, unique among {@code vtpm} secrets (Nova: the instance UUID)
 * @param security decides {@code private} and {@code ephemeral}
 */
public record VtpmSecretDefinition(UUID uuid, String usageName, SecretSecurity security) {
    public VtpmSecretDefinition {
        Objects.requireNonNull(uuid, "uuid");
        Objects.requireNonNull(usageName, "usageName");
        Objects.requireNonNull(security, "security");
        if (usageName.isBlank()) {
            throw new IllegalArgumentException("the usage name of a vtpm secret is empty");
        }
    }

    /** The secret's XML for {@code virSecretDefineXML}. */
    public String toXml() {
        Document doc = Xml.newDocument();
        Element secret = doc.createElement("secret");
        secret.setAttribute("ephemeral", yesNo(security.ephemeralSecret()));
        secret.setAttribute("private", yesNo(security.privateSecret()));
        Element uuidElement = doc.createElement("uuid");
        uuidElement.setTextContent(uuid.toString());
        secret.appendChild(uuidElement);
        Element usage = doc.createElement("usage");
        usage.setAttribute("type", "vtpm");
        Element name = doc.createElement("name");
        name.setTextContent(usageName);
        usage.appendChild(name);
        secret.appendChild(usage);
        doc.appendChild(secret);
        return Xml.toString(doc);
    }

    private static String yesNo(boolean b) {
        return b ? "yes" : "no";
    }
}
