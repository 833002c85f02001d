package org.jswtpm.swtpm;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The value of one swtpm option such as {@code --server type=tcp,port=2321,disconnect}: comma-separated
 * tokens, each {@code name=value} or a bare {@code name} (meaning {@code name=true}). A value may be a
 * JSON map in braces, inside which commas do not split tokens.
 *
 * <p>Rules as swtpm applies them: an unknown name is an error; a boolean is true only for {@code true}
 * or {@code 1} (case-insensitive), anything else is false; integers are decimal; {@code mode=} is octal
 * and at most {@code 0777}.
 */
public final class SubOptions {
    private final String option;
    private final Map<String, String> values;

    private SubOptions(String option, Map<String, String> values) {
        this.option = option;
        this.values = values;
    }

    /**
     * Parses {@code text}, the argument of {@code option}, allowing only the names in {@code known}.
     *
     * @throws UsageException on an unknown or repeated-empty name, or unbalanced braces
     */
    public static SubOptions parse(String option, String text, Set<String> known) throws UsageException {
        Map<String, String> values = new LinkedHashMap<>();
        for (String token : splitTokens(option, text)) {
            if (token.isEmpty()) {
                continue;
            }
            int eq = token.indexOf('=');
            String name = eq < 0 ? token : token.substring(0, eq);
            String value = eq < 0 ? "true" : token.substring(eq + 1);
            if (!known.contains(name)) {
                throw new UsageException("Unknown parameter '" + name + "' for option " + option);
            }
            values.put(name, value);
        }
        return new SubOptions(option, values);
    }

    private static java.util.List<String> splitTokens(String option, String text) throws UsageException {
        java.util.List<String> tokens = new java.util.ArrayList<>();
        int depth = 0;
        int start = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '{') {
                depth++;
            } else if (c == '}') {
                if (--depth < 0) {
                    throw new UsageException("Unbalanced '}' in the parameters of option " + option);
                }
            } else if (c == ',' && depth == 0) {
                tokens.add(text.substring(start, i));
                start = i + 1;
            }
        }
        if (depth != 0) {
            throw new UsageException("Unbalanced '{' in the parameters of option " + option);
        }
        tokens.add(text.substring(start));
        return tokens;
    }

    /** True if {@code name} was given. */
    public boolean has(String name) {
        return values.containsKey(name);
    }

    /** The raw value of {@code name}, or {@code fallback} if it was not given. */
    public String string(String name, String fallback) {
        return values.getOrDefault(name, fallback);
    }

    /** The value of a boolean {@code name}: true only for {@code true} or {@code 1}. */
    public boolean bool(String name, boolean fallback) {
        String v = values.get(name);
        if (v == null) {
            return fallback;
        }
        String lower = v.toLowerCase(Locale.ROOT);
        return lower.equals("true") || lower.equals("1");
    }

    /** The decimal integer value of {@code name} within [min, max], or {@code fallback} if absent. */
    public int integer(String name, int fallback, int min, int max) throws UsageException {
        String v = values.get(name);
        if (v == null) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(v);
            if (n < min || n > max) {
                throw new UsageException(option + ": " + name + "=" + v + " is out of range " + min + ".." + max);
            }
            return n;
        } catch (NumberFormatException e) {
            throw new UsageException(option + ": " + name + "=" + v + " is not a decimal number");
        }
    }

    /** The octal file mode of {@code name} (at most 0777), or {@code fallback} if absent. */
    public int mode(String name, int fallback) throws UsageException {
        String v = values.get(name);
        if (v == null) {
            return fallback;
        }
        try {
            int mode = Integer.parseInt(v, 8);
            if (mode < 0 || mode > 0777) {
                throw new UsageException(option + ": mode " + v + " is greater than 0777");
            }
            return mode;
        } catch (NumberFormatException e) {
            throw new UsageException(option + ": mode '" + v + "' is not an octal number");
        }
    }

    /** Fails if any of {@code names} was given: swtpm has them, this implementation does not yet. */
    public void rejectUnsupported(String... names) throws UsageException {
        for (String name : names) {
            if (values.containsKey(name)) {
                throw new UsageException("Parameter '" + name + "' of option " + option
                        + " is not supported by jswtpm yet");
            }
        }
    }
}
