package org.jswtpm.libvirt;

/** A PCR bank libvirt can activate with {@code <active_pcr_banks>} (libvirt 7.10 and later; TPM 2.0 only). */
public enum PcrBank {
    SHA1("sha1"),
    SHA256("sha256"),
    SHA384("sha384"),
    SHA512("sha512");

    private final String element;

    PcrBank(String element) {
        this.element = element;
    }

    /** The element name inside {@code <active_pcr_banks>}. */
    public String element() {
        return element;
    }
}
