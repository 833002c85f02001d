package org.jswtpm.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jswtpm.core.command.Commands;
import org.jswtpm.core.engine.CommandSpec;
import org.junit.jupiter.api.Test;

/** docs/compatibility.md says exactly which commands the engine's command table implements. */
class CompatibilityDocTest {
    @Test
    void commandTableAndDocumentationAgree() throws Exception {
        String doc = Files.readString(Path.of("..", "docs", "compatibility.md"));
        TreeSet<String> documented = new TreeSet<>();
        Matcher m = Pattern.compile("^\\| TPM2_(\\w+) \\| 0x[0-9a-f]+ \\| implemented \\|", Pattern.MULTILINE).matcher(doc);
        while (m.find()) {
            documented.add(m.group(1));
        }
        TreeSet<String> implemented = new TreeSet<>();
        for (CommandSpec s : Commands.table().all()) {
            implemented.add(s.cc().name());
        }
        assertEquals(implemented, documented);
    }
}
