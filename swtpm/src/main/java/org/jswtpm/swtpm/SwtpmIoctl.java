package org.jswtpm.swtpm;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * {@code swtpm_ioctl --tcp [host]:[port] | --unix <path> <command>}: sends one control-channel command to a running
 * swtpm and prints the answer in swtpm_ioctl's words. Supported commands: {@code -c -i -s --stop -e
 * -r <loc> -l <loc> -C -v -g -b <size> --info <flags> -h <data>|-h - --lock-storage <n>
 * --save <type> <file> --load <type> <file>}. Options are accepted with one or two dashes, as
 * getopt_long_only does. Character devices are not supported yet and fail with a message.
 */
public final class SwtpmIoctl {
    static final int DEFAULT_TCP_PORT = 6546;
    /** How long {@code -s} waits for the emulator to end the connection after its reply. */
    static final int SHUTDOWN_WAIT_MILLIS = 2000;

    private final PrintStream out;
    private final PrintStream err;
    private final InputStream stdin;
    private String host;
    /** {@code --unix <path>}; swtpm_ioctl's precedence: a device, then {@code --tcp}, then {@code --unix}. */
    private String unixPath;
    private int port = -1;
    private String command;
    private String argument;
    private String blobFile;

    private SwtpmIoctl(PrintStream out, PrintStream err, InputStream stdin) {
        this.out = out;
        this.err = err;
        this.stdin = stdin;
    }

