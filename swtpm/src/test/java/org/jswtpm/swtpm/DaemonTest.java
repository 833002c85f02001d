package org.jswtpm.swtpm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code --daemon} with a real JVM: the parent exits 0 once the detached child serves. */
@Timeout(120)
class DaemonTest {
    @TempDir
    Path dir;

    private Process launch(String... args) throws Exception {
        List<String> argv = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName(), "socket"));
        argv.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(argv).redirectErrorStream(true);
        pb.environment().remove(Daemon.READY_ENV);
        return pb.start();
    }

    @Test
    void parentExitsOnceTheChildServes() throws Exception {
        Path pid = dir.resolve("pid");
        Path ctrl = dir.resolve("ctrl.sock");
        Process parent = launch("--tpm2", "--daemon", "--server", "type=unixio,path=" + dir.resolve("data.sock"),
                "--ctrl", "type=unixio,path=" + ctrl, "--pid", "file=" + pid, "--flags", "not-need-init",
                "--tpmstate", "dir=" + dir);
        assertTrue(parent.waitFor(90, TimeUnit.SECONDS));
        String output = new String(parent.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, parent.exitValue(), output);
        assertTrue(Files.exists(pid));
        assertTrue(Files.exists(ctrl));
        long childPid = Long.parseLong(Files.readString(pid).trim());
        ProcessHandle child = ProcessHandle.of(childPid).orElseThrow();
        try {
            assertTrue(child.isAlive());
            assertTrue(childPid != parent.pid());
            if (Files.isExecutable(Path.of("/usr/bin/setsid"))) {
                String stat = Files.readString(Path.of("/proc/" + childPid + "/stat"));
                String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                assertEquals(childPid, Long.parseLong(fields[3]), "the daemon leads its own session");
            }
        } finally {
            child.destroy();
            child.onExit().get(30, TimeUnit.SECONDS);
        }
        assertTrue(!Files.exists(pid));
    }

    @Test
    void parentFailsWhenTheChildCannotStart() throws Exception {
        Path notADir = Files.writeString(dir.resolve("file"), "x");
        Process parent = launch("--tpm2", "--daemon", "--server", "type=unixio,path=" + notADir.resolve("data.sock"),
                "--ctrl", "type=unixio,path=" + dir.resolve("ctrl.sock"), "--tpmstate", "dir=" + dir);
        assertTrue(parent.waitFor(90, TimeUnit.SECONDS));
        String output = new String(parent.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(1, parent.exitValue(), output);
        assertTrue(output.contains("before it was ready"), output);
    }
}
