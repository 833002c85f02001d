package org.jswtpm.swtpm;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jswtpm.store.KeyOption;
import org.jswtpm.store.TpmStateOptions;
import org.jswtpm.swtpm.mssim.MssimOptions;

/**
 * Parses the arguments of {@code swtpm socket} and {@code swtpm chardev} (everything after that word)
 * as swtpm does: long options as {@code --name value} or {@code --name=value} (a unique prefix of a long name is
 * accepted, as getopt_long does), short options {@code -p 2321} or {@code -p2321}.
 *
 * <p>Options swtpm has that jswtpm does not implement yet are rejected with a message naming them; none
 * is silently ignored.
 */
public final class SwtpmCommandLine {
    /** The interface type, the first word of the command line. */
    public enum Mode {
        /** {@code swtpm socket}: data channel on a socket or an inherited descriptor. */
        SOCKET,
        /** {@code swtpm chardev}: data channel on a character device, one command per read. */
        CHARDEV
    }

    /**
     * What the process does before it opens anything ({@code -c}, {@code --chroot}, {@code --runas}),
     * and the vTPM proxy it creates afterwards, in swtpm's order.
     *
     * @param chardev {@code swtpm chardev -c PATH}: the device to open (before the chroot), or null
     * @param chroot {@code -R/--chroot}: the new root directory, or null
     * @param runAs {@code -r/--runas}: the user to become, or null
     * @param vtpmProxy {@code swtpm chardev --vtpm-proxy}: create a Linux vTPM proxy device
     */
    public record ProcessSetup(Path chardev, Path chroot, String runAs,
            boolean vtpmProxy, PcapRecorder.Options pcap) {
        /** Nothing to do. */
        public static final ProcessSetup NONE = new ProcessSetup(null, null, null, false, null);
    }

    /** What the command line asks the process to do. */
    public enum Action {
        /** Serve the TPM. */
        RUN,
        /** Print usage and exit 0. */
        HELP,
        /** Print the capabilities JSON and exit 0. */
        PRINT_CAPABILITIES,
        /** Print which state blobs exist in the state directory and exit 0. */
        PRINT_STATES,
        /** Print the GET_INFO JSON for {@link Parsed#infoFlags()} and exit 0. */
        PRINT_INFO
    }

    /**
     * A parsed command line.
     *
     * @param action what to do
     * @param tpm2 {@code --tpm2} was given
     * @param options the settings; null unless {@code action} is {@link Action#RUN} or
     *     {@link Action#PRINT_STATES}
     * @param state the state storage, keys and migration settings; null when {@code options} is
     * @param endpoints the channels that are not TCP ports
     * @param mssim the mssim listener ({@code --server type=mssim}, a jswtpm extension), or null
     * @param infoFlags the flag bits of {@code --print-info}, 0 unless {@code action} is {@link Action#PRINT_INFO}
     * @param daemon {@code -d/--daemon}: serve in a detached child process
     * @param setup the device, chroot, user and vTPM proxy of the process
     */
    public record Parsed(Action action, boolean tpm2, SwtpmOptions options, StateConfig state,
            Endpoints endpoints, MssimOptions mssim, long infoFlags, boolean daemon, ProcessSetup setup) {
        /** A parsed command line without a chroot, user change or character device to open. */
        public Parsed(Action action, boolean tpm2, SwtpmOptions options, StateConfig state, Endpoints endpoints,
                MssimOptions mssim, long infoFlags, boolean daemon) {
            this(action, tpm2, options, state, endpoints, mssim, infoFlags, daemon, ProcessSetup.NONE);
        }

        /** A parsed command line that does not run as a daemon. */
        public Parsed(Action action, boolean tpm2, SwtpmOptions options, StateConfig state, Endpoints endpoints,
                MssimOptions mssim, long infoFlags) {
            this(action, tpm2, options, state, endpoints, mssim, infoFlags, false);
        }

        /** A parsed command line that does not print info. */
        public Parsed(Action action, boolean tpm2, SwtpmOptions options, StateConfig state, Endpoints endpoints,
                MssimOptions mssim) {
            this(action, tpm2, options, state, endpoints, mssim, 0);
        }

        /** A parsed command line without an mssim listener. */
        public Parsed(Action action, boolean tpm2, SwtpmOptions options, StateConfig state, Endpoints endpoints) {
            this(action, tpm2, options, state, endpoints, null);
        }

        /** A parsed command line whose state settings are those of {@code options}, channels on TCP. */
        public Parsed(Action action, boolean tpm2, SwtpmOptions options) {
            this(action, tpm2, options, options == null ? null : StateConfig.of(options));
        }

        /** A parsed command line whose channels are TCP ports (or absent). */
        public Parsed(Action action, boolean tpm2, SwtpmOptions options, StateConfig state) {
            this(action, tpm2, options, state, Endpoints.TCP);
        }
    }

