package org.jswtpm.swtpm;

/** The help texts of {@code swtpm}, {@code swtpm socket} and {@code swtpm chardev}. */
final class Usage {
    static final String TOP = """
            Usage: swtpm socket [options]
                   swtpm chardev [options]
                   swtpm -v|--version

            Use the --help option to see the help screen for each interface type.
            Use the --version option to see version information.
            jswtpm implements the socket and chardev interface types (not cuse).
            """;

    /** The options both interface types take, after their own. */
    private static final String COMMON = """
            --ctrl type=unixio,path=<path>[,mode=0<mode>][,uid=<uid>][,gid=<gid>][,terminate]
            --ctrl type=unixio,fd=<fd>|clientfd=<fd>[,terminate]
            --ctrl type=tcp[,port=<port>][,bindaddr=<address>][,fd=<fd>][,terminate]
                              : the control channel on a Unix socket (a path, a listening
                                socket's fd, or a connected client's fd) or TCP; terminate
                                exits when the control client disconnects
            --tpmstate dir=<dir>|backend-uri=dir://<dir>|backend-uri=file://<file>
                    [,mode=0<mode>][,lock[=<bool>]][,backup][,fsync]
                              : where the TPM keeps its state (defaults to $TPM_PATH);
                                mode is the octal file mode of state files (0640);
                                lock locks the state (default on for dir://, off for
                                file://); backup keeps the previous permall as .bak;
                                every write is fsynced whether or not fsync is given
            --key file=<keyfile>|fd=<fd>|pwdfile=<file>|pwdfd=<fd>
                    [,mode=aes-128-cbc|aes-cbc|aes-256-cbc][,format=hex|binary]
                    [,kdf=pbkdf2|sha512][,remove[=<bool>]]
                              : encrypt the state files with this key, or with a key
                                derived from this passphrase (as swtpm)
            --migration-key <same parameters as --key>
                              : encrypt the state blobs handed out by GET_STATEBLOB
            --migration [incoming][,release-lock-outgoing]
                              : incoming: lock the state only when it arrives, at the
                                first command or on LOCK_STORAGE; the lock is released
                                after the savestate blob was read
            --tpm2            : emulate a TPM 2.0 (required: TPM 1.2 is not implemented)
            --flags [not-need-init][,startup-clear|startup-state|startup-none]
                    [,disable-auto-shutdown]
                              : not-need-init: the TPM runs without CMD_INIT;
                                startup-*: send TPM2_Startup at start (implies
                                not-need-init); disable-auto-shutdown: do not send
                                TPM2_Shutdown before re-init, stop and exit
            --locality [reject-locality-4][,allow-set-locality]
                              : reject locality 4 on CMD_SET_LOCALITY; accept the in-band
                                TPM2_SetLocality vendor command
            --pid file=<file>|fd=<fd>
                              : write the process id to <file>, or to the regular file
                                open on <fd>, once the channels are up
            --log file=<path>|fd=<fd>[,level=<n>][,prefix=<string>][,truncate]
                              : write the log to a file (- for none) or a descriptor
            --pcap file=<path>|fd=<fd>[,truncate][,mode=0<mode>][,checksums]
                              : write the TPM commands and responses to a pcapng file, as
                                TCP traffic to port 2321 (Wireshark decodes it as TPM 2.0);
                                mode defaults to 0640; checksums fills in IP/TCP checksums
            -r|--runas <user> : change to the given user (a name or a decimal uid) before
                                any file or socket is opened (needs root)
            -R|--chroot <path>: chroot to <path> at startup (needs root); the state, log,
                                key, pid and socket paths are then inside it
            -d|--daemon       : run in the background once the channels are up
            --seccomp action=none|log|kill
                              : checked and ignored (the JVM has no seccomp filter)
            --print-info <flags>
                              : print the GET_INFO JSON for <flags> and exit
            --print-capabilities
                              : print the supported features as JSON and exit
            --print-states    : print which state blobs exist (needs --tpmstate) and exit
            -h|--help         : display this help screen and exit

            """;

    static final String SOCKET = """
            Usage: swtpm socket [options]

            jswtpm: a TPM 2.0 emulator written in Java, compatible with swtpm.

            The following options are supported:

            -p|--port <port>  : use the given TCP port for the data channel; the connection
                                is closed after every response
            -f|--fd <fd>      : serve the data channel on this socket descriptor (listening
                                or connected)
            -t|--terminate    : terminate when the data client disconnects
            --server type=tcp[,port=<port>][,bindaddr=<address>][,fd=<fd>][,disconnect]
                              : data channel on TCP (port defaults to $TPM_PORT,
                                bindaddr to 127.0.0.1); disconnect closes the connection
                                after every response
            --server type=unixio,path=<path>[,mode=0<mode>][,uid=<uid>][,gid=<gid>]|fd=<fd>
                              : data channel on a Unix socket
            --server type=mssim[,port=<port>][,bindaddr=<address>]
                              : jswtpm extension: the MS/IBM TPM simulator protocol on
                                command port <port> (2321) and platform port <port>+1
            """ + COMMON + """
            Options of swtpm not listed here are refused with an error.
            """;

    static final String CHARDEV = """
            Usage: swtpm chardev [options]

            jswtpm: a TPM 2.0 emulator written in Java, compatible with swtpm.

            The following options are supported:

            -c|--chardev <device>
                              : use the given character device (opened read-write); each
                                read is one command, each response one write
            -f|--fd <fd>      : use the given character device file descriptor (or socket)
            --vtpm-proxy      : spawn a Linux vTPM proxy driver device (/dev/vtpmx) and read
                                TPM commands from its anonymous file descriptor; implies
                                startup-clear and allow-set-locality
            """ + COMMON + """
            The process ends when the device hangs up. Options of swtpm not listed here
            are refused with an error.
            """;
}
