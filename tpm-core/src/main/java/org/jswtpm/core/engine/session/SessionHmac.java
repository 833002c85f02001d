package org.jswtpm.core.engine.session;

import java.security.MessageDigest;
import java.util.Arrays;
import javax.crypto.Mac;
import org.jswtpm.core.crypto.HashAlg;
import org.jswtpm.core.crypto.Hmac;

/**
 * The session HMACs (TCG TPM 2.0 Part 1, 19.6.5 and 19.6.6), keyed with sessionKey || authValue:
 * <ul>
 * <li>command: HMAC(key, cpHash || nonceCaller || nonceTPM || [nonceTPMdecrypt] || [nonceTPMencrypt] ||
 * sessionAttributes);</li>
 * <li>response: HMAC(key, rpHash || nonceTPM || nonceCaller || sessionAttributes), with rpHash :=
 * H(TPM_RC_SUCCESS || commandCode || parameters).</li>
 * </ul>
 */
public final class SessionHmac {
    private SessionHmac() {
    }

    /** sessionKey || authValue ({@code authValue} null or empty for none). */
    public static byte[] key(AuthSession session, byte[] authValue) {
        byte[] sk = session.sessionKey();
        if (authValue == null || authValue.length == 0) {
            return sk.clone();
        }
        byte[] key = Arrays.copyOf(sk, sk.length + authValue.length);
        System.arraycopy(authValue, 0, key, sk.length, authValue.length);
        return key;
    }

    /** The command HMAC; {@code nonceDecrypt} and {@code nonceEncrypt} may be null. */
    public static byte[] command(AuthSession session, byte[] key, byte[] cpHash, byte[] nonceCaller,
            byte[] nonceDecrypt, byte[] nonceEncrypt, int attributes) {
        Mac mac = Hmac.start(session.authHash(), key);
        mac.update(cpHash);
        mac.update(nonceCaller);
        mac.update(session.nonceTpm());
        if (nonceDecrypt != null) {
            mac.update(nonceDecrypt);
        }
        if (nonceEncrypt != null) {
            mac.update(nonceEncrypt);
        }
        mac.update((byte) attributes);
        return mac.doFinal();
    }

    /** The response HMAC, after the session's nonceTPM has rolled. */
    public static byte[] response(AuthSession session, byte[] key, byte[] rpHash, byte[] nonceCaller,
            int attributes) {
        Mac mac = Hmac.start(session.authHash(), key);
        mac.update(rpHash);
        mac.update(session.nonceTpm());
        mac.update(nonceCaller);
        mac.update((byte) attributes);
        return mac.doFinal();
    }

    /** rpHash := H(TPM_RC_SUCCESS || commandCode || the first {@code length} bytes of params). */
    public static byte[] rpHash(HashAlg hash, int cc, byte[] params, int length) {
        MessageDigest md = hash.newDigest();
        md.update(new byte[4]);
        md.update(u32(cc));
        md.update(params, 0, length);
        return md.digest();
    }

    static byte[] u32(int v) {
        return new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v};
    }
}
