package org.jswtpm.swtpm.setup;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.ByteArrayInputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.HashMap;
import java.util.Map;
import org.jswtpm.core.StateKind;
import org.jswtpm.core.Tpm;
import org.jswtpm.core.Tpm2;
import org.jswtpm.core.TpmException;
import org.jswtpm.core.marshal.TpmReader;
import org.jswtpm.core.testing.Command;
import org.jswtpm.core.testing.Response;
import org.jswtpm.core.types.TpmCc;
import org.jswtpm.core.types.TpmRh;
import org.jswtpm.store.KeyLoader;
import org.jswtpm.store.KeyOption;
import org.jswtpm.store.StateKey;
import org.jswtpm.store.StateNames;
import org.jswtpm.store.StateStore;
import org.jswtpm.store.StateStores;
import org.jswtpm.store.TpmFamily;
import org.jswtpm.store.TpmStateOptions;

/** Runs swtpm_setup in-process and reads what it left behind with the test helpers of tpm-core. */
final class SetupFixture {
    final Path configHome;
    String out;
    String err;

    SetupFixture(Path configHome) {
        this.configHome = configHome;
    }

    Map<String, String> env() {
        Map<String, String> env = new HashMap<>();
        env.put("XDG_CONFIG_HOME", configHome.toString());
        env.put("HOME", configHome.resolve("home").toString());
        return env;
    }

    /** Runs {@code swtpm_setup args}, keeping its standard output and error. */
    int run(String... args) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        int status = SwtpmSetup.run(args, env(), new PrintStream(o, true, StandardCharsets.UTF_8),
                new PrintStream(e, true, StandardCharsets.UTF_8), configHome.resolve("no-system-swtpm_setup.conf"));
        out = o.toString(StandardCharsets.UTF_8);
        err = e.toString(StandardCharsets.UTF_8);
        return status;
    }

    /**
     * Starts an engine on the stored state as {@code bin/swtpm} does: the same store, envelope and key
     * loading ({@code keyOption} is a {@code --key} value, or null), then TPM2_Startup(CLEAR).
     */
    static Tpm serve(Path stateDir, String keyOption) throws Exception {
        return serveTpmstate("dir=" + stateDir, keyOption);
    }

    /** Like {@link #serve} for any {@code --tpmstate} value. */
    static Tpm serveTpmstate(String tpmstate, String keyOption) throws Exception {
        StateKey key = keyOption == null ? null : KeyLoader.load(KeyOption.parse("--key", keyOption));
        byte[] permanent;
        try (StateStore store = StateStores.openWithEnvelope(TpmStateOptions.parse(tpmstate),
                TpmFamily.TPM2, key)) {
            permanent = store.load(StateNames.PERMALL);
        }
        Tpm tpm = Tpm2.builder().state(StateKind.PERMANENT, permanent).build();
        run(tpm, Command.of(TpmCc.Startup).u16(0)).ok();
        return tpm;
    }

    static Response run(Tpm tpm, Command c) {
        return new Response(tpm.execute(c.build()));
    }

    /** TPM2_ReadPublic: the TPMT_PUBLIC of a loaded or persistent object. */
    static byte[] readPublic(Tpm tpm, int handle) throws TpmException {
        TpmReader r = run(tpm, Command.of(TpmCc.ReadPublic).handle(handle)).ok();
        return r.tpm2b(4096);
    }

    /** The whole contents of an NV index, read with owner authorization in chunks. */
    static byte[] nvRead(Tpm tpm, int index) throws TpmException {
        int size = nvPublic(tpm, index).size;
        byte[] data = new byte[size];
        for (int offset = 0; offset < size; offset += 512) {
            int n = Math.min(512, size - offset);
            TpmReader r = run(tpm, Command.of(TpmCc.NV_Read).handle(TpmRh.OWNER).handle(index).emptyAuth()
                    .u16(n).u16(offset)).okWithSessions(0);
            byte[] chunk = r.tpm2b(1024);
            assertEquals(n, chunk.length);
            System.arraycopy(chunk, 0, data, offset, n);
        }
        return data;
    }

    record NvPublic(int index, int nameAlg, int attributes, byte[] policy, int size) {
    }

    static NvPublic nvPublic(Tpm tpm, int index) throws TpmException {
        TpmReader r = run(tpm, Command.of(TpmCc.NV_ReadPublic).handle(index)).ok();
        r.u16(); // size of TPM2B_NV_PUBLIC
        return new NvPublic(r.u32(), r.u16(), r.u32(), r.tpm2b(64), r.u16());
    }

    static X509Certificate certificate(byte[] der) throws Exception {
        return (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(der));
    }
}
