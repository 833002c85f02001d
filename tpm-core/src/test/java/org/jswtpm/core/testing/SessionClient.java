package org.jswtpm.core.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.jswtpm.core.Tpm;
import org.jswtpm.core.marshal.TpmReader;
import org.jswtpm.core.types.TpmCc;
import org.jswtpm.core.types.TpmRh;

/**
 * The caller's side of an HMAC or policy session, computed only with the JDK from the formulas of TCG
 * TPM 2.0 Part 1, 19.6 and 21, independently of the engine's code: StartAuthSession, the sessionKey,
 * command and response HMACs, cpHash and rpHash, nonce rolling, XOR and AES-CFB parameter encryption.
 */
public final class SessionClient {
    public static final int CONTINUE = 0x01;
    public static final int DECRYPT = 0x20;
    public static final int ENCRYPT = 0x40;
    public static final int ALG_XOR = 0x000A;
    public static final int ALG_AES = 0x0006;
    public static final int ALG_TDES = 0x0003;
    public static final int ALG_CAMELLIA = 0x0026;
    public static final int ALG_NULL = 0x0010;
    public static final int ALG_SHA256 = 0x000B;
    public static final int ALG_SHA1 = 0x0004;

    public final int handle;
    public final String hash;
    public final int hashId;
    public final byte[] sessionKey;
    public final int symAlg;
    public final int keyBits;
    public byte[] nonceTpm;
    public byte[] nonceCaller;
    private int counter;

    private SessionClient(int handle, String hash, int hashId, byte[] sessionKey, int symAlg, int keyBits,
            byte[] nonceTpm, byte[] nonceCaller) {
        this.handle = handle;
        this.hash = hash;
        this.hashId = hashId;
        this.sessionKey = sessionKey;
        this.symAlg = symAlg;
        this.keyBits = keyBits;
        this.nonceTpm = nonceTpm;
        this.nonceCaller = nonceCaller;
    }

    /** The caller's view of a session started elsewhere (for example a salted one), over SHA-256. */
    public static SessionClient of(int handle, byte[] sessionKey, int symAlg, int keyBits, byte[] nonceTpm,
            byte[] nonceCaller) {
        return new SessionClient(handle, "SHA-256", ALG_SHA256, sessionKey, symAlg, keyBits, nonceTpm, nonceCaller);
    }

    /** An unbound, unsalted HMAC session over SHA-256 without parameter encryption. */
    public static SessionClient hmac(Tpm tpm) {
        return start(tpm, 0, TpmRh.NULL, new byte[0], ALG_NULL, 0, "SHA-256");
    }

    /** A policy (1) or trial (3) session over SHA-256. */
    public static SessionClient policy(Tpm tpm, boolean trial) {
        return start(tpm, trial ? 3 : 1, TpmRh.NULL, new byte[0], ALG_NULL, 0, "SHA-256");
    }