    /** Entry point of the {@code swtpm_ioctl} launcher. */
    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err, System.in));
    }

    /** Runs the tool and returns its exit status (0 success, 1 failure). */
    static int run(String[] args, PrintStream out, PrintStream err, InputStream stdin) {
        SwtpmIoctl tool = new SwtpmIoctl(out, err, stdin);
        try {
            Integer early = tool.parse(args);
            if (early != null) {
                return early;
            }
            return tool.execute();
        } catch (UsageException e) {
            err.println(e.getMessage());
            return 1;
        } catch (IOException e) {
            err.println("Could not execute the command: " + e.getMessage());
            return 1;
        }
    }

    private Integer parse(String[] args) throws UsageException {
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (!a.startsWith("-") || a.equals("-")) {
                throw new UsageException("Character devices are not supported by jswtpm's swtpm_ioctl: use --tcp");
            }
            String name = a.startsWith("--") ? a.substring(2) : a.substring(1);
            switch (name) {
                case "help" -> {
                    out.print(usage());
                    return 0;
                }
                case "version" -> {
                    out.println("TPM emulator control tool version " + Capabilities.VERSION
                            + ", Copyright (c) 2026 the jswtpm authors");
                    return 0;
                }
                case "tcp" -> parseTcp(value(args, ++i, a));
                case "c", "i", "s", "stop", "e", "v", "C", "g" -> setCommand(name, null);
                case "r", "l", "h", "b", "info", "lock-storage" -> setCommand(name, value(args, ++i, a));
                case "save", "load" -> {
                    setCommand(name, value(args, ++i, a));
                    if (i + 1 >= args.length || args[i + 1].startsWith("-")) {
                        throw new UsageException("Missing filename argument for --" + name + " option");
                    }
                    blobFile = args[++i];
                }
                case "unix" -> unixPath = value(args, ++i, a);
                case "tpm-device" ->
                    throw new UsageException("Option '" + a + "' is not supported by jswtpm's swtpm_ioctl yet");
                default -> throw new UsageException("Unknown option '" + a + "'");
            }
        }
        if (command == null) {
            throw new UsageException("No valid command.");
        }
        if (host == null && unixPath == null) {
            throw new UsageException("Error: Missing device name: jswtpm's swtpm_ioctl needs --tcp or --unix");
        }
        return null;
    }

    private static String value(String[] args, int i, String option) throws UsageException {
        if (i >= args.length) {
            throw new UsageException("Option '" + option + "' requires an argument");
        }
        return args[i];
    }

    private void setCommand(String name, String arg) throws UsageException {
        if (command != null) {
            throw new UsageException("Only one command may be given.");
        }
        command = name;
        argument = arg;
    }

    private void parseTcp(String text) throws UsageException {
        int colon = text.lastIndexOf(':');
        port = DEFAULT_TCP_PORT;
        if (colon < 0) {
            host = text;
            return;
        }
        host = colon == 0 ? "127.0.0.1" : text.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        String p = text.substring(colon + 1);
        if (p.isEmpty() && colon == 0) {
            return;
        }
        try {
            port = Integer.parseInt(p);
        } catch (NumberFormatException e) {
            throw new UsageException("Invalid port '" + p + "'");
        }
        if (port < 0 || port >= 65536) {
            throw new UsageException("Port '" + p + "' outside valid range.");
        }
    }

    private int execute() throws IOException, UsageException {
        try (ControlClient client = host != null ? new ControlClient(host, port)
                : ControlClient.unix(java.nio.file.Path.of(unixPath))) {
            return switch (command) {
                case "c" -> capabilities(client);
                case "i" -> simple(client, ControlCommand.INIT, ints(1), "PTM_INIT");
                case "s" -> shutdown(client);
                case "stop" -> simple(client, ControlCommand.STOP, new byte[0], "PTM_STOP");
                case "e" -> established(client);
                case "r" -> simple(client, ControlCommand.RESET_TPMESTABLISHED, locality(), "PTM_RESET_TPMESTABLISHED");
                case "l" -> simple(client, ControlCommand.SET_LOCALITY, locality(), "PTM_SET_LOCALITY");
                case "C" -> simple(client, ControlCommand.CANCEL_TPM_CMD, new byte[0], "PTM_CANCEL_TPM_CMD");
                case "v" -> simple(client, ControlCommand.STORE_VOLATILE, new byte[0], "PTM_STORE_VOLATILE");
                case "g" -> config(client);
                case "b" -> bufferSize(client);
                case "info" -> info(client);
                case "h" -> hash(client);
                case "lock-storage" -> simple(client, ControlCommand.LOCK_STORAGE, ints(unsigned("retries")),
                        "PTM_LOCK_STORAGE");
                case "save" -> save(client);
                case "load" -> load(client);
                default -> throw new UsageException("No valid command.");
            };
        }
    }

    /**
     * {@code -s}: CMD_SHUTDOWN, then, unlike swtpm's swtpm_ioctl, a wait (at most {@link
     * #SHUTDOWN_WAIT_MILLIS}) for the emulator to close the connection, which jswtpm's swtpm leaves to its
     * exit: libvirt, once this returns, expects the process gone (it takes the pid-file lock swtpm held and
     * otherwise sends SIGTERM). swtpm's C programs exit in microseconds; two JVMs' exits race.
     */
    private int shutdown(ControlClient client) throws IOException {
        if (!check(client.send(ControlCommand.SHUTDOWN, new byte[0]), "PTM_SHUTDOWN")) {
            return 1;
        }
        client.awaitEnd(SHUTDOWN_WAIT_MILLIS);
        return 0;
    }

    private int simple(ControlClient client, ControlCommand c, byte[] body, String name) throws IOException {
        return check(client.send(c, body), name) ? 0 : 1;
    }

    private boolean check(int result, String name) {
        if (result != 0) {
            err.printf("TPM result from %s: 0x%x%n", name, result);
            return false;
        }
        return true;
    }

    private int capabilities(ControlClient client) throws IOException {
        client.send(ControlCommand.GET_CAPABILITY, new byte[0]);
        out.printf("ptm capability is 0x%x%n", client.readInt());
        return 0;
    }

    private int established(ControlClient client) throws IOException {
        if (!check(client.send(ControlCommand.GET_TPMESTABLISHED, new byte[0]), "PTM_GET_TPMESTABLISHED")) {
            return 1;
        }
        out.printf("tpmEstablished is %d%n", client.readBytes(4)[0] & 0xff);
        return 0;
    }

    private int config(ControlClient client) throws IOException {
        if (!check(client.send(ControlCommand.GET_CONFIG, new byte[0]), "PTM_GET_CONFIG")) {
            return 1;
        }
        out.printf("ptm configuration flags: 0x%x%n", client.readInt());
        return 0;
    }

    private int bufferSize(ControlClient client) throws IOException, UsageException {
        if (!check(client.send(ControlCommand.SET_BUFFERSIZE, ints(unsigned("buffersize"))), "PTM_SET_BUFFERSIZE")) {
            return 1;
        }
        int size = client.readInt();
        int min = client.readInt();
        int max = client.readInt();
        out.printf("TPM buffersize: %d%nminimum size  : %d%nmaximum size  : %d%n", size, min, max);
        return 0;
    }

    private int info(ControlClient client) throws IOException, UsageException {
        long flags;
        try {
            flags = Long.decode(argument);
        } catch (NumberFormatException e) {
            throw new UsageException("Cannot parse info flags.");
        }
        int read = 0;
        int total;
        StringBuilder json = new StringBuilder();
        do {
            byte[] body = ByteBuffer.allocate(16).putLong(flags).putInt(read).putInt(0).array();
            if (!check(client.send(ControlCommand.GET_INFO, body), "PTM_GET_INFO")) {
                return 1;
            }
            total = client.readInt();
            int length = client.readInt();
            if (length < 0 || length > ControlChannel.INFO_CHUNK) {
                err.printf("TPM returned an invalid length of %d, expected maximum %d%n", length,
                        ControlChannel.INFO_CHUNK);
                return 1;
            }
            byte[] chunk = client.readBytes(length);
            int end = 0;
            while (end < chunk.length && chunk[end] != 0) {
                end++;
            }
            json.append(new String(chunk, 0, end, StandardCharsets.UTF_8));
            read += length;
            if (length == 0) {
                break;
            }
        } while (read < total);
        out.println(json);
        return 0;
    }

    private int hash(ControlClient client) throws IOException {
        byte[] data = argument.equals("-") ? stdin.readAllBytes() : argument.getBytes(StandardCharsets.UTF_8);
        if (!check(client.send(ControlCommand.HASH_START, new byte[0]), "PTM_HASH_START")) {
            return 1;
        }
        for (int off = 0; off < data.length; off += 4096) {
            byte[] chunk = Arrays.copyOfRange(data, off, Math.min(data.length, off + 4096));
            byte[] body = ByteBuffer.allocate(4 + chunk.length).putInt(chunk.length).put(chunk).array();
            if (!check(client.send(ControlCommand.HASH_DATA, body), "PTM_HASH_DATA")) {
                return 1;
            }
        }
        return check(client.send(ControlCommand.HASH_END, new byte[0]), "PTM_HASH_END") ? 0 : 1;
    }

    private byte[] locality() throws UsageException {
        int loc;
        try {
            loc = Integer.parseInt(argument);
        } catch (NumberFormatException e) {
            throw new UsageException("Could not get locality number from " + argument + ".");
        }
        if (loc < 0 || loc > 4) {
            throw new UsageException("Locality outside valid range of [0..4].");
        }
        return new byte[] {(byte) loc};
    }

    private int unsigned(String what) throws UsageException {
        try {
            long v = Long.parseLong(argument);
            if (v < 0 || v > 0xffffffffL) {
                throw new NumberFormatException();
            }
            return (int) v;
        } catch (NumberFormatException e) {
            throw new UsageException("Could not get " + what + " from " + argument + ".");
        }
    }

    /** The control-channel blob type of swtpm_ioctl's type name, or 0. */
    static int blobType(String name) {
        return switch (name) {
            case "permanent" -> 1;
            case "volatile" -> 2;
            case "savestate" -> 3;
            default -> 0;
        };
    }

    /**
     * {@code --save <type> <file>}: GET_STATEBLOB with PTM_STATE_FLAG_DECRYPTED into {@code file}
     * (created 0600, truncated); a blob the TPM does not have (TPM_RETRY) leaves the file empty.
     */
    private int save(ControlClient client) throws IOException {
        int type = blobType(argument);
        if (type == 0) {
            err.print("Unknown TPM state type '" + argument + "'");
            return 1;
        }
        java.nio.file.Path file = java.nio.file.Path.of(blobFile);
        try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(file,
                java.util.Set.of(java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.WRITE,
                        java.nio.file.StandardOpenOption.TRUNCATE_EXISTING),
                java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                        java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")))) {
            int result = client.send(ControlCommand.GET_STATEBLOB, ByteBuffer.allocate(12)
                    .putInt(ControlChannel.STATE_FLAG_DECRYPTED).putInt(type).putInt(0).array());
            if (result != 0 && (result & PtmResult.TPM_RETRY) == 0) {
                err.printf("TPM result from PTM_GET_STATEBLOB: 0x%x%n", result);
                return 1;
            }
            client.readInt(); // state flags
            int total = client.readInt();
            int length = client.readInt();
            ByteBuffer blob = ByteBuffer.wrap(client.readBytes(length));
            while (blob.hasRemaining()) {
                ch.write(blob);
            }
            if (length != total) {
                err.printf("Unexpected number of remaining bytes: %d%n", total - length);
                return 1;
            }
            return 0;
        } catch (java.nio.file.FileSystemException e) {
            err.printf("Could not open file '%s' for writing: %s%n", blobFile, strerror(e));
            return 1;
        }
    }

    /** {@code --load <type> <file>}: SET_STATEBLOB of the file's bytes (state flags 0). */
    private int load(ControlClient client) throws IOException {
        int type = blobType(argument);
        if (type == 0) {
            err.print("Unknown TPM state type '" + argument + "'");
            return 1;
        }
        byte[] blob;
        try {
            blob = java.nio.file.Files.readAllBytes(java.nio.file.Path.of(blobFile));
        } catch (java.nio.file.FileSystemException e) {
            err.printf("Could not open file '%s' for reading: %s%n", blobFile, strerror(e));
            return 1;
        }
        byte[] body = ByteBuffer.allocate(12 + blob.length).putInt(0).putInt(type).putInt(blob.length).put(blob).array();
        return check(client.send(ControlCommand.SET_STATEBLOB, body), "PTM_SET_STATEBLOB") ? 0 : 1;
    }

    /** The C library's words for the common file errors. */
    private static String strerror(java.nio.file.FileSystemException e) {
        if (e instanceof java.nio.file.NoSuchFileException) {
            return "No such file or directory";
        }
        if (e instanceof java.nio.file.AccessDeniedException) {
            return "Permission denied";
        }
        return e.getReason() != null ? e.getReason() : e.getClass().getSimpleName();
    }

    private static byte[] ints(int v) {
        return ByteBuffer.allocate(4).putInt(v).array();
    }

    private static String usage() {
        return """
                Usage: swtpm_ioctl --tcp [<host>]:[<port>] | --unix <path> <command>

                The following commands are supported:
                --tcp [<host>]:[<prt>]: connect to the TPM's control channel on the given host
                                        and port; default host 127.0.0.1, default port 6546
                --unix <path>         : connect to the TPM's control channel on a UnixIO socket
                -c                    : get ptm capabilities
                -i                    : do a hardware TPM_Init (deleting any volatile state)
                --stop                : stop the TPM without exiting
                -s                    : shutdown the TPM; stops and exits
                -e                    : get the tpmEstablished bit
                -r <loc>              : reset the tpmEstablished bit; use the given locality
                -v                    : store the TPM's volatile data
                -C                    : cancel an ongoing TPM command
                -l <loc>              : set the locality to the given number (0-4)
                -h <data>             : hash the given data; if data is '-', read stdin
                -g                    : get configuration flags indicating which keys are in use
                -b <buffersize>       : set the buffer size of the TPM and get its current
                                        size; get minimum and maximum supported sizes
                --info <flags>        : get TPM implementation specific information
                --lock-storage <n>    : lock the storage; retry n times
                --save <type> <file>  : store the TPM state blob of given type in a file;
                                        type may be one of volatile, permanent, or savestate
                --load <type> <file>  : load the TPM state blob of given type from a file;
                                        type may be one of volatile, permanent, or savestate
                --version             : display version and exit
                --help                : display help screen and exit

                Not supported by jswtpm yet: --tpm-device.
                """;
    }
}
