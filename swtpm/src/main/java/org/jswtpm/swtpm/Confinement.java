package org.jswtpm.swtpm;

import com.sun.jna.Native;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.HexFormat;
import java.util.Map;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;
import org.jswtpm.core.StateSink;
import org.jswtpm.core.Tpm;

/**
 * What {@code -R/--chroot} and {@code -r/--runas} need in a JVM. A C program that chroots or drops
 * root keeps working because everything it needs is linked in; a JVM reads files lazily — the jars
 * of the class path (opened on the first class looked up in each), {@code /dev/urandom} (on the first
 * {@code SecureRandom}), the JCE policy files (on the first {@code Cipher}), the time-zone data, the
 * networking properties. {@link #prepare()} makes the JVM open all of these while it still can; a
 * descriptor opened before the chroot or the user switch stays usable after it.
 *
 * <p>{@link #chroot(Path)} then does what swtpm's {@code do_chroot} does: {@code chroot}, {@code chdir("/")}
 * and a check that there is still a source of entropy.
 */
public final class Confinement {
    /** TPM2_Startup(CLEAR), TPM2_GetRandom(8), TPM2_PCR_Extend(PCR 16, SHA-256), TPM2_Shutdown(CLEAR). */
    private static final String[] WARM_UP_COMMANDS = {
        "80010000000c000001440000",
        "80010000000c0000017b0008",
        "80020000004100000182000000100000000940000009000000000000000001000b"
            + "0101010101010101010101010101010101010101010101010101010101010101",
        "80010000000c000001450000",
    };

    private Confinement() {
    }

    /**
     * Opens, loads and initializes what serving needs later, while the files are reachable: every jar
     * of the class path, the platform's randomness, the JCE, time zones, networking, and the TPM engine's
     * classes (a throwaway engine runs a few commands).
     */
    static void prepare() throws IOException {
        openClassPath();
        try {
            new SecureRandom().nextBytes(new byte[16]);
            SecretKeySpec key = new SecretKeySpec(new byte[16], "AES");
            Cipher cbc = Cipher.getInstance("AES/CBC/NoPadding");
            cbc.init(Cipher.ENCRYPT_MODE, key, new IvParameterSpec(new byte[16]));
            cbc.doFinal(new byte[16]);
            Cipher.getInstance("AES/GCM/NoPadding");
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(new byte[32], "HmacSHA256"));
            mac.doFinal(new byte[1]);
            SecretKeyFactory.getInstance("PBKDF2WithHmacSHA512")
                    .generateSecret(new PBEKeySpec("x".toCharArray(), new byte[8], 1, 256));
            KeyPairGenerator.getInstance("EC").generateKeyPair();
        } catch (java.security.GeneralSecurityException e) {
            throw new IOException("cannot initialize the Java cryptography before confinement: " + e.getMessage(), e);
        }
        ZoneId.systemDefault();
        ZonedDateTime.now().toString();
        try (ServerSocketChannel s = ServerSocketChannel.open()) {
            s.bind(new InetSocketAddress("127.0.0.1", 0)); // loads net.properties
        } catch (IOException e) {
            // no loopback here: the process will not listen on TCP either
        }
        warmEngine();
    }

    /**
     * Opens every entry of the class path for good, so that classes still load once the process may no
     * longer open those files (another user, another root): a lookup of a resource that does not exist
     * visits each entry.
     */
    public static void openClassPath() throws IOException {
        ClassLoader.getSystemClassLoader().getResources("org/jswtpm/swtpm/no-such-resource-" + System.nanoTime());
    }

    private static void warmEngine() throws IOException {
        Tpm tpm;
        try {
            tpm = EngineFactories.DEFAULT.create(Map.of(), StateSink.NONE);
        } catch (Exception e) {
            throw new IOException("cannot start the TPM engine: " + e.getMessage(), e);
        }
        for (String command : WARM_UP_COMMANDS) {
            tpm.execute(HexFormat.of().parseHex(command));
        }
        tpm.stop();
    }

    /**
     * {@code chroot(dir)} and {@code chdir("/")}, then a check that random numbers can still be had, as
     * swtpm checks it.
     *
     * @throws IOException with swtpm's messages
     */
    static void chroot(Path dir) throws IOException {
        if (LibC.chroot(dir.toString()) < 0) {
            throw new IOException("chroot failed: " + UnixFds.strerror(Native.getLastError()));
        }
        if (LibC.chdir("/") < 0) {
            throw new IOException("chdir failed: " + UnixFds.strerror(Native.getLastError()));
        }
        try {
            new SecureRandom().nextBytes(new byte[16]);
        } catch (RuntimeException e) {
            throw new IOException("Error: no good entropy source in chroot environment", e);
        }
    }
}
