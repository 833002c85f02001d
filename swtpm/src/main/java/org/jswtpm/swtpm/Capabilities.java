package org.jswtpm.swtpm;

import java.util.ArrayList;
import java.util.List;

/**
 * The one-line JSON of {@code swtpm socket --print-capabilities} (fact sheet §1.4), listing only the
 * features jswtpm really has. Consumers (libvirt, swtpm_setup) search it for quoted feature words, so
 * the layout follows swtpm's exactly: {@code { "type": "swtpm", "features": [ "a", "b" ], "version": "x" }}.
 */
public final class Capabilities {
    /** jswtpm's version, reported where swtpm reports its own. */
    public static final String VERSION = "0.1.0";

    private Capabilities() {
    }

    /** The feature words, in swtpm's emission order. {@code tpm2} is whether {@code --tpm2} was given. */
    public static List<String> features(boolean tpm2) {
        List<String> features = new ArrayList<>();
        features.add("tpm-2.0");
        features.add("tpm-send-command-header");
        features.add("flags-opt-startup");
        features.add("flags-opt-disable-auto-shutdown");
        features.add("ctrl-opt-terminate");
        features.add("cmdarg-key-fd");
        features.add("cmdarg-pwd-fd");
        features.add("cmdarg-print-states");
        features.add("cmdarg-chroot");
        features.add("cmdarg-migration");
        features.add("nvram-backend-dir");
        features.add("nvram-backend-file");
        features.add("cmdarg-print-info");
        features.add("cmdarg-pcap");
        features.add("tpmstate-opt-lock");
        features.add("tpmstate-dir-backend-opt-backup");
        features.add("tpmstate-dir-backend-opt-fsync");
        return features;
    }

    /** The JSON line, without the trailing newline. */
    public static String json(boolean tpm2) {
        StringBuilder sb = new StringBuilder("{ \"type\": \"swtpm\", \"features\": [ ");
        List<String> features = features(tpm2);
        for (int i = 0; i < features.size(); i++) {
            sb.append(i == 0 ? "" : ", ").append('"').append(features.get(i)).append('"');
        }
        return sb.append(" ], \"version\": \"").append(VERSION).append("\" }").toString();
    }
}
