package org.jswtpm.libvirt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Nova's vTPM request rules, one test per rule and per error. */
class VtpmRequestTest {
    private static final Map<String, String> NONE = Map.of();

    private static VtpmRequest resolved(Map<String, String> flavor, Map<String, String> image) {
        Optional<VtpmRequest> r = VtpmRequest.resolve(flavor, image);
        assertTrue(r.isPresent(), "a vTPM is requested");
        return r.get();
    }

    private static VtpmRequestException refused(Map<String, String> flavor, Map<String, String> image) {
        return assertThrows(VtpmRequestException.class, () -> VtpmRequest.resolve(flavor, image));
    }

    @Test
    void nothingSetMeansNoVtpm() {
        assertEquals(Optional.empty(), VtpmRequest.resolve(NONE, NONE));
        assertEquals(Optional.empty(), VtpmRequest.resolve(Map.of("hw:cpu_policy", "dedicated"),
                Map.of("hw_machine_type", "q35")));
    }

    @Test
    void modelOrSecretSecurityWithoutVersionMeansNoVtpm() {
        assertEquals(Optional.empty(), VtpmRequest.resolve(Map.of("hw:tpm_model", "tpm-crb"), NONE));
        assertEquals(Optional.empty(), VtpmRequest.resolve(NONE, Map.of("hw_tpm_model", "tpm-tis")));
        assertEquals(Optional.empty(), VtpmRequest.resolve(Map.of("hw:tpm_secret_security", "host"), NONE));
    }

    @Test
    void versionFromTheFlavorAloneDefaultsModelTisAndSecurityUser() {
        assertEquals(new VtpmRequest(TpmVersion.V2_0, TpmModel.TIS, SecretSecurity.USER),
                resolved(Map.of("hw:tpm_version", "2.0"), NONE));
        assertEquals(new VtpmRequest(TpmVersion.V1_2, TpmModel.TIS, SecretSecurity.USER),
                resolved(Map.of("hw:tpm_version", "1.2"), NONE));
    }

    @Test
    void versionFromTheImageAlone() {
        assertEquals(new VtpmRequest(TpmVersion.V2_0, TpmModel.TIS, SecretSecurity.USER),
                resolved(NONE, Map.of("hw_tpm_version", "2.0")));
        assertEquals(TpmVersion.V1_2, resolved(NONE, Map.of("hw_tpm_version", "1.2")).version());
    }

    @Test
    void equalVersionsInFlavorAndImageAgree() {
        assertEquals(TpmVersion.V2_0,
                resolved(Map.of("hw:tpm_version", "2.0"), Map.of("hw_tpm_version", "2.0")).version());
    }

    @Test
    void differentVersionsInFlavorAndImageConflict() {
        VtpmRequestException e = refused(Map.of("hw:tpm_version", "2.0"), Map.of("hw_tpm_version", "1.2"));
        assertEquals(VtpmRequestException.Reason.FLAVOR_IMAGE_CONFLICT, e.reason());
        assertEquals("hw:tpm_version", e.key());
        assertEquals("flavor extra spec hw:tpm_version='2.0' conflicts with image property hw_tpm_version='1.2'",
                e.getMessage());
    }

    @Test
    void invalidVersionIsRefusedNamingKeyAndValue() {
        VtpmRequestException e = refused(Map.of("hw:tpm_version", "3.0"), NONE);
        assertEquals(VtpmRequestException.Reason.INVALID_VALUE, e.reason());
        assertEquals("hw:tpm_version", e.key());
        assertEquals("invalid hw:tpm_version '3.0'; allowed values: 1.2, 2.0", e.getMessage());

        e = refused(NONE, Map.of("hw_tpm_version", "2"));
        assertEquals("hw_tpm_version", e.key());
        assertEquals("invalid hw_tpm_version '2'; allowed values: 1.2, 2.0", e.getMessage());
    }

    @Test
    void versionsAreMatchedExactly() {
        for (String v : new String[] {"", " 2.0", "2.0 ", "v2.0", "2.00", "1.2.0", "TPM2"}) {
            assertEquals(VtpmRequestException.Reason.INVALID_VALUE,
                    refused(Map.of("hw:tpm_version", v), NONE).reason(), v);
        }
    }

    @Test
    void modelFromFlavorOrImage() {
        assertEquals(TpmModel.CRB,
                resolved(Map.of("hw:tpm_version", "2.0", "hw:tpm_model", "tpm-crb"), NONE).model());
        assertEquals(TpmModel.CRB,
                resolved(Map.of("hw:tpm_version", "2.0"), Map.of("hw_tpm_model", "tpm-crb")).model());
        assertEquals(TpmModel.TIS,
                resolved(NONE, Map.of("hw_tpm_version", "2.0", "hw_tpm_model", "tpm-tis")).model());
        assertEquals(TpmModel.CRB, resolved(Map.of("hw:tpm_model", "tpm-crb"),
                Map.of("hw_tpm_version", "2.0", "hw_tpm_model", "tpm-crb")).model());
    }

    @Test
    void differentModelsInFlavorAndImageConflict() {
        VtpmRequestException e = refused(Map.of("hw:tpm_version", "2.0", "hw:tpm_model", "tpm-tis"),
                Map.of("hw_tpm_model", "tpm-crb"));
        assertEquals(VtpmRequestException.Reason.FLAVOR_IMAGE_CONFLICT, e.reason());
        assertEquals("hw:tpm_model", e.key());
        assertTrue(e.getMessage().contains("hw_tpm_model='tpm-crb'"), e.getMessage());
    }

