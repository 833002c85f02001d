package org.jswtpm.swtpm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --pid file=} and {@code --pid fd=}, written as swtpm writes them. */
class PidFileTest {
    @TempDir
    Path dir;

    private static String pid() {
        return Long.toString(ProcessHandle.current().pid());
    }

    @Test
    void aFileGetsThePidWithoutNewlineAndIsTruncated() throws Exception {
        Path file = Files.writeString(dir.resolve("p"), "a much longer old content");
        PidFile.write(file);
        assertEquals(pid(), Files.readString(file, StandardCharsets.US_ASCII));
    }

    @Test
    void aDescriptorGetsThePidAtItsOffsetAndIsClosed() throws Exception {
        Path file = Files.writeString(dir.resolve("fd-pid"), "X".repeat(24));
        int fd = LibC.open(file.toString(), LibC.O_RDWR);
        assertEquals(file.toRealPath(), PidFile.write(fd), "the path to remove at exit");
        String content = Files.readString(file, StandardCharsets.US_ASCII);
        assertEquals(pid() + "X".repeat(24 - pid().length()), content, "not truncated, no newline");
        IOException closed = assertThrows(IOException.class, () -> UnixFds.fileMode(fd));
        assertTrue(closed.getMessage().contains("not open"), closed.getMessage());
    }

    @Test
    void aDescriptorThatIsNotARegularFileIsRefused() throws Exception {
        int[] pair = UnixFds.socketPair();
        IOException e = assertThrows(IOException.class, () -> PidFile.write(pair[1]));
        assertEquals("Bad filedescriptor " + pair[1] + " for pid file", e.getMessage());
        UnixFds.closeQuietly(pair[0]);
        IOException notOpen = assertThrows(IOException.class, () -> PidFile.write(pair[1]));
        assertTrue(notOpen.getMessage().contains("Bad filedescriptor"), notOpen.getMessage());
    }
}
