package org.jswtpm.libvirt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.w3c.dom.Element;
import org.w3c.dom.NamedNodeMap;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/** Parsing generated XML back, and checking element and attribute sets like a schema would. */
final class XmlChecks {
    private XmlChecks() {
    }

    static Element parse(String xml) {
        return Xml.parse(xml).getDocumentElement();
    }

    static List<Element> children(Element e) {
        List<Element> out = new ArrayList<>();
        NodeList nodes = e.getChildNodes();
        for (int i = 0; i < nodes.getLength(); i++) {
            Node n = nodes.item(i);
            if (n instanceof Element c) {
                out.add(c);
            } else if (n.getNodeType() == Node.TEXT_NODE) {
                assertEquals("", n.getTextContent().strip(), "only whitespace between elements of <" + e.getTagName() + ">");
            }
        }
        return out;
    }

    static List<String> childNames(Element e) {
        return children(e).stream().map(Element::getTagName).toList();
    }

    static Element onlyChild(Element e, String name) {
        List<Element> found = children(e).stream().filter(c -> c.getTagName().equals(name)).toList();
        assertEquals(1, found.size(), "one <" + name + "> in <" + e.getTagName() + ">");
        return found.get(0);
    }

    /** The element has exactly these attributes. */
    static void attributes(Element e, String... names) {
        Set<String> actual = new TreeSet<>();
        NamedNodeMap attrs = e.getAttributes();
        for (int i = 0; i < attrs.getLength(); i++) {
            actual.add(attrs.item(i).getNodeName());
        }
        assertEquals(new TreeSet<>(List.of(names)), actual, "attributes of <" + e.getTagName() + ">");
        for (String n : names) {
            assertNotNull(e.getAttribute(n));
        }
    }
}
