package org.jswtpm.swtpm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.jna.NativeLong;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.jswtpm.store.KeyLoader;
import org.jswtpm.store.KeyMode;
import org.jswtpm.store.KeyOption;
import org.jswtpm.store.StateKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link DescriptorInput} reads an inherited descriptor itself. libvirt hands swtpm and swtpm_setup, which
 * run as tss, the passphrase on a root-owned pipe: reopening {@code /proc/self/fd/N} is refused there (EACCES),
 * while the descriptor is readable. A socket stands in for that pipe here, because its
 * {@code /proc/self/fd/N} cannot be reopened by anyone, root included.
 */
@Timeout(10)
class DescriptorInputTest {
    private static int[] pairWith(String content) throws IOException {
        int[] pair = UnixFds.socketPair();
        byte[] bytes = content.getBytes(StandardCharsets.US_ASCII);
        LibC.write(pair[0], bytes, new NativeLong(bytes.length));
        UnixFds.closeQuietly(pair[0]);
        return pair;
    }

    @Test
    void readsToEndOfFileAndClosesTheDescriptor() throws Exception {
        int[] pair = pairWith("libvirt's vtpm secret");
        InputStream in = DescriptorInput.open(pair[1]);
        assertArrayEquals("libvirt's vtpm secret".getBytes(StandardCharsets.US_ASCII), in.readAllBytes());
        assertEquals(-1, in.read());
        in.close();
        assertThrows(IOException.class, in::read);
    }

    @Test
    void passphraseDescriptorThatCannotBeReopened() throws Exception {
        int[] pair = pairWith("libvirt's vtpm secret");
        KeyOption option = KeyOption.parse("--key", "pwdfd=" + pair[1] + ",mode=aes-256-cbc");
        assertThrows(IOException.class, () -> KeyLoader.load(option), "reopening /proc/self/fd/N of a socket fails");
        StateKey key = KeyLoader.load(option, DescriptorInput::open);
        assertEquals(KeyMode.AES_256_CBC, key.mode());
    }

    @Test
    void badDescriptor() {
        assertThrows(IOException.class, () -> DescriptorInput.open(-1));
        IOException e = assertThrows(IOException.class, () -> DescriptorInput.open(1_000_000).read());
        assertTrue(e.getMessage().contains("1000000"), e.getMessage());
    }
}
