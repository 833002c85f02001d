package org.jswtpm.swtpm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The C {@code swtpm_ioctl} (Debian's swtpm-tools) driving our control channel: every command it sends
 * over TCP must get an answer it accepts, and it must print what ours prints.
 */
class DebianSwtpmIoctlInteropTest {
    private final FakeTpm tpm = new FakeTpm();
    private TestServer server;
    private Path tool;

    @BeforeEach
    void start() throws Exception {
        tool = ExternalTools.require("swtpm_ioctl");
        server = TestServer.running(tpm);
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private record Result(int exit, String out) { }

    private Result c(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(tool.toString(), "--tcp", "127.0.0.1:" + server.server.ctrlPort()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        assertTrue(p.waitFor(20, TimeUnit.SECONDS), "swtpm_ioctl hangs");
        return new Result(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    private Result ours(String... args) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        java.io.PrintStream ps = new java.io.PrintStream(out, true, StandardCharsets.UTF_8);
        String[] full = new String[args.length + 2];
        full[0] = "--tcp";
        full[1] = "127.0.0.1:" + server.server.ctrlPort();
        System.arraycopy(args, 0, full, 2, args.length);
        int exit = SwtpmIoctl.run(full, ps, ps, System.in);
        return new Result(exit, out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void sameOutputAsOurSwtpmIoctl() throws Exception {
        for (String[] args : List.of(new String[] {"-c"}, new String[] {"-b", "0"}, new String[] {"--info", "3"},
                new String[] {"-e"}, new String[] {"-g"}, new String[] {"-l", "3"}, new String[] {"-r", "0"},
                new String[] {"-r", "3"}, new String[] {"-C"}, new String[] {"-v"}, new String[] {"-h", "abc"},
                new String[] {"--stop"}, new String[] {"-e"}, new String[] {"-b", "3000"}, new String[] {"-i"})) {
            assertEquals(c(args), ours(args), String.join(" ", args));
        }
        assertEquals(new Result(0, ""), c("-s"));
        assertTrue(server.server.awaitExitRequest(5, java.util.concurrent.TimeUnit.SECONDS));
    }
}