    /**
     * TPM2_StartAuthSession with tpmKey TPM_RH_NULL.
     *
     * @param type TPM_SE: 0 HMAC, 1 policy, 3 trial
     * @param bind the bind handle, TPM_RH_NULL for none
     * @param bindAuth the bind entity's authValue
     * @param symAlg ALG_NULL, ALG_XOR, or ALG_AES, ALG_CAMELLIA, ALG_TDES (CFB)
     * @param keyBits the block cipher's key size
     * @param hash "SHA-256" or "SHA-1"
     */
    public static SessionClient start(Tpm tpm, int type, int bind, byte[] bindAuth, int symAlg, int keyBits,
            String hash) {
        int hashId = hash.equals("SHA-1") ? ALG_SHA1 : ALG_SHA256;
        int digestSize = hash.equals("SHA-1") ? 20 : 32;
        byte[] nonceCaller = new byte[digestSize];
        Arrays.fill(nonceCaller, (byte) 0x5A);
        Command c = Command.of(TpmCc.StartAuthSession).handle(TpmRh.NULL).handle(bind)
                .tpm2b(nonceCaller).tpm2b(new byte[0]).u8(type).u16(symAlg);
        if (symAlg == ALG_XOR) {
            c.u16(hashId);
        } else if (symAlg == ALG_AES || symAlg == ALG_CAMELLIA || symAlg == ALG_TDES) {
            c.u16(keyBits).u16(0x0043);
        }
        c.u16(hashId);
        Response r = TestTpm.run(tpm, c);
        try {
            TpmReader in = r.ok();
            int handle = in.u32();
            byte[] nonceTpm = in.tpm2b(64);
            assertEquals(nonceCaller.length, nonceTpm.length, "nonceTPM is as long as nonceCaller");
            byte[] key = bind == TpmRh.NULL ? new byte[0]
                    : kdfa(hash, trim(bindAuth), "ATH", nonceTpm, nonceCaller, digestSize * 8);
            return new SessionClient(handle, hash, hashId, key, symAlg, keyBits, nonceTpm, nonceCaller);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** A fresh nonceCaller for the next command. */
    public byte[] nextNonce() {
        nonceCaller = nonceCaller.clone();
        nonceCaller[0] = (byte) ++counter;
        return nonceCaller;
    }

    // ---- formulas

    public static byte[] trim(byte[] v) {
        int n = v.length;
        while (n > 0 && v[n - 1] == 0) {
            n--;
        }
        return Arrays.copyOf(v, n);
    }

    static String hmacName(String hash) {
        return "Hmac" + hash.replace("-", "");
    }

    public static byte[] hmac(String hash, byte[] key, byte[]... parts) {
        try {
            Mac mac = Mac.getInstance(hmacName(hash));
            mac.init(new SecretKeySpec(key.length == 0 ? new byte[1] : key, hmacName(hash)));
            for (byte[] p : parts) {
                mac.update(p);
            }
            return mac.doFinal();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    public static byte[] digest(String hash, byte[]... parts) {
        try {
            MessageDigest md = MessageDigest.getInstance(hash);
            for (byte[] p : parts) {
                md.update(p);
            }
            return md.digest();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    public static byte[] u32(int v) {
        return new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v};
    }

    public static byte[] cat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    /** KDFa of Part 1, 11.4.10.2 (SP 800-108 counter mode with HMAC). */
    public static byte[] kdfa(String hash, byte[] key, String label, byte[] u, byte[] v, int bits) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] l = cat(label.getBytes(StandardCharsets.US_ASCII), new byte[1]);
        for (int i = 1; out.size() * 8 < bits; i++) {
            out.writeBytes(hmac(hash, key, u32(i), l, u, v, u32(bits)));
        }
        return Arrays.copyOf(out.toByteArray(), (bits + 7) / 8);
    }

    /** cpHash = H(commandCode || names || parameters). */
    public byte[] cpHash(Command c, byte[]... names) {
        List<byte[]> parts = new ArrayList<>();
        parts.add(u32(c.cc().code()));
        parts.addAll(Arrays.asList(names));
        parts.add(c.parameters());
        return digest(hash, parts.toArray(new byte[0][]));
    }

    /** rpHash = H(TPM_RC_SUCCESS || commandCode || parameters). */
    public byte[] rpHash(TpmCc cc, byte[] params) {
        return digest(hash, u32(0), u32(cc.code()), params);
    }

    /** The command HMAC with HMAC key sessionKey || authValue. */
    public byte[] commandHmac(byte[] cpHash, int attributes, byte[] authValue, byte[]... extraNonces) {
        List<byte[]> parts = new ArrayList<>(List.of(cpHash, nonceCaller, nonceTpm));
        parts.addAll(Arrays.asList(extraNonces));
        parts.add(new byte[] {(byte) attributes});
        return hmac(hash, cat(sessionKey, trim(authValue)), parts.toArray(new byte[0][]));
    }

    /** Adds this session to {@code c}, authorizing with {@code authValue} over the given names. */
    public Command authorize(Command c, int attributes, byte[] authValue, byte[]... names) {
        nextNonce();
        return c.auth(handle, nonceCaller, attributes, commandHmac(cpHash(c, names), attributes, authValue));
    }

    /** Checks the response auth of this session, rolls nonceTPM, returns the (still encrypted) parameters. */
    public byte[] verify(Response r, TpmCc cc, int responseHandles, int index, int attributes, byte[] authValue) {
        Parsed p = parse(r, responseHandles);
        Auth a = p.auths.get(index);
        nonceTpm = a.nonce;
        assertEquals(attributes, a.attributes, "response attributes echo the command's");
        byte[] expected = hmac(hash, cat(sessionKey, trim(authValue)), rpHash(cc, p.params), nonceTpm,
                nonceCaller, new byte[] {(byte) attributes});
        assertArrayEquals(expected, a.hmac, "response HMAC");
        return p.params;
    }

    /** One TPMS_AUTH_RESPONSE. */
    public record Auth(byte[] nonce, int attributes, byte[] hmac) {
    }

    /** A TPM_ST_SESSIONS response: its parameters and its authorization area. */
    public record Parsed(byte[] params, List<Auth> auths) {
    }

    public static Parsed parse(Response r, int responseHandles) {
        try {
            TpmReader in = r.ok();
            in.skip(4 * responseHandles);
            int size = in.u32();
            byte[] params = in.bytes(size);
            List<Auth> auths = new ArrayList<>();
            while (in.remaining() > 0) {
                auths.add(new Auth(in.tpm2b(64), in.u8(), in.tpm2b(64)));
            }
            return new Parsed(params, auths);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    // ---- parameter encryption (Part 1, 21)

    /** Encrypts (command) the first TPM2B of {@code params}: nonceNewer = nonceCaller. */
    public byte[] encryptCommand(byte[] params, byte[] authValue) {
        return crypt(params, authValue, nonceCaller, nonceTpm, true);
    }

    /** Decrypts (response) the first TPM2B of {@code params}: nonceNewer = nonceTPM. */
    public byte[] decryptResponse(byte[] params, byte[] authValue) {
        return crypt(params, authValue, nonceTpm, nonceCaller, false);
    }

    private byte[] crypt(byte[] params, byte[] authValue, byte[] newer, byte[] older, boolean encrypt) {
        byte[] out = params.clone();
        int size = ((out[0] & 0xFF) << 8) | (out[1] & 0xFF);
        byte[] key = cat(sessionKey, trim(authValue));
        if (symAlg == ALG_XOR) {
            byte[] mask = kdfa(hash, key, "XOR", newer, older, size * 8);
            for (int i = 0; i < size; i++) {
                out[2 + i] ^= mask[i];
            }
            return out;
        }
        int block = symAlg == ALG_TDES ? 8 : 16;
        byte[] m = kdfa(hash, key, "CFB", newer, older, keyBits + block * 8);
        byte[] k = Arrays.copyOf(m, keyBits / 8);
        byte[] iv = Arrays.copyOfRange(m, keyBits / 8, keyBits / 8 + block);
        byte[] in = Arrays.copyOfRange(out, 2, 2 + size);
        try {
            byte[] x;
            if (symAlg == ALG_CAMELLIA) {
                // Bouncy Castle's Camellia, independent of the engine's own
                var c = new org.bouncycastle.crypto.modes.CFBBlockCipher(
                        new org.bouncycastle.crypto.engines.CamelliaEngine(), 128);
                c.init(encrypt, new org.bouncycastle.crypto.params.ParametersWithIV(
                        new org.bouncycastle.crypto.params.KeyParameter(k), iv));
                x = new byte[size];
                c.processBytes(in, 0, size, x, 0);
            } else {
                String name = symAlg == ALG_TDES ? "DESede" : "AES";
                if (symAlg == ALG_TDES && k.length == 16) {
                    k = cat(k, Arrays.copyOf(k, 8));
                }
                Cipher c = Cipher.getInstance(name + "/CFB/NoPadding");
                c.init(encrypt ? Cipher.ENCRYPT_MODE : Cipher.DECRYPT_MODE, new SecretKeySpec(k, name),
                        new IvParameterSpec(iv));
                x = c.doFinal(in);
            }
            System.arraycopy(x, 0, out, 2, size);
            return out;
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
