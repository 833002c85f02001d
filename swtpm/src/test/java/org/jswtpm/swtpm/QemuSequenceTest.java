package org.jswtpm.swtpm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jswtpm.core.Tpm2;
import org.jswtpm.core.testing.TestTpm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The whole process in-JVM with the real engine, started with libvirt's argv, driven as QEMU drives it. */
@Timeout(60)
class QemuSequenceTest {
    private static final TpmEngineFactory ENGINE = (stored, sink) -> {
        Tpm2.Builder b = Tpm2.builder().deterministicSeed(TestTpm.SEED).stateSink(sink);
        stored.forEach(b::state);
        return b.build();
    };

    @TempDir
    Path dir;

    @Test
    void libvirtArgvThenQemuFromSetDataFdToShutdown() throws Exception {
        Path sock = dir.resolve("1-vm-swtpm.sock");
        Path state = Files.createDirectory(dir.resolve("tpm2"));
        String argv = "--ctrl type=unixio,path=" + sock + ",mode=0600 --tpmstate dir=" + state + ",mode=0600 "
                + "--log file=" + dir.resolve("swtpm.log") + ",level=20 --terminate --tpm2";
        SwtpmCommandLine.Parsed p = SwtpmCommandLine.parse(argv.split(" "), Map.of());
        SwtpmLog log = SwtpmLog.open(p.options().log());
        try (SwtpmProcess process = SwtpmProcess.prepare(p.options(), p.state(), p.endpoints(), log)) {
            process.start(ENGINE);
            assertTrue(((Integer) Files.getAttribute(sock, "unix:mode") & 0170000) == 0140000, "a socket file");
            assertEquals(UnixListener.permissions(0600), Files.getPosixFilePermissions(sock));
            QemuSequence.run(sock);
            assertTrue(process.server().awaitExitRequest(10, TimeUnit.SECONDS), "CMD_SHUTDOWN ends the process");
        }
        assertFalse(Files.exists(sock), "the control socket is removed on exit");
        assertTrue(Files.exists(state.resolve("tpm2-00.permall")));
        String logText = Files.readString(dir.resolve("swtpm.log"));
        assertTrue(logText.contains("CMD_SET_DATAFD"), logText);
    }
}
