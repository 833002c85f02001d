package org.jswtpm.core.state;

import java.nio.file.Files;
import java.nio.file.Path;
import org.jswtpm.core.StateKind;
import org.jswtpm.core.Tpm;
import org.jswtpm.core.testing.Command;
import org.jswtpm.core.testing.TestObjects;
import org.jswtpm.core.testing.TestTpm;
import org.jswtpm.core.types.TpmCc;
import org.jswtpm.core.types.TpmRh;

/**
 * Writes the version-3 golden blobs with objects in them, once, from a deterministic TPM: an ECC P-256
 * storage primary persisted at 0x81000001 and, loaded in slot 1 of the volatile state, a sealed object
 * under it with password "golden" holding "golden secret". Run from the repository root:
 * <pre>java -cp tpm-core/target/classes:tpm-core/target/test-classes:... \
 *     org.jswtpm.core.state.GoldenObjectBlobs tpm-core/src/test/resources/state/golden</pre>
 */
public final class GoldenObjectBlobs {
    static final int PERSISTENT = 0x81000001;
    static final byte[] PASSWORD = "golden".getBytes();
    static final byte[] SECRET = "golden secret".getBytes();

    private GoldenObjectBlobs() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        Tpm tpm = TestTpm.started();
        int primary = TestObjects.createPrimary(tpm, TpmRh.OWNER, TestObjects.eccStorage(3)).handle();
        TestTpm.run(tpm, Command.of(TpmCc.EvictControl).handle(TpmRh.OWNER).handle(primary).emptyAuth()
                .u32(PERSISTENT)).ok();
        int sealed = TestObjects.load(tpm, primary, TestObjects.create(tpm, primary, TestObjects.sealed(), PASSWORD, SECRET));
        if (sealed != 0x80000001) {
            throw new IllegalStateException("the sealed object should be in slot 1");
        }
        Files.write(dir.resolve("objects-permall-v3.bin"), tpm.getState(StateKind.PERMANENT));
        Files.write(dir.resolve("objects-volatilestate-v3.bin"), tpm.getState(StateKind.VOLATILE));
    }
}
