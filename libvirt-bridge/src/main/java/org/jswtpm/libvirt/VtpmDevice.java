package org.jswtpm.libvirt;

import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * The domain XML {@code <tpm>} element of an emulated, encrypted vTPM, as Nova writes it plus libvirt's
 * optional {@code <active_pcr_banks>}:
 *
 * <pre>{@code
 * <tpm model='tpm-crb'>
 *   <backend type='emulator' version='2.0'>
 *     <encryption secret='…uuid…'/>
 *     <active_pcr_banks><sha256/></active_pcr_banks>
 *   </backend>
 * </tpm>
 * }</pre>
 *
 * @param model the {@code model} attribute
 * @param version the backend's {@code version} attribute
 * @param encryptionSecret the UUID of the {@code vtpm} secret whose value encrypts the state
 * @param activePcrBanks the banks to activate; empty leaves the element out (swtpm_setup's default banks)
 */
public record VtpmDevice(TpmModel model, TpmVersion version, UUID encryptionSecret, Set<PcrBank> activePcrBanks) {
    public VtpmDevice {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(encryptionSecret, "encryptionSecret");
        activePcrBanks = activePcrBanks.isEmpty()
                ? Set.of() : java.util.Collections.unmodifiableSet(EnumSet.copyOf(activePcrBanks));
        if (model == TpmModel.CRB && version != TpmVersion.V2_0) {
            throw new IllegalArgumentException("model tpm-crb needs version 2.0, not " + version);
        }
        if (!activePcrBanks.isEmpty() && version != TpmVersion.V2_0) {
            throw new IllegalArgumentException("<active_pcr_banks> needs version 2.0, not " + version);
        }
    }

    /** The device for {@code request}, encrypted with secret {@code encryptionSecret}, default banks. */
    public static VtpmDevice of(VtpmRequest request, UUID encryptionSecret) {
        return new VtpmDevice(request.model(), request.version(), encryptionSecret, Set.of());
    }

    /** This device with {@code banks} active. */
    public VtpmDevice withActivePcrBanks(Set<PcrBank> banks) {
        return new VtpmDevice(model, version, encryptionSecret, banks);
    }

    /** The {@code <tpm>} element, created in {@code doc} (not yet attached). */
    public Element element(Document doc) {
        Element tpm = doc.createElement("tpm");
        tpm.setAttribute("model", model.value());
        Element backend = doc.createElement("backend");
        backend.setAttribute("type", "emulator");
        backend.setAttribute("version", version.value());
        Element encryption = doc.createElement("encryption");
        encryption.setAttribute("secret", encryptionSecret.toString());
        backend.appendChild(encryption);
        if (!activePcrBanks.isEmpty()) {
            Element banks = doc.createElement("active_pcr_banks");
            for (PcrBank bank : activePcrBanks) {
                banks.appendChild(doc.createElement(bank.element()));
            }
            backend.appendChild(banks);
        }
        tpm.appendChild(backend);
        return tpm;
    }

    /** The {@code <tpm>} element as text. */
    public String toXml() {
        Document doc = Xml.newDocument();
        doc.appendChild(element(doc));
        return Xml.toString(doc);
    }
}
