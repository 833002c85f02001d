package org.jswtpm.swtpm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;
import org.jswtpm.store.TpmStateOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * jswtpm's {@code swtpm_ioctl --save <type> <file>} and {@code --load <type> <file>} moving a TPM between
 * two processes, with swtpm_ioctl's file mode, empty file for a missing blob and messages; and Debian's
 * swtpm_ioctl reading the files ours writes (skipped without it).
 */
class SwtpmIoctlStateTest {
    @TempDir
    Path dir;
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int ioctl(SwtpmProcess p, String... args) {
        String[] full = new String[args.length + 2];
        full[0] = "--tcp";
        full[1] = "127.0.0.1:" + p.server().ctrlPort();
        System.arraycopy(args, 0, full, 2, args.length);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
        return SwtpmIoctl.run(full, e, e, System.in);
    }

    private static StateConfig state(Path d, boolean incoming) {
        return new StateConfig(TpmStateOptions.parse("dir=" + d), null, null, incoming, false);
    }

    private static TpmEngineFactory engine() {
        return (stored, sink) -> {
            org.jswtpm.core.Tpm2.Builder b = org.jswtpm.core.Tpm2.builder().stateSink(sink);
            stored.forEach(b::state);
            return b.build();
        };
    }

    @Test
    void saveAndLoadMoveATpm() throws Exception {
        Path a = Files.createDirectories(dir.resolve("a"));
        Path b = Files.createDirectories(dir.resolve("b"));
        String pcr;
        try (SwtpmProcess source = StateBlobControlTest.start(a, true, state(a, false), engine())) {
            StateBlobControlTest.data(source, StateBlobControlTest.PCR_EXTEND_16);
            pcr = StateBlobControlTest.data(source, StateBlobControlTest.PCR_READ_16);
            for (String type : new String[] {"permanent", "volatile", "savestate"}) {
                assertEquals(0, ioctl(source, "--save", type, dir.resolve(type).toString()), err.toString());
            }
        }
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("permanent"))));
        assertEquals(0, Files.size(dir.resolve("savestate")), "a TPM 2 has no save-state: an empty file");
        assertEquals("0201000a0004", TestServer.HEX.formatHex(Files.readAllBytes(dir.resolve("permanent")), 0, 6));
        try (SwtpmProcess destination = StateBlobControlTest.start(b, false, state(b, true), engine())) {
            assertEquals(0, ioctl(destination, "--stop"));
            assertEquals(0, ioctl(destination, "--load", "permanent", dir.resolve("permanent").toString()));
            assertEquals(0, ioctl(destination, "--load", "volatile", dir.resolve("volatile").toString()));
            assertEquals(0, ioctl(destination, "-i"));
            assertEquals(pcr, StateBlobControlTest.data(destination, StateBlobControlTest.PCR_READ_16));
        }
    }

    @Test
    void failuresAreReportedAsSwtpmIoctlReportsThem() throws Exception {
        try (SwtpmProcess p = StateBlobControlTest.start(dir, true, state(dir, false), engine())) {
            assertEquals(1, ioctl(p, "--save", "nvram", dir.resolve("x").toString()));
            assertEquals("Unknown TPM state type 'nvram'", err.toString());
            err.reset();
            Files.write(dir.resolve("junk"), new byte[] {1, 2, 3});
            assertEquals(1, ioctl(p, "--load", "permanent", dir.resolve("junk").toString()));
            assertEquals("TPM result from PTM_SET_STATEBLOB: 0xa\n", err.toString(), "the TPM runs");
            err.reset();
            assertEquals(1, ioctl(p, "--load", "permanent", dir.resolve("missing").toString()));
            assertEquals("Could not open file '" + dir.resolve("missing") + "' for reading: No such file or directory\n",
                    err.toString());
            err.reset();
            assertEquals(0, ioctl(p, "--stop"));
            assertEquals(1, ioctl(p, "--load", "permanent", dir.resolve("junk").toString()));
            assertEquals("TPM result from PTM_SET_STATEBLOB: 0x3\n", err.toString(), "no blob header");
        }
    }

    /** Debian's swtpm_ioctl loads the files ours saved (and saves what ours loads). */
    @Test
    void debianSwtpmIoctlReadsOurFiles() throws Exception {
        String tool = ExternalTools.require("swtpm_ioctl").toString();
        Path a = Files.createDirectories(dir.resolve("a"));
        Path b = Files.createDirectories(dir.resolve("b"));
        String pcr;
        try (SwtpmProcess source = StateBlobControlTest.start(a, true, state(a, false), engine())) {
            StateBlobControlTest.data(source, StateBlobControlTest.PCR_EXTEND_16);
            pcr = StateBlobControlTest.data(source, StateBlobControlTest.PCR_READ_16);
            assertEquals(0, ioctl(source, "--save", "permanent", dir.resolve("p").toString()));
            assertEquals(0, ioctl(source, "--save", "volatile", dir.resolve("v").toString()));
        }
        try (SwtpmProcess destination = StateBlobControlTest.start(b, false, state(b, true), engine())) {
            String at = "127.0.0.1:" + destination.server().ctrlPort();
            for (String[] args : new String[][] {{"--stop"}, {"--load", "permanent", dir.resolve("p").toString()},
                {"--load", "volatile", dir.resolve("v").toString()}, {"-i"}}) {
                String[] cmd = new String[args.length + 3];
                cmd[0] = tool;
                cmd[1] = "--tcp";
                cmd[2] = at;
                System.arraycopy(args, 0, cmd, 3, args.length);
                Process proc = new ProcessBuilder(cmd).redirectErrorStream(true).start();
                assertTrue(proc.waitFor(20, TimeUnit.SECONDS));
                assertEquals(0, proc.exitValue(), new String(proc.getInputStream().readAllBytes()));
            }
            assertEquals(pcr, StateBlobControlTest.data(destination, StateBlobControlTest.PCR_READ_16));
        }
    }
}
