package org.jswtpm.core.testing;

import java.security.PublicKey;
import org.jswtpm.core.Tpm;
import org.jswtpm.core.marshal.TpmReader;
import org.jswtpm.core.marshal.TpmWriter;
import org.jswtpm.core.object.JdkKeys;
import org.jswtpm.core.object.PublicParms;
import org.jswtpm.core.object.TpmtPublic;
import org.jswtpm.core.types.TpmCc;

/** Helpers for tests of the crypto commands: keys as the JDK sees them, and commands that use them. */
public final class Keys {
    private Keys() {
    }

    /** A loaded key: its handle, its public area, the JDK public key (null for symmetric keys and BN P-256), its name. */
    public record Key(int handle, TpmtPublic pub, PublicKey jdk, byte[] name) {
    }

    public static Key primary(Tpm tpm, int hierarchy, byte[] template) throws Exception {
        TestObjects.Created c = TestObjects.createPrimary(tpm, hierarchy, template);
        TpmtPublic pub = TpmtPublic.read(new TpmReader(c.outPublic()), false);
        PublicKey jdk = jdk(pub);
        return new Key(c.handle(), pub, jdk, c.name());
    }

    /** The JDK public key of an RSA or ECC key, or null (symmetric keys, curves the JDK lacks: BN P-256). */
    static PublicKey jdk(TpmtPublic pub) throws Exception {
        if (pub.parms() instanceof PublicParms.Ecc e && e.curve().jdkName() == null) {
            return null;
        }
        return pub.type() == TestObjects.RSA || pub.type() == TestObjects.ECC ? new JdkKeys().publicKey(pub) : null;
    }

    /** A child key of {@code parent}, created and loaded, with an empty password. */
    public static Key child(Tpm tpm, int parent, byte[] template, byte[] data) throws Exception {
        TestObjects.Blob blob = TestObjects.create(tpm, parent, template, new byte[0], data);
        int handle = TestObjects.load(tpm, parent, blob);
        byte[][] rp = TestObjects.readPublic(tpm, handle);
        TpmtPublic pub = TpmtPublic.read(new TpmReader(rp[0]), false);
        PublicKey jdk = jdk(pub);
        return new Key(handle, pub, jdk, rp[1]);
    }

    /** A keyed-hash or symmetric key template with the given attributes and scheme / mode. */
    public static byte[] keyedHash(int attributes, int scheme, int hash) {
        TpmWriter w = new TpmWriter();
        int at = w.startSized16();
        w.u16(TestObjects.KEYEDHASH).u16(TestObjects.SHA256).u32(attributes).u16(0);
        w.u16(scheme);
        if (scheme != TestObjects.NULL) {
            w.u16(hash);
        }
        w.u16(0);
        w.endSized16(at);
        return w.toByteArray();
    }

    public static byte[] aes(int attributes, int bits, int mode) {
        TpmWriter w = new TpmWriter();
        int at = w.startSized16();
        w.u16(TestObjects.SYMCIPHER).u16(TestObjects.SHA256).u32(attributes).u16(0);
        w.u16(TestObjects.AES).u16(bits).u16(mode).u16(0);
        w.endSized16(at);
        return w.toByteArray();
    }

    /** TPM2_Sign with an empty password and a NULL ticket unless one is given. */
    public static Command sign(int key, byte[] digest, int scheme, int hash, byte[] ticket) {
        Command c = Command.of(TpmCc.Sign).handle(key).emptyAuth().tpm2b(digest).u16(scheme);
        if (scheme != TestObjects.NULL) {
            c.u16(hash);
        }
        if (ticket == null) {
            return c.u16(0x8024).u32(0x40000007).u16(0);
        }
        return c.bytes(ticket);
    }
}
