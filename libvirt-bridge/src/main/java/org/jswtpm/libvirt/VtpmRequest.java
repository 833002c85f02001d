package org.jswtpm.libvirt;

import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * A validated vTPM request, resolved from a flavor's extra specs and an image's properties with the
 * rules of OpenStack Nova ({@code nova.virt.hardware.get_vtpm_constraint},
 * {@code get_tpm_secret_security_constraint}; docs/libvirt-bridge.md has the table and the sources).
 *
 * @param version {@code hw:tpm_version} / {@code hw_tpm_version}
 * @param model {@code hw:tpm_model} / {@code hw_tpm_model}, {@link TpmModel#TIS} when neither is set
 * @param secretSecurity {@code hw:tpm_secret_security} (flavor only), {@link SecretSecurity#USER} when unset
 */
public record VtpmRequest(TpmVersion version, TpmModel model, SecretSecurity secretSecurity) {
    public static final String FLAVOR_VERSION = "hw:tpm_version";
    public static final String FLAVOR_MODEL = "hw:tpm_model";
    public static final String FLAVOR_SECRET_SECURITY = "hw:tpm_secret_security";
    public static final String IMAGE_VERSION = "hw_tpm_version";
    public static final String IMAGE_MODEL = "hw_tpm_model";

    public VtpmRequest {
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(secretSecurity, "secretSecurity");
        if (model == TpmModel.CRB && version != TpmVersion.V2_0) {
            throw crbMismatch(version);
        }
    }

    /**
     * The vTPM that {@code flavorExtraSpecs} and {@code imageProperties} ask for, or empty when neither
     * sets a TPM version (Nova then adds no vTPM, whatever the model or secret security say).
     *
     * <p>Order of checks: every value present is checked against its allowed set (as Nova's extra-spec
     * validator and image property fields do when the value is set), then the version (flavor and image
     * must agree when both are set), then the model (likewise; default {@code tpm-tis}; {@code tpm-crb}
     * needs 2.0), then the secret security (flavor only; default {@code user}). There is no image property
     * for the secret security; an image's {@code hw_tpm_secret_security} is ignored, as in Nova.
     *
     * @throws VtpmRequestException naming the key and value at fault
     */
    public static Optional<VtpmRequest> resolve(Map<String, String> flavorExtraSpecs,
            Map<String, String> imageProperties) {
        Map<String, String> flavor = Map.copyOf(flavorExtraSpecs);
        Map<String, String> image = Map.copyOf(imageProperties);
        Optional<TpmVersion> flavorVersion = parse(flavor, FLAVOR_VERSION, TpmVersion::fromValue, TpmVersion.values());
        Optional<TpmVersion> imageVersion = parse(image, IMAGE_VERSION, TpmVersion::fromValue, TpmVersion.values());
        Optional<TpmModel> flavorModel = parse(flavor, FLAVOR_MODEL, TpmModel::fromValue, TpmModel.values());
        Optional<TpmModel> imageModel = parse(image, IMAGE_MODEL, TpmModel::fromValue, TpmModel.values());
        Optional<SecretSecurity> security = parse(flavor, FLAVOR_SECRET_SECURITY, SecretSecurity::fromValue,
                SecretSecurity.values());

        Optional<TpmVersion> version = unique(FLAVOR_VERSION, flavorVersion, IMAGE_VERSION, imageVersion);
        if (version.isEmpty()) {
            return Optional.empty();
        }
        TpmModel model = unique(FLAVOR_MODEL, flavorModel, IMAGE_MODEL, imageModel).orElse(TpmModel.TIS);
        return Optional.of(new VtpmRequest(version.get(), model, security.orElse(SecretSecurity.USER)));
    }

    private static <T> Optional<T> parse(Map<String, String> source, String key, Function<String, Optional<T>> parser,
            T[] allowed) {
        String raw = source.get(key);
        if (raw == null) {
            return Optional.empty();
        }
        Optional<T> parsed = parser.apply(raw);
        if (parsed.isEmpty()) {
            String valid = Arrays.stream(allowed).map(Object::toString).collect(Collectors.joining(", "));
            throw new VtpmRequestException(VtpmRequestException.Reason.INVALID_VALUE, key,
                    "invalid " + key + " " + VtpmRequestException.quote(raw) + "; allowed values: " + valid);
        }
        return parsed;
    }

    /** The one value of flavor and image; both set and different is a conflict. */
    private static <T> Optional<T> unique(String flavorKey, Optional<T> flavor, String imageKey, Optional<T> image) {
        if (flavor.isPresent() && image.isPresent() && !flavor.get().equals(image.get())) {
            throw new VtpmRequestException(VtpmRequestException.Reason.FLAVOR_IMAGE_CONFLICT, flavorKey,
                    "flavor extra spec " + flavorKey + "='" + flavor.get() + "' conflicts with image property "
                            + imageKey + "='" + image.get() + "'");
        }
        return flavor.isPresent() ? flavor : image;
    }

    private static VtpmRequestException crbMismatch(TpmVersion version) {
        return new VtpmRequestException(VtpmRequestException.Reason.MODEL_VERSION_MISMATCH, FLAVOR_MODEL,
                "TPM model " + TpmModel.CRB + " (" + FLAVOR_MODEL + " / " + IMAGE_MODEL
                        + ") is only valid with TPM version 2.0, not " + version);
    }
}