    /** The long options of both modes that take an argument, then those of one mode only. */
    private static final List<String> COMMON_WITH_ARG = List.of("fd", "runas", "chroot",
            "locality", "log", "key", "migration-key", "pid", "tpmstate", "ctrl", "flags", "seccomp",
            "migration", "profile", "print-info", "pcap");
    private static final List<String> COMMON_NO_ARG = List.of("daemon", "help", "tpm2",
            "print-capabilities", "print-states", "print-profiles");
    private static final Set<String> NOT_YET = Set.of("profile", "print-profiles");

    private final Mode mode;
    private final List<String> longWithArg;
    private final List<String> longNoArg;
    private final Map<String, String> env;
    private String serverData;
    private String ctrlData;
    private String stateData;
    private String flagsData;
    private String pidData;
    private String logData;
    private String localityData;
    private String seccompData;
    private String runAs;
    private boolean daemon;
    private long infoFlags;
    private String keyData;
    private String migrationKeyData;
    private String migrationData;
    private boolean terminate;
    private boolean tpm2;
    private boolean help;
    private boolean printCapabilities;
    private boolean printStates;
    private String portFromDashP;
    private String fdData;
    private String chrootData;
    private String pcapData;
    private String chardevData;
    private boolean vtpmProxy;
    private Endpoints endpoints = Endpoints.TCP;
    private MssimOptions mssim;

    private SwtpmCommandLine(Mode mode, Map<String, String> env) {
        this.mode = mode;
        this.env = env;
        List<String> withArg = new ArrayList<>(COMMON_WITH_ARG);
        List<String> noArg = new ArrayList<>(COMMON_NO_ARG);
        if (mode == Mode.SOCKET) {
            withArg.addAll(List.of("port", "server"));
            noArg.add("terminate");
        } else {
            withArg.add("chardev");
            noArg.add("vtpm-proxy");
        }
        this.longWithArg = List.copyOf(withArg);
        this.longNoArg = List.copyOf(noArg);
    }

    /**
     * Parses {@code args} with {@code env} as the environment ({@code TPM_PORT}, {@code TPM_PATH}).
     *
     * @throws UsageException if swtpm would reject the command line, or it uses an option jswtpm lacks
     */
    public static Parsed parse(String[] args, Map<String, String> env) throws UsageException {
        return parse(Mode.SOCKET, args, env);
    }

    /**
     * Parses the arguments of {@code swtpm socket} or {@code swtpm chardev}; an option of the other
     * mode is an unknown option, as in swtpm.
     *
     * @throws UsageException if swtpm would reject the command line, or it uses an option jswtpm lacks
     */
    public static Parsed parse(Mode mode, String[] args, Map<String, String> env) throws UsageException {
        SwtpmCommandLine parser = new SwtpmCommandLine(mode, env);
        parser.scan(args);
        return parser.build();
    }

