package org.jswtpm.swtpm;

import java.io.IOException;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.Map;
import org.jswtpm.store.MemoryStateStore;
import org.jswtpm.store.StateListing;
import org.jswtpm.store.StateStore;
import org.jswtpm.store.StateStores;
import org.jswtpm.store.TpmFamily;
import org.jswtpm.store.TpmStateOptions;

/**
 * The {@code swtpm} command: {@code swtpm socket [options]}, {@code swtpm chardev [options]},
 * {@code swtpm --version}, {@code swtpm --help}. Exit status 0 on success, 1 on any error, as swtpm.
 *
 * <p>A serving process goes through swtpm's steps in swtpm's order: open the {@code -c} device, chroot,
 * switch the user, open the log, create the vTPM proxy device, then bind the channels, open the state
 * and start the TPM ({@link SwtpmProcess}).
 */
public final class Main {
    private Main() {
    }

    /** Entry point of the {@code swtpm} launcher. */
    public static void main(String[] args) {
        int status = run(args, System.getenv(), System.out, System.err, EngineFactories.DEFAULT);
        System.exit(status);
    }

    /**
     * Runs the command and returns the exit status; a serving process returns once it was asked to exit.
     */
    static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err,
            TpmEngineFactory engines) {
        if (args.length == 0) {
            err.println("Missing TPM interface type.");
            return 1;
        }
        switch (args[0]) {
            case "socket":
                return interfaceType(SwtpmCommandLine.Mode.SOCKET, Arrays.copyOfRange(args, 1, args.length), env,
                        out, err, engines);
            case "chardev":
                return interfaceType(SwtpmCommandLine.Mode.CHARDEV, Arrays.copyOfRange(args, 1, args.length), env,
                        out, err, engines);
            case "cuse":
                err.println("TPM interface type '" + args[0] + "' is not supported by jswtpm yet.");
                return 1;
            case "-h":
            case "--help":
                topUsage(out);
                return 0;
            case "-v":
            case "--version":
                out.println("TPM emulator version " + Capabilities.VERSION
                        + ", Copyright (c) 2026 the jswtpm authors (jswtpm, a Java swtpm)");
                return 0;
            default:
                err.println("Unsupported TPM interface type '" + args[0] + "'.");
                topUsage(err);
                return 1;
        }
    }

    private static int interfaceType(SwtpmCommandLine.Mode mode, String[] args, Map<String, String> env,
            PrintStream out, PrintStream err, TpmEngineFactory engines) {
        SwtpmCommandLine.Parsed parsed;
        try {
            parsed = SwtpmCommandLine.parse(mode, args, env);
        } catch (UsageException e) {
            err.println("swtpm: " + e.getMessage());
            return 1;
        }
        switch (parsed.action()) {
            case HELP:
                out.print(mode == SwtpmCommandLine.Mode.SOCKET ? Usage.SOCKET : Usage.CHARDEV);
                return 0;
            case PRINT_CAPABILITIES:
                out.println(Capabilities.json(parsed.tpm2()));
                return 0;
            case PRINT_STATES:
                try {
                    confine(parsed.setup());
                } catch (IOException e) {
                    err.println("swtpm: " + e.getMessage());
                    return 1;
                }
                return printStates(parsed.state(), out, err);
            case PRINT_INFO:
                out.println(TpmInfo.json(parsed.infoFlags()));
                return 0;
            default:
                String ready = env.get(Daemon.READY_ENV);
                if (parsed.daemon() && ready == null) {
                    return Daemon.start(err);
                }
                return serve(parsed, out, err, engines, ready);
        }
    }

    private static int serve(SwtpmCommandLine.Parsed parsed, PrintStream out, PrintStream err,
            TpmEngineFactory engines, String daemonReadyFile) {
        SwtpmOptions options = parsed.options();
        SwtpmCommandLine.ProcessSetup setup = parsed.setup();
        Endpoints endpoints = parsed.endpoints();
        Daemon.Ready ready;
        try {
            // swtpm opens -c while it parses: before the chroot and the user switch
            endpoints = openCharDevice(setup, endpoints);
            // the parent waits for this file, which may be outside the chroot: open it now
            ready = daemonReadyFile == null ? null : Daemon.Ready.open(daemonReadyFile);
            confine(setup);
        } catch (IOException e) {
            err.println("swtpm: " + e.getMessage());
            return 1;
        }
        SwtpmLog log;
        try {
            log = SwtpmLog.open(options.log());
        } catch (IOException e) {
            err.println("swtpm: Could not open logfile for writing: " + e.getMessage());
            return 1;
        }
        if (setup.vtpmProxy()) {
            try {
                VtpmProxy.Device device = VtpmProxy.create();
                out.println(device.announcement());
                out.flush();
                endpoints = endpoints.withData(new Endpoints.CharDevice(device.fd(),
                        "vTPM proxy /dev/tpm" + Integer.toUnsignedString(device.tpmNumber())));
            } catch (IOException e) {
                err.println("swtpm: " + e.getMessage());
                return 1;
            }
        }
        PcapRecorder trace = null;
        if (setup.pcap() != null) {
            try {
                trace = PcapRecorder.open(setup.pcap());
            } catch (IOException e) {
                err.println("swtpm: " + e.getMessage());
                return 1;
            }
        }
        // the hook exists before the first socket: a SIGTERM at any time after that removes it again
        SwtpmProcess process = SwtpmProcess.prepare(options, parsed.state(), endpoints, parsed.mssim(), log);
        if (trace != null) {
            process.traceTo(trace);
        }
        process.server().leaveShutdownConnectionToExit();
        Thread hook = new Thread(process::close, "swtpm-exit");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            process.start(engines);
        } catch (Exception e) {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running or has run: it closes the process
            }
            String message = "swtpm: Error: " + e.getMessage();
            if (!log.isConsole()) {
                log.error(message);
            }
            err.println(message);
            return 1;
        }
        if (ready != null) {
            ready.signal();
        }
        try {
            process.awaitExitRequest();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process.close();
        return 0;
    }

    /** {@code swtpm chardev -c PATH}: the device opened read-write, as the data channel. */
    private static Endpoints openCharDevice(SwtpmCommandLine.ProcessSetup setup, Endpoints endpoints)
            throws IOException {
        if (setup.chardev() == null) {
            return endpoints;
        }
        int fd;
        try {
            fd = LibC.open(setup.chardev().toString(), LibC.O_RDWR | LibC.O_CLOEXEC);
        } catch (com.sun.jna.LastErrorException e) {
            throw new IOException("Cannot open " + setup.chardev() + ": " + UnixFds.strerror(e.getErrorCode()), e);
        }
        return endpoints.withData(new Endpoints.CharDevice(fd, "character device " + setup.chardev()));
    }

    /**
     * {@code --chroot}, then {@code --runas}, as swtpm does them before it opens any file; the JVM first
     * opens what it will need ({@link Confinement#prepare()}).
     */
    private static void confine(SwtpmCommandLine.ProcessSetup setup) throws IOException {
        if (setup.chroot() == null && setup.runAs() == null) {
            return;
        }
        Confinement.prepare();
        if (setup.chroot() != null) {
            Confinement.chroot(setup.chroot());
        }
        if (setup.runAs() != null) {
            RunAs.switchTo(setup.runAs());
        }
    }

    /** {@code --print-states}: the blobs in the store and their sizes, without locking it. */
    private static int printStates(StateConfig state, PrintStream out, PrintStream err) {
        boolean noFile = state.tpmstate().backend() == TpmStateOptions.Backend.LINEAR_FILE
                && !java.nio.file.Files.exists(state.tpmstate().path()); // listing must not create it
        try (StateStore store = noFile ? new MemoryStateStore() : StateStores.open(state.tpmstate(), TpmFamily.TPM2)) {
            out.print(StateListing.toJson(store));
            out.flush();
            return 0;
        } catch (IOException e) {
            err.println("swtpm: Error: " + e.getMessage());
            return 1;
        }
    }

    private static void topUsage(PrintStream out) {
        out.print(Usage.TOP);
    }
}