    @Test
    void invalidModelIsRefusedNamingKeyAndValue() {
        VtpmRequestException e = refused(Map.of("hw:tpm_version", "2.0", "hw:tpm_model", "tpm-spapr"), NONE);
        assertEquals(VtpmRequestException.Reason.INVALID_VALUE, e.reason());
        assertEquals("invalid hw:tpm_model 'tpm-spapr'; allowed values: tpm-tis, tpm-crb", e.getMessage());
        assertEquals("hw_tpm_model", refused(NONE, Map.of("hw_tpm_version", "2.0", "hw_tpm_model", "CRB")).key());
    }

    @Test
    void invalidValueIsRefusedEvenWithoutVersion() {
        // Nova's extra-spec validator and image property fields refuse it when it is set
        assertEquals("hw:tpm_model", refused(Map.of("hw:tpm_model", "crb"), NONE).key());
        assertEquals("hw:tpm_secret_security", refused(Map.of("hw:tpm_secret_security", "none"), NONE).key());
    }

    @Test
    void crbWithVersion12IsRefused() {
        for (Map<String, String>[] pair : pairs(
                Map.of("hw:tpm_version", "1.2", "hw:tpm_model", "tpm-crb"), NONE,
                NONE, Map.of("hw_tpm_version", "1.2", "hw_tpm_model", "tpm-crb"),
                Map.of("hw:tpm_version", "1.2"), Map.of("hw_tpm_model", "tpm-crb"))) {
            VtpmRequestException e = refused(pair[0], pair[1]);
            assertEquals(VtpmRequestException.Reason.MODEL_VERSION_MISMATCH, e.reason());
            assertEquals("TPM model tpm-crb (hw:tpm_model / hw_tpm_model) is only valid with TPM version 2.0, not 1.2",
                    e.getMessage());
        }
        assertThrows(VtpmRequestException.class,
                () -> new VtpmRequest(TpmVersion.V1_2, TpmModel.CRB, SecretSecurity.USER));
    }

    @Test
    void tisWithVersion12IsFine() {
        assertEquals(new VtpmRequest(TpmVersion.V1_2, TpmModel.TIS, SecretSecurity.HOST), resolved(
                Map.of("hw:tpm_version", "1.2", "hw:tpm_model", "tpm-tis", "hw:tpm_secret_security", "host"), NONE));
    }

    @Test
    void secretSecurityComesFromTheFlavor() {
        for (SecretSecurity s : SecretSecurity.values()) {
            assertEquals(s, resolved(Map.of("hw:tpm_version", "2.0", "hw:tpm_secret_security", s.value()), NONE)
                    .secretSecurity());
        }
        assertEquals(SecretSecurity.USER, resolved(Map.of("hw:tpm_version", "2.0"), NONE).secretSecurity());
    }

    @Test
    void imageCannotSetSecretSecurity() {
        // Nova has no image property for it on purpose; an image's attempt is ignored, even an invalid one
        assertEquals(SecretSecurity.USER, resolved(NONE,
                Map.of("hw_tpm_version", "2.0", "hw_tpm_secret_security", "host")).secretSecurity());
        assertEquals(SecretSecurity.HOST, resolved(Map.of("hw:tpm_secret_security", "host"),
                Map.of("hw_tpm_version", "2.0", "hw_tpm_secret_security", "bogus")).secretSecurity());
    }

    @Test
    void invalidSecretSecurityIsRefused() {
        VtpmRequestException e = refused(Map.of("hw:tpm_version", "2.0", "hw:tpm_secret_security", "Host"), NONE);
        assertEquals(VtpmRequestException.Reason.INVALID_VALUE, e.reason());
        assertEquals("invalid hw:tpm_secret_security 'Host'; allowed values: user, host, deployment",
                e.getMessage());
    }

    @Test
    void messagesQuoteUntrustedValuesSafely() {
        String nasty = "2.0'\n\u0000" + "x".repeat(100);
        String message = refused(Map.of("hw:tpm_version", nasty), NONE).getMessage();
        assertFalse(message.contains("\n") || message.contains("\u0000"), message);
        assertTrue(message.startsWith("invalid hw:tpm_version '2.0\\u0027\\u000a\\u0000xxx"), message);
        assertTrue(message.contains("x…'"), "long values are shortened: " + message);
    }

    @Test
    void theMapsAreNotKeptOrChanged() {
        java.util.HashMap<String, String> flavor = new java.util.HashMap<>(Map.of("hw:tpm_version", "2.0"));
        VtpmRequest r = resolved(flavor, NONE);
        flavor.put("hw:tpm_version", "1.2");
        assertEquals(TpmVersion.V2_0, r.version());
        assertEquals("1.2", flavor.get("hw:tpm_version"));
    }

    @SafeVarargs
    @SuppressWarnings("unchecked")
    private static Map<String, String>[][] pairs(Map<String, String>... maps) {
        Map<String, String>[][] out = new Map[maps.length / 2][];
        for (int i = 0; i < out.length; i++) {
            out[i] = new Map[] {maps[2 * i], maps[2 * i + 1]};
        }
        return out;
    }
}
