package org.jswtpm.swtpm.setup;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code swtpm_setup --create-config-files [overwrite][,root][,skip-if-exist]}: writes a user's
 * {@code swtpm_setup.conf}, {@code swtpm-localca.conf} and {@code swtpm-localca.options} into
 * {@code $XDG_CONFIG_HOME} (else {@code ~/.config}), the local CA's state directory being
 * {@code <config>/var/lib/swtpm-localca}, as swtpm_setup lays them out.
 */
final class ConfigFiles {
    static final String SETUP_CONF = "swtpm_setup.conf";
    static final String LOCALCA_CONF = "swtpm-localca.conf";
    static final String LOCALCA_OPTIONS = "swtpm-localca.options";

    private ConfigFiles() {
    }

    /** {@code $XDG_CONFIG_HOME}, else {@code $HOME/.config}. */
    static Path configHome(Map<String, String> env) {
        String xdg = env.get("XDG_CONFIG_HOME");
        if (xdg != null && !xdg.isEmpty()) {
            return Path.of(xdg);
        }
        String home = env.getOrDefault("HOME", System.getProperty("user.home"));
        return Path.of(home, ".config");
    }

    static int create(Set<String> flags, Map<String, String> env, PrintStream out, PrintStream err) {
        Path dir = configHome(env);
        List<Path> files = List.of(dir.resolve(SETUP_CONF), dir.resolve(LOCALCA_CONF), dir.resolve(LOCALCA_OPTIONS));
        boolean anyExists = files.stream().anyMatch(Files::exists);
        if (anyExists && !flags.contains("overwrite")) {
            if (flags.contains("skip-if-exist")) {
                return 0;
            }
            for (Path f : files) {
                if (Files.exists(f)) {
                    err.println("File " + f + " already exists. Refusing to overwrite.");
                }
            }
            return 1;
        }
        Path statedir = dir.resolve("var").resolve("lib").resolve("swtpm-localca");
        try {
            Files.createDirectories(statedir);
            write(files.get(0), "# Written by jswtpm swtpm_setup --create-config-files\n"
                    + "# The certificates are issued in-process; create_certs_tool is not run.\n"
                    + "create_certs_tool = swtpm_localca\n"
                    + "create_certs_tool_config = " + files.get(1) + "\n"
                    + "create_certs_tool_options = " + files.get(2) + "\n"
                    + "active_pcr_banks = " + SwtpmSetup.DEFAULT_PCR_BANKS + "\n");
            write(files.get(1), "statedir = " + statedir + "\n"
                    + "signingkey = " + statedir.resolve(LocalCa.SIGN_KEY) + "\n"
                    + "issuercert = " + statedir.resolve(LocalCa.ISSUER_CERT) + "\n"
                    + "certserial = " + statedir.resolve(LocalCa.CERT_SERIAL) + "\n");
            write(files.get(2), "--platform-manufacturer jswtpm\n--platform-version 2.1\n--platform-model jswtpm\n");
        } catch (IOException e) {
            err.println("Could not write the config files in " + dir + ": " + e.getMessage());
            return 1;
        }
        for (Path f : files) {
            out.println("Writing " + f + ".");
        }
        return 0;
    }

    private static void write(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text, StandardCharsets.UTF_8);
    }
}
