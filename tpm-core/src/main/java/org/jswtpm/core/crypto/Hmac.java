package org.jswtpm.core.crypto;

import java.security.GeneralSecurityException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** HMAC (RFC 2104) over an implemented hash, through the JDK's provider. */
public final class Hmac {
    private Hmac() {
    }

    /** A keyed MAC ready for update calls. */
    public static Mac start(HashAlg hash, byte[] key) {
        try {
            Mac mac = Mac.getInstance(hash.hmacName());
            // A zero-length key is legal for HMAC but not for SecretKeySpec: HMAC pads keys with zeros,
            // so one zero byte is the same key.
            mac.init(new SecretKeySpec(key.length == 0 ? new byte[1] : key, hash.hmacName()));
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(hash.hmacName() + " is unavailable in this JDK", e);
        }
    }
}
