package org.jswtpm.swtpm;

import java.nio.file.Path;

/**
 * The settings of one {@code swtpm socket} process, as parsed from its command line and environment.
 *
 * @param tpm2 {@code --tpm2} was given (required to run; TPM 1.2 is not implemented)
 * @param dataPort TCP port of the data channel
 * @param dataBindAddress address the data channel listens on
 * @param disconnect close the data connection after every response ({@code -p} or {@code disconnect})
 * @param ctrlPort TCP port of the control channel, or -1 for none
 * @param ctrlBindAddress address the control channel listens on
 * @param ctrlTerminate exit when the control client disconnects ({@code --ctrl ...,terminate})
 * @param terminate exit when the data client disconnects ({@code -t})
 * @param stateDir directory of the state files, or null if none was given
 * @param stateFileMode permission bits of the state files (octal {@code mode=}, default 0640)
 * @param stateLock lock the state directory ({@code lock}, default on)
 * @param notNeedInit the TPM runs without {@code CMD_INIT}
 * @param startup the {@code TPM2_Startup} sent at start
 * @param disableAutoShutdown no automatic {@code TPM2_Shutdown} (swtpm 1.8)
 * @param rejectLocality4 {@code --locality reject-locality-4}
 * @param pidFile where to write the process id, or null
 * @param log logging settings
 * @param allowSetLocality {@code --locality allow-set-locality}: the in-band SetLocality command works
 * @param pidFd {@code --pid fd=N}: a regular file open on N gets the process id, or -1
 */
public record SwtpmOptions(
        boolean tpm2,
        int dataPort,
        String dataBindAddress,
        boolean disconnect,
        int ctrlPort,
        String ctrlBindAddress,
        boolean ctrlTerminate,
        boolean terminate,
        Path stateDir,
        int stateFileMode,
        boolean stateLock,
        boolean notNeedInit,
        StartupType startup,
        boolean disableAutoShutdown,
        boolean rejectLocality4,
        Path pidFile,
        LogOptions log,
        boolean allowSetLocality,
        int pidFd) {

    /** Settings without {@code --pid fd=}. */
    public SwtpmOptions(boolean tpm2, int dataPort, String dataBindAddress, boolean disconnect, int ctrlPort,
            String ctrlBindAddress, boolean ctrlTerminate, boolean terminate, Path stateDir, int stateFileMode,
            boolean stateLock, boolean notNeedInit, StartupType startup, boolean disableAutoShutdown,
            boolean rejectLocality4, Path pidFile, LogOptions log, boolean allowSetLocality) {
        this(tpm2, dataPort, dataBindAddress, disconnect, ctrlPort, ctrlBindAddress, ctrlTerminate, terminate,
                stateDir, stateFileMode, stateLock, notNeedInit, startup, disableAutoShutdown, rejectLocality4,
                pidFile, log, allowSetLocality, -1);
    }

    /** Settings without {@code allow-set-locality}. */
    public SwtpmOptions(boolean tpm2, int dataPort, String dataBindAddress, boolean disconnect, int ctrlPort,
            String ctrlBindAddress, boolean ctrlTerminate, boolean terminate, Path stateDir, int stateFileMode,
            boolean stateLock, boolean notNeedInit, StartupType startup, boolean disableAutoShutdown,
            boolean rejectLocality4, Path pidFile, LogOptions log) {
        this(tpm2, dataPort, dataBindAddress, disconnect, ctrlPort, ctrlBindAddress, ctrlTerminate, terminate,
                stateDir, stateFileMode, stateLock, notNeedInit, startup, disableAutoShutdown, rejectLocality4,
                pidFile, log, false);
    }

    /** swtpm's default permission bits for state files. */
    public static final int DEFAULT_STATE_FILE_MODE = 0640;

    /** Settings for a test or an embedding: ports chosen by the OS, no state directory, TPM started. */
    public static SwtpmOptions forLoopback(boolean notNeedInit) {
        return new SwtpmOptions(true, 0, "127.0.0.1", false, 0, "127.0.0.1", false, false, null,
                DEFAULT_STATE_FILE_MODE, true, notNeedInit, notNeedInit ? StartupType.CLEAR : StartupType.NONE,
                false, false, null, LogOptions.NONE);
    }

    /** The same settings with other startup flags. */
    public SwtpmOptions withFlags(boolean newNotNeedInit, StartupType newStartup, boolean newDisableAutoShutdown) {
        return new SwtpmOptions(tpm2, dataPort, dataBindAddress, disconnect, ctrlPort, ctrlBindAddress,
                ctrlTerminate, terminate, stateDir, stateFileMode, stateLock, newNotNeedInit, newStartup,
                newDisableAutoShutdown, rejectLocality4, pidFile, log, allowSetLocality, pidFd);
    }

    /** The same settings with another data-channel {@code disconnect} and {@code -t} behaviour. */
    public SwtpmOptions withConnection(boolean newDisconnect, boolean newTerminate, boolean newCtrlTerminate) {
        return new SwtpmOptions(tpm2, dataPort, dataBindAddress, newDisconnect, ctrlPort, ctrlBindAddress,
                newCtrlTerminate, newTerminate, stateDir, stateFileMode, stateLock, notNeedInit, startup,
                disableAutoShutdown, rejectLocality4, pidFile, log, allowSetLocality, pidFd);
    }

    /** The same settings with a state directory. */
    public SwtpmOptions withStateDir(Path dir) {
        return new SwtpmOptions(tpm2, dataPort, dataBindAddress, disconnect, ctrlPort, ctrlBindAddress,
                ctrlTerminate, terminate, dir, stateFileMode, stateLock, notNeedInit, startup,
                disableAutoShutdown, rejectLocality4, pidFile, log, allowSetLocality, pidFd);
    }

    /**
     * {@code --log} settings.
     *
     * @param file log file path, {@code "-"} for no logging, or null
     * @param fd log file descriptor, or -1
     * @param level verbosity; 0 logs errors only
     * @param prefix text put before every line, or null
     * @param truncate truncate the log file instead of appending
     */
    public record LogOptions(String file, int fd, int level, String prefix, boolean truncate) {
        /** No {@code --log} option: errors go to standard error. */
        public static final LogOptions NONE = new LogOptions(null, -1, 0, null, false);
    }
}
