package org.jswtpm.swtpm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.jswtpm.core.StateKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StateDirectoryTest {
    @TempDir
    Path dir;

    @Test
    void writesAtomicallyUnderSwtpmNamesWithTheGivenMode() throws Exception {
        try (StateDirectory store = new StateDirectory(dir, 0600)) {
            store.lock();
            assertNull(store.load(StateKind.PERMANENT));
            store.stateChanged(StateKind.PERMANENT, new byte[] {1, 2, 3});
            store.stateChanged(StateKind.PERMANENT, new byte[] {4, 5});
            assertArrayEquals(new byte[] {4, 5}, store.load(StateKind.PERMANENT));
            Path file = dir.resolve("tpm2-00.permall");
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
            assertFalse(Files.exists(dir.resolve("TMP2-00.permall")));
            store.stateChanged(StateKind.VOLATILE, new byte[] {9});
            assertTrue(Files.exists(dir.resolve("tpm2-00.volatilestate")));
            store.delete(StateKind.VOLATILE);
            assertNull(store.load(StateKind.VOLATILE));
        }
    }

    @Test
    void defaultModeIs0640() throws Exception {
        try (StateDirectory store = new StateDirectory(dir, SwtpmOptions.DEFAULT_STATE_FILE_MODE)) {
            store.stateChanged(StateKind.PERMANENT, new byte[] {1});
        }
        assertEquals("rw-r-----",
                PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("tpm2-00.permall"))));
    }

    @Test
    void secondLockFailsAtOnceAndSucceedsAfterRelease() throws Exception {
        StateDirectory first = new StateDirectory(dir, 0640);
        first.lock();
        assertTrue(first.isLocked());
        StateDirectory second = new StateDirectory(dir, 0640);
        IOException e = assertThrows(IOException.class, second::lock);
        assertTrue(e.getMessage().contains(".lock"));
        first.close();
        second.lock();
        second.close();
    }

    @Test
    void missingDirectoryFails() {
        assertThrows(IOException.class, () -> new StateDirectory(dir.resolve("nope"), 0640).lock());
    }

    @Test
    void modeBits() {
        assertEquals("rwxr-x---", PosixFilePermissions.toString(StateDirectory.permissions(0750)));
        assertEquals("---------", PosixFilePermissions.toString(StateDirectory.permissions(0)));
    }
}
