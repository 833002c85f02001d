package org.jswtpm.libvirt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class HostTpmTraitsTest {
    @Test
    void jswtpmOffersTpm20BothModelsAndEverySecretSecurityButNever12() {
        assertEquals(EnumSet.of(TpmTrait.COMPUTE_SECURITY_TPM_2_0, TpmTrait.COMPUTE_SECURITY_TPM_TIS,
                TpmTrait.COMPUTE_SECURITY_TPM_CRB, TpmTrait.COMPUTE_SECURITY_TPM_SECRET_SECURITY_USER,
                TpmTrait.COMPUTE_SECURITY_TPM_SECRET_SECURITY_HOST,
                TpmTrait.COMPUTE_SECURITY_TPM_SECRET_SECURITY_DEPLOYMENT), HostTpmTraits.jswtpm().offered());
        assertFalse(HostTpmTraits.jswtpm(EnumSet.allOf(SecretSecurity.class)).offered()
                .contains(TpmTrait.COMPUTE_SECURITY_TPM_1_2));
    }

    @Test
    void requiredTraitsAreVersionModelAndSecretSecurity() {
        assertEquals(List.of(TpmTrait.COMPUTE_SECURITY_TPM_2_0, TpmTrait.COMPUTE_SECURITY_TPM_CRB,
                TpmTrait.COMPUTE_SECURITY_TPM_SECRET_SECURITY_HOST),
                HostTpmTraits.required(new VtpmRequest(TpmVersion.V2_0, TpmModel.CRB, SecretSecurity.HOST)));
        assertEquals(List.of(TpmTrait.COMPUTE_SECURITY_TPM_1_2, TpmTrait.COMPUTE_SECURITY_TPM_TIS,
                TpmTrait.COMPUTE_SECURITY_TPM_SECRET_SECURITY_USER),
                HostTpmTraits.required(new VtpmRequest(TpmVersion.V1_2, TpmModel.TIS, SecretSecurity.USER)));
    }

    @Test
    void everyTpm20RequestIsServed() {
        HostTpmTraits host = HostTpmTraits.jswtpm();
        for (TpmModel m : TpmModel.values()) {
            for (SecretSecurity s : SecretSecurity.values()) {
                VtpmRequest r = new VtpmRequest(TpmVersion.V2_0, m, s);
                assertEquals(List.of(), host.missing(r), r.toString());
                host.check(r);
            }
        }
    }

    @Test
    void aResolved12RequestIsUnsupported() {
        VtpmRequest r = VtpmRequest.resolve(Map.of("hw:tpm_version", "1.2"), Map.of()).orElseThrow();
        UnsupportedVtpmException e = assertThrows(UnsupportedVtpmException.class, () -> HostTpmTraits.jswtpm().check(r));
        assertEquals(List.of(TpmTrait.COMPUTE_SECURITY_TPM_1_2), e.missing());
        assertEquals(r, e.request());
        assertTrue(e.getMessage().contains("COMPUTE_SECURITY_TPM_1_2"), e.getMessage());
        assertTrue(e.getMessage().contains("TPM 2.0 only"), e.getMessage());
    }

    @Test
    void secretSecurityModesTheOperatorDisabledAreMissing() {
        HostTpmTraits host = HostTpmTraits.jswtpm(Set.of(SecretSecurity.USER));
        VtpmRequest r = new VtpmRequest(TpmVersion.V2_0, TpmModel.TIS, SecretSecurity.HOST);
        assertEquals(List.of(TpmTrait.COMPUTE_SECURITY_TPM_SECRET_SECURITY_HOST), host.missing(r));
        UnsupportedVtpmException e = assertThrows(UnsupportedVtpmException.class, () -> host.check(r));
        assertFalse(e.getMessage().contains("TPM 2.0 only"), e.getMessage());
    }

    @Test
    void anArbitraryHost() {
        HostTpmTraits host = HostTpmTraits.of(Set.of(TpmTrait.COMPUTE_SECURITY_TPM_1_2, TpmTrait.COMPUTE_SECURITY_TPM_TIS,
                TpmTrait.COMPUTE_SECURITY_TPM_SECRET_SECURITY_USER));
        assertEquals(List.of(), host.missing(new VtpmRequest(TpmVersion.V1_2, TpmModel.TIS, SecretSecurity.USER)));
        assertEquals(List.of(TpmTrait.COMPUTE_SECURITY_TPM_2_0, TpmTrait.COMPUTE_SECURITY_TPM_CRB),
                host.missing(new VtpmRequest(TpmVersion.V2_0, TpmModel.CRB, SecretSecurity.USER)));
        assertEquals(Set.of(), HostTpmTraits.of(Set.of()).offered());
    }
}
