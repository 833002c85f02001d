package org.jswtpm.swtpm.setup;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A swtpm_setup-style configuration file ({@code swtpm_setup.conf}, {@code swtpm-localca.conf}): lines
 * of {@code key = value}, {@code #} comments, {@code ${NAME}} replaced from the environment (fact sheet
 * §6.5). A missing file is an empty configuration.
 */
final class SetupConfig {
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)}");

    private final Path file;
    private final Map<String, String> values;

    private SetupConfig(Path file, Map<String, String> values) {
        this.file = file;
        this.values = values;
    }

    static SetupConfig empty() {
        return new SetupConfig(null, Map.of());
    }

    /** Reads {@code file}; a missing file gives an empty configuration. */
    static SetupConfig read(Path file, Map<String, String> env) throws IOException {
        Map<String, String> values = new LinkedHashMap<>();
        if (file == null || !Files.exists(file)) {
            return new SetupConfig(file, values);
        }
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            String t = line.strip();
            if (t.isEmpty() || t.startsWith("#")) {
                continue;
            }
            int eq = t.indexOf('=');
            if (eq <= 0) {
                continue;
            }
            values.putIfAbsent(t.substring(0, eq).strip(), substitute(t.substring(eq + 1).strip(), env));
        }
        return new SetupConfig(file, values);
    }

    /**
     * The configuration swtpm_setup would use: {@code --config}, else {@code $XDG_CONFIG_HOME/swtpm_setup.conf},
     * else {@code ~/.config/swtpm_setup.conf}, else {@code /etc/swtpm_setup.conf}.
     */
    static List<Path> candidates(Path explicit, Map<String, String> env, Path systemConfig) {
        List<Path> paths = new ArrayList<>();
        if (explicit != null) {
            paths.add(explicit);
            return paths;
        }
        if (env.get("XDG_CONFIG_HOME") != null) {
            paths.add(Path.of(env.get("XDG_CONFIG_HOME"), "swtpm_setup.conf"));
        }
        if (env.get("HOME") != null) {
            paths.add(Path.of(env.get("HOME"), ".config", "swtpm_setup.conf"));
        }
        paths.add(systemConfig);
        return paths;
    }

    static String substitute(String value, Map<String, String> env) {
        Matcher m = VARIABLE.matcher(value);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(sb, Matcher.quoteReplacement(env.getOrDefault(m.group(1), "")));
        }
        m.appendTail(sb);
        return sb.toString();
    }

    /** The value of {@code key}, or null. */
    String get(String key) {
        String v = values.get(key);
        return v == null || v.isEmpty() ? null : v;
    }

    /** The file this came from, or null. */
    Path file() {
        return file;
    }
}
