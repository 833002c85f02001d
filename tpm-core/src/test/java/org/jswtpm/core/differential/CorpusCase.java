package org.jswtpm.core.differential;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * One line of a differential corpus: {@code name | mode | hex command}. Lines starting with {@code #}
 * and blank lines are comments. Cases run in file order against one pair of TPMs.
 */
record CorpusCase(String name, Comparison comparison, byte[] command, int line) {

    static List<CorpusCase> load(String resource) throws IOException {
        InputStream in = CorpusCase.class.getResourceAsStream(resource);
        if (in == null) {
            throw new IOException("corpus not found on the test class path: " + resource);
        }
        List<CorpusCase> cases = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII))) {
            String text;
            int line = 0;
            while ((text = r.readLine()) != null) {
                line++;
                String t = text.strip();
                if (t.isEmpty() || t.startsWith("#")) {
                    continue;
                }
                cases.add(parse(t, line));
            }
        }
        return cases;
    }

    static CorpusCase parse(String text, int line) {
        String[] parts = text.split("\\|");
        if (parts.length != 3) {
            throw new IllegalArgumentException("line " + line + ": expected 'name | mode | hex', got: " + text);
        }
        String hex = parts[2].replaceAll("\\s+", "");
        return new CorpusCase(parts[0].strip(), Comparison.parse(parts[1].strip()), HexFormat.of().parseHex(hex), line);
    }

    @Override
    public String toString() {
        return name + " (line " + line + ", " + comparison + ")";
    }
}
