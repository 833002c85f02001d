package org.jswtpm.core.object;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.ECPoint;
import java.security.spec.ECPrivateKeySpec;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.RSAPrivateCrtKeySpec;
import java.security.spec.RSAPublicKeySpec;
import org.jswtpm.core.crypto.RsaKeyGen;

/**
 * Turns TPM key material into JDK keys, for the commands that use keys (signing, decryption, ECDH):
 * an RSA public area's modulus and exponent, the sensitive prime completed to a CRT private key; an ECC
 * point and scalar on the JDK's curve parameters (NIST curves only: a curve without
 * {@link org.jswtpm.core.crypto.EccCurve#jdkName()} has no JDK key; the engine's own ECC operations do
 * not need one). The key factories are made once per engine.
 */
public final class JdkKeys {
    private final KeyFactory rsa;
    private final KeyFactory ec;

    public JdkKeys() {
        try {
            rsa = KeyFactory.getInstance("RSA");
            ec = KeyFactory.getInstance("EC");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("RSA and EC key factories are required", e);
        }
    }

    /** The public key of an RSA or ECC public area. */
    public PublicKey publicKey(TpmtPublic pub) throws GeneralSecurityException {
        if (pub.parms() instanceof PublicParms.Rsa r) {
            return rsa.generatePublic(new RSAPublicKeySpec(new BigInteger(1, pub.unique().x()), exponent(r)));
        }
        if (pub.parms() instanceof PublicParms.Ecc e) {
            requireJdkCurve(e);
            ECPoint q = new ECPoint(new BigInteger(1, pub.unique().x()), new BigInteger(1, pub.unique().y()));
            return ec.generatePublic(new ECPublicKeySpec(q, e.curve().spec()));
        }
        throw new GeneralSecurityException("not an asymmetric key");
    }

    /** The private key of an RSA or ECC object with its sensitive area. */
    public PrivateKey privateKey(TpmtPublic pub, TpmtSensitive sens) throws GeneralSecurityException {
        if (pub.parms() instanceof PublicParms.Rsa r) {
            BigInteger n = new BigInteger(1, pub.unique().x());
            BigInteger p = new BigInteger(1, sens.sensitive());
            BigInteger q = n.divide(p);
            BigInteger e = exponent(r);
            BigInteger d = RsaKeyGen.privateExponent(p, q, e);
            return rsa.generatePrivate(new RSAPrivateCrtKeySpec(n, e, d, p, q,
                    d.mod(p.subtract(BigInteger.ONE)), d.mod(q.subtract(BigInteger.ONE)), q.modInverse(p)));
        }
        if (pub.parms() instanceof PublicParms.Ecc e) {
            requireJdkCurve(e);
            return ec.generatePrivate(new ECPrivateKeySpec(new BigInteger(1, sens.sensitive()), e.curve().spec()));
        }
        throw new GeneralSecurityException("not an asymmetric key");
    }

    private static void requireJdkCurve(PublicParms.Ecc e) throws GeneralSecurityException {
        if (e.curve() == null || e.curve().jdkName() == null) {
            throw new GeneralSecurityException("curve not implemented by the JDK");
        }
    }

    private static BigInteger exponent(PublicParms.Rsa r) {
        return BigInteger.valueOf(r.exponent() == 0 ? RsaKeyGen.DEFAULT_EXPONENT
                : Integer.toUnsignedLong(r.exponent()));
    }
}
