package org.jswtpm.swtpm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The socket file of {@code type=unixio,path=}: swtpm's rules for mode, owner, stale files and clean-up. */
@Timeout(30)
class UnixListenerTest {
    @TempDir
    Path dir;

    private static int mode(Path p) throws IOException {
        return (Integer) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS);
    }

    @Test
    void socketFileWithModeReplacingAStaleFileAndRemovedOnClose() throws Exception {
        Path path = dir.resolve("ctrl.sock");
        Files.writeString(path, "stale");
        try (UnixListener listener = UnixListener.bind(path, 0600, null, null)) {
            assertEquals(0140600, mode(path), "a socket with mode 0600");
            try (TestClient c = TestClient.unix(path)) {
                assertTrue(listener.accept() instanceof FdConnection);
            }
            try (Stream<Path> files = Files.list(dir)) {
                assertEquals(1, files.count(), "no temporary name left behind");
            }
        }
        assertFalse(Files.exists(path, LinkOption.NOFOLLOW_LINKS));
    }

    @Test
    void defaultModeIs0770() throws Exception {
        Path path = dir.resolve("data.sock");
        try (UnixListener listener = UnixListener.bind(path, Endpoints.DEFAULT_SOCKET_MODE, null, null)) {
            assertEquals(0140770, mode(path));
        }
    }

    @Test
    void ownerAndGroupByNumberAndByName() throws Exception {
        Path probe = Files.createFile(dir.resolve("probe"));
        PosixFileAttributes attributes = Files.readAttributes(probe, PosixFileAttributes.class);
        int uid = (Integer) Files.getAttribute(probe, "unix:uid");
        int gid = (Integer) Files.getAttribute(probe, "unix:gid");
        Path byNumber = dir.resolve("n.sock");
        try (UnixListener listener = UnixListener.bind(byNumber, 0660, Integer.toString(uid), Integer.toString(gid))) {
            assertEquals(uid, Files.getAttribute(byNumber, "unix:uid", LinkOption.NOFOLLOW_LINKS));
            assertEquals(gid, Files.getAttribute(byNumber, "unix:gid", LinkOption.NOFOLLOW_LINKS));
        }
        Path byName = dir.resolve("m.sock");
        try (UnixListener listener = UnixListener.bind(byName, 0660, attributes.owner().getName(),
                attributes.group().getName())) {
            assertEquals(uid, Files.getAttribute(byName, "unix:uid", LinkOption.NOFOLLOW_LINKS));
        }
    }

    @Test
    void unknownOwnerAndTooLongPathFailClearly() {
        IOException owner = assertThrows(IOException.class,
                () -> UnixListener.bind(dir.resolve("o.sock"), 0600, "no-such-user-jswtpm", null));
        assertTrue(owner.getMessage().contains("o.sock"), owner.getMessage());
        assertFalse(Files.exists(dir.resolve("o.sock")));
        IOException length = assertThrows(IOException.class,
                () -> UnixListener.bind(dir.resolve("x".repeat(120)), 0600, null, null));
        assertTrue(length.getMessage().contains("too long"), length.getMessage());
    }
}
