package org.jswtpm.libvirt;

import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/** Edits of a libvirt domain XML document. */
public final class DomainXml {
    private DomainXml() {
    }

    /**
     * {@code domainXml} with {@code device} as its only {@code <tpm>}: existing {@code <tpm>} elements under
     * {@code <devices>} are removed, {@code <devices>} is created when absent.
     *
     * @throws IllegalArgumentException when {@code domainXml} is not well-formed, has a DOCTYPE, or its root
     *     is not {@code <domain>}
     */
    public static String withTpm(String domainXml, VtpmDevice device) {
        Document doc = Xml.parse(domainXml);
        Element domain = doc.getDocumentElement();
        if (!"domain".equals(domain.getTagName())) {
            throw new IllegalArgumentException("root element is <" + domain.getTagName() + ">, not <domain>");
        }
        Element devices = child(domain, "devices");
        if (devices == null) {
            devices = doc.createElement("devices");
            domain.appendChild(devices);
        }
        for (Element tpm = child(devices, "tpm"); tpm != null; tpm = child(devices, "tpm")) {
            devices.removeChild(tpm);
        }
        devices.appendChild(device.element(doc));
        return Xml.toString(doc);
    }

    private static Element child(Element parent, String name) {
        NodeList children = parent.getChildNodes();
        for (int i = 0; i < children.getLength(); i++) {
            Node n = children.item(i);
            if (n instanceof Element e && e.getTagName().equals(name)) {
                return e;
            }
        }
        return null;
    }
}