    private void scan(String[] args) throws UsageException {
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.startsWith("--") && arg.length() > 2) {
                i = longOption(args, i);
            } else if (arg.startsWith("-") && arg.length() > 1) {
                i = shortOption(args, i);
            } else {
                throw new UsageException("Unknown parameter '" + arg + "'");
            }
        }
    }

    private int longOption(String[] args, int i) throws UsageException {
        String body = args[i].substring(2);
        int eq = body.indexOf('=');
        String given = eq < 0 ? body : body.substring(0, eq);
        String name = resolveLongName(given);
        boolean takesArg = longWithArg.contains(name);
        String value = null;
        if (takesArg) {
            if (eq >= 0) {
                value = body.substring(eq + 1);
            } else if (i + 1 < args.length) {
                value = args[++i];
            } else {
                throw new UsageException("Option '--" + name + "' requires an argument");
            }
        } else if (eq >= 0) {
            throw new UsageException("Option '--" + name + "' doesn't allow an argument");
        }
        apply(name, value);
        return i;
    }

    private String resolveLongName(String given) throws UsageException {
        List<String> matches = new ArrayList<>();
        for (List<String> names : List.of(longWithArg, longNoArg)) {
            for (String name : names) {
                if (name.equals(given)) {
                    return name;
                }
                if (name.startsWith(given)) {
                    matches.add(name);
                }
            }
        }
        if (matches.size() == 1) {
            return matches.get(0);
        }
        if (matches.isEmpty()) {
            throw new UsageException("Unknown option '--" + given + "'");
        }
        throw new UsageException("Option '--" + given + "' is ambiguous: " + String.join(", ", matches));
    }

    private int shortOption(String[] args, int i) throws UsageException {
        String arg = args[i];
        for (int pos = 1; pos < arg.length(); pos++) {
            String name = shortName(arg.charAt(pos));
            if (!longWithArg.contains(name)) {
                apply(name, null);
                continue;
            }
            if (pos + 1 < arg.length()) {
                apply(name, arg.substring(pos + 1));
                return i;
            }
            if (i + 1 >= args.length) {
                throw new UsageException("Option '-" + arg.charAt(pos) + "' requires an argument");
            }
            apply(name, args[i + 1]);
            return i + 1;
        }
        return i;
    }

    private String shortName(char c) throws UsageException {
        String name = switch (c) {
            case 'p' -> mode == Mode.SOCKET ? "port" : null;
            case 't' -> mode == Mode.SOCKET ? "terminate" : null;
            case 'c' -> mode == Mode.CHARDEV ? "chardev" : null;
            case 'f' -> "fd";
            case 'r' -> "runas";
            case 'R' -> "chroot";
            case 'd' -> "daemon";
            case 'h' -> "help";
            default -> null;
        };
        if (name == null) {
            throw new UsageException("Unknown option '-" + c + "'");
        }
        return name;
    }

    private void apply(String name, String value) throws UsageException {
        if (NOT_YET.contains(name)) {
            throw new UsageException("Option '--" + name + "' is not supported by jswtpm yet");
        }
        switch (name) {
            case "port" -> {
                portFromDashP = value;
                serverData = "type=tcp,disconnect";
            }
            case "server" -> serverData = value;
            case "fd" -> {
                if (mode == Mode.SOCKET || chardevData == null && fdData == null) {
                    fdData = value; // chardev: the first of -c and --fd counts, as in swtpm
                }
            }
            case "chardev" -> {
                if (chardevData == null && fdData == null) {
                    chardevData = value;
                }
            }
            case "vtpm-proxy" -> vtpmProxy = true;
            case "chroot" -> chrootData = value;
            case "pcap" -> pcapData = value;
            case "ctrl" -> ctrlData = value;
            case "tpmstate" -> stateData = value;
            case "flags" -> flagsData = value;
            case "pid" -> pidData = value;
            case "log" -> logData = value;
            case "locality" -> localityData = value;
            case "seccomp" -> seccompData = value;
            case "runas" -> runAs = value;
            case "daemon" -> daemon = true;
            case "print-info" -> infoFlags = parseInfoFlags(value);
            case "key" -> keyData = value;
            case "migration-key" -> migrationKeyData = value;
            case "migration" -> migrationData = value;
            case "terminate" -> terminate = true;
            case "tpm2" -> tpm2 = true;
            case "help" -> help = true;
            case "print-capabilities" -> printCapabilities = true;
            case "print-states" -> printStates = true;
            default -> throw new UsageException("Unknown option '--" + name + "'");
        }
    }

    private Parsed build() throws UsageException {
        if (help) {
            return new Parsed(Action.HELP, tpm2, null);
        }
        if (runAs != null) {
            // swtpm switches users before anything else is done; inside a chroot the user is looked up there
            RunAs.check(runAs, chrootData == null);
        }
        SwtpmOptions.LogOptions log = parseLog(logData);
        if (printCapabilities) {
            return new Parsed(Action.PRINT_CAPABILITIES, tpm2, null);
        }
        if (!tpm2) {
            throw new UsageException("TPM 1.2 is not supported by jswtpm: pass --tpm2");
        }
        if (printStates) {
            if (stateData == null) {
                throw new UsageException("Error: --tpmstate option is required for --print-states");
            }
            TpmStateOptions state = parseState();
            SwtpmOptions options = SwtpmOptions.forLoopback(false).withStateDir(state.path());
            return new Parsed(Action.PRINT_STATES, true, options, new StateConfig(state, null, null, false, false),
                    Endpoints.TCP, null, 0, false, processSetup(false));
        }
        parseSeccomp();
        SwtpmOptions options = buildOptions(log);
        if (infoFlags != 0) {
            return new Parsed(Action.PRINT_INFO, true, options, buildStateConfig(), endpoints, mssim, infoFlags);
        }
        return new Parsed(Action.RUN, true, options, buildStateConfig(), endpoints, mssim, 0, daemon,
                processSetup(true));
    }

    private ProcessSetup processSetup(boolean serving) throws UsageException {
        return new ProcessSetup(serving && chardevData != null ? Path.of(chardevData) : null,
                chrootData == null ? null : Path.of(chrootData), runAs, serving && vtpmProxy,
                serving ? parsePcap() : null);
    }

    /** {@code --pcap file=<path>|fd=<fd>[,truncate][,mode=0<mode>][,checksums]}, or null. */
    private PcapRecorder.Options parsePcap() throws UsageException {
        if (pcapData == null) {
            return null;
        }
        SubOptions p = SubOptions.parse("--pcap", pcapData, Set.of("file", "fd", "truncate", "mode", "checksums"));
        String file = p.string("file", null);
        int fd = p.integer("fd", -1, 0, Integer.MAX_VALUE);
        if (file == null && fd < 0) {
            throw new UsageException("Error parsing pcap options: file= or fd= is required");
        }
        return new PcapRecorder.Options(file == null ? null : Path.of(file), file == null ? fd : -1,
                p.bool("truncate", false), p.mode("mode", 0640), p.bool("checksums", false));
    }

    /** {@code --tpmstate} (or {@code TPM_PATH}), {@code --key}, {@code --migration-key}, {@code --migration}. */
    private StateConfig buildStateConfig() throws UsageException {
        TpmStateOptions state = parseState();
        KeyOption key = parseKey("--key", keyData);
        KeyOption migrationKey = parseKey("--migration-key", migrationKeyData);
        boolean incoming = false;
        boolean releaseLockOutgoing = false;
        if (migrationData != null) {
            SubOptions m = SubOptions.parse("--migration", migrationData, Set.of("incoming", "release-lock-outgoing"));
            incoming = m.bool("incoming", false);
            releaseLockOutgoing = m.bool("release-lock-outgoing", false);
        }
        return new StateConfig(state, key, migrationKey, incoming, releaseLockOutgoing);
    }

    private static KeyOption parseKey(String option, String value) throws UsageException {
        if (value == null) {
            return null;
        }
        try {
            return KeyOption.parse(option, value);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
    }

    private SwtpmOptions buildOptions(SwtpmOptions.LogOptions log) throws UsageException {
        ServerOptions server = parseServer();
        CtrlOptions ctrl = parseCtrl();
        if (mssim != null && ctrl.endpoint == null
                && (ctrl.port == mssim.commandPort() || ctrl.port == mssim.platformPort())) {
            throw new UsageException("--ctrl port " + ctrl.port + " collides with the mssim ports "
                    + mssim.commandPort() + " and " + mssim.platformPort());
        }
        endpoints = new Endpoints(server.endpoint, ctrl.endpoint);
        TpmStateOptions state = parseState();
        FlagOptions flags = parseFlags();
        SubOptions locality = SubOptions.parse("--locality", localityData == null ? "" : localityData,
                Set.of("reject-locality-4", "allow-set-locality"));
        boolean rejectLocality4 = locality.bool("reject-locality-4", false);
        Path pidFile = parsePid();
        return new SwtpmOptions(true, server.port, server.bindAddress, server.disconnect, ctrl.port,
                ctrl.bindAddress, ctrl.terminate, terminate || server.terminate, state == null ? null : state.path(),
                state == null ? SwtpmOptions.DEFAULT_STATE_FILE_MODE : state.mode(), state != null && state.lock(),
                flags.notNeedInit,
                flags.startup, flags.disableAutoShutdown, rejectLocality4, pidFile, log,
                locality.bool("allow-set-locality", false) || vtpmProxy, parsePidFd());
    }

    /**
     * The data channel: {@code port} -1 when it is not a TCP port; {@code endpoint} null for a TCP port
     * or no data channel; {@code terminate} when a given descriptor implies {@code -t}.
     */
    private record ServerOptions(int port, String bindAddress, boolean disconnect, Endpoints.Endpoint endpoint,
            boolean terminate) { }

    private ServerOptions parseServer() throws UsageException {
        if (mode == Mode.CHARDEV) {
            return new ServerOptions(-1, "127.0.0.1", false, parseCharDevice(), true);
        }
        if (fdData != null) {
            if (serverData != null) {
                throw new UsageException("--fd and --server cannot be used together");
            }
            return new ServerOptions(-1, "127.0.0.1", false, new Endpoints.ConnectedFd(parseFd("--fd", fdData)),
                    true);
        }
        if (serverData == null) {
            // swtpm: no --server, -p or --fd means no data channel until CMD_SET_DATAFD
            return new ServerOptions(-1, "127.0.0.1", false, null, false);
        }
        SubOptions server = SubOptions.parse("--server", serverData,
                Set.of("type", "port", "bindaddr", "ifname", "fd", "disconnect", "path", "mode", "uid", "gid"));
        String type = server.string("type", "tcp");
        boolean disconnect = server.bool("disconnect", false);
        if (type.equals("unixio")) {
            return new ServerOptions(-1, "127.0.0.1", disconnect, unixEndpoint("--server", server, false), false);
        }
        if (type.equals("mssim")) {
            mssim = parseMssim(server);
            return new ServerOptions(-1, "127.0.0.1", false, null, false);
        }
        if (!type.equals("tcp")) {
            throw new UsageException("Unsupported socket type: " + type);
        }
        if (server.has("fd")) {
            int fd = parseFd("--server fd", server.string("fd", ""));
            return new ServerOptions(-1, "127.0.0.1", disconnect, new Endpoints.ConnectedFd(fd), true);
        }
        int port = server.has("port") ? server.integer("port", -1, 0, 65535) : portFromEnvironment();
        return new ServerOptions(port, bindAddress("--server", server), disconnect, null, false);
    }

    /**
     * The data channel of {@code swtpm chardev}: {@code --fd N} now, or null when {@code -c PATH} (opened
     * at start) or {@code --vtpm-proxy} (created at start) provides it. The process always ends when
     * the device hangs up.
     */
    private Endpoints.Endpoint parseCharDevice() throws UsageException {
        if (vtpmProxy && (fdData != null || chardevData != null)) {
            throw new UsageException("Cannot use vTPM proxy with a provided device.");
        }
        if (chardevData != null || vtpmProxy) {
            return null;
        }
        if (fdData == null) {
            if (infoFlags != 0) {
                return null; // --print-info needs no device
            }
            throw new UsageException("Error: Missing character device or file descriptor");
        }
        long fd;
        try {
            if (!fdData.chars().allMatch(Character::isDigit) || fdData.isEmpty()) {
                throw new NumberFormatException(fdData);
            }
            fd = Long.parseLong(fdData);
        } catch (NumberFormatException e) {
            throw new UsageException("Cannot parse character device file descriptor.");
        }
        if (fd > Integer.MAX_VALUE) {
            throw new UsageException("Cannot parse character device file descriptor.");
        }
        if (fd < 3) {
            throw new UsageException("Error: Cannot accept file descriptors with values 0, 1, or 2");
        }
        return new Endpoints.CharDevice((int) fd, "character device fd " + fd);
    }

    /**
     * {@code --server type=mssim[,port=P][,bindaddr=A]} (a jswtpm extension): the simulator's command
     * port P (default 2321) and platform port P+1.
     */
    private MssimOptions parseMssim(SubOptions server) throws UsageException {
        for (String key : new String[] {"fd", "path", "disconnect", "ifname", "mode", "uid", "gid"}) {
            if (server.has(key)) {
                throw new UsageException("--server type=mssim does not take '" + key
                        + "': the mssim listener is two TCP ports (port=P for commands, P+1 for platform signals)");
            }
        }
        int port = server.has("port") ? server.integer("port", -1, 0, 65535) : MssimOptions.DEFAULT_PORT;
        if (port < 1 || port > 65534) {
            throw new UsageException("--server type=mssim: port must be between 1 and 65534 (the platform port is"
                    + " port+1)");
        }
        return new MssimOptions(server.string("bindaddr", "127.0.0.1"), port, port + 1, terminate);
    }

    /**
     * {@code type=unixio} of {@code --server} or {@code --ctrl}, with swtpm's precedence: {@code fd=}
     * (a listening socket), then {@code clientfd=} (control channel only: a connected client), then
     * {@code path=}.
     */
    private static Endpoints.Endpoint unixEndpoint(String option, SubOptions o, boolean allowClientFd)
            throws UsageException {
        if (o.has("fd")) {
            return new Endpoints.ListeningFd(parseFd(option + " fd", o.string("fd", "")));
        }
        if (allowClientFd && o.has("clientfd")) {
            return new Endpoints.ConnectedFd(parseFd(option + " clientfd", o.string("clientfd", "")));
        }
        String path = o.string("path", null);
        if (path == null || path.isEmpty()) {
            throw new UsageException(option + ": missing path and fd options for the UnixIO socket");
        }
        return new Endpoints.UnixPath(Path.of(path), o.mode("mode", Endpoints.DEFAULT_SOCKET_MODE),
                o.string("uid", null), o.string("gid", null));
    }

    /** A descriptor number: decimal, and not 0, 1 or 2 (swtpm refuses the standard streams). */
    private static int parseFd(String what, String text) throws UsageException {
        int fd;
        try {
            fd = Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            throw new UsageException(what + ": cannot parse file descriptor '" + text + "'");
        }
        if (fd < 0) {
            throw new UsageException(what + ": bad file descriptor " + fd);
        }
        if (fd < 3) {
            throw new UsageException("Error: Cannot accept file descriptors with values 0, 1, or 2");
        }
        return fd;
    }

    /** The control channel: {@code port} -1 when it is not a TCP port, then {@code endpoint} says where. */
    private record CtrlOptions(int port, String bindAddress, boolean terminate, Endpoints.Endpoint endpoint) { }

    private CtrlOptions parseCtrl() throws UsageException {
        if (ctrlData == null) {
            return new CtrlOptions(-1, "127.0.0.1", false, null);
        }
        SubOptions ctrl = SubOptions.parse("--ctrl", ctrlData, Set.of("type", "path", "port", "bindaddr",
                "ifname", "fd", "clientfd", "mode", "uid", "gid", "terminate"));
        String type = ctrl.string("type", "");
        boolean terminateOnHangUp = ctrl.bool("terminate", false);
        if (type.equals("unixio")) {
            return new CtrlOptions(-1, "127.0.0.1", terminateOnHangUp, unixEndpoint("--ctrl", ctrl, true));
        }
        if (!type.equals("tcp")) {
            throw new UsageException(type.isEmpty() ? "Missing type parameter for control channel"
                    : "Unsupported control channel type: " + type);
        }
        if (ctrl.has("fd")) {
            return new CtrlOptions(-1, "127.0.0.1", terminateOnHangUp,
                    new Endpoints.ListeningFd(parseFd("--ctrl fd", ctrl.string("fd", ""))));
        }
        if (!ctrl.has("port")) {
            throw new UsageException("Missing port and fd options for TCP control channel");
        }
        return new CtrlOptions(ctrl.integer("port", -1, 0, 65535), bindAddress("--ctrl", ctrl),
                terminateOnHangUp, null);
    }

    /**
     * {@code bindaddr} (default 127.0.0.1) as swtpm reads it: a numeric IPv4 or IPv6 address, never a host
     * name; an IPv6 link-local address needs {@code ifname}, the interface whose index becomes its scope
     * (returned as {@code address%ifname}); for any other address {@code ifname} is ignored, as in swtpm.
     */
    static String bindAddress(String option, SubOptions o) throws UsageException {
        String address = o.string("bindaddr", "127.0.0.1");
        String ifname = o.string("ifname", null);
        InetAddress parsed = numericAddress(address);
        if (parsed == null) {
            throw new UsageException("Could not parse the bind address '" + address + "'");
        }
        if (!(parsed instanceof Inet6Address) || !parsed.isLinkLocalAddress()) {
            return address;
        }
        if (ifname == null) {
            throw new UsageException("Missing interface name for link local address");
        }
        try {
            if (NetworkInterface.getByName(ifname) == null) {
                throw new UsageException("Could not convert interface name '" + ifname
                        + "' to index: No such device");
            }
        } catch (SocketException e) {
            throw new UsageException("Could not convert interface name '" + ifname + "' to index: "
                    + e.getMessage());
        }
        return address + "%" + ifname;
    }

    /** A numeric IPv4 (dotted quad) or IPv6 address, or null; no name is looked up. */
    private static InetAddress numericAddress(String text) {
        boolean v4 = text.matches("\\d{1,3}(\\.\\d{1,3}){3}")
                && Arrays.stream(text.split("\\.")).allMatch(octet -> Integer.parseInt(octet) <= 255);
        boolean v6 = text.indexOf(':') >= 0 && text.matches("[0-9A-Fa-f:.]+");
        if (!v4 && !v6) {
            return null;
        }
        try {
            return InetAddress.getByName(text); // a literal: no resolver involved
        } catch (UnknownHostException e) {
            return null;
        }
    }

    private int portFromEnvironment() throws UsageException {
        String text = portFromDashP != null ? portFromDashP : env.get("TPM_PORT");
        if (text == null) {
            throw new UsageException("TPM_PORT is not set or contains an invalid integer value.");
        }
        try {
            int port = Integer.decode(text.trim());
            if (port < 0 || port > 65535) {
                throw new UsageException("TCP socket port outside valid range");
            }
            return port;
        } catch (NumberFormatException e) {
            throw new UsageException(portFromDashP != null
                    ? "Cannot parse socket port number '" + text + "'."
                    : "TPM_PORT is not set or contains an invalid integer value.");
        }
    }

    /**
     * {@code --tpmstate dir=D|backend-uri=dir://D|backend-uri=file://F[,mode=0NNN][,lock[=b]][,backup][,fsync]},
     * else the directory in {@code TPM_PATH}; null if neither is given.
     */
    private TpmStateOptions parseState() throws UsageException {
        String value = stateData;
        if (value == null) {
            String path = env.get("TPM_PATH");
            if (path == null) {
                return null;
            }
            value = "dir=" + path;
        }
        try {
            return TpmStateOptions.parse(value);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
    }

    private record FlagOptions(boolean notNeedInit, StartupType startup, boolean disableAutoShutdown) { }

    /**
     * {@code --flags}; with {@code --vtpm-proxy} the TPM needs no CMD_INIT and starts with
     * {@code TPM2_Startup(CLEAR)} unless a {@code startup-*} flag says otherwise, as in swtpm.
     */
    private FlagOptions parseFlags() throws UsageException {
        FlagOptions given = parseFlagsOption();
        if (!vtpmProxy) {
            return given;
        }
        boolean startupNone = flagsData != null && SubOptions.parse("--flags", flagsData, Set.of("not-need-init",
                "startup-clear", "startup-state", "startup-deactivated", "startup-none", "disable-auto-shutdown"))
                .bool("startup-none", false);
        StartupType startup = given.startup() != StartupType.NONE || startupNone ? given.startup() : StartupType.CLEAR;
        return new FlagOptions(true, startup, given.disableAutoShutdown());
    }

    private FlagOptions parseFlagsOption() throws UsageException {
        if (flagsData == null) {
            return new FlagOptions(false, StartupType.NONE, false);
        }
        SubOptions f = SubOptions.parse("--flags", flagsData, Set.of("not-need-init", "startup-clear",
                "startup-state", "startup-deactivated", "startup-none", "disable-auto-shutdown"));
        if (f.bool("startup-deactivated", false)) {
            throw new UsageException("--flags startup-deactivated is only valid for a TPM 1.2");
        }
        StartupType startup = StartupType.NONE;
        int count = 0;
        if (f.bool("startup-clear", false)) {
            startup = StartupType.CLEAR;
            count++;
        }
        if (f.bool("startup-state", false)) {
            startup = StartupType.STATE;
            count++;
        }
        if (f.bool("startup-none", false)) {
            count++;
        }
        if (count > 1) {
            throw new UsageException("--flags: only one startup-* flag may be given");
        }
        boolean notNeedInit = f.bool("not-need-init", false) || startup != StartupType.NONE;
        return new FlagOptions(notNeedInit, startup, f.bool("disable-auto-shutdown", false));
    }

    /**
     * {@code --print-info <flags>} as swtpm reads it ({@code strtoul} base 0: decimal, {@code 0x} hex,
     * {@code 0} octal, leading blanks and {@code +} allowed; it must fit an unsigned 32-bit int). 0 means no printing, as in swtpm.
     */
    static long parseInfoFlags(String text) throws UsageException {
        String t = text.stripLeading();
        if (t.startsWith("+")) {
            t = t.substring(1);
        }
        int radix = 10;
        if (t.startsWith("0x") || t.startsWith("0X")) {
            t = t.substring(2);
            radix = 16;
        } else if (t.length() > 1 && t.startsWith("0")) {
            t = t.substring(1);
            radix = 8;
        }
        try {
            if (t.isEmpty() || !Character.isLetterOrDigit(t.charAt(0))) {
                throw new NumberFormatException();
            }
            long value = Long.parseLong(t, radix);
            if (value > 0xffffffffL) {
                throw new NumberFormatException();
            }
            return value;
        } catch (NumberFormatException e) {
            throw new UsageException("Cannot parse info value '" + text + "'.");
        }
    }

    /**
     * {@code --seccomp action=none|log|kill}: checked as swtpm checks it, then ignored; the JVM runs
     * without a seccomp filter, so {@code cmdarg-seccomp} is not advertised.
     */
    private void parseSeccomp() throws UsageException {
        if (seccompData == null) {
            return;
        }
        SubOptions s = SubOptions.parse("--seccomp", seccompData, Set.of("action"));
        String action = s.string("action", "kill");
        if (!Set.of("none", "log", "kill").contains(action)) {
            throw new UsageException("Unsupported seccomp log action " + action);
        }
    }

    /** {@code --pid file=F}: F, or null ({@code file=} wins over {@code fd=}, as in swtpm). */
    private Path parsePid() throws UsageException {
        if (pidData == null) {
            return null;
        }
        SubOptions p = SubOptions.parse("--pid", pidData, Set.of("file", "fd"));
        String file = p.string("file", null);
        if (file == null && !p.has("fd")) {
            throw new UsageException("The file or fd parameter is required for the pid option.");
        }
        if (file != null && file.isEmpty()) {
            throw new UsageException("--pid: empty file name");
        }
        return file == null ? null : Path.of(file);
    }

    /** {@code --pid fd=N}: N, or -1 (also when {@code file=} is given, which wins). */
    private int parsePidFd() throws UsageException {
        if (pidData == null) {
            return -1;
        }
        SubOptions p = SubOptions.parse("--pid", pidData, Set.of("file", "fd"));
        if (p.string("file", null) != null || !p.has("fd")) {
            return -1;
        }
        return p.integer("fd", -1, 0, Integer.MAX_VALUE);
    }

    private static SwtpmOptions.LogOptions parseLog(String logData) throws UsageException {
        if (logData == null) {
            return SwtpmOptions.LogOptions.NONE;
        }
        SubOptions l = SubOptions.parse("--log", logData, Set.of("file", "fd", "level", "prefix", "truncate"));
        String file = l.string("file", null);
        int fd = l.integer("fd", -1, -1, Integer.MAX_VALUE);
        int level = l.integer("level", 0, 0, Integer.MAX_VALUE);
        if (level == 0) {
            level = 1;
        }
        return new SwtpmOptions.LogOptions(file, fd, level, l.string("prefix", null), l.bool("truncate", false));
    }
}
