package org.jswtpm.core.command;

/** Test helpers of {@link EccExtraCommandsTest} for tests in other packages. */
public final class EccExtraCommandsTestAccess {
    private EccExtraCommandsTestAccess() {
    }

    /** {s2, y2, x2}: P2 = (SHA-256(s2) mod p, y2) lies on P-256. */
    public static byte[][] s2AndY2() throws Exception {
        return EccExtraCommandsTest.s2AndY2();
    }
}
