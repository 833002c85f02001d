package org.jswtpm.swtpm.setup;

import java.math.BigInteger;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.RSAPublicKeySpec;
import org.jswtpm.core.TpmException;
import org.jswtpm.core.marshal.TpmReader;

/** The public key of an RSA or NIST-curve ECC TPMT_PUBLIC, as a JDK {@link PublicKey}. */
final class EkPublicKey {
    private EkPublicKey() {
    }

    /** Converts {@code publicArea} (a TPMT_PUBLIC). */
    static PublicKey of(byte[] publicArea) throws SetupException {
        TpmReader r = new TpmReader(publicArea);
        try {
            int type = r.u16();
            r.u16(); // nameAlg
            r.u32(); // objectAttributes
            r.tpm2b(128); // authPolicy
            if (r.u16() != EkTemplates.ALG_NULL) { // symmetric
                r.u16();
                r.u16();
            }
            if (r.u16() != EkTemplates.ALG_NULL) { // scheme
                r.u16();
            }
            if (type == EkTemplates.ALG_RSA) {
                r.u16(); // keyBits
                int exponent = r.u32();
                BigInteger modulus = new BigInteger(1, r.tpm2b(512));
                return KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(modulus,
                        BigInteger.valueOf(exponent == 0 ? 65537 : Integer.toUnsignedLong(exponent))));
            }
            if (type == EkTemplates.ALG_ECC) {
                int curve = r.u16();
                if (r.u16() != EkTemplates.ALG_NULL) { // kdf
                    r.u16();
                }
                BigInteger x = new BigInteger(1, r.tpm2b(128));
                BigInteger y = new BigInteger(1, r.tpm2b(128));
                AlgorithmParameters parameters = AlgorithmParameters.getInstance("EC");
                parameters.init(new ECGenParameterSpec(curveName(curve)));
                ECParameterSpec spec = parameters.getParameterSpec(ECParameterSpec.class);
                return KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(new ECPoint(x, y), spec));
            }
            throw new SetupException("Unsupported key type 0x" + Integer.toHexString(type));
        } catch (TpmException e) {
            throw new SetupException("Malformed public area of the EK");
        } catch (GeneralSecurityException e) {
            throw new SetupException("Cannot convert the EK's public key: " + e.getMessage(), e);
        }
    }

    private static String curveName(int curve) throws SetupException {
        return switch (curve) {
            case 0x0003 -> "secp256r1";
            case 0x0004 -> "secp384r1";
            case 0x0005 -> "secp521r1";
            default -> throw new SetupException("Unsupported ECC curve 0x" + Integer.toHexString(curve));
        };
    }
}
