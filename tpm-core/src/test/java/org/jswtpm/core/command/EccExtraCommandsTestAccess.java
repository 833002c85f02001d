package org.jswtpm.core.command;

/** Test helpers of {@link EccExtraCommandsTest} and {@link CredentialCommandsTest} for tests in other packages. */
public final class EccExtraCommandsTestAccess {
    private EccExtraCommandsTestAccess() {
    }

    /** {s2, y2, x2}: P2 = (SHA-256(s2) mod p, y2) lies on P-256. */
    public static byte[][] s2AndY2() throws Exception {
        return EccExtraCommandsTest.s2AndY2();
    }

    /** The public point of an ECC storage key's TPMT_PUBLIC (AES-128-CFB, no scheme). */
    public static byte[][] eccPoint(byte[] outPublic) throws Exception {
        return CredentialCommandsTest.eccPoint(outPublic);
    }
}
