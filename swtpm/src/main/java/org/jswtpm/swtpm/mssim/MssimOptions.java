package org.jswtpm.swtpm.mssim;

/**
 * Where the mssim listener listens ({@code --server type=mssim,port=P[,bindaddr=A]}).
 *
 * @param bindAddress the address both ports listen on
 * @param commandPort the TPM command port (0: chosen by the OS, for tests)
 * @param platformPort the platform port; {@code commandPort + 1} on the command line (0: chosen by the OS)
 * @param terminate exit when a command-port client hangs up ({@code -t})
 */
public record MssimOptions(String bindAddress, int commandPort, int platformPort, boolean terminate) {
    /** The simulator's default command port (platform port 2322). */
    public static final int DEFAULT_PORT = 2321;
}
