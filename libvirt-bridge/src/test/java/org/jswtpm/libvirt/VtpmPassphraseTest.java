package org.jswtpm.libvirt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class VtpmPassphraseTest {
    @Test
    void base64Of384RandomBytesAsNovaMakesIt() {
        try (VtpmPassphrase p = VtpmPassphrase.generate()) {
            byte[] value = p.bytes();
            assertEquals(512, value.length);
            assertEquals(512, p.length());
            assertEquals(384, Base64.getDecoder().decode(value).length);
            assertTrue(new String(value, StandardCharsets.US_ASCII).matches("[A-Za-z0-9+/]{512}"));
        }
    }

    @Test
    void usesTheGivenRandomSource() throws Exception {
        byte[] expected = new byte[384];
        SecureRandom a = SecureRandom.getInstance("SHA1PRNG");
        a.setSeed(42L);
        a.nextBytes(expected);
        SecureRandom b = SecureRandom.getInstance("SHA1PRNG");
        b.setSeed(42L);
        try (VtpmPassphrase p = VtpmPassphrase.generate(b)) {
            assertArrayEquals(Base64.getEncoder().encode(expected), p.bytes());
        }
    }

    @Test
    void twoPassphrasesDiffer() {
        try (VtpmPassphrase p = VtpmPassphrase.generate(); VtpmPassphrase q = VtpmPassphrase.generate()) {
            assertFalse(p.matches(q.bytes()));
            assertTrue(p.matches(p.bytes()));
        }
    }

    @Test
    void neverShown() {
        try (VtpmPassphrase p = VtpmPassphrase.generate()) {
            String shown = p.toString();
            String value = new String(p.bytes(), StandardCharsets.US_ASCII);
            assertEquals("VtpmPassphrase[512 bytes, redacted]", shown);
            assertFalse(shown.contains(value.substring(0, 8)));
        }
    }

    @Test
    void bytesAreCopiesAndCloseWipes() {
        byte[] original = "correct horse".getBytes(StandardCharsets.US_ASCII);
        VtpmPassphrase p = VtpmPassphrase.of(original);
        original[0] = 'X';
        byte[] copy = p.bytes();
        assertEquals('c', copy[0]);
        copy[1] = 'X';
        assertArrayEquals("correct horse".getBytes(StandardCharsets.US_ASCII), p.bytes());
        p.close();
        assertThrows(IllegalStateException.class, p::bytes);
        assertFalse(p.matches("correct horse".getBytes(StandardCharsets.US_ASCII)));
        assertNotEquals(0, p.length());
        assertThrows(IllegalArgumentException.class, () -> VtpmPassphrase.of(new byte[0]));
    }
}
