package org.jswtpm.swtpm.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Runs tpm2-tools programs (or any other program, such as openssl) against a TCTI and returns what they print. */
final class Tpm2Tools {
    record Result(int exit, String out, String err) {
        /** Whether the error output names the given TPM response code, e.g. {@code 0x98e} or {@code 0x921}. */
        boolean rc(String code) {
            String all = (err + out).toLowerCase();
            String hex = code.toLowerCase().replace("0x", "");
            return all.contains("0x" + hex) || all.contains("0x" + "0".repeat(Math.max(0, 8 - hex.length())) + hex);
        }
    }

    private final String tcti;
    private Path cwd;
    private boolean flushAfter;

    /** Tools for {@code tpm}, run in {@code dir}, flushing transient objects after each command. */
    static Tpm2Tools forProcess(JswtpmProcess tpm, Path dir) {
        return new Tpm2Tools(tpm.tcti()).in(dir).flushingTransients();
    }

    Tpm2Tools(String tcti) {
        this.tcti = tcti;
    }

    /** Runs every program in {@code dir}, so relative file names land there. */
    Tpm2Tools in(Path dir) {
        this.cwd = dir;
        return this;
    }

    /**
     * Flushes every transient object after each tpm2-tools program: over the swtpm TCTI (no resource
     * manager) the objects a tool loads stay loaded and would soon fill the TPM's object slots.
     */
    Tpm2Tools flushingTransients() {
        this.flushAfter = true;
        return this;
    }

    Result run(String... args) throws IOException, InterruptedException {
        Result r = exec(args);
        // Never after tpm2_shutdown: a command after Shutdown makes swtpm's (and jswtpm's) automatic
        // Shutdown(STATE) at the next CMD_INIT or exit replace it, so Startup(CLEAR) would be a TPM
        // Restart instead of a TPM Reset.
        if (flushAfter && args[0].startsWith("tpm2_") && !args[0].equals("tpm2_flushcontext")
                && !args[0].equals("tpm2_shutdown")) {
            exec("tpm2_flushcontext", "-t");
        }
        return r;
    }

    private Result exec(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        if (cwd != null) {
            pb.directory(cwd.toFile());
        }
        pb.environment().put("TPM2TOOLS_TCTI", tcti);
        pb.environment().remove("TSS2_LOG");
        Process p = pb.start();
        p.getOutputStream().close();
        CompletableFuture<byte[]> out = drain(p.getInputStream());
        CompletableFuture<byte[]> err = drain(p.getErrorStream());
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("timed out: " + String.join(" ", args));
        }
        return new Result(p.exitValue(), new String(out.join(), StandardCharsets.UTF_8),
                new String(err.join(), StandardCharsets.UTF_8));
    }

    private static CompletableFuture<byte[]> drain(InputStream in) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return in.readAllBytes();
            } catch (IOException e) {
                return new byte[0];
            }
        });
    }

    /** A public key from the PEM (SubjectPublicKeyInfo) that {@code tpm2_readpublic -f pem} writes, parsed by the JDK. */
    static java.security.PublicKey pem(Path file) throws Exception {
        String text = java.nio.file.Files.readString(file);
        String b64 = text.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        byte[] der = java.util.Base64.getDecoder().decode(b64);
        java.security.spec.X509EncodedKeySpec spec = new java.security.spec.X509EncodedKeySpec(der);
        try {
            return java.security.KeyFactory.getInstance("RSA").generatePublic(spec);
        } catch (java.security.spec.InvalidKeySpecException notRsa) {
            return java.security.KeyFactory.getInstance("EC").generatePublic(spec);
        }
    }

    /** SHA-256 over the concatenation of {@code parts}. */
    static byte[] sha256(byte[]... parts) throws Exception {
        java.security.MessageDigest md = java.security.MessageDigest.getInstance("SHA-256");
        for (byte[] p : parts) {
            md.update(p);
        }
        return md.digest();
    }

    /**
     * Skips the calling test class, with a visible reason, unless the TPM lists every given command in
     * {@code tpm2_getcap commands} (e.g. {@code "Sign"}): the engine grows command by command.
     */
    void assumeCommands(String... commands) throws IOException, InterruptedException {
        String listed = ok("tpm2_getcap", "commands");
        for (String cc : commands) {
            org.junit.jupiter.api.Assumptions.assumeTrue(listed.contains("TPM2_CC_" + cc + ":"),
                    "jswtpm does not implement TPM2_CC_" + cc + " yet");
        }
    }

    /** Runs and asserts success; returns standard output. */
    String ok(String... args) throws IOException, InterruptedException {
        Result r = run(args);
        assertEquals(0, r.exit(), () -> String.join(" ", args) + " failed: " + r.err() + r.out());
        return r.out();
    }

    /** Runs and asserts failure; returns the result so the caller can check the response code. */
    Result fails(String... args) throws IOException, InterruptedException {
        Result r = run(args);
        assertNotEquals(0, r.exit(), () -> String.join(" ", args) + " unexpectedly succeeded: " + r.out());
        return r;
    }
}
