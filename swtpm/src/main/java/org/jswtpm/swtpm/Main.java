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
 * The {@code swtpm} command: {@code swtpm socket [options]}, {@code swtpm --version}, {@code swtpm --help}.
 * Exit status 0 on success, 1 on any error, as swtpm.
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
                return socket(Arrays.copyOfRange(args, 1, args.length), env, out, err, engines);
            case "chardev":
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

    private static int socket(String[] args, Map<String, String> env, PrintStream out, PrintStream err,
            TpmEngineFactory engines) {
        SwtpmCommandLine.Parsed parsed;
        try {
            parsed = SwtpmCommandLine.parse(args, env);
        } catch (UsageException e) {
            err.println("swtpm: " + e.getMessage());
            return 1;
        }
        switch (parsed.action()) {
            case HELP:
                out.print(Usage.SOCKET);
                return 0;
            case PRINT_CAPABILITIES:
                out.println(Capabilities.json(parsed.tpm2()));
                return 0;
            case PRINT_STATES:
                return printStates(parsed.state(), out, err);
            case PRINT_INFO:
                out.println(TpmInfo.json(parsed.infoFlags()));
                return 0;
            default:
                String ready = env.get(Daemon.READY_ENV);
                if (parsed.daemon() && ready == null) {
                    return Daemon.start(err);
                }
                return serve(parsed, err, engines, ready);
        }
    }

    private static int serve(SwtpmCommandLine.Parsed parsed, PrintStream err, TpmEngineFactory engines,
            String daemonReadyFile) {
        SwtpmOptions options = parsed.options();
        SwtpmLog log;
        try {
            log = SwtpmLog.open(options.log());
        } catch (IOException e) {
            err.println("swtpm: Could not open logfile for writing: " + e.getMessage());
            return 1;
        }
        // the hook exists before the first socket: a SIGTERM at any time after that removes it again
        SwtpmProcess process = SwtpmProcess.prepare(options, parsed.state(), parsed.endpoints(), parsed.mssim(), log);
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
        if (daemonReadyFile != null) {
            Daemon.signalReady(daemonReadyFile);
        }
        try {
            process.awaitExitRequest();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process.close();
        return 0;
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
