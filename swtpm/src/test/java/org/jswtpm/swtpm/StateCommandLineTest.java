package org.jswtpm.swtpm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import org.jswtpm.store.KeyMode;
import org.jswtpm.store.KeyOption;
import org.jswtpm.store.TpmStateOptions;
import org.junit.jupiter.api.Test;

/** The state options of {@code swtpm socket}: {@code --tpmstate}, {@code --key}, {@code --migration-key}, {@code --migration}. */
class StateCommandLineTest {
    private static StateConfig state(String line, Map<String, String> env) throws UsageException {
        SwtpmCommandLine.Parsed p = SwtpmCommandLine.parse(line.split(" "), env);
        assertEquals(SwtpmCommandLine.Action.RUN, p.action());
        return p.state();
    }

    private static StateConfig state(String line) throws UsageException {
        return state(line, Map.of());
    }

    @Test
    void libvirtWithEncryption() throws Exception {
        StateConfig s = state("--ctrl type=tcp,port=2322 --tpmstate dir=/var/lib/libvirt/swtpm/u/tpm2,mode=0600 "
                + "--terminate --tpm2 --key pwdfd=21,mode=aes-256-cbc --migration-key pwdfd=22,mode=aes-256-cbc "
                + "--migration release-lock-outgoing,incoming -p 2321");
        assertEquals(TpmStateOptions.Backend.DIRECTORY, s.tpmstate().backend());
        assertEquals(Path.of("/var/lib/libvirt/swtpm/u/tpm2"), s.tpmstate().path());
        assertEquals(0600, s.tpmstate().mode());
        assertTrue(s.tpmstate().lock());
        assertEquals(KeyOption.Source.PWDFD, s.key().source());
        assertEquals(21, s.key().fd());
        assertEquals(KeyMode.AES_256_CBC, s.key().mode());
        assertEquals(22, s.migrationKey().fd());
        assertTrue(s.incomingMigration());
        assertTrue(s.releaseLockOutgoing());
    }

    @Test
    void defaultsAsSwtpm() throws Exception {
        StateConfig s = state("--tpm2 -p 1 --tpmstate dir=/d");
        assertEquals(0640, s.tpmstate().mode());
        assertTrue(s.tpmstate().lock());
        assertNull(s.key());
        assertNull(s.migrationKey());
        assertFalse(s.incomingMigration());
    }

    @Test
    void linearFileBackendDoesNotLockUnlessAsked() throws Exception {
        StateConfig s = state("--tpm2 -p 1 --tpmstate backend-uri=file:///var/tpm.img");
        assertEquals(TpmStateOptions.Backend.LINEAR_FILE, s.tpmstate().backend());
        assertEquals(Path.of("/var/tpm.img"), s.tpmstate().path());
        assertFalse(s.tpmstate().lock());
        assertTrue(state("--tpm2 -p 1 --tpmstate backend-uri=file:///var/tpm.img,lock").tpmstate().lock());
    }

    @Test
    void dirUriBackupFsyncAndLockOff() throws Exception {
        StateConfig s = state("--tpm2 -p 1 --tpmstate backend-uri=dir:///s,backup,fsync,lock=false");
        assertEquals(Path.of("/s"), s.tpmstate().path());
        assertTrue(s.tpmstate().backup());
        assertTrue(s.tpmstate().fsync());
        assertFalse(s.tpmstate().lock());
    }

    @Test
    void dirWinsOverBackendUriAsInSwtpm() throws Exception {
        assertEquals(Path.of("/a"), state("--tpm2 -p 1 --tpmstate dir=/a,backend-uri=dir:///b").tpmstate().path());
    }

    @Test
    void tpmPathIsTheFallback() throws Exception {
        StateConfig s = state("--tpm2 -p 1", Map.of("TPM_PATH", "/from/env"));
        assertEquals(Path.of("/from/env"), s.tpmstate().path());
        assertNull(state("--tpm2 -p 1").tpmstate());
    }

    @Test
    void keyFileWithFormatAndRemove() throws Exception {
        StateConfig s = state("--tpm2 -p 1 --tpmstate dir=/d --key file=/k,format=binary,remove");
        assertEquals(KeyOption.Source.FILE, s.key().source());
        assertEquals(Path.of("/k"), s.key().path());
        assertEquals(KeyOption.Format.BINARY, s.key().format());
        assertTrue(s.key().remove());
    }

    @Test
    void printStatesUsesTheStateOption() throws Exception {
        SwtpmCommandLine.Parsed p = SwtpmCommandLine.parse(
                "--tpm2 --print-states --tpmstate backend-uri=file:///f".split(" "), Map.of());
        assertEquals(SwtpmCommandLine.Action.PRINT_STATES, p.action());
        assertEquals(TpmStateOptions.Backend.LINEAR_FILE, p.state().tpmstate().backend());
    }
}
