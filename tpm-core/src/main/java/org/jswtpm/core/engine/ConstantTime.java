package org.jswtpm.core.engine;

/** Comparisons whose running time does not depend on where secret inputs differ. */
public final class ConstantTime {
    private ConstantTime() {
    }

    /** True if {@code a} and {@code b} are equal; time depends only on the longer length. */
    public static boolean equals(byte[] a, byte[] b) {
        int n = Math.max(a.length, b.length);
        int diff = a.length ^ b.length;
        for (int i = 0; i < n; i++) {
            int x = i < a.length ? a[i] : 0;
            int y = i < b.length ? b[i] : 0;
            diff |= x ^ y;
        }
        return diff == 0;
    }

    /** The length of {@code v} without trailing zero bytes (Part 1, 19.6.4). */
    public static int trimmedLength(byte[] v) {
        int n = v.length;
        while (n > 0 && v[n - 1] == 0) {
            n--;
        }
        return n;
    }

    /** Compares two authValues the way the TPM does: trailing zeros removed from both. */
    public static boolean authEquals(byte[] given, byte[] expected) {
        return equals(java.util.Arrays.copyOf(given, trimmedLength(given)),
                java.util.Arrays.copyOf(expected, trimmedLength(expected)));
    }
}
